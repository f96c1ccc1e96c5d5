"""Saving an editor's change to the content: validate, write keeping the file's form, log it.

:meth:`Editor.save`, in this order, all under the content folder's lock
(amtslotse.core.content.changes.ContentLock: an exclusive ``flock``, so
portals on one content folder, and ``amtslotse content review``, take
turns; waited for :data:`LOCK_WAIT_SECONDS`, then 503 and nothing written):

1. the file must still be the one the editor opened (``version``, a hash
   of its bytes; else 409 with the file's texts as they are now: someone
   saved in between, in this portal or another);
2. the change is made on the file's text by amtslotse.core.content.changes
   (ruamel round trip: comments and order stay; a changed text loses its
   ``geprueft`` mark, a service its reviewer's score);
3. the whole catalogue is loaded with the new text in place of the file:
   any problem is a 422 with file:line, and nothing is written;
4. each text of the entry goes through the Leichte Sprache checker, with
   its file:line as it will stand; an ``error`` finding in a changed text,
   or an editorial error in the file (a button too long, a question
   without "Ich weiß es nicht."), is a 422, and nothing is written;
5. the file is replaced at once (a reader sees the old or the new one),
   every change goes into the change log (who, when, field, before, after),
   and the portal's catalogue is loaded again. The action server sees the
   new file within seconds (amtslotse.core.content.watch).

:meth:`Editor.check` does steps 2 to 4 without writing: the editor's page
shows its findings while the editor types. :meth:`Editor.review` marks texts
as checked by readers of the target group, through the same code as
``amtslotse content review`` (amtslotse.core.content.changes.review_file).

Synonyms become training examples: they work after the next training
(amtslotse.portal.training), which the answer says.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from amtslotse.core.content import ContentError, load_catalogue
from amtslotse.core.content.changes import (
    ContentLock,
    Edited,
    EditError,
    edit_entry,
    review_file,
    write_file,
)
from amtslotse.core.content.checks import editorial_checks
from amtslotse.core.content.entries import TRAINED_LISTS, Entry, entries, entry_lists
from amtslotse.core.content.review import review_states
from amtslotse.portal.content import PortalContent
from amtslotse.portal.database import CHANGES, PortalDatabase

#: How long a save waits for another one (in any portal) to end before it gives up.
LOCK_WAIT_SECONDS = 20.0
_BUSY = (
    "Gerade speichert jemand anderes Inhalte. Nichts ist gespeichert. "
    "Ihre Änderung steht noch im Formular: Versuchen Sie es gleich noch einmal."
)
_CONFLICT = (
    "Jemand hat diesen Eintrag gespeichert, während Sie ihn geändert haben. "
    "Nichts ist gespeichert. Ihre Änderung steht noch im Formular. "
    "Vergleichen Sie sie mit dem neuen Stand darunter."
)


def version_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class SaveRefused(Exception):
    """A change that was not saved: the status, a sentence, and what was wrong."""

    def __init__(self, status: int, detail: str, **extra: Any):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.extra = extra


@dataclass
class Saved:
    changed: bool
    version: str
    fields: list[str] = field(default_factory=list)
    needs_training: bool = False
    review_cleared: bool = False
    marks_cleared: list[str] = field(default_factory=list)


@dataclass
class Draft:
    """The findings of a draft: ``problems`` (it does not load: file:line and why),
    ``findings`` per text name (the checker's, each with ``where`` = file:line:column and
    ``changed``), ``checks`` (the editorial checks of the entry's file)."""

    problems: list[str] = field(default_factory=list)
    findings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    checks: list[dict[str, Any]] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def errors(self) -> dict[str, list[dict[str, Any]]]:
        """The errors that keep the draft from being saved: in texts it changes (the others
        were saved as they are, and ``amtslotse content check`` reports them)."""
        found = {
            name: [f for f in fs if f["severity"] == "error" and f["changed"]]
            for name, fs in self.findings.items()
        }
        return {name: fs for name, fs in found.items() if fs}

    @property
    def ok(self) -> bool:
        return (
            not self.problems
            and not self.errors()
            and not any(c["severity"] == "error" for c in self.checks)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "problems": self.problems,
            "findings": self.findings,
            "checks": self.checks,
            "changed": self.changed,
        }


@dataclass(frozen=True)
class Change:
    at: float
    account: str
    action: str
    file: str
    entry: str
    field: str
    before: str
    after: str


class Editor:
    def __init__(
        self,
        content: PortalContent,
        db: PortalDatabase,
        clock: Callable[[], float] = time.time,
        lock_wait: float = LOCK_WAIT_SECONDS,
    ):
        self.content = content
        self.db = db
        self.clock = clock
        self.lock_wait = lock_wait
        self._lock = asyncio.Lock()  # one save at a time in this portal, then the folder's

    @asynccontextmanager
    async def _locked(self) -> AsyncIterator[None]:
        """This portal's turn, then the content folder's (other portals, the command line);
        then the catalogue as the files are now, since another process may have saved."""
        async with self._lock:
            lock = ContentLock(self.content.paths.content)
            deadline = time.monotonic() + self.lock_wait
            while not lock.acquire():
                if time.monotonic() >= deadline:
                    raise SaveRefused(503, _BUSY)
                await asyncio.sleep(0.05)
            try:
                await asyncio.to_thread(self.content.reloaded)
                yield
            finally:
                lock.release()

    def entry(self, kind: str, ident: str) -> Entry | None:
        return entries(self.content.catalogue).get((kind, ident))

    def read(self, entry: Entry) -> tuple[str, str]:
        """The entry's file as it is now, and its version."""
        text = (self.content.paths.content / entry.file).read_text(encoding="utf-8")
        return text, version_of(text)

    async def save(
        self,
        account: str,
        entry: Entry,
        version: str | None,
        texts: Mapping[str, str],
        lists: Mapping[str, list[str]],
        *,
        action: str = "text",
    ) -> Saved:
        """See the module docstring; ``version`` None: whatever the file is now (one click)."""
        self._known_lists(entry, lists)
        async with self._locked():
            # The entry as the files are now (its sources' texts are the "before").
            entry = self.entry(entry.kind, entry.id) or entry
            path = self.content.paths.content / entry.file
            text = await asyncio.to_thread(path.read_text, encoding="utf-8")
            if version is not None and version != version_of(text):
                raise SaveRefused(
                    409, _CONFLICT, version=version_of(text), current=self._current(entry)
                )
            try:
                edited = edit_entry(text, entry.path, entry.sources(), texts, lists)
            except EditError as exc:
                raise SaveRefused(422, str(exc)) from None
            if not edited.changed:
                return Saved(False, version_of(text))
            await self._validate(entry, edited)
            await asyncio.to_thread(write_file, path, edited.text)
            await self._log(account, entry, edited, action)
            self.content.reloaded()
        return Saved(
            True,
            version_of(edited.text),
            edited.fields,
            any(name in TRAINED_LISTS for name, _, _ in edited.lists),
            edited.review_cleared,
            edited.marks_cleared,
        )

    def _current(self, entry: Entry) -> dict[str, Any]:
        """The entry's texts and lists as they stand now (what a refused save shows)."""
        return {
            "texts": {name: source.text for name, source in entry.sources().items()},
            "lists": entry_lists(self.content.catalogue, entry),
        }

    async def review(self, account: str, entry: Entry, names: list[str], am: date, von: str) -> int:
        """Marks the texts ``names`` of ``entry`` (all when empty) as checked by ``von`` on
        ``am``, and logs it; how many were marked. A text is marked as it is in the file now."""
        async with self._locked():
            found = self.entry(entry.kind, entry.id)
            if found is None:
                raise SaveRefused(404, "Diesen Eintrag gibt es nicht mehr.")
            sources = found.sources()
            unknown = [n for n in names if n not in sources]
            if unknown:
                raise SaveRefused(422, f"'{unknown[0]}' is no text of this entry")
            chosen = {n: sources[n] for n in names or sources}
            states = review_states(self.content.catalogue)
            before = {n: states[found.texts[n][0]] for n in chosen}
            path = self.content.paths.content / found.file
            try:
                await asyncio.to_thread(review_file, path, chosen.values(), am, von)
            except EditError as exc:
                raise SaveRefused(422, str(exc)) from None
            now = self.clock()
            await self.log(
                [
                    {
                        "at": now,
                        "account": account,
                        "action": "geprueft",
                        "file": found.file,
                        "entry": f"{found.kind}:{found.id}",
                        "field": name,
                        "before": _state(before[name]),
                        "after": f"geprüft am {am.isoformat()} von {von}",
                    }
                    for name in chosen
                ]
            )
            self.content.reloaded()
        return len(chosen)

    async def check(
        self, entry: Entry, texts: Mapping[str, str], lists: Mapping[str, list[str]]
    ) -> Draft:
        """What saving this draft would find, without writing anything (the live check)."""
        self._known_lists(entry, lists)
        path = self.content.paths.content / entry.file
        text = await asyncio.to_thread(path.read_text, encoding="utf-8")
        try:
            edited = edit_entry(text, entry.path, entry.sources(), texts, lists)
        except EditError as exc:
            return Draft(problems=[f"{entry.file}: {exc}"])
        return await self._check(entry, edited)

    async def _check(self, entry: Entry, edited: Edited) -> Draft:
        """Loads the catalogue with ``edited`` in place of the entry's file, then lints every
        text of the entry there (so each finding's file:line is where it will stand)."""
        root = self.content.paths.content
        try:
            cat = await asyncio.to_thread(load_catalogue, root, {entry.file: edited.text})
        except ContentError as exc:
            return Draft(problems=[str(p) for p in exc.problems], changed=edited.fields)
        draft = entries(cat).get((entry.kind, entry.id))
        sources = draft.sources() if draft is not None else {}
        changed = {name for name, _, _ in edited.texts}
        if any(name == "documents" for name, _, _ in edited.lists):
            changed |= {name for name in sources if name.startswith("documents.")}
        out = Draft(changed=edited.fields)
        for name, source in sources.items():
            report = await self.content.check(source.text)
            found = [
                {
                    **f,
                    "where": f"{source.line(f['line'])}:{f['column']}",
                    "changed": name in changed,
                }
                for f in report["findings"]
            ]
            if found:
                out.findings[name] = found
        out.checks = [
            {
                "where": c.where,
                "severity": c.severity,
                "rule": c.rule,
                "message": c.message,
                "suggestion": c.suggestion,
            }
            for c in editorial_checks(cat, date.today())
            if c.where.startswith(f"{entry.file}:")
        ]
        return out

    async def _validate(self, entry: Entry, edited: Edited) -> None:
        draft = await self._check(entry, edited)
        if draft.problems:
            raise SaveRefused(
                422,
                "Die Änderung passt nicht zu den Inhalten. Nichts ist gespeichert.",
                problems=draft.problems,
            )
        if not draft.ok:
            raise SaveRefused(
                422,
                "Ein Text hat einen Fehler in Leichter Sprache. Nichts ist gespeichert.",
                findings=draft.errors(),
                checks=[c for c in draft.checks if c["severity"] == "error"],
            )

    @staticmethod
    def _known_lists(entry: Entry, lists: Mapping[str, list[str]]) -> None:
        for name in lists:
            if name not in entry.lists:
                raise SaveRefused(422, f"'{name}' is no list of this entry")

    async def _log(self, account: str, entry: Entry, edited: Edited, action: str) -> None:
        now = self.clock()
        rows: list[dict[str, Any]] = [
            {"field": name, "before": before, "after": after, "action": action}
            for name, before, after in edited.texts
        ] + [
            {
                "field": name,
                "before": "\n".join(before),
                "after": "\n".join(after),
                # An example taken over from the inbox stays "inbox" (docs/interfaces.md).
                "action": "synonyms" if name in TRAINED_LISTS and action == "text" else action,
            }
            for name, before, after in edited.lists
        ]
        if edited.review_cleared:
            rows.append({"field": "review", "before": "", "after": "", "action": "review"})
        for row in rows:
            row.update(at=now, account=account, file=entry.file, entry=f"{entry.kind}:{entry.id}")
        await self.log(rows)

    async def log(self, rows: list[dict[str, Any]]) -> None:
        def work(db: Connection) -> None:
            if rows:
                db.execute(sa.insert(CHANGES), rows)

        await self.db.run(work)

    async def changes(self, limit: int = 30, entry: str | None = None) -> list[Change]:
        """The newest entries of the change log (of one entry: ``kind:id``)."""

        def work(db: Connection) -> list[Change]:
            query = sa.select(CHANGES).order_by(CHANGES.c.at.desc(), CHANGES.c.id.desc())
            if entry is not None:
                query = query.where(CHANGES.c.entry == entry)
            return [
                Change(
                    r["at"],
                    r["account"],
                    r["action"],
                    r["file"],
                    r["entry"],
                    r["field"],
                    r["before"],
                    r["after"],
                )
                for r in db.execute(query.limit(limit)).mappings()
            ]

        return await self.db.run(work)


def _state(state: Any) -> str:
    if state.state == "offen":
        return "noch nicht geprüft"
    where = f" am {state.am.isoformat()} von {state.von}" if state.am else ""
    return ("geprüft" if state.checked else "geändert seit der Prüfung") + where


def adopted_synonym(text: str) -> str:
    """A message as a synonym: one line, no placeholders of the scrubber (nor brackets,
    which the training leaves out); empty when nothing usable is left."""
    line = " ".join(text.split())
    if any(c in line for c in '[]{}()"') or len(line) > 200:
        return ""
    return line
