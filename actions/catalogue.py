"""The catalogue the actions answer from: the runtime's, loaded once per process."""

from __future__ import annotations

from actions.runtime import runtime
from amtslotse.core.content import Catalogue


def get_catalogue() -> Catalogue:
    return runtime().catalogue
