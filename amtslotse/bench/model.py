from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Measurement:
    """One figure: ``Measurement("scheduling", "bundle_search_p95", 12.3, "ms", "< 50")``."""

    suite: str
    name: str
    value: float
    unit: str
    target: str = ""
    met: bool | None = None  # None where there is no target
    note: str = ""
    measured_at: str = ""  # when (UTC, set by the runner for the rows of its run)
    commit: str = ""  # which commit was measured ("+dirty" with uncommitted changes)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class BenchContext:
    """What every benchmark may use: the project root and a scratch folder."""

    root: Path
    scratch: Path
    quick: bool = False  # fewer repetitions (used by the test that checks the runner)
    extra: dict[str, Any] = field(default_factory=dict)
