"""End to end: portal → Rasa → action server → content, and the scheduling backend."""

from __future__ import annotations

import socket

import pytest

pytestmark = pytest.mark.integration


def _office_answers(messages: list[dict]) -> list[dict]:
    return [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == "office_answer"]


def test_wohngeld_question_through_the_portal_names_the_wohngeldstelle(assistant):
    messages = assistant.chat("Ich möchte Wohngeld beantragen")
    text = "\n".join(m.get("text", "") for m in messages)
    assert "Die Wohn·geld·stelle hilft Ihnen." in text
    [answer] = _office_answers(messages)
    assert answer["service_id"] == "wohngeld" and answer["office_id"] == "wohngeldstelle"
    assert answer["walk_in"] is False and answer["location"]["id"] == "skz"


def test_rasa_rest_channel_answers_the_same(assistant):
    status, messages = assistant.post(
        f"{assistant.settings.rasa_url}/webhooks/rest/webhook",
        {"sender": "integration-rest-1", "message": "Ich möchte Wohngeld beantragen"},
    )
    assert status == 200
    [answer] = _office_answers(messages)
    assert answer["office_id"] == "wohngeldstelle"


def test_follow_up_refers_to_the_concern_just_answered(assistant):
    sender = "integration-followup-1"
    assistant.chat("Ich möchte Wohngeld beantragen", sender=sender)
    messages = assistant.chat("Was muss ich mitbringen?", sender=sender)
    assert messages[0]["text"].splitlines()[0] == "Bitte bringen Sie mit:"


def test_the_answers_buttons_lead_to_the_details(assistant):
    """The first answer is short; its buttons send the follow-up questions (issue 18)."""
    sender = "integration-buttons-1"
    first = assistant.chat("Ich möchte Wohngeld beantragen", sender=sender)
    buttons = {b["title"]: b["payload"] for m in first for b in m.get("buttons") or []}
    assert buttons["Öffnungs·zeiten"] == "/frage_oeffnungszeiten"
    hours = assistant.chat(buttons["Öffnungs·zeiten"], sender=sender)
    assert "Dienstag: 8 Uhr bis 12 Uhr und 13 Uhr bis 18 Uhr." in hours[0]["text"].splitlines()
    documents = assistant.chat(buttons["Alle Unter·lagen"], sender=sender)
    assert documents[0]["text"].splitlines()[0] == "Bitte bringen Sie mit:"


def test_a_question_offers_dont_know_and_it_leads_on(assistant):
    sender = "integration-dont-know-1"
    question = assistant.chat("Ich habe meine Arbeit verloren", sender=sender)
    buttons = {b["title"]: b["payload"] for m in question for b in m.get("buttons") or []}
    assert "Ich meine etwas anderes." in buttons
    answer = assistant.chat(buttons["Ich weiß es nicht."], sender=sender)
    [office] = _office_answers(answer)
    assert office["office_id"] == "extern_agentur_fuer_arbeit"


def test_scheduling_backend_lists_the_services(assistant):
    status, body = assistant.get(f"{assistant.settings.scheduling_base_url}/api/v1/services")
    assert status == 200
    ids = {s["id"] for s in (body["services"] if isinstance(body, dict) else body)}
    assert "wohngeld" in ids and "buergergeld_antrag" in ids


def test_rasa_http_api_is_off(assistant):
    # Nothing uses it: the portal talks to the REST channels, the purge to the database.
    assert assistant.get(f"{assistant.settings.rasa_url}/status")[0] == 404
    assert assistant.get(f"{assistant.settings.rasa_url}/conversations/x/tracker")[0] == 404


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def test_only_the_portal_answers_on_the_public_address(assistant):
    s = assistant.settings
    assert s.public_host != s.host  # the fixture starts them on two loopback addresses
    assert _answers(s.public_host, s.portal_port)
    assert not _answers(s.host, s.portal_port)
    for port in (s.rasa_port, s.action_port, s.scheduling_port):
        assert _answers(s.host, port)
        assert not _answers(s.public_host, port), port


def test_portal_health_reports_all_four(assistant):
    status, body = assistant.get(f"{assistant.settings.portal_url}/healthz")
    assert status == 200 and body["status"] == "ok" and body["down"] == []
    assert body["checks"] == {
        "portal": True,
        "rasa": True,
        "actions": True,
        "lock_store": True,
        "tracker_store": True,
        "scheduling": True,
    }


def test_no_citizen_message_text_in_any_log(assistant):
    assistant.chat(
        "Mein Name ist Erika Mustermann, ich brauche Wohngeld", sender="integration-privacy"
    )
    assert "Mustermann" not in assistant.log.getvalue()


@pytest.mark.parametrize(
    "message",
    [
        "",
        "😀😀😀",
        "<script>alert('x')</script>",
        "Привет, как дела?",
        "Wohngeld " * 600,
    ],
)
def test_bad_input_gets_a_short_polite_answer_never_an_error(assistant, message):
    messages = assistant.chat(message, sender="integration-bad-input")
    texts = [m["text"] for m in messages if m.get("text")]
    assert texts, messages
    assert all(len(t.splitlines()) <= 20 for t in texts)
    assert not any("<script>" in t for t in texts)
