"""The routing actions with in-memory trackers: each test builds its own tracker."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.routing import ActionAnswerConcern, ActionAnswerFollowup, ActionFallbackOptions


def tracker(
    intent: str, *, slots: dict[str, Any] | None = None, entities=(), ranking=()
) -> Tracker:
    message = {
        "text": "Ich habe eine Frage",
        "intent": {"name": intent, "confidence": 0.9},
        "entities": list(entities),
        "intent_ranking": list(ranking),
    }
    return Tracker("test-user", slots or {}, message, [], False, None, {}, "action_listen")


async def run(action, t: Tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, {})
    return dispatcher.messages, events


def _custom(messages: list[dict]) -> dict:
    customs = [m["custom"] for m in messages if m.get("custom")]
    assert len(customs) == 1
    return customs[0]


async def test_concern_intent_answers_with_office_and_remembers_it():
    messages, events = await run(ActionAnswerConcern(), tracker("anliegen_wohngeld"))
    assert "Die Wohn·geld·stelle hilft Ihnen." in messages[0]["text"].splitlines()
    assert _custom(messages)["office_id"] == "wohngeldstelle"
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["service_id"] == "wohngeld" and slots["office_id"] == "wohngeldstelle"


async def test_lost_job_asks_one_question_with_buttons():
    messages, events = await run(ActionAnswerConcern(), tracker("anliegen_job_verloren"))
    assert _custom(messages)["type"] == "clarify"
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        "/anliegen_arbeitslosengeld",
        "/anliegen_buergergeld_antrag",
        "/anliegen_arbeitslosengeld",
        "/help",
    ]
    assert "Ich weiß es nicht." in [b["title"] for b in messages[0]["buttons"]]
    assert not [e for e in events if e.get("name") == "service_id"]


async def test_clarify_answer_with_office_entity_names_that_office():
    entity = {"entity": "office_id", "value": "jobcenter"}
    messages, _ = await run(
        ActionAnswerConcern(), tracker("anliegen_bildung_teilhabe", entities=[entity])
    )
    assert _custom(messages)["office_id"] == "jobcenter"


async def test_an_unknown_office_entity_is_ignored_and_the_question_asked():
    entity = {"entity": "office_id", "value": "finanzamt"}
    messages, _ = await run(
        ActionAnswerConcern(), tracker("anliegen_bildung_teilhabe", entities=[entity])
    )
    assert _custom(messages)["type"] == "clarify"


async def test_follow_up_uses_the_remembered_concern():
    messages, _ = await run(
        ActionAnswerFollowup(), tracker("frage_unterlagen", slots={"service_id": "wohngeld"})
    )
    assert messages[0]["text"].splitlines()[0] == "Bitte bringen Sie mit:"


async def test_follow_up_without_a_concern_asks_for_one():
    messages, _ = await run(ActionAnswerFollowup(), tracker("frage_ort"))
    assert messages[0]["text"].startswith("Worum geht es?")


async def test_fallback_offers_the_likeliest_concerns_then_the_hotline():
    ranking = [
        {"name": "nlu_fallback"},
        {"name": "anliegen_wohngeld"},
        {"name": "greet"},
        {"name": "anliegen_sozialhilfe"},
        {"name": "anliegen_rente"},
        {"name": "anliegen_kindergeld"},
    ]
    messages, events = await run(ActionFallbackOptions(), tracker("nlu_fallback", ranking=ranking))
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads == [
        "/anliegen_wohngeld",
        "/anliegen_sozialhilfe",
        "/anliegen_rente",
        "/out_of_scope",
    ]
    assert _custom(messages)["type"] == "clarify"
    count = next(e["value"] for e in events if e["name"] == "fallback_count")
    messages, _ = await run(
        ActionFallbackOptions(),
        tracker("nlu_fallback", ranking=ranking, slots={"fallback_count": count}),
    )
    assert "Bürger·telefon" in messages[0]["text"] and not messages[0].get("buttons")


async def test_emoji_only_gets_the_bad_input_answer_not_random_concerns():
    t = tracker("nlu_fallback", ranking=[{"name": "anliegen_rente"}])
    t.latest_message["text"] = "😀😀😀"
    messages, _ = await run(ActionFallbackOptions(), t)
    assert messages[0]["text"].splitlines()[:2] == [
        "Entschuldigung.",
        "Bitte schreiben Sie Ihre Frage in Worten.",
    ]
    assert not messages[0].get("buttons")
