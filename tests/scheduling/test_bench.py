"""The benchmark module runs end to end (quick mode) and reports its targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from amtslotse.bench.model import BenchContext
from amtslotse.bench.scheduling import collect

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
@pytest.mark.slow
def test_bench_collect_quick(tmp_path):
    results = {m.name: m for m in collect(BenchContext(root=ROOT, scratch=tmp_path, quick=True))}
    assert {
        "bundle_search_median",
        "bundle_search_p95",
        "booking_throughput_sqlite",
        "race_bookings_sqlite",
        "booking_throughput_postgres",
        "race_bookings_postgres",
    } <= set(results)
    assert all(m.suite == "scheduling" for m in results.values())
    assert results["bundle_search_p95"].target == "< 50"
    assert results["race_bookings_sqlite"].met is True
    assert results["race_bookings_postgres"].met is True
    assert results["booking_throughput_sqlite"].value > 0
