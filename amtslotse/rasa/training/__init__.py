"""From content and hand-written data to a trained Rasa model.

``generate``: the parts of the Rasa project that follow from the content
(one intent and rule per service, the citizens' words as examples, office
synonyms), written to build/rasa/. ``train``: trains only when the inputs'
hash changed, and turns Rasa's failures into a message that says what to fix.
"""
