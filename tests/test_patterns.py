"""Pattern measures on constructed states and runs with known answers; validate-patterns end to end."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis.patterns import (
    PROGRAMME,
    SCENARIOS,
    TARGETS,
    UNDEFINED_MISS,
    Target,
    not_modelled_markdown,
    observe,
    targets_markdown,
)
from berdaya.cli import main
from experiments.pattern_runner import (
    EFFECT_MONTH,
    PATTERN_METRICS,
    Trace,
    after_exit,
    dropped_out,
    effects,
    live_group_sizes,
    relative_effect,
    simulate,
)
from sim.model import VillageModel
from sim.state import ACTIVE, DISSOLVED, FORMING, MATURE

SMALL = {"width": 20, "height": 20}


def test_dropout_counts_leaving_a_standing_group_only():
    before = np.array([-1, 0, 0, 1, 1])
    after = np.array([-1, 0, -1, -1, -1])
    stage = np.array([ACTIVE, DISSOLVED])
    assert dropped_out(before, after, stage).tolist() == [False, False, True, False, False]


def test_live_group_sizes_skip_dissolved_and_empty_groups():
    sizes = live_group_sizes(np.array([12, 0, 18, 5, 9]), np.array([ACTIVE, ACTIVE, DISSOLVED, MATURE, FORMING]))
    assert sizes.tolist() == [12, 5, 9]


def test_relative_effect():
    assert relative_effect(1.2, 1.0) == pytest.approx(0.2)
    assert math.isnan(relative_effect(1.0, 0.0))
    assert math.isnan(relative_effect(math.nan, 1.0))


def test_after_exit_splits_dissolution_by_maturity_at_exit():
    at_exit = np.array([MATURE, MATURE, ACTIVE, ACTIVE, ACTIVE, ACTIVE, DISSOLVED])
    later = np.array([MATURE, DISSOLVED, DISSOLVED, DISSOLVED, DISSOLVED, ACTIVE, DISSOLVED, FORMING])
    out = after_exit(SimpleNamespace(stage_at_exit=at_exit, stage_after_exit=later))
    assert out["dissolved_after_exit_matured"] == pytest.approx(0.5)
    assert out["dissolved_after_exit_unmatured"] == pytest.approx(0.75)
    assert out["maturity_protection"] == pytest.approx(0.25)


def test_effects_compare_members_with_the_same_households_without_programme():
    months, end = 80, 60
    p = SimpleNamespace(months=months)
    borrowed_t = np.zeros((months + 1, 2), dtype=bool)
    borrowed_c = np.zeros((months + 1, 2), dtype=bool)
    borrowed_t[[20, 25, 30], 0] = True  # 3 borrowing months in 19..30
    borrowed_c[[19, 21, 26, 29], 0] = True  # 4
    borrowed_c[10, 0] = True  # outside the window
    borrowed_t[20:31, 1] = True  # a non-member: not counted
    treated = SimpleNamespace(p=p, end=end, member_by_effect=np.array([True, False]),
                              income_window=np.array([12 * 1.2, 99.0]), savings_at_effect=np.array([1.5, 9.0]),
                              borrowed=borrowed_t)
    control = SimpleNamespace(p=p, end=end, member_by_effect=np.array([False, False]),
                              income_window=np.array([12.0, 1.0]), savings_at_effect=np.array([1.0, 1.0]),
                              borrowed=borrowed_c)
    share_t = np.linspace(0.0, 0.4, months + 1)
    share_c = np.zeros(months + 1)
    out = effects(treated, control, share_t, share_c)
    assert out["income_effect_30"] == pytest.approx(0.2)
    assert out["savings_effect_30"] == pytest.approx(0.5)
    assert out["patron_borrowing_effect_30"] == pytest.approx(-0.25)
    assert out["self_reliant_effect_12"] == pytest.approx(share_t[12])
    assert out["self_reliant_effect_exit"] == pytest.approx(share_t[60])
    assert out["gain_persistence_12"] == pytest.approx(share_t[72] / share_t[60])


def test_trace_reads_the_configured_rates_and_no_dropout_when_nobody_may_leave():
    model = VillageModel(seed=3, months=72, dropout_rate=0.0, patron_interest=0.23, group_interest=0.017,
                         cohesion_noise=0.0, dissolve_cohesion=0.0, rate_competition=0.0,
                         organised_rate_penalty=0.0, **SMALL)
    trace = Trace.record(model)
    m = trace.metrics(model)
    assert m["patron_rate_charged"] == pytest.approx(0.23)
    assert m["group_rate_charged"] == pytest.approx(0.017)
    assert m["rate_ratio"] == pytest.approx(0.23 / 0.017)
    assert m["groups_founded_programme"] > 0
    assert m["member_dropout_share"] == 0.0
    assert m["groups_dissolved_share_programme"] == 0.0
    assert model.p.group_min_size / 2 <= m["group_size_mean"] <= model.p.group_max_size


def test_patron_borrowing_share_spans_nobody_to_everybody():
    rich = VillageModel(seed=1, months=12, income_mean=3.0, shock_rate=0.0, season_amplitude=0.0,
                        interlinked_share=0.0, **SMALL)
    poor = VillageModel(seed=1, months=12, income_mean=0.5, wealth_mean=0.0, shock_rate=0.2, landless_share=0.0, **SMALL)
    assert Trace.record(rich).borrower_share(1, 12) == 0.0
    assert Trace.record(poor).borrower_share(1, 12) == 1.0


def test_runner_returns_every_metric_and_no_effects_without_programme():
    metrics, monthly = simulate({"village.width": 20, "village.height": 20, "village.months": 40,
                                 "programme.strategy": "baseline"}, seed=5)
    assert set(PATTERN_METRICS) <= set(metrics)
    assert len(monthly) == 41
    assert math.isnan(metrics["income_effect_30"]) and math.isnan(metrics["group_size_mean"])
    with_programme, _ = simulate({"village.width": 20, "village.height": 20, "village.months": EFFECT_MONTH},
                                 seed=5)
    assert math.isfinite(with_programme["self_reliant_effect_12"])


def test_target_miss_is_the_normalised_distance_outside_the_band():
    target = Target("t", "m", 10, 20, 5, PROGRAMME, "", "", "")
    assert target.miss(15) == 0.0
    assert target.miss(5) == pytest.approx(1.0)
    assert target.miss(30) == pytest.approx(2.0)
    assert target.miss(math.nan) == UNDEFINED_MISS
    floor = Target("f", "m", 1.0, math.inf, 0.25, PROGRAMME, "", "", "")
    assert floor.miss(1e9) == 0.0 and floor.miss(0.5) == pytest.approx(2.0)


def test_observe_gives_mean_range_and_verdict_per_scenario():
    target = Target("t", "m", 10, 20, 5, ("area_based", "hybrid", "baseline"), "", "src", "")
    runs = pd.DataFrame({
        "scenario": ["area_based"] * 21 + ["hybrid"] * 2,
        "m": list(np.arange(10.0, 31.0)) + [math.nan, math.nan],
        "status": ["ok"] * 23,
    })
    table = observe(runs, (target,)).set_index("scenario")
    assert table.loc["area_based", "mean"] == pytest.approx(20.0)
    assert table.loc["area_based", "p05"] == pytest.approx(11.0)
    assert table.loc["area_based", "p95"] == pytest.approx(29.0)
    assert table.loc["area_based", "status"] == "pass"
    assert table.loc["hybrid", "status"] == "undefined" and table.loc["hybrid", "defined"] == 0
    assert table.loc["baseline", "replicates"] == 0
    runs.loc[:20, "m"] += 5.0  # the mean, 25, leaves the band
    assert observe(runs, (target,)).set_index("scenario").loc["area_based", "status"] == "fail"


def test_targets_name_a_runner_metric_a_source_and_only_default_scenarios():
    assert len({t.name for t in TARGETS}) == len(TARGETS)
    for target in TARGETS:
        assert target.metric in PATTERN_METRICS
        assert target.source and target.reading
        assert set(target.scenarios) <= set(SCENARIOS)
        assert target.lo < target.hi and target.scale > 0


def test_validate_patterns_writes_every_target_row(tmp_path):
    out = tmp_path / "v"
    code = main(["validate-patterns", "--replicates", "1", "--serial", "--out", str(out),
                 "--set", "village.width=20", "--set", "village.height=20"])
    assert code == 0
    table = pd.read_csv(out / "patterns.csv")
    expected = {(t.name, s) for t in TARGETS for s in t.scenarios}
    assert set(zip(table["target"], table["scenario"])) == expected
    assert len(table) == len(expected)
    assert pd.read_parquet(out / "patterns.parquet").shape == table.shape
    assert (out / "patterns.png").stat().st_size > 0
    assert all(t.name in (out / "patterns.md").read_text() for t in TARGETS)


def test_validate_patterns_refuses_a_bad_override(tmp_path, capsys):
    assert main(["validate-patterns", "--out", str(tmp_path / "x"), "--set", "village.widht=20"]) == 2
    assert "village.width" in capsys.readouterr().err


def test_docs_validation_shows_the_targets_as_the_code_defines_them():
    text = (Path(__file__).resolve().parent.parent / "docs" / "validation.md").read_text()
    between = {
        name: text.split(f"<!-- {name}:start -->\n")[1].split(f"<!-- {name}:end -->")[0]
        for name in ("targets", "not-modelled")
    }
    assert between["targets"] == targets_markdown()
    assert between["not-modelled"] == not_modelled_markdown()
