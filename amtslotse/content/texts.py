"""Every text a citizen can see, labelled with where it comes from.

Used by ``amtslotse content check`` to run the Leichte Sprache checker over
the content files, the bot's responses (bot/domain) and the answers the bot
composes from both. Pure apart from reading the domain files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from amtslotse import routing
from amtslotse.content.model import Catalogue
from amtslotse.content.yamlsource import LineDict, read_yaml


@dataclass(frozen=True)
class LabelledText:
    label: str  # "services/wohngeld.yml:12", "bot/domain/allgemein.yml:20", "answer for wohngeld"
    text: str
    first_line: int | None = None  # the file line of the text's first line, if it is a file

    def where(self, line: int, column: int) -> str:
        """``file:line:column`` for a finding at ``line`` (1-based) of this text."""
        if self.first_line is None:
            return f"{self.label}, line {line}, column {column}"
        return f"{self.label}:{self.first_line + line - 1}:{column}"


def content_texts(cat: Catalogue, prefix: str = "") -> Iterator[LabelledText]:
    """Texts written in the content files; frames with {placeholders} are checked once filled in.

    ``prefix`` is put before the file names (e.g. "content/leichte_sprache/").
    """
    for source in cat.sources.values():
        if "{" in source.text:
            continue
        file, _, line = source.location.rpartition(":")
        yield LabelledText(prefix + file, source.text, int(line))


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
                    )


def composed_texts(cat: Catalogue) -> Iterator[LabelledText]:
    """Lines the bot builds from answers.yml and the content that stand in no file as such."""
    written = {line.strip() for s in cat.sources.values() for line in s.text.splitlines()}
    seen: set[str] = set()

    def fresh(label: str, reply: routing.Reply) -> Iterator[LabelledText]:
        lines = [ln for ln in reply.lines if ln not in written and ln not in seen]
        lines += [b.title for b in reply.buttons if b.title not in written and b.title not in seen]
        seen.update(lines)
        if lines:
            yield LabelledText(label, "\n".join(lines))

    for service in cat.services.values():
        label = f"answer for {service.id} (answers.yml + services/{service.id}.yml)"
        yield from fresh(label, routing.office_reply(cat, service))
        if service.choose_office is not None:
            for option in service.choose_office.options:
                yield from fresh(label, routing.office_reply(cat, service, option.payload_id))
        for reply in (
            routing.documents_reply(cat, service),
            routing.hours_reply(cat, service),
            routing.accessibility_reply(cat, service),
            routing.appointment_reply(cat, service),
            routing.simpler_reply(cat, service),
        ):
            yield from fresh(label, reply)
    for key in ("fallback_hotline", "hotline", "booking_by_phone"):
        yield from fresh(
            f"answers.yml ({key})",
            routing.Reply(tuple(routing.phrase_lines(cat, key, phone=cat.county.hotline_phone))),
        )


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
