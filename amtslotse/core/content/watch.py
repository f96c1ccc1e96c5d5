"""The catalogue, loaded again when its files change (editors save in the browser).

:class:`LiveCatalogue` looks at the content files' modification times at
most every :data:`CHECK_SECONDS` (a few dozen ``stat`` calls) and loads the
catalogue again when any file changed, came or went. Content that does not
load (an editor's change on disk that breaks it) keeps the last good
catalogue and is reported once per change, by file and line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from amtslotse.core.content.loader import ContentError, load_catalogue
from amtslotse.core.content.model import Catalogue

log = logging.getLogger(__name__)

#: How often at most the files are looked at.
CHECK_SECONDS = 2.0

Signature = tuple[tuple[str, int, int], ...]


def signature(root: Path) -> Signature:
    """Name, modification time and size of every YAML file below ``root``."""
    out = []
    for path in sorted(root.rglob("*.yml")):
        try:
            stat = path.stat()
        except FileNotFoundError:  # replaced while we looked
            continue
        out.append((str(path.relative_to(root)), stat.st_mtime_ns, stat.st_size))
    return tuple(out)


class LiveCatalogue:
    def __init__(
        self,
        root: Path,
        catalogue: Catalogue | None = None,
        *,
        every: float = CHECK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.root = root
        self.every = every
        self.clock = clock
        self._seen = signature(root)
        self._catalogue = catalogue if catalogue is not None else load_catalogue(root)
        self._checked = clock()

    def current(self) -> Catalogue:
        """The catalogue as the files are now (looked at most every ``every`` seconds)."""
        now = self.clock()
        if now - self._checked >= self.every:
            self._checked = now
            self.reload_if_changed()
        return self._catalogue

    def reload_if_changed(self) -> bool:
        """Loads again if a file changed; whether the catalogue is new."""
        seen = signature(self.root)
        if seen == self._seen:
            return False
        self._seen = seen
        try:
            self._catalogue = load_catalogue(self.root)
        except ContentError as exc:
            log.warning("the changed content does not load; keeping the last good one:\n%s", exc)
            return False
        return True
