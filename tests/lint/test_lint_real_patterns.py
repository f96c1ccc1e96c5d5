"""The patterns real Leichte Sprache and official German showed (issue 16), one test each."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from amtslotse.errors import UserFacingError
from amtslotse.lint import check_text, load_config
from amtslotse.lint.config import config_from_mapping


def _rules(report, severity="error"):
    return [(f.rule, f.text) for f in report.findings if f.severity.value == severity]


# --- kompositum: morphology instead of guesses ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Die Helferinnen helfen Ihnen.",  # helfer + in + nen: suffixes
        "Die Wählerinnen und Wähler wählen.",
        "Arbeitslose bekommen Geld.",  # arbeitslos + e: an adjective's ending
        "Sie bekommen Arbeitslosen-Geld.",  # already split at its main boundary
        "Die Wahl-Sonntage sind im Mai.",  # "Sonntag" is fixed
        "Die Stadt ist Ihr Lebens-Mittelpunkt.",  # "Mittelpunkt" is fixed
        "Am Sonntag ist das Amt zu.",
    ],
)
def test_derivations_split_words_and_fixed_words_are_no_unsplit_compounds(lint, text):
    assert "kompositum" not in {f.rule for f in lint(text).findings}


def test_a_fixed_word_stays_whole_in_the_suggestion(lint):
    (finding,) = [f for f in lint("Das ist Ihr Lebensmittelpunkt.").findings]
    assert (finding.rule, finding.suggestion) == ("kompositum", "„Lebens·mittelpunkt“")


def test_the_fixed_words_are_a_list_in_the_config(nlp):
    config = config_from_mapping({"rules": {"kompositum": {"fixed": ["Mittelpunkt"]}}})
    report = check_text("Das ist Ihr Lebensmittelpunkt.", config, nlp)
    assert [f.suggestion for f in report.findings] == ["„Lebens·mittelpunkt“"]
    unlisted = check_text("Das ist Ihr Lebensmittelpunkt.", config_from_mapping({}), nlp)
    assert [f.suggestion for f in unlisted.findings] == ["„Lebens·mittel·punkt“"]


def test_long_nouns_hanta_knows_whole_are_still_split(lint):
    report = lint("Das steht im Sozialgesetzbuch.")
    assert [f.suggestion for f in report.findings if f.rule == "kompositum"] == [
        "„Sozial·gesetz·buch“"
    ]


# --- house style ------------------------------------------------------------------


@pytest.mark.parametrize("dot", ["·", "∙", "⋅", "‧"])
def test_every_middle_dot_splits_a_word_and_is_no_special_character(lint, dot):
    text = f"Das Bürger{dot}geld hilft Ihnen beim Wohn{dot}geld·antrag."
    report = lint(text)
    assert report.findings == ()


def test_a_finding_quotes_the_text_as_written(lint):
    (finding,) = lint(
        "Das Bürger∙geld hilft.\nDas Bürger-Geld hilft.\nDas Bürger-Geld hilft."
    ).findings
    assert finding.text == "Bürger∙geld"


def test_hyphen_style_suggests_hyphens_and_accepts_middle_dots(nlp, config):
    hyphen = replace(config, compound_style="hyphen")
    report = check_text("Stellen Sie den Wohngeldantrag.", hyphen, nlp)
    (finding,) = report.findings
    assert finding.suggestion == "„Wohn-Geld-Antrag“"
    assert "Binde·strich" in finding.message
    assert check_text("Das Bürger·geld hilft.", hyphen, nlp).findings == ()


def test_compound_style_is_a_top_level_key_of_the_lint_config():
    assert config_from_mapping({"compound_style": "hyphen"}).compound_style == "hyphen"
    with pytest.raises(UserFacingError, match="compound_style must be mediopunkt or hyphen"):
        config_from_mapping({"compound_style": "strich"})


def test_the_countys_config_names_its_house_style(config):
    assert config.compound_style == "mediopunkt"


# --- uneinheitlicher-begriff --------------------------------------------------------


def test_a_suspended_hyphen_is_no_second_spelling(lint):
    text = (
        "Das Kinder- und Jugend·amt hilft.\nDie Kinder gehen zur Schule.\n"
        "Ein- und Aus·gang sind hier.\nEin Hund darf mit."
    )
    assert "uneinheitlicher-begriff" not in {f.rule for f in lint(text).findings}


def test_the_majority_spelling_of_a_text_wins(lint):
    report = lint("Das Wohn-Geld hilft.\nDas Wohn-Geld kommt.\nDas Wohn·geld ist Geld.")
    assert _rules(report) == [("uneinheitlicher-begriff", "Wohn·geld")]
    assert report.findings[0].suggestion == "immer „Wohn-Geld“ schreiben"


def test_on_a_tie_the_house_style_wins(nlp, config):
    text = "Das Wohn-Geld hilft.\nDas Wohn·geld ist Geld."
    assert _rules(check_text(text, config, nlp)) == [("uneinheitlicher-begriff", "Wohn-Geld")]
    hyphen = replace(config, compound_style="hyphen")
    assert _rules(check_text(text, hyphen, nlp)) == [("uneinheitlicher-begriff", "Wohn·geld")]


def test_one_word_gets_one_finding(lint):
    report = lint("Das Wohn-Geld hilft.\nDas Wohngeld ist Geld.")
    assert _rules(report) == [("kompositum", "Wohngeld")]
    assert report.findings[0].suggestion == "„Wohn-Geld“"  # the text's own spelling


def test_without_kompositum_the_unsplit_variant_is_reported_as_a_second_spelling(nlp, config):
    severities = dict(config.severities) | {"kompositum": None}
    quiet = replace(config, severities=severities)
    report = check_text("Das Wohn-Geld hilft.\nDas Wohngeld ist Geld.", quiet, nlp)
    assert _rules(report) == [("uneinheitlicher-begriff", "Wohngeld")]


# --- abkuerzung ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Das kurze Wort für Sozial-Gesetz-Buch 2 ist SGB II.",
        "SGB ist die Abkürzung für Sozialgesetzbuch.",
        "Sie haben Anspruch auf Geld nach dem Sozial·gesetz·buch.\nAbgekürzt heißt das SGB.",
    ],
)
def test_an_abbreviation_introduced_beside_its_words_may_stay(lint, text):
    assert "abkuerzung" not in {f.rule for f in lint(text).findings}


def test_an_introduced_abbreviation_may_stay_later_but_not_before(lint):
    text = (
        "Das SGB ist ein Buch.\nDas kurze Wort für Sozial-Gesetz-Buch ist SGB.\nIm SGB steht das."
    )
    assert [(f.line, f.text) for f in lint(text).findings if f.rule == "abkuerzung"] == [(1, "SGB")]


def test_a_roman_numeral_is_no_abbreviation(lint):
    report = lint("Sie bekommen Geld nach dem Sozial·gesetz·buch II.")
    assert "abkuerzung" not in {f.rule for f in report.findings}
    assert [f.text for f in lint("Sie bekommen Geld nach dem SGB II.").findings] == ["SGB"]


# --- official German: nominal style, participles, very rare words -------------------


def test_the_three_sentences_of_the_issue_get_an_error(lint):
    for text, rules in [
        (
            "Bei schriftlicher Beantragung ist grundsätzlich ein persönlich "
            "unterschriebener Antrag notwendig.",
            {"nominalstil", "partizip-attribut", "amtsdeutsch"},  # "schriftlicher", "grundsätzlich"
        ),
        (
            "Den ausgefüllten Antrag müssen Sie persönlich abgeben oder mit der Post schicken.",
            {"partizip-attribut"},
        ),
        ("Die Abholung muss grundsätzlich persönlich erfolgen.", {"nominalstil", "amtsdeutsch"}),
    ]:
        report = lint(text)
        assert report.has_errors
        assert {rule for rule, _ in _rules(report)} == rules, text


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Die Auszahlung erfolgt monatlich.", "Auszahlung"),
        ("Wir nehmen die Beglaubigung vor.", "Beglaubigung"),
        ("Eine Bearbeitung ist nicht möglich.", "Bearbeitung"),
        ("Es gibt keine Ausnahmen von der Erfüllung der Voraussetzungen.", "Erfüllung"),
    ],
)
def test_nominal_style_that_carries_the_sentence_is_an_error(lint, text, flagged):
    assert ("nominalstil", flagged) in _rules(lint(text))


@pytest.mark.parametrize(
    "text",
    [
        "Die Beratung hilft Ihnen.",
        "Die Impfung ist kostenlos.",
        "Das ist nur unter bestimmten Voraussetzungen möglich.",
        "Wir brauchen Nahrung, Kleidung und eine Wohnung.",
    ],
)
def test_verbal_nouns_with_a_real_verb_or_a_real_predicate_pass(lint, text):
    assert "nominalstil" not in {f.rule for f in lint(text).findings}


def test_a_participle_in_a_verb_phrase_or_an_everyday_one_passes(lint):
    for text in (
        "Sie haben den Antrag ausgefüllt.",
        "Das Amt ist geschlossen.",
        "Sie suchen eine passende Wohnung.",
        "Bringen Sie die folgenden Papiere mit.",
    ):
        assert "partizip-attribut" not in {f.rule for f in lint(text).findings}, text


def test_a_very_rare_word_is_an_error_unless_the_glossary_explains_it(nlp, tmp_path: Path):
    glossary = tmp_path / "glossary.yml"
    glossary.write_text("- term: Urschrift\n  forms: [Urschriften]\n  explanation: Das Original.\n")
    lint_yml = tmp_path / "lint.yml"
    lint_yml.write_text("glossary: glossary.yml\n")
    text = "Bringen Sie die Urschriften mit."
    plain = check_text(text, config_from_mapping({}), nlp)
    assert _rules(plain) == [("seltenes-wort", "Urschriften")]
    assert check_text(text, load_config(lint_yml), nlp).findings == ()


def test_a_very_rare_word_is_reported_once(lint):
    report = lint("Bringen Sie die Urschriften mit.")
    assert [f.rule for f in report.findings] == ["seltenes-wort"]


def test_the_rare_word_threshold_is_configurable(nlp):
    strict = config_from_mapping({"rules": {"seltenes-wort": {"max_zipf": 5.0}}})
    assert "seltenes-wort" in {
        f.rule for f in check_text("Das Formular hilft.", strict, nlp).findings
    }


def test_the_countys_glossary_clears_its_words(config):
    assert {"arbeitslosengeld", "aufenthaltstitel"} <= config.glossary_words


def test_a_missing_glossary_is_a_clear_error(tmp_path: Path):
    lint_yml = tmp_path / "lint.yml"
    lint_yml.write_text("glossary: nowhere.yml\n")
    with pytest.raises(UserFacingError, match="glossary cannot be read"):
        load_config(lint_yml)


def test_the_state_passive_with_a_modal_verb_is_passive(lint):
    assert ("passiv", "müssen") in _rules(lint("Die Anforderungen müssen erfüllt sein."))
    assert "passiv" not in {f.rule for f in lint("Das Amt ist geschlossen.").findings}
