"""The hotline channel: the agent's account from the portal reaches Rasa as message metadata."""

from __future__ import annotations

import json
from types import SimpleNamespace

from rasa.core.channels.channel import UserMessage

from amtslotse.rasa.channels import HotlineInput


def _webhook(channel: HotlineInput, seen: list[UserMessage]):
    # The channel runs the turn itself (under the conversation's lock); here the
    # turn only notes the message Rasa would process and answers.
    async def run_turn(agent: object, message: UserMessage, resent: bool) -> None:
        seen.append(message)
        await message.output_channel.send_text_message(message.sender_id, "Sagen Sie: Hallo.")

    channel.run_turn = run_turn  # type: ignore[method-assign]
    blueprint = channel.blueprint(lambda message: None)  # type: ignore[arg-type,return-value]
    [route] = [r for r in blueprint._future_routes if r.uri == "/webhook"]
    return route.handler


def _request(body: dict) -> SimpleNamespace:
    return SimpleNamespace(json=body, app=SimpleNamespace(ctx=SimpleNamespace(agent=None)))


async def test_the_hotline_channel_keeps_the_metadata_of_the_message():
    seen: list[UserMessage] = []
    receive = _webhook(HotlineInput(), seen)
    request = _request(
        {"sender": "hotline-case-0001", "message": "Wohngeld", "metadata": {"staff": "erika"}}
    )
    response = await receive(request)
    [message] = seen
    assert message.metadata == {"staff": "erika"}
    assert (message.sender_id, message.text, message.input_channel) == (
        "hotline-case-0001",
        "Wohngeld",
        "hotline",
    )
    assert json.loads(response.body)[0]["text"] == "Sagen Sie: Hallo."


async def test_metadata_that_is_no_object_is_dropped():
    seen: list[UserMessage] = []
    receive = _webhook(HotlineInput(), seen)
    for metadata in (None, "erika", ["staff"]):
        await receive(_request({"sender": "hotline-x", "message": "x", "metadata": metadata}))
    assert [m.metadata for m in seen] == [None, None, None]
