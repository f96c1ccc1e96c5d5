"""Benchmarks: each concern contributes measurements; ``amtslotse bench`` runs them.

A benchmark module offers ``collect(ctx: BenchContext) -> list[Measurement]``
and is listed in ``amtslotse.bench.runner.SUITES``. Results land in
``bench/results.json`` and the table in ``docs/benchmarks.md``.
"""

from amtslotse.bench.model import BenchContext, Measurement

__all__ = ["BenchContext", "Measurement"]
