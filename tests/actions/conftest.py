"""Each action test gets a fresh runtime (actions/runtime.py), closed after it."""

from __future__ import annotations

import pytest

from actions import runtime


@pytest.fixture(autouse=True)
async def fresh_runtime():
    runtime.install(None)
    yield
    current = runtime.install(None)
    if current is not None:
        await current.close()
