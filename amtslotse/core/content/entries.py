"""The catalogue as editors see it: entries (a service, an office, ...) with their texts.

An entry is one service file, or one item of offices.yml, locations.yml,
external.yml, glossary.yml or clarifications.yml, or answers.yml, mail.yml
and county.yml as a whole. Its texts are the catalogue's sources that stand in
it, by name (TextSource.name), and some kinds have lists an editor changes
too: the synonyms (they train the bot), the documents, a word's spellings.
Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from amtslotse.core.content.model import Catalogue, TextSource

__all__ = [
    "Entry",
    "ENTRY_KINDS",
    "LISTS",
    "TRAINED_LISTS",
    "entries",
    "entry_lists",
    "entry_of_key",
]

#: The kinds of entries, in the order the editor lists them, with their German name.
ENTRY_KINDS = {
    "service": "Anliegen",
    "office": "Ämter",
    "location": "Gebäude",
    "external": "Andere Stellen",
    "glossary": "Wörter·buch",
    "clarification": "Rückfragen",
    "answers": "Satz·bausteine",
    "mail": "E-Mails",
    "county": "Land·kreis",
}
#: The lists an editor changes, per kind (one item a line in the editor).
LISTS = {
    "service": ("synonyms", "documents"),
    "clarification": ("synonyms",),
    "glossary": ("forms",),
}
#: Lists that only work after the next training (they become training examples).
TRAINED_LISTS = frozenset({"synonyms"})

_FILE_KINDS = {
    "offices.yml": "office",
    "locations.yml": "location",
    "external.yml": "external",
    "glossary.yml": "glossary",
    "clarifications.yml": "clarification",
    "answers.yml": "answers",
    "mail.yml": "mail",
    "county.yml": "county",
}


@dataclass
class Entry:
    kind: str
    id: str
    label: str
    file: str
    path: tuple[str | int, ...]
    # name -> (source key, text)
    texts: dict[str, tuple[str, TextSource]] = field(default_factory=dict)

    @property
    def lists(self) -> tuple[str, ...]:
        return LISTS.get(self.kind, ())

    def sources(self) -> dict[str, TextSource]:
        return {name: source for name, (_, source) in self.texts.items()}


def entry_of_key(cat: Catalogue, key: str) -> tuple[str, str] | None:
    """``(kind, id)`` of the entry a source key (``services.wohngeld.text``) belongs to."""
    source = cat.sources.get(key)
    if source is None:
        return None
    return _kind_and_id(cat, key, source)


def _kind_and_id(cat: Catalogue, key: str, source: TextSource) -> tuple[str, str]:
    if source.file.startswith("services/"):
        return "service", source.file[len("services/") : -len(".yml")]
    kind = _FILE_KINDS.get(source.file, "answers")
    if kind in ("answers", "mail", "county"):
        return kind, kind
    first, _, rest = key.partition(".")
    if kind == "glossary":
        return kind, rest
    if kind == "clarification":
        return kind, first
    return kind, rest.partition(".")[0]


def _label(cat: Catalogue, kind: str, ident: str) -> str:
    if kind == "service" and ident in cat.services:
        return cat.services[ident].name
    if kind == "office" and ident in cat.offices:
        return cat.offices[ident].name
    if kind == "location" and ident in cat.locations:
        return cat.locations[ident].name
    if kind == "external" and ident in cat.external:
        return cat.external[ident].name
    if kind == "glossary":
        for g in cat.glossary:
            if g.term.replace("·", "").lower() == ident:
                return g.term
    if kind == "clarification" and ident in cat.clarifications:
        return cat.clarifications[ident].question.strip()
    return ENTRY_KINDS.get(kind, kind)


def entries(cat: Catalogue) -> dict[tuple[str, str], Entry]:
    """Every entry with its texts, by ``(kind, id)``, in the editor's order."""
    found: dict[tuple[str, str], Entry] = {}
    for key, source in cat.sources.items():
        kind, ident = _kind_and_id(cat, key, source)
        entry = found.get((kind, ident))
        if entry is None:
            entry = Entry(kind, ident, _label(cat, kind, ident), source.file, source.entry)
            found[(kind, ident)] = entry
        entry.texts[source.name] = (key, source)
    order = list(ENTRY_KINDS)
    return dict(
        sorted(found.items(), key=lambda item: (order.index(item[0][0]), item[1].label.lower()))
    )


def entry_lists(cat: Catalogue, entry: Entry) -> dict[str, list[str]]:
    """The entry's lists (:data:`LISTS`) as the catalogue has them, by name."""
    out: dict[str, list[str]] = {}
    for name in entry.lists:
        if name == "documents" and entry.id in cat.services:
            out[name] = list(cat.services[entry.id].documents)
        elif name == "synonyms" and entry.kind == "service" and entry.id in cat.services:
            out[name] = list(cat.services[entry.id].synonyms)
        elif name == "synonyms" and entry.kind == "clarification":
            out[name] = list(cat.clarifications[entry.id].synonyms)
        elif name == "forms":
            term = next((g for g in cat.glossary if g.term == entry.label), None)
            out[name] = list(term.forms) if term else []
    return out
