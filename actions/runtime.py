"""What the action server's actions share: settings, catalogue, scheduling client, clock.

rasa-sdk creates the Action objects itself, so this is the one place where
the process hands its resources to them. ``amtslotse serve-actions``
(actions/server.py) starts it with the process and closes it on shutdown;
one scheduling client with one HTTP session serves every action. Used
without that server (a test, ``python -m rasa_sdk``), :func:`runtime` builds
one from the environment on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from actions.api.scheduling import SchedulingClient
from amtslotse.core.content import Catalogue
from amtslotse.core.content.watch import LiveCatalogue
from amtslotse.settings import Settings


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Runtime:
    """Settings, the catalogue, the scheduling client and the clock of the action server.

    With ``live`` (the server's), the catalogue follows the content files: a
    text an editor saves answers from the next turn on, without a restart.
    """

    def __init__(
        self,
        settings: Settings,
        catalogue: Catalogue,
        scheduling: SchedulingClient,
        clock: Callable[[], datetime] = utc_now,
        live: LiveCatalogue | None = None,
    ):
        self.settings = settings
        self._catalogue = catalogue
        self.scheduling = scheduling
        self.clock = clock
        self.live = live

    @property
    def catalogue(self) -> Catalogue:
        if self.live is not None:
            self._catalogue = self.live.current()
        return self._catalogue

    @classmethod
    def from_settings(cls, settings: Settings) -> Runtime:
        live = LiveCatalogue(settings.paths.content)
        return cls(
            settings=settings,
            catalogue=live.current(),
            scheduling=SchedulingClient(
                settings.scheduling_base_url, service_token=settings.scheduling.service_token
            ),
            live=live,
        )

    async def close(self) -> None:
        await self.scheduling.close()


_current: Runtime | None = None


def runtime() -> Runtime:
    """The process's runtime (built from the environment if the server did not start one)."""
    global _current
    if _current is None:
        _current = Runtime.from_settings(Settings.from_env())
    return _current


def install(value: Runtime | None) -> Runtime | None:
    """Make ``value`` the process's runtime (the server at start, tests); returns the old one."""
    global _current
    old, _current = _current, value
    return old
