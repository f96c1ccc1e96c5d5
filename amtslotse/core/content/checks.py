"""Editorial checks of the content that the Leichte Sprache checker cannot make.

``editorial_checks(cat, today)`` returns what `amtslotse content check`
reports besides the language findings, each with the file and line to fix:

- ``quelle-fehlt`` (error): a service names no source (``sources:``), the
  official page or law its facts were checked against.
- ``quelle-alt`` (warning): a service's source was checked longer ago than
  ``content_check.source_max_age_days`` (county.yml, default 365), or the
  check date lies in the future.
- ``knopf-zu-lang`` (error): a button label is longer than the widget shows
  on about 2 lines of a small phone (``content_check.button_max_chars``,
  default 48). Labels are never cut; the editor shortens them.
- ``ich-weiss-es-nicht`` (error): a question offers no "Ich weiß es nicht."
  answer. People who do not know must be able to say so.
- ``glossar-fehlt`` (error): a service's ``hard_words`` entry matches no
  ``term`` of glossary.yml, so "Einfacher erklären" would leave the word
  unexplained. The message suggests the term it is close to.
- ``bewertung-offen`` (warning): a service's review is open (``score: null``
  or no ``review:``): a second person has yet to score its answers (REVIEW.md).

Pure: the caller passes today's date.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from amtslotse.core.content.model import DONT_KNOW, Catalogue, Clarification

__all__ = ["Check", "BUTTON_PHRASES", "editorial_checks"]

#: Sentence frames of answers.yml that are button labels.
BUTTON_PHRASES = (
    "button_book",
    "button_hours",
    "button_documents",
    "button_place",
    "button_simpler",
    "button_contact",
    "clarify_other",
    "fallback_other",
    "booking_button_yes",
    "booking_button_other_times",
    "booking_button_next",
    "booking_button_new",
    "booking_button_retry",
    "booking_button_privacy_yes",
    "booking_button_privacy_no",
)


@dataclass(frozen=True)
class Check:
    where: str  # "services/wohngeld.yml:41" (relative to the content folder)
    severity: str  # "error", "warning" or "info", as the checker's findings
    rule: str
    text: str
    message: str
    suggestion: str = ""


def editorial_checks(cat: Catalogue, today: date) -> list[Check]:
    return [
        *_sources(cat, today),
        *_long_labels(cat),
        *_questions_without_dont_know(cat),
        *_unexplained_hard_words(cat),
        *_open_reviews(cat),
    ]


def _sources(cat: Catalogue, today: date) -> Iterator[Check]:
    limit = cat.county.checks.source_max_age_days
    for service in cat.services.values():
        if not service.sources:
            yield Check(
                service.location,
                "error",
                "quelle-fehlt",
                service.id,
                f"service '{service.id}' names no source for its facts",
                "add sources: with url: (the official page or law you read) and checked: (the day)",
            )
        for source in service.sources:
            age = (today - source.checked).days
            if age > limit:
                yield Check(
                    source.location,
                    "warning",
                    "quelle-alt",
                    source.url,
                    f"source of '{service.id}' was checked {age} days ago (more than {limit})",
                    "read the page again, fix the texts if needed, then set 'checked' to today",
                )
            elif age < 0:
                yield Check(
                    source.location,
                    "warning",
                    "quelle-alt",
                    source.url,
                    f"check date {source.checked.isoformat()} lies in the future",
                    "write the day you read the page",
                )


def _labels(cat: Catalogue) -> Iterator[tuple[str, str]]:
    """(where, label) of every button label the content defines."""
    for key in BUTTON_PHRASES:
        source = cat.sources.get(f"answers.{key}")
        if source is not None:
            yield source.location, " ".join(source.text.split())
    for service in cat.services.values():
        key = "button" if service.button else "name"
        source = cat.sources.get(f"services.{service.id}.{key}")
        if source is not None:
            yield source.location, service.label
    for cid, clarification in _questions(cat):
        for i, option in enumerate(clarification.options):
            source = cat.sources.get(f"{cid}.options.{i}")
            if source is not None:
                yield source.location, option.title


def _long_labels(cat: Catalogue) -> Iterator[Check]:
    limit = cat.county.checks.button_max_chars
    for where, label in _labels(cat):
        if len(label) > limit:
            yield Check(
                where,
                "error",
                "knopf-zu-lang",
                label,
                f"button label has {len(label)} characters; the widget shows {limit}",
                "write a shorter label (for a service: add 'button:')",
            )


def _questions(cat: Catalogue) -> Iterator[tuple[str, Clarification]]:
    """(source key prefix, question) of every clarification and choose_office."""
    yield from cat.clarifications.items()
    for service in cat.services.values():
        if service.choose_office is not None:
            yield f"services.{service.id}.choose_office", service.choose_office


def _questions_without_dont_know(cat: Catalogue) -> Iterator[Check]:
    for cid, clarification in _questions(cat):
        if clarification.has_dont_know:
            continue
        source = cat.sources.get(f"{cid}.question")
        yield Check(
            source.location if source else cid,
            "error",
            "ich-weiss-es-nicht",
            clarification.question.strip(),
            f"question '{cid}' offers no '{DONT_KNOW}.' answer",
            f"add an option '{DONT_KNOW}.' and say where it leads",
        )


def _unexplained_hard_words(cat: Catalogue) -> Iterator[Check]:
    terms = [e.term for e in cat.glossary]
    by_key = {t.replace("·", "").lower(): t for t in terms}
    for e in cat.glossary:
        for form in e.forms:
            by_key.setdefault(form.replace("·", "").lower(), e.term)
    for service in cat.services.values():
        wheres = service.hard_words_where or (service.location,) * len(service.hard_words)
        for word, where in zip(service.hard_words, wheres, strict=False):
            if word in terms:
                continue
            term = by_key.get(word.replace("·", "").lower())
            if term is None:
                close = difflib.get_close_matches(word, terms, n=1, cutoff=0.6)
                term = close[0] if close else ""
            yield Check(
                where,
                "error",
                "glossar-fehlt",
                word,
                f"hard word '{word}' of '{service.id}' matches no glossary term",
                f"write it as the glossary does: '{term}'"
                if term
                else "add an entry to glossary.yml or remove the word from hard_words",
            )


def _open_reviews(cat: Catalogue) -> Iterator[Check]:
    for service in cat.services.values():
        review = service.review
        if review is not None and review.score is not None:
            continue
        yield Check(
            review.location if review is not None and review.location else service.location,
            "warning",
            "bewertung-offen",
            service.id,
            f"the answers of '{service.id}' wait for a review by a second person",
            "a reviewer who did not write the texts scores them (REVIEW.md)",
        )
