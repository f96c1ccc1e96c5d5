"""The catalogue for the action server: loaded once, on first use."""

from __future__ import annotations

from functools import lru_cache

from amtslotse.content import Catalogue, load_catalogue


@lru_cache(maxsize=1)
def get_catalogue() -> Catalogue:
    return load_catalogue()
