"""Removing personal data from what citizens typed, before anything of it is stored.

The editors' inbox keeps messages the bot did not understand and the ones
after which a citizen said "Nein, das hat nicht geholfen" (30 days). Those
are stored only as :func:`scrub` returns them: each phone number, e-mail
address, name, booking code, PIN, address, date (of birth), bank account and
long number is replaced by a placeholder that says what stood there::

    >>> scrub("Ich heiße Erika Mustermann, Tel. 0171 2345678").text
    'Ich heiße [Name], Tel. [Telefon]'

Each kind has one small detector (a function returning spans). They run in
this order, and a later one never touches what an earlier one claimed:

1. e-mail addresses (also "erika (at) web.de"),
2. bank accounts (IBAN),
3. booking codes (``K7M4-PQ2X``, or 8 characters after "Termin·nummer"/"Code"),
4. dates: day.month.year, ISO dates, "12. März 1985", and any day or year
   after "geboren", "Geburtstag", "Jahrgang",
5. phone numbers: phonenumbers' matcher (leniency POSSIBLE, so "0151 2345678"
   is scrubbed even where it is not a valid number), then +49/0049 and
   area-code shapes it leaves,
6. PINs and passwords after their cue word,
7. addresses: a street with its number ("Hauptstraße 5", "Am Markt 3"),
   a postcode with its town, a street after "wohne in",
8. long numbers: 5 digits or more (file numbers, customer numbers), and
   words mixing letters and 4 or more digits; amounts in Euro stay,
9. names: after a cue ("ich heiße", "mein Name ist", "Frau", "Herr",
   "Familie", "Grüße"), a known first name (amtslotse.core.first_names) and
   the capitalised word after it, and a first name after "mein Sohn",
   "meine Tochter" and the like.

Pure; phonenumbers is the one library it calls.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import phonenumbers

from amtslotse.core.first_names import FIRST_NAMES

__all__ = ["PLACEHOLDERS", "Scrubbed", "scrub", "MAX_CHARS"]

#: What replaces each kind of personal data.
PLACEHOLDERS = {
    "email": "[E-Mail]",
    "iban": "[Konto]",
    "code": "[Termin·nummer]",
    "date": "[Datum]",
    "phone": "[Telefon]",
    "pin": "[PIN]",
    "address": "[Adresse]",
    "number": "[Nummer]",
    "name": "[Name]",
}
#: A stored message is cut after this many characters (after scrubbing).
MAX_CHARS = 500

_UPPER = "A-ZÄÖÜÀ-ÖØ-ÞŞÇĞİŁŚŻŹĆŃŽČŘŠĐ"
_LOWER = "a-zäöüßà-öø-ÿşçğıłśżźćńžčřšđ"
_WORD = r"[A-Za-zÄÖÜäöüß]"
_CAP = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_MONTHS = (
    "Januar|Jänner|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|"
    "November|Dezember|Jan|Feb|Mär|Apr|Jun|Jul|Aug|Sep|Sept|Okt|Nov|Dez"
)


@dataclass(frozen=True)
class Scrubbed:
    """The text with placeholders, and which kinds were removed (never the values)."""

    text: str
    removed: tuple[str, ...]


Span = tuple[int, int]
Detector = Callable[[str], Iterator[Span]]


def _spans(pattern: re.Pattern[str], text: str, group: int = 0) -> Iterator[Span]:
    for match in pattern.finditer(text):
        if match.group(group):
            yield match.start(group), match.end(group)


_EMAIL = re.compile(
    r"[\w.+%-]+\s?(?:@|\(at\)|\[at\]|\sat\s)\s?[\w-]+(?:\s?(?:\.|\(dot\)|\[dot\])\s?[\w-]+)+",
    re.I,
)


def emails(text: str) -> Iterator[Span]:
    """``erika.muster@web.de``, ``erika (at) web (dot) de``."""
    return _spans(_EMAIL, text)


_IBAN = re.compile(r"\b[A-Z]{2}\s?\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,3})?\b", re.I)


def ibans(text: str) -> Iterator[Span]:
    """``DE89 3704 0044 0532 0130 00`` (any country, spaced or not)."""
    for start, end in _spans(_IBAN, text):
        if sum(c.isdigit() for c in text[start:end]) >= 12:
            yield start, end


_CODE_CHAR = "[2-9A-HJKMNP-Za-hjkmnp-z]"
_CODE = re.compile(rf"(?<![\w-]){_CODE_CHAR}{{4}}[ -]{_CODE_CHAR}{{4}}(?![\w-])")
_CODE_CUE = re.compile(
    rf"(?:termin·?nummer|buchungs·?nummer|buchungs·?code|code|vorgangs·?nummer)\W{{0,3}}"
    rf"(?:(?:ist|lautet|war)\W{{1,3}})?((?:{_CODE_CHAR}[ -]?){{7}}{_CODE_CHAR})(?!\w)",
    re.I,
)
_CODE_WORD = re.compile(rf"(?<![\w-])(?=\w*\d)(?=\w*[A-Za-z]){_CODE_CHAR}{{8}}(?![\w-])")


def booking_codes(text: str) -> Iterator[Span]:
    """``K7M4-PQ2X``, ``k7m4 pq2x``, ``K7M4PQ2X``, and 8 code characters after "Code"."""
    yield from _spans(_CODE_CUE, text, 1)
    for start, end in _spans(_CODE, text):
        if any(c.isdigit() for c in text[start:end]):
            yield start, end
    yield from _spans(_CODE_WORD, text)


_DATES = [
    re.compile(r"(?<![\d.])\d{1,2}\s?\.\s?\d{1,2}\s?\.\s?(?:19|20)?\d{2}(?![\d.]\d)"),
    re.compile(r"(?<!\d)(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?!\d)"),
    re.compile(r"(?<!\d)\d{1,2}/\d{1,2}/(?:19|20)?\d{2}(?!\d)"),
    re.compile(rf"(?<!\d)\d{{1,2}}\.?\s?(?:{_MONTHS})\.?\s(?:19|20)?\d{{2}}(?!\d)", re.I),
]
_BIRTH = re.compile(
    rf"(?:geboren|geb\.|geburtstag|geburts·?datum|jahrgang|jg\.)\W{{0,3}}(?:am|im|ist|war|:)?\s*"
    rf"((?:\d{{1,2}}\s?\.\s?(?:\d{{1,2}}\s?\.?|(?:{_MONTHS})\.?)\s?(?:(?:19|20)?\d{{2}})?)"
    rf"|(?:19|20)\d{{2}}|\d{{2}}(?!\d))",
    re.I,
)


def dates(text: str) -> Iterator[Span]:
    """``12.03.1985``, ``1985-03-12``, ``12. März 1985``, ``geboren am 3.4.``, ``Jahrgang 1961``."""
    for pattern in _DATES:
        yield from _spans(pattern, text)
    yield from _spans(_BIRTH, text, 1)


_PHONE_SHAPES = [
    re.compile(r"(?:\+|\b00)\s?\d{1,3}[\s/()-]*(?:\d[\s/()-]*){6,13}\d"),
    re.compile(r"(?<![\d.])0\d{2,5}(?:\s?[/-]\s?|\s)?\d(?:[\s-]?\d){3,9}(?![\d.]\d)"),
]


def _phone_like(text: str, start: int, raw: str) -> bool:
    """A number dialled in Germany starts with 0, 00 or +, and stands alone as a word
    (not "14" in "ab 14 Uhr", not the digits inside "12345BG0012345")."""
    if start and text[start - 1].isalnum():
        return False
    return raw.lstrip("( ").startswith(("0", "+")) and sum(c.isdigit() for c in raw) >= 6


def phones(text: str) -> Iterator[Span]:
    """``0171 2345678``, ``+49 (0)3496 123-456``, ``0151 2345678`` (possible, if not valid)."""
    for match in phonenumbers.PhoneNumberMatcher(
        text, "DE", leniency=phonenumbers.Leniency.POSSIBLE, max_tries=200
    ):
        if _phone_like(text, match.start, match.raw_string):
            yield match.start, match.end
    for pattern in _PHONE_SHAPES:
        for start, end in _spans(pattern, text):
            if _phone_like(text, start, text[start:end]):
                yield start, end


_PIN = re.compile(
    r"\b(?:pin|geheim·?zahl|geheim·?nummer|kenn·?wort|pass·?wort|passwort|zugangs·?code)\b"
    r"\W{0,3}(?:(?:ist|lautet|war|heißt|heisst)\W{1,3})?((?:\d[\s-]?){3,11}\d|[^\s,.;!?]{4,})",
    re.I,
)


def pins(text: str) -> Iterator[Span]:
    """The value after "PIN", "Geheimzahl", "Passwort": ``PIN 482 913`` → ``PIN [PIN]``."""
    return _spans(_PIN, text, 1)


_STREET_END = (
    r"(?i:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|chaussee|steig|pfad|"
    r"markt|hof|berg|graben|winkel|stieg|siedlung|anger|promenade|zeile)"
)
_HOUSE = r"\s?\d{1,4}\s?[a-hA-H]?(?:\s?[-/]\s?\d{1,4}[a-h]?)?(?!\d)"
_ADDRESSES = [
    # "Am Markt 3", "An der Kirche 5a", "Zur Mühle 2"
    re.compile(
        rf"\b(?:Am|An\sder|An\sden|Auf\sdem|Auf\sder|Im|In\sder|In\sden|Zum|Zur|Unter\sden|"
        rf"Hinter\sdem|Hinter\sder|Vor\sdem|Alte[rs]?|Neue[rs]?)\s{_CAP}{_HOUSE}"
    ),
    # "Hauptstraße 5", "Röhrenstr. 33a", "Breite Straße 4", "Straße der Einheit 12"
    re.compile(
        rf"\b(?:[{_UPPER}][a-zäöüß]+(?:e|er|es)\s)?[{_UPPER}]?[\wäöüß-]*{_STREET_END}{_HOUSE}"
    ),
    re.compile(rf"\b(?:Straße|Platz|Allee|Weg)\s(?:der|des|am|an\sder|zum|zur)\s{_CAP}{_HOUSE}"),
    # "06749 Bitterfeld-Wolfen"
    re.compile(rf"(?<!\d)\d{{5}}\s{_CAP}(?:\s?-\s?{_CAP})?"),
    # "ich wohne in der Hauptstraße" (no number)
    re.compile(
        rf"\b(?:wohne|wohnen|wohnt|wohnhaft|Wohnung|Adresse)\b[^.!?\n]{{0,20}}?"
        rf"\b(\w*{_STREET_END})(?!\w)",
        re.I,
    ),
]


def addresses(text: str) -> Iterator[Span]:
    """A street with its number, a postcode with its town, a street after "wohne"."""
    for i, pattern in enumerate(_ADDRESSES):
        yield from _spans(pattern, text, 1 if i == len(_ADDRESSES) - 1 else 0)


_PENSION_NUMBER = re.compile(r"(?<!\w)\d{2}\s?\d{6}\s?[A-Za-z]\s?\d{3}(?!\w)")
_LONG_NUMBER = re.compile(r"(?<![\w.,])\d(?:[\s./-]?\d){4,}(?![\w])")
_MIXED = re.compile(r"(?<![\w-])(?=(?:[\w-]*\d){4})(?=[\w-]*[A-Za-z])[\w-]{5,}(?![\w-])")
_AMOUNT = re.compile(r"^\s?(?:€|euro|eur\b)", re.I)


def numbers(text: str) -> Iterator[Span]:
    """``12345``, ``65 170839 J 003``, ``BG-12345``; ``12.000 Euro`` stays."""
    yield from _spans(_PENSION_NUMBER, text)
    for start, end in _spans(_LONG_NUMBER, text):
        if not _AMOUNT.match(text[end:]):
            yield start, end
    yield from _spans(_MIXED, text)


# Words after a name cue that are no part of the name.
_NOT_NAME_WORDS = """ich und oder aber mit aus in im am an von vom bei für und brauche
    brauchen möchte
    will habe hab hat bin ist war wohne wohnen komme suche frage bitte wegen weil da
    denn danke hallo guten tag morgen abend der die das den dem des ein eine einen
    einem einer es er sie wir ihr mein meine meinen meinem meiner kann könnte würde
    hätte wäre muss soll darf mir mich uns zu zum zur nicht kein keine auch noch schon
    jetzt heute hier dort so"""
_NOT_NAME = frozenset(_NOT_NAME_WORDS.split())
_NAME_CUE = re.compile(
    r"\b(?:ich\s+heiße|ich\s+heisse|ich\s+heiß|mein\s+name\s+ist|mein\s+name\s+lautet|"
    r"mein\s+name|name\s*:|unterschrift\s*:|hier\s+ist|hier\s+spricht|am\s+telefon\s+ist|"
    r"ich\s+bin\s+(?:der|die|frau|herr)|"
    r"(?:mann|frau|sohn|tochter|kind|mutter|vater|partner|partnerin)\s+hei(?:ß|ss)t)\s+",
    re.I,
)
_TITLE_CUE = re.compile(
    rf"\b(?:Frau|Herrn?|Familie|Fam\.|Dr\.|Prof\.|Hr\.|Fr\.)\s+((?:Dr\.\s)?(?:(?:von|van|de|al|el)\s)?{_CAP}"
    rf"(?:\s(?:{_CAP}))?)"
)
_GREETING = re.compile(
    rf"\b(?:Grüße|Grüßen|Gruß|Grüsse|Gruss|LG|VG|MfG|Mit\sfreundlichen\sGrüßen|Danke)\W{{0,3}}\s"
    rf"({_CAP}(?:\s{_CAP})?)\W*$"
)
_RELATIVES = (
    r"(?:Sohn|Tochter|Mann|Frau|Kind|Kinder|Bruder|Schwester|Mutter|Vater|Oma|Opa|Enkel|"
    r"Enkelin|Partner|Partnerin|Freund|Freundin|Nachbar|Nachbarin|Ehemann|Ehefrau|Mama|Papa)"
)
_RELATIVE = re.compile(rf"\b(?:mein|meine|meinem|meiner|meinen|unser|unsere)\s{_RELATIVES}\s")
_CAPITAL_WORD = re.compile(rf"\b{_CAP}\b")
_NEXT_WORD = re.compile(rf"\s*({_WORD}[\wäöüß-]*)")


def _cued_words(text: str, start: int) -> Span | None:
    """Up to 3 words from ``start`` that are no function words: the name after a cue."""
    end = at = start
    for _ in range(3):
        match = _NEXT_WORD.match(text, at)
        if match is None or match.group(1).lower() in _NOT_NAME:
            break
        end = at = match.end()
    return (start, end) if end > start else None


def names(text: str) -> Iterator[Span]:
    """After "ich heiße", "Frau", "Familie", "Grüße"; known first names and what follows."""
    for match in _NAME_CUE.finditer(text):
        span = _cued_words(text, match.end())
        if span is not None:
            yield span
    yield from _spans(_TITLE_CUE, text, 1)
    yield from _spans(_GREETING, text, 1)
    for match in _RELATIVE.finditer(text):
        word = _CAPITAL_WORD.match(text, match.end())
        if word and word.group(0).split("-")[0] in FIRST_NAMES:
            yield word.start(), word.end()
    for match in _CAPITAL_WORD.finditer(text):
        if match.group(0).split("-")[0] not in FIRST_NAMES:
            continue
        end = match.end()
        surname = re.match(rf"\s({_CAP})\b", text[end:])
        if surname and surname.group(1).lower() not in _NOT_NAME:
            end += surname.end()
        yield match.start(), end


#: The detectors, in the order they claim text (see the module docstring).
DETECTORS: tuple[tuple[str, Detector], ...] = (
    ("email", emails),
    ("iban", ibans),
    ("code", booking_codes),
    ("date", dates),
    ("pin", pins),
    ("phone", phones),
    ("address", addresses),
    ("number", numbers),
    ("name", names),
)


def scrub(text: str) -> Scrubbed:
    """``text`` without personal data; the kinds removed in the order they stood."""
    text = " ".join(text.split())
    claimed: list[tuple[int, int, str]] = []
    for kind, detector in DETECTORS:
        for start, end in detector(text):
            while end > start and text[end - 1] in " -/":
                end -= 1
            if end <= start:
                continue
            if any(start < b and a < end for a, b, _ in claimed):
                continue
            claimed.append((start, end, kind))
    claimed.sort()
    out, at = [], 0
    for start, end, kind in claimed:
        out.append(text[at:start])
        out.append(PLACEHOLDERS[kind])
        at = end
    out.append(text[at:])
    cleaned = "".join(out)
    if len(cleaned) > MAX_CHARS:
        cleaned = cleaned[: MAX_CHARS - 1].rstrip() + "…"
    return Scrubbed(cleaned, tuple(kind for _, _, kind in claimed))
