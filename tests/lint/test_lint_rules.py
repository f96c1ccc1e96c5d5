"""One behaviour per rule: what it flags (with its suggestion) and what it lets pass."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import pytest

from amtslotse.lint import Severity, check_text, lint_items
from amtslotse.lint.config import config_from_mapping


def _only(report, rule):
    found = [f for f in report.findings if f.rule == rule]
    assert found, f"no {rule} in {report.findings}"
    return found


# --- the two sentences of the brief ---------------------------------------------


def test_plain_sentence_gives_no_finding(lint):
    assert lint("Sie brauchen einen Termin.").findings == ()


def test_passive_with_long_compound(lint):
    report = lint("Der Antrag wird von der Wohngeldstelle bearbeitet.")
    assert {f.rule for f in report.findings} == {"passiv", "kompositum"}
    (passiv,) = _only(report, "passiv")
    (kompositum,) = _only(report, "kompositum")
    assert (passiv.line, passiv.column, passiv.text) == (1, 12, "wird")
    assert passiv.severity is Severity.ERROR
    assert passiv.suggestion == "aktiv schreiben: „Die Wohngeldstelle bearbeitet …“"
    assert (kompositum.line, kompositum.column, kompositum.text) == (1, 25, "Wohngeldstelle")
    assert kompositum.suggestion == "„Wohn·geld·stelle“"


# --- one case that fires and one that does not, per rule ---------------------------

CASES = [
    (
        "satzlaenge",
        "Bitte bringen Sie zu Ihrem Termin am Montag den Ausweis und zwei aktuelle Fotos mit.",
        True,
    ),
    ("satzlaenge", "Bitte bringen Sie Ihren Ausweis mit.", False),
    ("nebensatz", "Sie bekommen Geld, wenn Sie wenig verdienen.", True),
    ("nebensatz", "Bringen Sie den Ausweis, das Foto und den Miet·vertrag mit.", False),
    ("ein-satz-pro-zeile", "Das Amt ist zu. Kommen Sie morgen.", True),
    ("ein-satz-pro-zeile", "Bitte sagen Sie uns: Was brauchen Sie?", False),
    ("passiv", "Ihr Antrag wurde abgelehnt.", True),
    ("passiv", "Wir werden Ihnen helfen.", False),
    ("konjunktiv", "Sie könnten Geld bekommen.", True),
    ("konjunktiv", "Sie möchten einen Termin?", False),
    ("genitiv", "Die Höhe der Miete ist wichtig.", True),
    ("genitiv", "Sie geben der Frau das Formular.", False),
    ("verneinung", "Vergessen Sie Ihren Ausweis nicht.", True),
    ("verneinung", "Sie brauchen keinen Termin.", False),
    ("zahlwort", "Sie brauchen zwei Fotos.", True),
    ("zahlwort", "Sie brauchen ein Foto.", False),
    ("datum-uhrzeit", "Kommen Sie am 03.05.2024.", True),
    ("datum-uhrzeit", "Kommen Sie am 3. Mai 2024 um 14:30 Uhr.", False),
    ("abkuerzung", "Bringen Sie z. B. den Ausweis mit.", True),
    ("abkuerzung", "Gehen Sie zur Kfz-Zulassungs·stelle.", False),
    ("sonderzeichen", "Sie bekommen 50 % zurück.", True),
    ("sonderzeichen", "Schreiben Sie an info@beispiel.de.", False),
    ("kompositum", "Sie bekommen Bürgergeld.", True),
    ("kompositum", "Die Unterlagen sind da.", False),
    ("schweres-wort", "Sie erhalten einen Bescheid.", True),
    ("schweres-wort", "Sie bekommen einen Brief.", False),
    ("man", "Hier kann man parken.", True),
    ("man", "Der Mann hilft Ihnen.", False),
    ("nominalstil", "Die Auszahlung erfolgt monatlich.", True),
    ("nominalstil", "Sie bekommen das Geld jeden Monat.", False),
    ("uneinheitlicher-begriff", "Schreiben Sie eine E-Mail.\nDie Email kommt an.", True),
    ("uneinheitlicher-begriff", "Das Bürger·geld hilft.\nDas Bürger·geld ist Geld.", False),
    # An unsplit long compound is kompositum's alone: one word, one finding.
    ("uneinheitlicher-begriff", "Das Bürger·geld hilft.\nDas Bürgergeld ist Geld.", False),
    ("partizip-attribut", "Den ausgefüllten Antrag geben Sie ab.", True),
    ("partizip-attribut", "Sie haben den Antrag ausgefüllt.", False),
    ("seltenes-wort", "Bringen Sie die Urschriften mit.", True),
    ("seltenes-wort", "Sie bekommen einen Brief.", False),
    # Officialese words in any form, and phrases of the offices.
    ("amtsdeutsch", "Den Antrag müssen Sie schriftlich stellen.", True),
    ("amtsdeutsch", "Dazu sind Sie verpflichtet.", True),
    ("amtsdeutsch", "Besondere Voraussetzungen gelten für Kinder.", True),
    ("amtsdeutsch", "In diesem Fall wenden Sie sich bitte an einen Notar.", True),
    ("amtsdeutsch", "Sie können sich jederzeit an das Bürger·büro wenden.", True),
    ("amtsdeutsch", "Wenn Sie umziehen, brauchen Sie sich nicht abzumelden.", True),
    ("amtsdeutsch", "Dann gehen Sie bitte zu einem Notar.", False),
    ("amtsdeutsch", "Sie brauchen nicht zu Ihren Eltern.", False),
    ("amtsdeutsch", "Sie brauchen keinen Termin.", False),
]


@pytest.mark.parametrize(("rule", "text", "fires"), CASES, ids=[f"{r}-{f}" for r, _, f in CASES])
def test_rule(rules_of, rule, text, fires):
    assert (rule in rules_of(text)) is fires


# --- suggestions ------------------------------------------------------------------

SUGGESTIONS = [
    ("kompositum", "Stellen Sie den Wohngeldantrag.", "„Wohn·geld·antrag“"),
    ("zahlwort", "Sie brauchen drei Fotos.", "„3“"),
    ("zahlwort", "Kommen Sie zweimal.", "„2-mal“"),
    ("abkuerzung", "Bringen Sie z. B. den Ausweis mit.", "„zum Beispiel“"),
    ("konjunktiv", "Sie könnten kommen.", "Wirklichkeits·form: „können“"),
    ("amtsdeutsch", "Sie erhalten einen Brief.", "„bekommen“"),
    ("amtsdeutsch", "Das ist erforderlich.", "„nötig“"),
    ("datum-uhrzeit", "Kommen Sie am 03.05.2024.", "„3. Mai 2024“"),
    ("datum-uhrzeit", "Wir haben 8-12 Uhr offen.", "„von 8 Uhr bis 12 Uhr“"),
    ("genitiv", "Die Bearbeitung des Antrags dauert.", "„von dem Antrag“"),
    ("sonderzeichen", "Das kostet 5 €.", "„Euro“"),
    (
        "uneinheitlicher-begriff",
        "Schreiben Sie eine E-Mail.\nDie Email kommt an.",
        "immer „E-Mail“ schreiben",
    ),
    ("kompositum", "Das Bürger·geld hilft.\nDas Bürgergeld ist Geld.", "„Bürger·geld“"),
]


@pytest.mark.parametrize(("rule", "text", "suggestion"), SUGGESTIONS)
def test_suggestion(lint, rule, text, suggestion):
    assert suggestion in [f.suggestion for f in _only(lint(text), rule)]


def test_compound_suggestion_prefers_the_spelling_already_in_the_text(lint):
    report = lint("Die Führer·schein·stelle hilft.\nGehen Sie zur Führerscheinstelle.")
    (kompositum,) = _only(report, "kompositum")
    assert kompositum.suggestion == "„Führer·schein·stelle“"


# --- positions, severities, config ----------------------------------------------


def test_findings_carry_line_and_column(lint):
    report = lint("Sie brauchen einen Termin.\n\nHier kann man parken.")
    (man,) = _only(report, "man")
    assert (man.line, man.column, man.text) == (3, 11, "man")


def test_report_has_scores(lint):
    scores = lint("Das Haus ist groß.\nSie bekommen Wohn·geld.").scores
    assert (scores.sentences, scores.words, scores.syllables) == (2, 7, 10)
    assert scores.flesch_amstad == 92.9


def test_switched_off_rule_reports_nothing(nlp, config):
    quiet = replace(config, severities=MappingProxyType({**config.severities, "man": None}))
    assert check_text("Hier kann man parken.", quiet, nlp).findings == ()


def test_severity_comes_from_the_config(nlp):
    config = config_from_mapping({"rules": {"man": {"severity": "error"}}})
    (finding,) = check_text("Hier kann man parken.", config, nlp).findings
    assert finding.severity is Severity.ERROR


def test_allowed_negation_by_pattern(nlp):
    config = config_from_mapping({"rules": {"verneinung": {"allowed": [r"\bnicht rauchen\b"]}}})
    assert check_text("Bitte nicht rauchen.", config, nlp).findings == ()
    assert {f.rule for f in check_text("Bitte nicht essen.", config, nlp).findings} == {
        "verneinung"
    }


def test_explained_abbreviation_may_stay(nlp):
    config = config_from_mapping(
        {"rules": {"abkuerzung": {"explained": {"IBAN": "Die IBAN ist Ihre Konto·nummer."}}}}
    )
    explained = "Die IBAN ist Ihre Konto·nummer.\nSchreiben Sie Ihre IBAN auf."
    assert "abkuerzung" not in {f.rule for f in check_text(explained, config, nlp).findings}
    (unexplained,) = [f for f in check_text("Schreiben Sie Ihre IBAN auf.", config, nlp).findings]
    assert unexplained.suggestion == "erklären: „Die IBAN ist Ihre Konto·nummer.“"


def test_placeholders_of_answer_templates_are_no_special_characters(lint):
    assert lint("Zuständig ist: {office}.").findings == ()


# --- lint_items ----------------------------------------------------------------


def test_lint_items_labels_findings_with_their_source(nlp, config):
    findings = lint_items(
        [
            ("services/wohngeld.yml:12", "Wohn·geld ist Geld für die Miete."),
            ("bot:utter_wohngeld", "Sie bekommen Wohn·geld.\nDas Wohngeld kommt jeden Monat."),
        ],
        config,
        nlp,
    )
    assert {(f.source, f.finding.rule, f.finding.line) for f in findings} == {
        ("bot:utter_wohngeld", "kompositum", 2),
    }
    assert str(findings[0]).startswith("bot:utter_wohngeld: line 2, column 5: error ")


def test_officialese_is_reported_once_not_also_as_hard_word(lint):
    # "erhalten" is amtsdeutsch's: schweres-wort would only hint at the same word.
    rules = [f.rule for f in lint("Sie erhalten einen Bescheid.").findings]
    assert rules.count("amtsdeutsch") == 1
    assert rules.count("schweres-wort") == 1  # "Bescheid", not "erhalten"


def test_officialese_phrase_covers_its_words(nlp):
    config = config_from_mapping(
        {
            "rules": {
                "amtsdeutsch": {
                    "words": {"wenden": "gehen"},
                    "phrases": {r"\bwenden Sie sich\b": ""},
                }
            }
        }
    )
    found = [f for f in check_text("Bitte wenden Sie sich an uns.", config, nlp).findings]
    assert [(f.rule, f.text, f.suggestion) for f in found] == [
        ("amtsdeutsch", "wenden Sie sich", None)
    ]


def test_lint_items_of_nothing_is_nothing(nlp, config):
    assert lint_items([], config, nlp) == []


# --- issue 16, round two: officialese the first round let pass ------------------------


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Reichen Sie die Unterlagen bitte bis Montag ein.", "Reichen"),
        ("Legen Sie den Ausweis vor.", "Legen"),
        ("Bitte fügen Sie eine Kopie bei.", "fügen"),
        ("Die Hilfe ist abhängig vom Einkommen.", "abhängig"),
        ("Sagen Sie uns, wo sich etwas ereignet hat.", "ereignet"),
        (
            "Für Kinder müssen die gesetzlichen Vertreter den Antrag stellen.",
            "gesetzlichen Vertreter",
        ),
        ("Die Abholung ist nur unter Vorlage des Ausweises möglich.", "unter Vorlage"),
    ],
)
def test_officialese_split_verbs_words_and_phrases(lint, text, flagged):
    assert flagged in {f.text for f in _only(lint(text), "amtsdeutsch")}


@pytest.mark.parametrize(
    "text",
    [
        "Geben Sie die Unterlagen bis Montag ab.",  # the everyday separable verb
        "Zeigen Sie Ihren Ausweis vor.",  # "vorzeigen" is not listed
        "Das Geld reicht nicht.",  # "reichen" without the particle
        "Das hängt von Ihrem Einkommen ab.",
        "Ihre Eltern stellen den Antrag.",
    ],
)
def test_everyday_words_and_unsplit_verbs_pass_amtsdeutsch(rules_of, text):
    assert "amtsdeutsch" not in rules_of(text)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Ein persönliches Erscheinen ist notwendig.", "Erscheinen"),
        ("Machen Sie genaue Angaben zum Ort.", "Machen Sie genaue Angaben"),
        ("Bitte schreiben Sie, wie es zum Verlust gekommen ist.", "zum Verlust"),
        ("Das Gesetz tritt im Mai in Kraft.", "in Kraft"),
    ],
)
def test_nominal_style_of_infinitives_and_noun_verb_phrases(lint, text, flagged):
    assert flagged in {f.text for f in _only(lint(text), "nominalstil")}


@pytest.mark.parametrize(
    "text",
    [
        "Wir helfen Ihnen beim Ausfüllen.",
        "Schreiben Sie uns Ihre Angaben.",
        "Sie haben das Geld verloren.",
    ],
)
def test_infinitives_without_adjective_and_plain_nouns_pass_nominalstil(rules_of, text):
    assert "nominalstil" not in rules_of(text)


def test_a_glossary_term_with_an_infinitive_is_no_nominal_style(rules_of):
    # "Begleitetes Fahren" is explained in the county's glossary.
    assert "nominalstil" not in rules_of("Mit 17 Jahren gibt es auch Begleitetes Fahren.")
    assert "nominalstil" in rules_of("Ein sicheres Fahren ist wichtig.")
