"""The audit log names the agent who booked or cancelled on the hotline, and nobody else."""

from __future__ import annotations

import logging

import pytest
from rasa_sdk import Tracker

from actions.audit import record, staff_of


def _tracker(channel: str, metadata: object) -> Tracker:
    user = {"event": "user", "text": "ja", "input_channel": channel, "metadata": metadata}
    return Tracker("hotline-case-1", {}, {"text": "ja"}, [user], False, None, {}, "action_listen")


@pytest.mark.parametrize(
    "channel, metadata, staff",
    [
        ("hotline", {"staff": "erika"}, "erika"),
        ("rest", {"staff": "erika"}, None),  # a citizen's chat cannot claim to be staff
        ("hotline", {}, None),
        ("hotline", {"staff": "erika\nforged line"}, None),
        ("hotline", None, None),
    ],
)
def test_the_agent_is_read_from_hotline_messages_only(channel, metadata, staff):
    assert staff_of(_tracker(channel, metadata)) == staff


def test_a_hotline_booking_is_logged_with_the_agent(caplog):
    with caplog.at_level(logging.INFO, logger="amtslotse.audit"):
        record(_tracker("hotline", {"staff": "erika"}), "booked", "AB12-CD34")
        record(_tracker("rest", None), "booked", "EF56-GH78")
    assert [r.getMessage() for r in caplog.records] == ["hotline: erika booked AB12-CD34"]
