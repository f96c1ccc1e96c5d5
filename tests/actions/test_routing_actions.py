"""Concern answers, follow-ups and the fallback, as short conversations."""

from __future__ import annotations

import pytest

from actions.concerns import ActionAnswerConcern
from actions.routing import ActionAnswerFollowup, ActionFallbackOptions


async def test_a_concern_gets_the_office_and_is_remembered(talk):
    c = talk()
    await c.run(ActionAnswerConcern(), "anliegen_wohngeld", text="Ich brauche Wohngeld")
    answer = c.custom("office_answer")[0]
    assert answer["office_id"] == "wohngeldstelle" and answer["bookable"]
    assert c.slots["service_id"] == "wohngeld"
    assert [i["service_id"] for i in c.custom("concern_list")[0]["items"]] == ["wohngeld"]


async def test_lost_job_asks_one_question_with_buttons(talk):
    c = talk()
    await c.run(ActionAnswerConcern(), "anliegen_job_verloren", text="Ich habe meinen Job verloren")
    clarify = c.custom("clarify")[0]
    assert clarify["candidates"] == ["extern_agentur_fuer_arbeit", "jobcenter"]
    assert "service_id" not in c.slots


async def test_an_office_entity_decides_bildung_und_teilhabe(talk):
    c = talk()
    await c.run(
        ActionAnswerConcern(),
        "anliegen_bildung_teilhabe",
        entities=[{"entity": "office_id", "value": "jobcenter"}],
    )
    assert c.custom("office_answer")[0]["office_id"] == "jobcenter"
    c = talk()
    await c.run(
        ActionAnswerConcern(),
        "anliegen_bildung_teilhabe",
        entities=[{"entity": "office_id", "value": "finanzamt"}],
    )
    assert c.custom("clarify")


async def test_a_follow_up_answers_for_the_concern_answered_last(talk):
    c = talk()
    await c.run(ActionAnswerConcern(), "anliegen_wohngeld", text="Wohngeld")
    await c.run(ActionAnswerFollowup(), "frage_unterlagen", text="Was muss ich mitbringen?")
    assert "Miet·vertrag" in c.text()


async def test_a_follow_up_covers_every_concern_on_the_list(talk):
    c = talk()
    await c.run(ActionAnswerConcern(), "anliegen_wohngeld", concerns=("wohngeld", "elterngeld"))
    await c.run(ActionAnswerFollowup(), "frage_unterlagen", text="Was muss ich mitbringen?")
    assert "Für Wohn·geld bringen Sie mit:" in c.text()
    assert "Für Eltern·geld bringen Sie mit:" in c.text()


async def test_a_follow_up_after_unclicked_buttons_answers_for_the_likeliest(talk):
    c = talk()
    await c.run(
        ActionFallbackOptions(),
        "nlu_fallback",
        text="ich brauch was wegen geld und wohnung",
        candidates=("wohngeld", "buergergeld_antrag", "sozialhilfe"),
    )
    await c.run(ActionAnswerFollowup(), "frage_unterlagen", text="was muss ich mitbringen")
    assert c.text().splitlines()[0] == "Ich meine: Wohn·geld."
    assert "Miet·vertrag" in c.text()


async def test_a_follow_up_without_any_concern_asks_for_one(talk):
    c = talk()
    await c.run(ActionAnswerFollowup(), "frage_ort", text="Wo ist das?")
    assert c.text().startswith("Um welches Anliegen geht es?") or c.text()


async def test_the_fallback_names_distinct_offices_each_once_never_null(talk):
    c = talk()
    await c.run(
        ActionFallbackOptions(),
        "nlu_fallback",
        text="Ich habe kein Geld mehr und keine Arbeit seit 2 Jahren",
        candidates=(
            "sozialhilfe",
            "grundsicherung_alter",
            "buergergeld_antrag",
            "arbeitslosengeld",
            "bestattungskosten",
        ),
    )
    clarify = c.custom("clarify")[0]
    assert clarify["candidates"] == ["sozialamt", "jobcenter", "extern_agentur_fuer_arbeit"]
    assert None not in clarify["candidates"]
    payloads = [b["payload"] for b in c.buttons()]
    assert payloads[:3] == [
        "/anliegen_sozialhilfe",
        "/anliegen_buergergeld_antrag",
        "/anliegen_arbeitslosengeld",
    ]
    await c.run(ActionFallbackOptions(), "nlu_fallback", text="hä", candidates=("rente",))
    assert "Bürger·telefon" in c.text() and not c.buttons()


async def test_an_unconfirmed_danger_guess_is_offered_first_among_the_buttons(talk):
    """The detector found no danger, the classifiers' likeliest guess was one: the citizen picks."""
    c = talk()
    await c.run(
        ActionFallbackOptions(),
        "nlu_fallback",
        text="Platzwunde beim Rodeln, heute schon wieder frech",
        candidates=("kinderschutz", "erziehungsberatung", "unterlagen_abgeben"),
    )
    payloads = [b["payload"] for b in c.buttons()]
    assert payloads[:3] == [
        "/anliegen_kinderschutz",
        "/anliegen_erziehungsberatung",
        "/anliegen_unterlagen_abgeben",
    ]
    clarify = c.custom("clarify")[0]
    assert len(clarify["candidates"]) == len(set(clarify["candidates"]))


async def test_danger_is_no_button_when_it_is_not_the_likeliest(talk):
    c = talk()
    await c.run(
        ActionFallbackOptions(),
        "nlu_fallback",
        text="kita platz geld",
        candidates=("kindertagespflege", "kinderschutz", "wohngeld"),
    )
    assert "/anliegen_kinderschutz" not in [b["payload"] for b in c.buttons()]


@pytest.mark.parametrize(
    "text", ["😀😀😀", "<script>alert(1)</script>", "{{7*7}}; DROP TABLE x;", "!!!???"]
)
async def test_no_words_markup_or_code_get_the_cannot_read_answer(talk, text):
    c = talk()
    await c.run(ActionFallbackOptions(), "nlu_fallback", text=text, candidates=("impfung",))
    assert c.text().splitlines()[:2] == [
        "Entschuldigung.",
        "Bitte schreiben Sie Ihre Frage in Worten.",
    ]
    assert not c.buttons() and not c.custom("clarify")
