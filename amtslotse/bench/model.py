from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Measurement:
    """One figure: ``Measurement("scheduling", "bundle_search_p95", 12.3, "ms", "< 50")``."""

    suite: str
    name: str
    value: float | None  # None: not measurable yet (e.g. findings still to judge)
    unit: str
    target: str = ""
    met: bool | None = None  # None where there is no target
    note: str = ""
    # When and at which commit it was measured (the runner stamps every row).
    measured_at: str = ""
    commit: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class BenchContext:
    """What every benchmark may use: the project root and a scratch folder."""

    root: Path
    scratch: Path
    quick: bool = False  # fewer repetitions (used by the test that checks the runner)
    extra: dict[str, Any] = field(default_factory=dict)
