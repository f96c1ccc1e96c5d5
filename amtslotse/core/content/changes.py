"""Changes to the content, as editors make them: texts, lists, review marks.

Each function takes a file's text and returns the new text (through
amtslotse.core.content.yamledit, so comments and order stay); writing it is
:func:`write_file`'s job. Used by ``amtslotse content review`` and by the
browser editor (amtslotse.portal.editing).

Whoever reads a content file to change it holds the :class:`ContentLock` of
the content folder from the read to the write: an exclusive ``flock`` on
:data:`LOCK_NAME` there, so two portals (or a portal and the command line,
on one machine or sharing the folder) never both change what one of them
read. :func:`review_file` does the whole round for review marks.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from amtslotse.core.content.model import TextSource
from amtslotse.core.content.review import text_hash
from amtslotse.core.content.yamledit import ContentDocument, EditError

__all__ = [
    "LOCK_NAME",
    "ContentLock",
    "EditError",
    "Edited",
    "edit_entry",
    "mark_texts",
    "review_file",
    "write_file",
]

#: The lock file in the content folder (kept out of git by .gitignore).
LOCK_NAME = ".bearbeitung.lock"


class ContentLock:
    """The exclusive lock of a content folder, across threads, processes and instances.

    ``flock`` belongs to the open file, so each :meth:`acquire` opens the
    lock file anew: a second ContentLock in the same process waits as well.
    """

    def __init__(self, root: Path):
        self.path = root / LOCK_NAME
        self._fd: int | None = None

    def acquire(self, *, blocking: bool = False) -> bool:
        """Take the lock; without ``blocking``, False at once when someone else holds it."""
        if self._fd is not None:
            raise RuntimeError("ContentLock is not reentrant")
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return True

    def wait(self, timeout: float, poll: float = 0.05) -> bool:
        """Try for ``timeout`` seconds; whether the lock is held now."""
        deadline = time.monotonic() + timeout
        while not self.acquire():
            if time.monotonic() >= deadline:
                return False
            time.sleep(poll)
        return True

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None


def mark_texts(text: str, sources: Iterable[TextSource], am: date, von: str) -> str:
    """The file ``text`` with each of ``sources`` marked as checked by ``von`` on ``am``."""
    doc = ContentDocument(text)
    for source in sources:
        doc.set_mark(source.entry, source.name, am, von, text_hash(source.text))
    return doc.dump()


def review_file(path: Path, sources: Iterable[TextSource], am: date, von: str) -> str:
    """Marks ``sources`` (texts of the file ``path``) as checked and writes the file; the
    new text. The caller holds the content folder's :class:`ContentLock`, and ``sources``
    come from a catalogue loaded under it (a mark holds the hash of the text it names)."""
    text = mark_texts(path.read_text(encoding="utf-8"), sources, am, von)
    write_file(path, text)
    return text


@dataclass
class Edited:
    """The new file text and what changed: ``(field, before, after)`` per field."""

    text: str
    texts: list[tuple[str, str, str]] = field(default_factory=list)
    lists: list[tuple[str, list[str], list[str]]] = field(default_factory=list)
    marks_cleared: list[str] = field(default_factory=list)
    review_cleared: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.texts or self.lists)

    @property
    def fields(self) -> list[str]:
        """The names of the changed texts and lists."""
        return [name for name, _, _ in self.texts] + [name for name, _, _ in self.lists]


def _norm(text: str) -> str:
    return "\n".join(line.strip() for line in text.strip().splitlines())


def edit_entry(
    text: str,
    entry: tuple[str | int, ...],
    sources: Mapping[str, TextSource],
    texts: Mapping[str, str],
    lists: Mapping[str, list[str]],
) -> Edited:
    """Set an entry's texts (by name, see TextSource.name) and lists (``synonyms``,
    ``documents``, ``forms``).

    A changed text loses its ``geprueft`` mark; so do all documents when the
    documents change (their names are their places). A service whose texts
    change loses its reviewer's score too (REVIEW.md: "Wer einen Text ändert,
    setzt score, reviewer und date wieder auf null.").
    """
    doc = ContentDocument(text)
    out = Edited(text)
    for name, new in texts.items():
        source = sources.get(name)
        if source is None:
            raise EditError(f"'{name}' is no text of this entry")
        if _norm(new) == _norm(source.text):
            continue
        if not new.strip():
            raise EditError(f"'{name}' must not be empty")
        doc.set_text(source.path, new)
        out.texts.append((name, source.text, _norm(new)))
        if doc.drop_mark(entry, name):
            out.marks_cleared.append(name)
    for name, items in lists.items():
        path = (*entry, name)
        old = doc.get(path)
        before = [str(i) for i in old] if isinstance(old, list) else []
        items = [" ".join(i.split()) for i in items if i.strip()]
        if items == before:
            continue
        doc.set_list(path, items)
        out.lists.append((name, before, items))
        if name == "documents":
            for mark in doc.marks(entry):
                if mark.startswith("documents.") and doc.drop_mark(entry, mark):
                    out.marks_cleared.append(mark)
    changed_texts = out.texts or any(name == "documents" for name, _, _ in out.lists)
    review = doc.get((*entry, "review"))
    if changed_texts and isinstance(review, dict) and review.get("score") is not None:
        for key in ("score", "reviewer", "date"):
            review[key] = None
        out.review_cleared = True
    out.text = doc.dump()
    return out


def write_file(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` at once (a reader sees the old or the new file)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
