"""Per client: new conversations per hour, and chosen times within one hold lifetime."""

from __future__ import annotations

import json

from amtslotse.portal.app import create_app
from amtslotse.portal.caps import NewConversations, SlidingWindow

CHOOSE = '/termin_waehlen{"bundle_id": "b1"}'


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_sliding_window_forgets_events_older_than_it():
    clock = Clock()
    window = SlidingWindow(2, 600, clock)
    assert window.allow("a") and window.allow("a") and not window.allow("a")
    assert window.allow("b")  # per key
    clock.now += 599
    assert not window.allow("a")
    clock.now += 1
    assert window.allow("a")


def test_a_sliding_window_stays_bounded():
    window = SlidingWindow(1, 600, Clock(), max_keys=3)
    for key in "abcde":
        window.allow(key)
    assert len(window._events) == 3


def test_known_conversations_go_on_and_new_ones_are_capped_per_hour():
    clock = Clock()
    gate = NewConversations(2, clock)
    assert gate.allow("client", "s1") and gate.allow("client", "s2")
    assert not gate.allow("client", "s3")
    assert gate.allow("client", "s1") and gate.allow("client", "s2")  # going on is fine
    assert gate.allow("other", "s3")  # another client
    clock.now += 3600
    assert gate.allow("client", "s3")  # an hour later: a new one again


async def _chat(client, sender: str, message: str = "Hallo", address: str = "") -> tuple[int, str]:
    headers = {"X-Forwarded-For": address} if address else {}
    response = await client.post(
        "/api/chat", json={"sender": sender, "message": message}, headers=headers
    )
    body = await response.json()
    return response.status, body.get("detail", "") if isinstance(body, dict) else ""


async def test_one_client_cannot_start_conversations_without_end(
    aiohttp_client, fake_rasa, settings_for
):
    settings = settings_for(
        fake_rasa.port, chat_new_conversations_per_hour=3, trusted_proxies=("127.0.0.1/32",)
    )
    client = await aiohttp_client(create_app(settings))
    statuses = [
        (await _chat(client, f"sender-{i:04d}", address="203.0.113.1"))[0] for i in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    status, detail = await _chat(client, "sender-0099", address="203.0.113.1")
    assert status == 429 and detail.endswith("Bitte warten Sie 1 Stunde.")
    assert (await _chat(client, "sender-0000", address="203.0.113.1"))[0] == 200
    assert (await _chat(client, "sender-0099", address="203.0.113.2"))[0] == 200
    assert len(fake_rasa.seen) == 5  # the refused ones never reached Rasa


async def test_chosen_times_are_capped_per_client_within_a_hold_lifetime(
    aiohttp_client, fake_rasa, settings_for
):
    settings = settings_for(fake_rasa.port, chat_holds_per_client=2)
    client = await aiohttp_client(create_app(settings))
    # Spread over conversations, as an attacker would: the cap is per client.
    results = [await _chat(client, f"chooser-{i:04d}", CHOOSE) for i in range(3)]
    assert [status for status, _ in results] == [200, 200, 429]
    assert results[2][1] == "Sie haben schon oft eine Zeit gewählt. Bitte warten Sie 10 Minuten."
    # Everything else goes on.
    assert (await _chat(client, "chooser-0000", "Andere Zeiten"))[0] == 200
    assert [json.loads(s["message"][len("/termin_waehlen") :]) for s in fake_rasa.seen[:2]] == [
        {"bundle_id": "b1"}
    ] * 2
