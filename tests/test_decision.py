"""Decision analysis, each method on a constructed case whose answer is known (``analysis.decision``).

Cost-effectiveness (ratio of means, dominance, extended dominance), acceptability, regret and
the value of information by regression; the ratio-of-means summaries and the minimum number of
runs below which no difference is called clear (``analysis.stats``); and the refusal of a bad
``--willingness-to-pay``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import decision
from analysis.stats import MIN_CLEAR, generator, paired_difference_interval, ratio_interval
from berdaya.cli import main


def _worlds(n: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    return rng, rng.random(n), rng.random(n)


def test_the_evppi_of_a_parameter_that_cannot_change_the_decision_is_about_zero():
    rng, relevant, irrelevant = _worlds(4000)
    a = 10 + rng.normal(0, 1, len(relevant))
    b = 10 + 4 * (relevant - 0.5) + rng.normal(0, 1, len(relevant))  # b beats a exactly when relevant > 0.5
    benefit = np.column_stack([a, b])
    # perfect knowledge of `relevant` picks b only where it is better: E[max(0, 4(U - 1/2))] = 1/2
    assert decision.evppi(relevant, benefit) == pytest.approx(0.5, abs=0.05)
    assert decision.evppi(irrelevant, benefit) < 0.05
    far_apart = np.column_stack([a, a - 20 + 4 * relevant])  # b never wins, whatever `relevant` is
    assert decision.evppi(relevant, far_apart) == 0.0


def test_the_evppi_interval_holds_the_estimate_and_is_reproducible():
    rng, theta, _ = _worlds(60)
    benefit = np.column_stack([rng.normal(0, 1, 60), 3 * (theta - 0.5) + rng.normal(0, 1, 60)])
    value, low, high = decision.evppi_interval(theta, benefit, 0, 1)
    assert low <= value <= high
    assert decision.evppi_interval(theta, benefit, 0, 1) == (value, low, high)


def test_a_planted_switch_point_is_recovered():
    rng, theta, _ = _worlds(3000)
    planted = 0.3
    a = rng.normal(0, 1, len(theta))
    b = 5 * (theta - planted) + rng.normal(0, 1, len(theta))  # b better above the planted value
    strategy, value, side = decision.switch_at(theta, np.column_stack([a, b]), ["a", "b"])
    assert strategy == "a" and side == "below"
    assert value == pytest.approx(planted, abs=0.05)
    assert decision.switch_at(theta, np.column_stack([a + 50, b]), ["a", "b"]) is None


def test_a_planted_switch_point_is_recovered_within_its_interval():
    """Runs along a parameter (``switch_points.csv``): the leader's margin falls through zero at 0.3."""
    rng = np.random.default_rng(5)
    grid = np.linspace(0, 1, 6)
    planted = 0.3
    margins = (planted - grid)[None, :] + rng.normal(0, 0.2, (40, len(grid)))
    value, low, high = decision.switch_point(grid, margins, 0)
    assert low <= planted <= high and high - low < 0.3
    assert value == pytest.approx(planted, abs=0.1)
    steady = (2 - grid)[None, :] + rng.normal(0, 0.2, (40, len(grid)))  # the leader stays ahead throughout
    assert all(np.isnan(decision.switch_point(grid, steady, 0)))


def test_dominated_and_extendedly_dominated_strategies_are_marked():
    cost = {"none": 0, "cheap": 10, "mid": 20, "dear": 30, "waste": 25}
    effect = {"none": 0, "cheap": 1, "mid": 5, "dear": 6, "waste": 4}
    status = decision.dominance(cost, effect)
    assert status["waste"] == decision.DOMINATED  # mid costs less and gives more
    assert status["cheap"] == decision.EXTENDED  # 10 per unit, then 2.5 per unit from cheap to mid
    assert {status[a] for a in ("none", "mid", "dear")} == {decision.FRONTIER}


def test_the_cost_per_additional_household_is_a_ratio_of_means_with_a_paired_interval():
    n = 40
    rng = np.random.default_rng(3)
    gain = rng.uniform(1, 9, n)
    costs = pd.DataFrame({"none": np.zeros(n), "prog": 100 * gain + rng.normal(0, 50, n)})
    effects = pd.DataFrame({"none": np.zeros(n), "prog": gain})
    row = decision.cost_effectiveness(costs, effects, "none", 0).set_index("strategy").loc["prog"]
    assert row["icer"] == pytest.approx(costs["prog"].mean() / gain.mean())
    assert row["icer"] != pytest.approx((costs["prog"] / gain).mean(), rel=1e-3)
    assert row["low"] < row["icer"] < row["high"]
    assert 90 < row["low"] and row["high"] < 110
    # a gain that may be nil has no interval: the ratio has no upper bound
    effects["prog"] = rng.normal(0.1, 1, n)
    unsure = decision.cost_effectiveness(costs, effects, "none", 0).set_index("strategy").loc["prog"]
    assert np.isnan(unsure["low"]) and np.isnan(unsure["high"])


def test_acceptability_counts_the_worlds_where_a_strategy_is_the_best_buy():
    costs = pd.DataFrame({"none": [0.0, 0.0, 0.0, 0.0], "prog": [10.0, 10.0, 10.0, 10.0]})
    effects = pd.DataFrame({"none": [0.0, 0.0, 0.0, 0.0], "prog": [1.0, 2.0, 4.0, 8.0]})
    rows = decision.acceptability(costs, effects, [0.0, 3.0, 100.0])
    prog = rows[rows["strategy"] == "prog"].set_index("wtp_rp")["probability_cost_effective"]
    assert list(prog) == [0.0, 0.5, 1.0]  # at 3 per household, prog pays only where it gives 4 or 8
    assert rows.groupby("wtp_rp")["probability_cost_effective"].sum().tolist() == [1.0, 1.0, 1.0]


def test_regret_is_the_shortfall_from_the_best_strategy_of_each_world():
    values = pd.DataFrame({"steady": [5.0, 5.0, 5.0], "risky": [9.0, 9.0, 0.0]})
    rows = decision.regret(values, "m").set_index("strategy")
    assert rows.loc["steady", "max_regret"] == 4.0 and rows.loc["risky", "max_regret"] == 5.0
    assert rows.loc["risky", "mean_regret"] == pytest.approx(5 / 3)  # the better mean, the worse worst case
    lower = decision.regret(values, "m", higher=False).set_index("strategy")
    assert lower.loc["risky", "max_regret"] == 4.0


def test_a_ratio_is_summarised_as_a_ratio_of_means():
    numerator, denominator = np.array([1.0, 9.0]), np.array([1.0, 3.0])  # per-run ratios 1 and 3
    e = ratio_interval(numerator, denominator, generator(0))
    assert e.value == pytest.approx(10 / 4)  # not the mean of per-run ratios, 2
    assert ratio_interval([0.0, 0.0], [0.0, 2.0], generator(0)).value == 0.0  # nothing spent costs nothing
    assert np.isnan(ratio_interval([1.0, 2.0], [0.0, 0.0], generator(0)).value)


def test_no_difference_is_clear_below_the_minimum_number_of_runs():
    few = paired_difference_interval(np.arange(MIN_CLEAR - 1) + 10.0, np.zeros(MIN_CLEAR - 1), generator(0))
    enough = paired_difference_interval(np.arange(MIN_CLEAR) + 10.0, np.zeros(MIN_CLEAR), generator(0))
    assert few.low > 0 and not few.clear
    assert enough.clear


@pytest.mark.parametrize("given", ["abc", "-5", "", "1e8,", "nan"])
def test_a_bad_willingness_to_pay_is_one_line_and_exit_status_2(given, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["compare", "--willingness-to-pay", given, "--out", str(tmp_path / "x")])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert "--willingness-to-pay" in err[-1] and "Traceback" not in "\n".join(err)
    assert not (tmp_path / "x").exists()


def test_the_level_field_is_the_route_alone_read_from_the_factorial():
    """Only the factor that switches the strategy set as in the leader, everything else as in the other."""
    from analysis import decomposition

    route = next(f for f, keys in decomposition.FACTORS.items() if "programme.strategy" in keys)
    other = next(f for f in decomposition.FACTORS if f != route)
    record = {
        "replicates": 4,
        "cells": [
            {"name": "none", "strategy": "a", "against": "b", "switched": [], "comparison_arm": "b"},
            {"name": "route", "strategy": "a", "against": "b", "switched": [route], "comparison_arm": None},
            {"name": "rest", "strategy": "a", "against": "b", "switched": [other], "comparison_arm": None},
            {"name": "all", "strategy": "a", "against": "b", "switched": [route, other], "comparison_arm": "a"},
        ],
    }
    replicate = list(range(4)) * 2
    main = pd.DataFrame({"arm": ["a"] * 4 + ["b"] * 4, "replicate": replicate, "m": [0.9] * 4 + [0.1, 0.2, 0.1, 0.2]})
    cells = pd.DataFrame(
        {"arm": ["route"] * 4 + ["rest"] * 4, "replicate": replicate, "m": [0.4, 0.5, 0.4, 0.5] + [0.6] * 4}
    )
    level = decomposition.level_field(record, main, cells, "m", 0).iloc[0]
    assert (level["strategy"], level["against"], level["n"]) == ("a", "b", 4)
    assert level["difference"] == pytest.approx(0.3)  # the route alone: 0.45 against 0.15, not 0.9 against 0.15


def test_a_strategy_split_between_worlds_is_said_to_be():
    from analysis.report import spread_sentences

    per_run = pd.DataFrame({"arm": ["split"] * 10 + ["even"] * 10, "m": [0.0] * 5 + [0.8] * 5 + [0.3] * 10})
    said = spread_sentences(per_run, ["split", "even"], "m", "en")
    assert len(said) == 2 and said[1].startswith("split is split") and "50%" in said[1]
    assert "even 30% to 30%" in said[0]
