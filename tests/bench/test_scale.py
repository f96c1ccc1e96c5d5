"""The scaling suite reports throughput, latency, the speedup against its target,
CPU time per turn of each part, the CPU ceiling and memory (from given loads)."""

from __future__ import annotations

from amtslotse.bench.scale import Load, _measurements


def _load(turns: int, seconds: float, rasa_ms: float) -> Load:
    cpu = {"rasa": rasa_ms * turns, "actions": 5.0 * turns, "portal": 3.0 * turns}
    return Load(turns, seconds, [100.0] * (turns - 1) + [900.0], cpu)


def test_the_speedup_is_measured_against_its_target_and_the_time_is_accounted_for():
    loads = {
        (1, 20): _load(240, 10.0, 40.0),
        (1, 40): _load(480, 20.0, 40.0),
        (2, 20): _load(240, 6.0, 42.0),
        (2, 40): _load(480, 12.0, 42.0),
    }
    rss = {1: {"rasa": 1400.0, "portal": 40.0}, 2: {"rasa-1": 1400.0, "rasa-2": 1390.0}}
    rows = {m.name: m for m in _measurements(loads, rss)}
    assert rows["throughput_1x_40c"].value == 24.0 and rows["throughput_2x_40c"].value == 40.0
    assert rows["speedup_2x_over_1x_40c"].value == 40 / 24 and rows["speedup_2x_over_1x_40c"].met
    assert rows["speedup_2x_over_1x_20c"].value < 1.7
    assert rows["p95_1x_20c"].value == 100.0 and rows["p50_2x_40c"].value == 100.0
    assert rows["cpu_per_turn_rasa_2x"].value == 42.0
    assert "84 %" in rows["cpu_per_turn_rasa_2x"].note
    assert rows["cpu_ceiling_1x"].unit == "turns/s" and rows["cores_busy_2x"].value > 0
    assert rows["rss_rasa-2_2x"].value == 1390.0


def test_rounds_merge_into_one_load_and_the_speedup_lists_them():
    merged = Load.merge([_load(100, 10.0, 40.0), _load(100, 5.0, 40.0)])
    assert merged.turns == 200 and merged.seconds == 15.0 and merged.rounds == (10.0, 20.0)
    assert merged.cpu_per_turn("rasa") == 40.0
    loads = {
        (1, 20): merged,
        (2, 20): Load.merge([_load(100, 5.0, 40.0), _load(100, 5.0, 40.0)]),
        (1, 40): _load(100, 10.0, 40.0),
        (2, 40): _load(100, 10.0, 40.0),
    }
    rows = {m.name: m for m in _measurements(loads, {})}
    assert rows["speedup_2x_over_1x_20c"].note.endswith("per round: 2.00, 1.00")
