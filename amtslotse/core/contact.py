"""The contact of a booking: a name plus exactly one of phone or e-mail.

One model for both sides. The scheduling backend validates a request with
the normalisers here (scheduling/domain/contact.py adds its field errors);
the chat checks the same way first, so that the bot can re-ask at once with
an explanation of the format instead of failing at the end. Phone numbers
become E.164, e-mail addresses their normalised form; no DNS lookup, since
neither process may need the network for it.

The name question takes any text (slot mapping ``from_text``), so
:func:`check_name` also turns away text that is plainly no name: questions,
sentences, "weiß nicht", a time wish, a button payload. It errs on the side
of real names: a word blocks only where it cannot be part of a name; words
that are rare names ("Wie", "Wo", "Das") block only as the first word, where
a German form answer ("Vorname Nachname") would never put them; weekday and
month words ("Freitag", "Sonntag", "Mai") are real surnames and pass.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

MAX_NAME_LENGTH = 100


MAX_PHONE_LENGTH = 40
MAX_EMAIL_LENGTH = 254


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str | None = None
    email: str | None = None

    def as_dict(self) -> dict[str, str]:
        """The ``contact`` object of ``POST /bookings``: the name plus its one channel."""
        out = {"name": self.name}
        if self.phone:
            out["phone"] = self.phone
        elif self.email:
            out["email"] = self.email
        return out


def tidy_name(raw: str) -> str:
    """NFC, one space between words."""
    return " ".join(unicodedata.normalize("NFC", raw).split())


def normalise_phone(raw: str) -> str | None:
    """A valid (German by default) phone number in E.164, or None."""
    if len(raw) > MAX_PHONE_LENGTH:
        return None
    try:
        number = phonenumbers.parse(raw, "DE")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str | None:
    """A valid e-mail address in its normalised form, or None (no DNS lookup)."""
    if len(raw) > MAX_EMAIL_LENGTH:
        return None
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


# Why the text at the name question is no name; decides the re-ask (replies.name_problem_reply).
NAME_PRIVACY = "privacy"  # a question why the name is needed / about the data
NAME_INVALID = "invalid"  # anything else that is no name

# More words are a sentence. Seven, not six: "Maria del Carmen de la Cruz López".
MAX_NAME_WORDS = 7

# Besides letters (and combining marks): what real names are written with.
# "Dr. Ali Hassan", "Jean-Luc d'Arcy", "N’Diaye", "Schulze, Thomas".
_NAME_SIGNS = frozenset(" -\u2010\u2011'\u2019\u02bc\u2018`\u00b4.,\u00b7")
_QUOTES = '"\u201e\u201c\u201d\u00ab\u00bb'
# Signs around a word that are no part of it ("Namen?" -> "namen").
_WORD_EDGES = ".;:!?()'\u2019\u02bc\u2018`\u00b4-" + _QUOTES

# Words are compared case-folded ("weiß" -> "weiss").
# A question about the privacy of the name: answered with why the name is needed.
_WHY_WORDS = frozenset(
    {"warum", "wieso", "weshalb", "weswegen", "wozu", "wofür", "wofuer", "why"}
    | {"datenschutz", "speichern", "gespeichert", "speichert", "data"}
)
_NAME_WORDS = frozenset({"name", "namen", "nachname", "nachnamen", "vorname", "vornamen"})
# Words that are never part of a name, wherever they stand. Not "weiß" ("weiss"):
# Weiß is a common surname; "ich weiß nicht" is caught by "ich" and "nicht".
_NEVER_IN_NAMES = frozenset(
    {
        # pronouns and verbs of a sentence ("ich weiß nicht", "brauche ich das?")
        "ich", "mich", "meinen", "meinem",
        "möchte", "möchten", "moechte", "moechten", "brauche", "brauchen", "braucht",
        "kann", "können", "koennen", "muss", "müssen", "muessen", "darf", "soll",
        "wissen", "habe", "haben", "ist", "sind", "gibt", "geht", "passiert",
        "verstehe", "verstehen",
        # answers that are no name
        "nicht", "nichts", "nein", "nee", "kein", "keine", "keinen", "ahnung", "egal",
        "doch", "vielleicht", "später", "bitte", "danke", "hallo", "okay", "frage", "hilfe",
        # the booking itself, a time wish, other contact details
        "termin", "termine", "am", "zum", "beim", "heute", "woche", "uhr",
        "vormittag", "nachmittag", "vormittags", "nachmittags", "andere", "anderen",
        "telefon", "nummer", "adresse", "email", "e-mail",
        *_NAME_WORDS,
    }
)  # fmt: skip
# Sentence starters that are rare names later in a name ("Michelle Wie", "Anjali Das").
_NEVER_FIRST = frozenset(
    {
        "was", "wie", "wo", "wann", "wer", "wen", "wem", "welche", "welcher", "welches",
        "welchen", "woher", "wohin", "womit", "worum", "what", "how",
        "ja", "und", "aber", "also", "oder", "dann", "jetzt", "gerne", "gern", "lieber",
        "das", "der", "es", "er", "sie", "wir", "ihr", "im",
    }
)  # fmt: skip
# Whole answers that are no name ("ok"; "Ok" alone is no full name either).
_NEVER_ALONE = frozenset({"ok", "hi", "hey", "moin", "servus", "jo", "yes", "no", "test"})

# Name parts written with a dot, kept at the end of a name.
_ABBREVIATIONS = frozenset({"dr", "prof", "jun", "jr", "sen", "sr"})

# "Mein Name ist Anna Müller", "Name: Anna Müller", "Ich heiße Anna": the name after it.
_INTRO = re.compile(
    r"^(?:mein\s+name\s+(?:ist|lautet)|mein\s+name|name\s+ist|name|ich\s+hei(?:ß|ss)e"
    r"|my\s+name\s+is)(?:\s*[:,]\s*|\s+)",
    re.IGNORECASE,
)
# "Ich bin Anna Müller", but not "Ich bin krank": only before a capital letter.
_INTRO_BIN = re.compile(r"^ich\s+bin\s+(?=[^\W\d_])", re.IGNORECASE)


@dataclass(frozen=True)
class NameCheck:
    """The tidy name, or None and why not (``NAME_PRIVACY`` or ``NAME_INVALID``)."""

    name: str | None
    problem: str | None = None


def _words(text: str) -> list[str]:
    """Case-folded words, split at spaces and commas; hyphenated names stay one word."""
    keys = (w.strip(_WORD_EDGES).casefold() for w in re.split(r"[\s,]+", text))
    return [w for w in keys if w]


def _without_intro(name: str) -> str:
    match = _INTRO.match(name)
    if match:
        return name[match.end() :]
    match = _INTRO_BIN.match(name)
    if match and name[match.end()].isupper():
        return name[match.end() :]
    return name


def _without_full_stop(name: str) -> str:
    """ "Peter Wagner." -> "Peter Wagner"; an initial or "Dr.", "jun." keeps its dot."""
    last = name.rsplit(" ", 1)[-1].rstrip(".").casefold()
    if not name.endswith(".") or len(last) < 2 or last in _ABBREVIATIONS:
        return name
    return name[:-1].rstrip()


def check_name(text: str) -> NameCheck:
    """The name with tidy spaces, or why the text is no plausible name."""
    name = tidy_name(text).strip(_QUOTES).strip()
    invalid = NameCheck(None, NAME_INVALID)
    if not name or len(name) > MAX_NAME_LENGTH:
        return invalid
    words = _words(name)
    asks = "?" in name and any(w in _NAME_WORDS for w in words)
    if asks or any(w in _WHY_WORDS or w.startswith("daten") or w.endswith("daten") for w in words):
        return NameCheck(None, NAME_PRIVACY)
    name = _without_full_stop(_without_intro(name).strip())
    if sum(ch.isalpha() for ch in name) < 2:
        return invalid
    if any(
        not (ch.isalpha() or unicodedata.category(ch).startswith("M")) and ch not in _NAME_SIGNS
        for ch in name
    ):
        return invalid  # digits, "@", "?", "/" of a button payload, control characters, emoji
    words = _words(name)
    if (
        len(words) > MAX_NAME_WORDS
        or any(w in _NEVER_IN_NAMES for w in words)
        or words[0] in _NEVER_FIRST
        or (len(words) == 1 and words[0] in _NEVER_ALONE)
    ):
        return invalid
    return NameCheck(name)


def clean_name(text: str) -> str | None:
    """The name with tidy spaces, or None if it is no plausible name."""
    return check_name(text).name


def clean_contact(text: str) -> str | None:
    """A German phone number in E.164 or a normalised e-mail address, or None."""
    raw = text.strip()
    return normalise_email(raw) if "@" in raw else normalise_phone(raw)


def contact_for(name: str, value: str) -> Contact:
    """The contact from the two validated slot values."""
    if "@" in value:
        return Contact(name, email=value)
    return Contact(name, phone=value)
