"""Full stack: a booking managed with its code and PIN, through the REST channel.

Each test is real conversations with the real processes (Rasa, the action
server, the backend): one books, another one, fresh, finds the booking by
code and PIN (as on another PC, or a day later). Wrong PINs are counted by
the backend, per code and per conversation.
"""

from __future__ import annotations

import pytest

from tests.integration.test_conversations import Chat, _schedule

pytestmark = pytest.mark.integration


def _booked(assistant) -> tuple[Chat, dict]:  # type: ignore[no-untyped-def]
    c = Chat(assistant)
    c.say("Ich brauche einen Termin für Wohngeld")
    if c.custom("booking_offer") is None:  # the answer first, then a button for times
        c.press("Termin")
    confirmed = c.book_first()
    pin = confirmed["pin"]
    assert len(pin) == 6 and pin.isdigit()
    assert f"Geheim·zahl: {pin}." in c.text()
    return c, confirmed


def _codes_on(assistant, confirmed: dict) -> set[str]:  # type: ignore[no-untyped-def]
    day = confirmed["legs"][0]["start"][:10]
    return {leg["booking_code"] for leg in _schedule(assistant, "wohngeldstelle", day)}


def _wrong(pin: str) -> str:
    return f"{(int(pin) + 1) % 1_000_000:06d}"


def test_code_and_pin_from_a_fresh_conversation_cancel(assistant):
    _, confirmed = _booked(assistant)
    code, pin = confirmed["booking_code"], confirmed["pin"]
    other = Chat(assistant)  # another sender id: nothing of the booking in it
    other.say("Termin absagen")
    assert "Termin·nummer" in other.text() and not other.custom("booking_cancelled")
    other.say(code)
    assert "Geheim·zahl" in other.text()
    other.say(pin)
    assert "Möchten Sie diesen Termin absagen?" in other.text()
    assert code in _codes_on(assistant, confirmed)  # shown, not cancelled
    other.say("Ja")
    assert other.custom("booking_cancelled")["booking_code"] == code
    assert code not in _codes_on(assistant, confirmed)


def test_a_fresh_conversation_that_says_no_keeps_the_booking(assistant):
    _, confirmed = _booked(assistant)
    code, pin = confirmed["booking_code"], confirmed["pin"]
    other = Chat(assistant)
    other.say(f"Ich möchte den Termin {code} absagen")  # the code typed right away
    assert "Geheim·zahl" in other.text()
    other.say(pin)
    assert "Möchten Sie diesen Termin absagen?" in other.text()
    other.say("Nein")
    assert "Ihr Termin bleibt" in other.text() and not other.custom("booking_cancelled")
    assert code in _codes_on(assistant, confirmed)


def test_five_wrong_pins_lock_the_code(assistant):
    _, confirmed = _booked(assistant)
    code, pin = confirmed["booking_code"], confirmed["pin"]
    guesser = Chat(assistant)
    for attempt in range(6):
        guesser.say("Termin absagen")
        guesser.say(code)
        # Four wrong PINs are "not found"; the 5th locks; the 6th, even the right PIN, is refused.
        guesser.say(pin if attempt == 5 else _wrong(pin))
        if attempt < 4:
            assert "Ich finde diesen Termin nicht." in guesser.text(), guesser.messages
        else:
            assert "Zu viele falsche Versuche." in guesser.text(), guesser.messages
            assert "Bitte warten Sie 15 Minuten." in guesser.text()
        assert "Möchten Sie diesen Termin absagen?" not in guesser.text()
    assert code in _codes_on(assistant, confirmed)


def test_rebooking_keeps_the_old_booking_until_the_new_one_stands(assistant):
    c, old = _booked(assistant)
    old_code = old["booking_code"]
    c.say("Ich kann an dem Tag nicht, geht Donnerstag?")
    assert "Ihr alter Termin bleibt, bis der neue gebucht ist." in c.text(), c.messages
    offer = c.custom("booking_offer")
    assert offer is not None, c.messages
    assert old_code in _codes_on(assistant, old)  # times offered: the old one stands
    new = c.book_first()
    assert new["booking_code"] != old_code
    assert "Ihr alter Termin ist jetzt abgesagt." in c.text()
    assert old_code not in _codes_on(assistant, old)
    assert new["booking_code"] in _codes_on(assistant, new)
