"""Every text a citizen can see, labelled with where it comes from.

Used by ``amtslotse content check`` to run the Leichte Sprache checker over
the content files, the bot's responses (bot/domain) and the answers the bot
composes from both. Pure apart from reading the domain files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from amtslotse.core import routing
from amtslotse.core.content.model import Catalogue
from amtslotse.core.content.yamlsource import LineDict, read_yaml
from amtslotse.core.reply import Reply, phrase_lines


@dataclass(frozen=True)
class LabelledText:
    label: str  # "services/wohngeld.yml:12", "bot/domain/allgemein.yml:20", "answer for wohngeld"
    text: str
    first_line: int | None = None  # the file line of the text's first line, if it is a file
    # The catalogue's source key ("services.wohngeld.text"), or what composed it
    # ("answer:wohngeld", "answers", "booking"), or "bot" for the domain's responses.
    key: str = ""

    def where(self, line: int, column: int) -> str:
        """``file:line:column`` for a finding at ``line`` (1-based) of this text."""
        if self.first_line is None:
            return f"{self.label}, line {line}, column {column}"
        return f"{self.label}:{self.first_line + line - 1}:{column}"


def content_texts(cat: Catalogue, prefix: str = "") -> Iterator[LabelledText]:
    """Texts written in the content files; frames with {placeholders} are checked once filled in.

    ``prefix`` is put before the file names (e.g. "content/leichte_sprache/").
    """
    for key, source in cat.sources.items():
        if "{" in source.text:
            continue
        file, _, line = source.location.rpartition(":")
        yield LabelledText(prefix + file, source.text, int(line), key)


def response_texts(domain_dir: Path, root: Path) -> Iterator[LabelledText]:
    """Each text variation of each response in the Rasa domain files."""
    for path in sorted(domain_dir.glob("*.yml")):
        doc = read_yaml(path)
        responses = doc.get("responses") if isinstance(doc, LineDict) else None
        for variations in (responses or {}).values():
            for variation in variations or []:
                if isinstance(variation, LineDict) and isinstance(variation.get("text"), str):
                    yield LabelledText(
                        str(path.relative_to(root)),
                        variation["text"].strip(),
                        variation.text_line_of("text"),
                        "bot",
                    )


def composed_texts(cat: Catalogue) -> Iterator[LabelledText]:
    """Lines the bot builds from answers.yml and the content that stand in no file as such."""
    written = {line.strip() for s in cat.sources.values() for line in s.text.splitlines()}
    seen: set[str] = set()

    def fresh(label: str, reply: Reply, key: str) -> Iterator[LabelledText]:
        lines = [ln for ln in reply.lines if ln not in written and ln not in seen]
        lines += [b.title for b in reply.buttons if b.title not in written and b.title not in seen]
        seen.update(lines)
        if lines:
            yield LabelledText(label, "\n".join(lines), key=key)

    for service in cat.services.values():
        label = f"answer for {service.id} (answers.yml + services/{service.id}.yml)"
        key = f"answer:{service.id}"
        yield from fresh(label, routing.office_reply(cat, service), key)
        if service.choose_office is not None:
            for option in service.choose_office.options:
                yield from fresh(label, routing.office_reply(cat, service, option.payload_id), key)
        for reply in (
            routing.documents_reply(cat, service),
            routing.hours_reply(cat, service),
            routing.accessibility_reply(cat, service),
            routing.appointment_reply(cat, service),
            routing.simpler_reply(cat, service),
        ):
            yield from fresh(label, reply, key)
    for phrase in ("fallback_hotline", "hotline", "booking_by_phone"):
        yield from fresh(
            f"answers.yml ({phrase})",
            Reply(tuple(phrase_lines(cat, phrase, phone=cat.county.hotline_phone))),
            "answers",
        )
    for label, reply in booking_samples(cat):
        yield from fresh(f"booking: {label} (answers.yml booking_*)", reply, "booking")


def booking_samples(cat: Catalogue) -> Iterator[tuple[str, Reply]]:
    """One example of every reply the booking flow composes, with example times and codes."""
    from amtslotse.core import listing
    from amtslotse.core.booking import answers
    from amtslotse.core.concerns import Concern, ConcernList, bookable_offices

    offices = bookable_offices(cat)
    concerns = [
        Concern(s.id, o)
        for o in offices
        for s in cat.services.values()
        if s.bookable and s.office_id == o
    ][:3]
    # Example backend answer: 8 December 2025, a Monday morning, back to back.
    legs = [
        {
            "service_id": c.service_id,
            "office_id": c.office_id,
            "start": f"2025-12-08T09:{15 * i:02d}:00+01:00",
            "end": f"2025-12-08T09:{15 * i + 15:02d}:00+01:00",
        }
        for i, c in enumerate(concerns)
    ]
    location_id = cat.offices[concerns[0].office_id].location_id if concerns else ""
    bundle = {
        "bundle_id": "example",
        "location_id": location_id,
        "start": legs[0]["start"] if legs else "2025-12-08T09:00:00+01:00",
        "end": legs[-1]["end"] if legs else "2025-12-08T09:30:00+01:00",
        "legs": legs,
    }
    booking = {**bundle, "booking_code": "2345-6789", "status": "confirmed"}
    yield "which office", answers.ask_office_reply(cat)
    for office in offices:
        yield f"which concern at {office}", answers.ask_service_reply(cat, office)
    # The list of concerns: one of every kind, in one building and across two.
    mixed = ConcernList().add_all(
        cat,
        [c.service_id for c in concerns]
        + [s.id for s in cat.services.values() if not s.bookable][:40],
    )
    yield "list", listing.list_reply(cat, mixed)
    yield "list shown", listing.show_reply(cat, mixed)
    yield "list removed", listing.removed_reply(cat, mixed, [concerns[0].service_id])
    yield "list empty", listing.show_reply(cat, ConcernList())
    yield "list which", listing.remove_which_reply(cat, mixed)
    for key in sorted(k for k in cat.phrases if k.startswith(("list_", "cancel_", "rebook_"))):
        if "{" not in cat.phrases[key]:
            yield key, answers.simple_reply(cat, key)
    lines = answers.concerns_lines(cat, concerns) + answers.split_lines(cat, location_id)
    yield "offer", answers.offer_reply(cat, [bundle], lines + answers.no_match_lines(cat))
    yield "slot taken", answers.offer_reply(cat, [bundle], answers.slot_taken_lines(cat))
    yield "nothing free", answers.none_free_reply(cat)
    yield "backend down", answers.unavailable_reply(cat, retry=True)
    yield "privacy", answers.privacy_reply(cat)
    yield "privacy declined", answers.privacy_declined_reply(cat)
    for key in (
        "booking_ask_name",
        "booking_name_invalid",
        "booking_ask_contact",
        "booking_contact_invalid",
        "booking_ask_code",
        "booking_ask_pin",
        "booking_code_unknown",
        "booking_confirm_question",
        "booking_list_changed",
        "booking_code_invalid",
    ):
        yield key, answers.simple_reply(cat, key)
    yield "confirmed", answers.confirmed_reply(cat, {**booking, "pin": "482913"}, "482913")
    yield "show", answers.show_reply(cat, {**booking, "status": "cancelled"})
    yield "cancelled", answers.cancelled_reply(cat, booking)
    yield "not found", answers.not_found_reply(cat)


def content_prefix(content_dir: Path, root: Path) -> str:
    """How to name the content folder in messages: relative to the project if inside it."""
    try:
        return f"{content_dir.resolve().relative_to(root.resolve())}/"
    except ValueError:
        return f"{content_dir}/"


def citizen_texts(
    cat: Catalogue, content_dir: Path, domain_dir: Path, root: Path
) -> list[LabelledText]:
    prefix = content_prefix(content_dir, root)
    return [*content_texts(cat, prefix), *response_texts(domain_dir, root), *composed_texts(cat)]
