"""The name question takes any text: real names pass, questions and sentences do not."""

from __future__ import annotations

import pytest

from amtslotse.core.booking import answers
from amtslotse.core.contact import NAME_INVALID, NAME_PRIVACY, check_name, clean_name
from amtslotse.core.content import load_catalogue

REAL_NAMES = [
    "Anna-Lena Müller",
    "Özlem Yılmaz",
    "Jean-Luc d'Arcy",
    "Dr. Ali Hassan",
    "Nguyễn Văn An",
    "María José García López",
    "O'Brien",
    "Mustafa",
    "Erika Mustermann",
    "Schulze, Thomas",  # surname first, as on forms
    "N’Diaye Fatou",  # typographic apostrophe
    "Łukasz Żółć",
    "Björn Ångström",
    "Zhang Wei",
    "Mohammed bin Salman",  # "bin" is part of Arabic names (and Chinese: "Li Bin")
    "Mir Hossein Mousavi",  # "Mir" is a name, not "mir"
    "Maria del Carmen de la Cruz López",  # 7 words
    "Prof. Dr. Hans-Peter von der Heide",
    "Hans Meier jun.",
    "Frau Sabine Krüger",
    "anna müller",  # typed in lower case
    "Ренат Ахмедов",
    # Words that are names though they look like something else:
    "Mai Nguyen",  # a month, and a Vietnamese and German name
    "Freitag",  # weekdays are German surnames (Freitag, Sonntag, Montag)
    "Lena Sonntag",
    "Michelle Wie",  # question words block only as the first word
    "Anjali Das",
    "Kim Ok",  # "Ok" is a Korean surname; only "ok" alone is turned away
    "Thomas Lange",
    "Anna Weiß",  # "weiß" is a common surname: "ich weiß nicht" is caught by its other words
    "Peter Weiss",
    "Francis Lieber",
    "Ja-Young Kim",  # hyphenated names are one word: not "ja"
]


@pytest.mark.parametrize("name", REAL_NAMES)
def test_real_names_pass_unchanged(name):
    assert clean_name(name) == name


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("  Erika   Mustermann ", "Erika Mustermann"),
        ("Ich heiße Jana Becker", "Jana Becker"),
        ("ich heisse Jana Becker", "Jana Becker"),
        ("Mein Name ist Peter Wagner.", "Peter Wagner"),
        ("mein name lautet Peter Wagner", "Peter Wagner"),
        ("Name: Anna Müller", "Anna Müller"),
        ("Mein Name: Anna Müller", "Anna Müller"),
        ("Ich bin Anna Müller", "Anna Müller"),
        ("My name is John Smith", "John Smith"),
        ("„Anna Müller“", "Anna Müller"),
        ("Anna Li.", "Anna Li"),  # a full stop, no abbreviation
        ("Jana B.", "Jana B."),  # an initial keeps its dot
    ],
)
def test_the_name_is_taken_out_of_a_short_introduction(typed, name):
    assert clean_name(typed) == name


@pytest.mark.parametrize(
    "typed",
    [
        "Warum brauchen Sie meinen Namen?",
        "warum",
        "Wozu brauchen Sie das",
        "Wieso das denn",
        "Weshalb?",
        "Was passiert mit meinen Daten",
        "Datenschutz",
        "Wo werden meine Daten gespeichert",
        "Wer speichert das",
        "Muss ich meinen Namen sagen?",
        "Welchen Namen?",
        "Name?",
    ],
)
def test_questions_about_the_name_get_the_privacy_explanation(typed):
    assert check_name(typed).name is None
    assert check_name(typed).problem == NAME_PRIVACY


@pytest.mark.parametrize(
    "typed",
    [
        "ich weiß nicht",
        "weiß nicht",
        "Ich möchte doch lieber am Freitag",
        "Lieber am Freitag",
        "Dienstag nachmittag",
        "Im Mai",
        "nächste Woche",
        "keine Ahnung",
        "Keine ahnung",
        "nein",
        "Nein danke",
        "ja",
        "Ja gerne",
        "ok",
        "Okay",
        "Hallo",
        "bitte",
        "egal",
        "Wie bitte",
        "Wie lange dauert das",
        "Wo ist das Amt",
        "Wann ist der Termin",
        "Was soll ich schreiben",
        "Kann ich auch anrufen",
        "Brauche ich einen Ausweis",
        "Ich bin krank",  # "ich bin" takes a name only before a capital letter
        "ich bin anna",
        "Mein Name ist",
        "Name",
        "Anna Müller?",  # a question mark is no part of a name
        "Und was jetzt",
        "Das ist ein sehr langer Satz mit vielen Worten",  # more than 7 words
        "Anna Berta Carla Dora Emil Frieda Gustav Heinrich",  # 8 words: no name
        "0171 1234567",
        "Anna Müller 0171 1234567",
        "erika@example.org",
        "/affirm",  # a button payload of an earlier question
        '/termin_waehlen{"bundle_id": "b1"}',
        "Anna 😊",
        "A",
        "",
        "   ",
        "x" * 101,
        "Anna\u200bMüller",  # a control (format) character
    ],
)
def test_plain_non_names_are_turned_away(typed):
    check = check_name(typed)
    assert check.name is None and check.problem == NAME_INVALID


def test_the_re_ask_explains_what_is_wrong():
    cat = load_catalogue()
    why = answers.name_problem_reply(cat, NAME_PRIVACY, days=45).lines
    assert "Das Amt braucht Ihren Namen für den Termin." in why
    # The retention as configured, not a promise the backend does not keep.
    assert "Das Amt löscht Ihre Daten 45 Tage nach dem Termin." in why
    invalid = answers.name_problem_reply(cat, NAME_INVALID, days=45).lines
    assert invalid == ("Bitte schreiben Sie nur Ihren Namen.", "Zum Beispiel: Anna Müller.")
