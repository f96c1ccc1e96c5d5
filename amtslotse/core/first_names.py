"""First names common in Germany, for the scrubber (amtslotse.core.scrub).

A hand-made list (no data set to download, no licence to carry): the most
frequent given names of the last decades in Germany, and the names most
frequent among people who came from Turkey, Poland, Russia, Ukraine,
Syria, Afghanistan, Iraq, Romania, the Balkans and West Africa. Names that
are also everyday German words ("Mai", "Ernst", "Frank", "Rose", "Wolf")
are left out: those are scrubbed only after a cue ("Frau", "ich heiße").
"""

from __future__ import annotations

_NAMES = """
Aaliyah Abdul Abdullah Adam Adrian Agnieszka Ahmad Ahmed Aische Aleksandra
Alex Alexander Alexandra Alexej Ali Alina Aliya Amelie Amina Amir Amira
Ana Anastasia Andrea Andreas Andrei Andrej Andrzej Angelika Anja Anke Anna
Annalena Anne Annika Anton Antonia Arne Arthur Aylin Ayse Aysel Ayşe Bahar
Barbara Bastian Bea Beate Ben Benedikt Benjamin Berat Berfin Bernd Bettina
Bianca Birgit Björn Bogdan Brigitte Burak Can Carina Carla Carlotta Carmen
Carolin Caroline Charlotte Chiara Christa Christian Christina Christine
Christoph Christopher Clara Claudia Conrad Cornelia Cem Daniel Daniela Darius
Dariusz David Deniz Dennis Diana Dieter Dilara Dimitri Dirk Dmitri Dominik
Doris Dorothea Dragan Edith Efe Elena Elias Elif Elisa Elisabeth Ella Elke
Ellen Emil Emilia Emily Emin Emma Emre Eric Erik Erika Esra Eva Ewa Fabian
Fatima Fatma Felix Finn Florian Franziska Frieda Friedrich Gabriele Georg
Gerda Gerhard Gisela Greta Gudrun Günter Günther Hamid Hanna Hannah Hannelore
Hans-Peter Hasan Hassan Heidi Heike Heinz Helena Helga Helmut Henri Henrik
Henry Herbert Hussein Ibrahim Ida Igor Ilse Ingrid Ioana Irina Isabel Isabell
Isabella Ivan Jacob Jakob Jan Jana Janina Janusz Jasmin Jennifer Jens Jessica
Joachim Johanna Johannes Jonas Jonathan Josef Joseph Julia Julian Juliane
Jürgen Justus Jutta Karin Karl Karolina Katarzyna Katharina Kathrin
Katja Kerstin Kevin Khaled Klaus Konstantin Kristina Krzysztof Lara Laura
Lea Lena Leni Leon Leonie Liam Lina Linda Lisa Lotta Louis Luca Lucas Luis
Luisa Lukas Luka Magdalena Mahmoud Maja Malte Manfred Manuela Marc Marcel
Marco Maria Marie Marina Mario Marius Marko Markus Marlene Marta Martha
Martin Martina Maryam Mathias Matteo Matthias Max Maximilian Mehmet Melanie
Melina Merve Mia Michael Michaela Michelle Mila Milan Mira Mirco Mohamed
Mohammad Mohammed Monika Moritz Muhammad Murat Mustafa Nadine Nadja Natalia
Natalie Natascha Nicole Niklas Nico Nikolai Nina Noah Nora Nour Ole Olena
Oleksandr Olga Oliver Omar Oskar Patricia Patrick Paul Paula Paulina Peter
Petra Philipp Piotr Rainer Ralf Ralph Rebecca Regina Reinhard Renate Robert
Robin Roman Rosemarie Ruth Sabine Sabrina Samira Samuel Sandra Sara Sarah
Sascha Sebastian Selin Sergej Sevgi Silke Simon Simone Sofia Sofie Sonja
Sophia Sophie Stefan Stefanie Steffen Stephan Susanne Svenja Svetlana
Sylvia Tanja Tatjana Thomas Thorsten Tim Timo Tobias Tom Torsten Ulrich
Ulrike Ursula Uta Ute Uwe Valentina Vanessa Vera Victoria Viktor Viktoria
Vladimir Walter Waltraud Werner Wiebke Wilhelm Wojciech Wolfgang Yasemin
Yasin Yildiz Youssef Yusuf Zeynep Zofia
"""

FIRST_NAMES: frozenset[str] = frozenset(_NAMES.split())
