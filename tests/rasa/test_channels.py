"""The chat channel finds a turn that was answered before (sent again after a failover)."""

from __future__ import annotations

from rasa.shared.core.events import ActionExecuted, BotUttered, UserUtteranceReverted, UserUttered

from amtslotse.rasa.channels import earlier_answer


def _conversation() -> list:
    return [
        ActionExecuted("action_listen"),
        UserUttered("Hallo", message_id="turn-1"),
        BotUttered("Guten Tag!"),
        ActionExecuted("action_listen"),
        UserUttered("Wohngeld", message_id="turn-2"),
        BotUttered("Zuständig ist: Wohngeld·stelle."),
        BotUttered("Möchten Sie einen Termin?"),
        ActionExecuted("action_listen"),
        # turn-3 failed (no answer) and was reverted: it is run again.
        UserUttered("Ja", message_id="turn-3"),
        UserUtteranceReverted(),
    ]


def test_an_answered_turn_is_found_with_all_its_messages():
    answer = earlier_answer(_conversation(), "turn-2")
    assert [b.text for b in answer or []] == [
        "Zuständig ist: Wohngeld·stelle.",
        "Möchten Sie einen Termin?",
    ]
    assert [b.text for b in earlier_answer(_conversation(), "turn-1") or []] == ["Guten Tag!"]


def test_a_turn_not_seen_or_not_answered_is_run():
    assert earlier_answer(_conversation(), "turn-3") is None
    assert earlier_answer(_conversation(), "turn-9") is None
    assert earlier_answer([], "turn-1") is None
