"""The hotline channel: the agent's account from the portal reaches Rasa as message metadata."""

from __future__ import annotations

import json
from types import SimpleNamespace

from rasa.core.channels.channel import UserMessage

from amtslotse.rasa.channels import HotlineInput


def _webhook(channel: HotlineInput, seen: list[UserMessage]):
    async def on_new_message(message: UserMessage) -> None:
        seen.append(message)
        await message.output_channel.send_text_message(message.sender_id, "Sagen Sie: Hallo.")

    blueprint = channel.blueprint(on_new_message)
    [route] = [r for r in blueprint._future_routes if r.uri == "/webhook"]
    return route.handler


async def test_the_hotline_channel_keeps_the_metadata_of_the_message():
    seen: list[UserMessage] = []
    receive = _webhook(HotlineInput(), seen)
    request = SimpleNamespace(
        json={"sender": "hotline-case-0001", "message": "Wohngeld", "metadata": {"staff": "erika"}}
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
        await receive(
            SimpleNamespace(json={"sender": "hotline-x", "message": "x", "metadata": metadata})
        )
    assert [m.metadata for m in seen] == [None, None, None]
