"""Statistics and verdicts of the comparison, on synthetic tables with a known answer.

The synthetic experiment folders have exactly the engine's schema (runs/, monthly/,
experiment.json), so the same code that reads a real comparison reads them.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import fmt
from analysis.i18n import LABELS, t
from analysis.measures import COST, EFFECT, LASTING, MEASURES, outcomes
from analysis.stats import (
    compare_pairs,
    difference_interval,
    generator,
    mean_interval,
    paired_difference_interval,
    probability_higher,
    summarise,
)
from analysis.study import load
from analysis.verdict import cost, effect, lasting, sure
from sim.collect import COLUMNS, SUMMARY
from sim.errors import InputError

KEYS = [m.key for m in MEASURES]


def rng(*key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(20260, spawn_key=key))


def table(samples: dict[str, dict[str, np.ndarray]]) -> pd.DataFrame:
    """A per-run outcomes table: arm -> measure -> values (other measures 1.0)."""
    rows = []
    for arm, measures in samples.items():
        n = len(next(iter(measures.values())))
        for i in range(n):
            row = {"run_id": f"{arm}.{i}", "arm": arm, "replicate": i, "seed": 1000 + i, **{k: 1.0 for k in KEYS}}
            row.update({k: float(v[i]) for k, v in measures.items()})
            rows.append(row)
    return pd.DataFrame(rows)


def analyse(samples, arms, seed=3, paired=False):
    frame = table(samples)
    return summarise(frame, arms, KEYS, seed), compare_pairs(frame, arms, KEYS, seed, paired=paired)


# --- the statistics -----------------------------------------------------------------------------


def test_a_known_difference_is_found_with_the_right_sign():
    high = rng(1).normal(0.30, 0.05, 30)
    low = rng(2).normal(0.20, 0.05, 30)
    e = difference_interval(high, low, generator(1, 0))
    assert e.low > 0 and e.clear
    assert e.low < 0.10 < e.high  # the true difference lies inside
    flipped = difference_interval(low, high, generator(1, 0))
    assert flipped.high < 0 and flipped.clear
    assert probability_higher(high, low) > 0.85
    assert probability_higher(low, high) == pytest.approx(1 - probability_higher(high, low))


def test_identical_samples_give_no_clear_difference():
    values = rng(3).normal(0.25, 0.05, 30)
    e = difference_interval(values, rng(4).permutation(values), generator(1, 0))
    assert e.value == pytest.approx(0.0, abs=1e-12)
    assert e.low < 0 < e.high and not e.clear
    assert probability_higher(values, values) == pytest.approx(0.5)


def test_same_distribution_is_rarely_called_clear_and_a_large_difference_always():
    """Over many seeds the 95% interval calls a non-existent difference clear about 5% of the time."""
    false_alarms = sum(
        difference_interval(rng(10, i).normal(0, 1, 30), rng(11, i).normal(0, 1, 30), generator(2, i)).clear
        for i in range(200)
    )
    assert false_alarms <= 20  # 10%; the expected count is 10
    hits = sum(
        difference_interval(rng(12, i).normal(1, 1, 30), rng(13, i).normal(0, 1, 30), generator(3, i)).clear
        for i in range(50)
    )
    assert hits >= 45  # one standard deviation with 30 replicates: power above 95%


def test_the_mean_interval_covers_the_true_mean_about_95_percent_of_the_time():
    covered = 0
    for i in range(200):
        e = mean_interval(rng(20, i).normal(0.4, 0.1, 30), generator(4, i))
        covered += e.low <= 0.4 <= e.high
    assert 170 <= covered <= 200


def test_ties_count_half_in_the_chance_of_beating():
    assert probability_higher([1, 2, 3], [2]) == pytest.approx(0.5)
    assert probability_higher([2, 2], [2, 2]) == pytest.approx(0.5)
    assert probability_higher([3, 4], [1, 2]) == 1.0
    assert probability_higher([1, np.nan], [0]) == 1.0


def test_nan_is_dropped_and_counted():
    e = mean_interval([0.1, np.nan, 0.3, 0.2, np.nan], generator(5))
    assert (e.n, e.missing) == (3, 2)
    assert e.value == pytest.approx(0.2)
    assert mean_interval([np.nan, np.nan], generator(5)).n == 0
    d = difference_interval([1.0, np.nan, 2.0], [0.0, 0.5], generator(5))
    assert d.missing == 1


def test_constant_values_give_a_point_interval():
    e = mean_interval(np.zeros(30), generator(6))
    assert (e.value, e.low, e.high) == (0.0, 0.0, 0.0)
    d = difference_interval(np.ones(10), np.zeros(10), generator(6))
    assert (d.low, d.high) == (1.0, 1.0) and d.clear


def test_intervals_are_reproducible_from_the_seed():
    samples = {"a": {EFFECT: rng(7).normal(0.3, 0.1, 12)}, "b": {EFFECT: rng(8).normal(0.3, 0.1, 12)}}
    first, again = analyse(samples, ["a", "b"], seed=9), analyse(samples, ["a", "b"], seed=9)
    pd.testing.assert_frame_equal(first[0], again[0])
    pd.testing.assert_frame_equal(first[1], again[1])


def test_every_pair_is_compared_once_per_measure():
    arms = ["a", "b", "c", "d"]
    samples = {a: {EFFECT: rng(30, i).normal(0.2, 0.05, 5)} for i, a in enumerate(arms)}
    summary, pairs = analyse(samples, arms)
    assert len(summary) == len(arms) * len(KEYS)
    assert len(pairs) == 6 * len(KEYS)
    assert set(map(tuple, pairs[["a", "b"]].drop_duplicates().to_numpy())) == {
        ("a", "b"),
        ("a", "c"),
        ("a", "d"),
        ("b", "c"),
        ("b", "d"),
        ("c", "d"),
    }


# --- paired replicates --------------------------------------------------------------------------


def shared_villages(n=30):
    """Replicate r of both arms on one village: a large shared village effect, b = a less 0.02, small noise."""
    village = rng(100).normal(0.0, 0.15, n)
    a = 0.30 + village + rng(101).normal(0.0, 0.01, n)
    b = 0.30 + village - 0.02 + rng(102).normal(0.0, 0.01, n)
    return a, b


def test_paired_replicates_find_a_small_difference_that_shared_variation_hides_from_independent_samples():
    a, b = shared_villages()
    frame = table({"a": {EFFECT: a}, "b": {EFFECT: b}})
    paired = compare_pairs(frame, ["a", "b"], [EFFECT], seed=3, paired=True).iloc[0]
    independent = compare_pairs(frame, ["a", "b"], [EFFECT], seed=3).iloc[0]
    assert paired["paired"] and paired["n_pairs"] == 30 and not independent["paired"]
    assert paired["difference"] == pytest.approx(independent["difference"])  # same mean, other spread
    assert paired["clear"] and 0 < paired["low"] < 0.02 < paired["high"]
    assert not independent["clear"] and independent["low"] < 0 < independent["high"]
    assert (paired["high"] - paired["low"]) < (independent["high"] - independent["low"]) / 5


def test_identical_paired_values_give_no_clear_difference():
    values, _ = shared_villages()
    samples = {"p": {EFFECT: values}, "q": {EFFECT: values.copy()}}
    summary, pairs = analyse(samples, ["p", "q"], paired=True)
    row = pairs[pairs["measure"] == EFFECT].iloc[0]
    assert row["difference"] == 0 and not row["clear"] and row["p_a_higher"] == 0.5
    for lang in ("en", "id"):
        v = effect(summary, pairs, ["p", "q"], lang)
        assert v.short == t("report.effect_sum_none", lang)
        assert t("report.not_clear", lang) in v.details[0]


def test_paired_chance_of_beating_is_the_share_of_replicates_matched_by_seed():
    x = np.array([5.0, 1.0, 2.0, 3.0, 4.0, 6.0, 0.5, 2.0, np.nan, 7.0])
    y = np.array([4.0, 0.0, 9.0, 3.0, 8.0, 5.0, 0.0, 1.0, 1.0, 6.5])
    frame = table({"x": {EFFECT: x}, "y": {EFFECT: y}})
    frame = frame.sample(frac=1.0, random_state=np.random.RandomState(4))  # matched by seed, not by row order
    row = compare_pairs(frame, ["x", "y"], [EFFECT], seed=1, paired=True).iloc[0]
    kept = ~np.isnan(x)
    share = ((x[kept] > y[kept]).sum() + 0.5 * (x[kept] == y[kept]).sum()) / kept.sum()
    assert row["p_a_higher"] == share
    assert row["p_a_higher"] != pytest.approx(probability_higher(x, y))  # not the all-pairs chance
    assert (row["n_pairs"], row["n_a"], row["n_b"]) == (9, 9, 10)
    assert row["difference"] == pytest.approx(np.mean(x[kept] - y[kept]))
    reverse = compare_pairs(frame, ["y", "x"], [EFFECT], seed=1, paired=True).iloc[0]
    assert reverse["p_a_higher"] == pytest.approx(1 - share)


def test_pairs_are_the_seeds_both_arms_ran_and_a_seed_run_twice_is_refused():
    x, y = rng(112).normal(0.3, 0.05, 10), rng(113).normal(0.2, 0.05, 10)
    frame = table({"a": {EFFECT: x}, "b": {EFFECT: y}})
    lost = [2, 5, 8]  # villages b did not run
    frame = frame[~((frame["arm"] == "b") & frame["replicate"].isin(lost))]
    frame = frame.sample(frac=1.0, random_state=np.random.RandomState(5))
    row = compare_pairs(frame, ["a", "b"], [EFFECT], seed=1, paired=True).iloc[0]
    kept = np.setdiff1d(np.arange(10), lost)
    assert (row["n_pairs"], row["n_a"], row["n_b"]) == (7, 10, 7)
    assert row["difference"] == pytest.approx(np.mean(x[kept] - y[kept]))
    twice = pd.concat([frame, frame[frame["arm"] == "a"].iloc[:1]])
    with pytest.raises(ValueError, match="two runs with one seed"):
        compare_pairs(twice, ["a", "b"], [EFFECT], seed=1, paired=True)


def test_arms_that_share_no_seed_are_compared_as_independent_samples():
    frame = table({"a": {EFFECT: rng(110).normal(0.3, 0.05, 10)}, "b": {EFFECT: rng(111).normal(0.3, 0.05, 10)}})
    frame.loc[frame["arm"] == "b", "seed"] += 500  # another sweep point: other seeds
    pairs = compare_pairs(frame, ["a", "b"], [EFFECT], seed=2, paired=True)
    independent = compare_pairs(frame, ["a", "b"], [EFFECT], seed=2)
    assert not pairs["paired"].any() and pairs["n_pairs"].isna().all()
    pd.testing.assert_frame_equal(pairs, independent)


# --- measures read from the tables -------------------------------------------------------------


def test_horizon_and_run_mean_measures_come_from_the_monthly_table():
    months = np.arange(5)
    monthly = pd.DataFrame({c: np.zeros(5) for c in COLUMNS})
    monthly["month"] = months
    monthly["dependency"] = [0.6, 0.55, 0.5, 0.45, 0.4]
    monthly["patron_rent"] = [0.0, 0.1, 0.2, 0.3, 0.4]  # month 0 takes no rent
    monthly["groups_mature"] = [0, 0, 1, 2, 3]
    monthly["facilitator_months"] = [0, 4, 8, 12, 16]
    monthly.insert(0, "run_id", "x.p000.r000")
    shuffled = monthly.sample(frac=1.0, random_state=np.random.RandomState(1))
    runs = pd.DataFrame([{"run_id": "x.p000.r000", "arm": "x", "replicate": 0, "seed": 7, **{k: 0.5 for k in SUMMARY}}])
    row = outcomes(runs, shuffled).iloc[0]
    assert row["dependency_horizon"] == pytest.approx(0.4)
    assert row["patron_rent_mean"] == pytest.approx(0.25)
    assert row["groups_mature_horizon"] == 3
    assert row["facilitator_months_total"] == 16
    assert row[EFFECT] == 0.5


# --- verdicts ------------------------------------------------------------------------------------


def test_the_verdict_names_the_arm_with_the_higher_share_and_calls_it_clear():
    samples = {
        "p": {EFFECT: rng(40).normal(0.10, 0.02, 30), LASTING: rng(41).normal(0.12, 0.02, 30)},
        "q": {EFFECT: rng(42).normal(0.20, 0.02, 30), LASTING: rng(43).normal(0.22, 0.02, 30)},
    }
    summary, pairs = analyse(samples, ["p", "q"])
    v = effect(summary, pairs, ["p", "q"], "en")
    assert v.headline[0].startswith("q ")
    assert "clearly" in " ".join(v.headline) and "no clear difference" not in v.short
    assert re.search(r"\+(9\.[5-9]|10\.[0-4]) points", v.details[0])  # about 10 points, to a tenth


def test_the_verdict_says_no_clear_difference_for_the_same_distribution():
    values = rng(50).normal(0.2, 0.05, 30)
    samples = {"p": {EFFECT: values}, "q": {EFFECT: rng(51).permutation(values)}}
    summary, pairs = analyse(samples, ["p", "q"])
    for lang in ("en", "id"):
        v = effect(summary, pairs, ["p", "q"], lang)
        assert v.short == t("report.effect_sum_none", lang)
        assert t("report.not_clear", lang) in v.details[0]
        assert t("report.effect_none_clear", lang).split("{")[0] in v.headline[0]


def test_the_verdict_groups_arms_tied_with_the_leader():
    a = rng(60).normal(0.30, 0.02, 30)
    samples = {
        "a": {EFFECT: a},
        "b": {EFFECT: rng(61).permutation(a) - 0.001},
        "c": {EFFECT: rng(62).normal(0.10, 0.02, 30)},
    }
    summary, pairs = analyse(samples, ["a", "b", "c"])
    v = effect(summary, pairs, ["a", "b", "c"], "en")
    assert "a (30%) and b (30%)" in v.short and "no clear difference between them" in v.short
    assert "clearly ahead of c" in " ".join(v.headline)


def test_cost_leaves_out_arms_without_facilitators_and_wants_the_lowest():
    samples = {
        "none": {COST: np.zeros(20), "facilitator_months_total": np.zeros(20)},
        "dear": {COST: rng(70).normal(5.0, 0.5, 20), "facilitator_months_total": np.full(20, 300.0)},
        "cheap": {COST: rng(71).normal(1.0, 0.2, 20), "facilitator_months_total": np.full(20, 200.0)},
    }
    arms = ["none", "dear", "cheap"]
    summary, pairs = analyse(samples, arms)
    v = cost(summary, pairs, arms, "en")
    assert v.headline[0].startswith("cheap ")
    assert "none fielded no facilitators" in " ".join(v.headline)
    assert all("none" not in d for d in v.details)


def test_equal_facilitator_months_are_not_called_cheaper_and_the_total_cost_is_said():
    """With the same staff input everywhere, facilitator-months per self-reliant household only
    restate the effect: the summary says so and gives each strategy's total cost instead."""
    samples = {
        "dear": {
            COST: rng(72).normal(5.0, 0.5, 20),
            "facilitator_months_total": np.full(20, 218.0),
            "programme_cost_rp": np.full(20, 1.8e9),
        },
        "cheap": {
            COST: rng(73).normal(1.0, 0.2, 20),
            "facilitator_months_total": np.full(20, 218.0),
            "programme_cost_rp": np.full(20, 1.1e9),
        },
    }
    summary, pairs = analyse(samples, ["dear", "cheap"])
    for lang in ("en", "id"):
        v = cost(summary, pairs, ["dear", "cheap"], lang)
        said = t("report.same_effort", lang).format(months="218")
        assert v.headline[0] == said and v.details == []
        assert "cheaper" not in v.short and "hemat" not in v.short
        assert "facilitator-months" not in v.short and "bulan kerja" not in v.short
        assert t("report.total_cost", lang).split("{")[0] in v.short
        assert "1.800" in v.short or "1,800" in v.short


def test_lasting_says_when_the_runs_stop_at_the_programme_end():
    samples = {"p": {LASTING: rng(80).normal(0.1, 0.02, 10)}, "q": {LASTING: rng(81).normal(0.1, 0.02, 10)}}
    summary, pairs = analyse(samples, ["p", "q"])
    assert t("report.lasting_no_after", "en") in lasting(summary, pairs, ["p", "q"], "en", 0).headline
    after = lasting(summary, pairs, ["p", "q"], "en", 24)
    assert t("report.lasting_when", "en").format(months=24) in after.headline


def test_sure_reports_replicates_failures_and_left_out_values():
    samples = {
        "p": {EFFECT: np.r_[rng(90).normal(0.1, 0.02, 8), np.nan, np.nan]},
        "q": {EFFECT: rng(91).normal(0.2, 0.02, 10)},
    }
    summary, pairs = analyse(samples, ["p", "q"])
    v = sure(summary, pairs, ["p", "q"], "en", {"p": 10, "q": 10}, failed=2)
    text = " ".join(v.headline + v.details)
    assert "run 10 times" in text and "2 runs failed" in text
    assert (
        t("report.sure_missing_part", "en").format(arm="p", measure=t(f"report.{EFFECT}", "en"), missing=2, total=10)
        in text
    )
    assert text.count(t("report.sure_missing_all", "en").split("{")[0]) == 1  # said once


# --- formatting and translations ----------------------------------------------------------------


def test_numbers_use_the_reader_s_decimal_mark():
    assert fmt.number(1234.5, "en", 1) == "1,234.5"
    assert fmt.number(1234.5, "id", 1) == "1.234,5"
    assert fmt.value(0.256, "share", "id") == "26%"
    assert fmt.difference(-0.04, "share", "en") == "\u22124.0 points"
    assert fmt.difference(0.01, "share", "en") == "+1.0 point"
    assert fmt.interval(0.02, 0.05, "share", "id", sign=True) == "+2,0 hingga +5,0 poin"
    assert fmt.value(12_345_678, "rupiah", "id") == "Rp12,3 juta"
    assert fmt.number(float("nan"), "en", 2) == t("report.na", "en")


def test_a_difference_is_clear_only_when_its_interval_as_printed_excludes_zero():
    assert fmt.excludes_zero(0.004, 0.02, "share")  # +0.4 to +2.0 points
    assert not fmt.excludes_zero(0.0004, 0.02, "share")  # prints as +0.0 to +2.0 points
    assert not fmt.excludes_zero(-0.03, -0.0004, "share")
    assert fmt.excludes_zero(-0.03, -0.0006, "share")  # -3.0 to -0.1
    assert not fmt.excludes_zero(float("nan"), 0.2, "share")


def test_axis_ticks_sit_at_round_values_and_keep_their_decimals():
    from analysis.figures import tick

    assert tick(0.025, "en", 100.0, "%") == "2.5%" and tick(0.075, "en", 100.0, "%") == "7.5%"
    assert tick(0.075, "id", 100.0, "%") == "7,5%" and tick(0.1, "en", 100.0, "%") == "10%"


def test_every_report_label_exists_in_both_languages_with_the_same_placeholders():
    fields = string.Formatter()
    for key, labels in LABELS.items():
        if not key.startswith("report."):
            continue
        assert set(labels) == {"en", "id"} and all(labels.values()), key
        names = [{f for _, f, _, _ in fields.parse(labels[lang]) if f} for lang in ("en", "id")]
        assert names[0] == names[1], key


def test_the_report_code_uses_only_labels_that_exist():
    root = Path(fmt.__file__).parent
    mine = ("study", "measures", "stats", "fmt", "verdict", "figures", "report")
    text = "".join((root / f"{m}.py").read_text() for m in mine)
    for key in set(re.findall(r't\("(report\.[a-z0-9_]+)"', text)):
        assert key in LABELS, key


# --- reading a stored experiment ----------------------------------------------------------------


def write_experiment(out, arms: dict[str, np.ndarray], months: int = 4, failed: int = 0) -> None:
    """A synthetic experiment folder in the engine's schema; ``arms`` holds each run's final share."""
    (out / "runs").mkdir(parents=True)
    (out / "monthly").mkdir()
    runs, monthly = [], []
    for arm, finals in arms.items():
        for r, final in enumerate(finals):
            run_id = f"{arm}.p000.r{r:03d}"
            status = "failed" if r < failed else "ok"
            runs.append(
                {
                    "run_id": run_id,
                    "scenario": arm,
                    "point": 0,
                    "replicate": r,
                    "seed": r,
                    "self_reliant_share_programme_end": final / 2,
                    "self_reliant_share_horizon": final,
                    "sustainability": 2.0,
                    "facilitator_months_per_self_reliant": 1.0,
                    "months_to_half_gain": 2.0,
                    "wall_time": 0.1,
                    "status": status,
                    "error": "ValueError: boom" if status == "failed" else "",
                }
            )
            frame = pd.DataFrame({c: np.linspace(0, final, months + 1) for c in COLUMNS})
            frame["month"] = np.arange(months + 1)
            frame.insert(0, "run_id", run_id)
            monthly.append(frame)
    pd.DataFrame(runs).to_parquet(out / "runs" / "part-0.parquet")
    pd.concat(monthly).to_parquet(out / "monthly" / "part-0.parquet")
    params = {
        a: {
            "village.width": 10,
            "programme.strategy": a,
            "facilitators.n_facilitators": 2,
            "programme.programme_months": 2,
            "village.months": months,
        }
        for a in arms
    }
    (out / "experiment.json").write_text(
        json.dumps(
            {
                "seed": 5,
                "replicates": max(len(v) for v in arms.values()),
                "points": [{}],
                "swept": [],
                "scenarios": [{"name": a, "path": f"{a}.toml", "params": params[a]} for a in arms],
            }
        )
    )


def test_a_stored_experiment_is_read_in_scenario_order_with_failures_apart(tmp_path):
    write_experiment(tmp_path, {"zeta": np.full(4, 0.2), "alpha": np.full(4, 0.1)}, failed=1)
    study = load(tmp_path)
    assert study.arms == ["zeta", "alpha"]
    assert study.replicates == {"zeta": 3, "alpha": 3}
    assert len(study.failed) == 2
    assert set(study.monthly["run_id"]) == set(study.runs["run_id"])
    assert study.arm_params["alpha"]["programme.strategy"] == "alpha"


@pytest.mark.parametrize("problem", ["missing", "empty", "no-record"])
def test_a_folder_without_results_is_an_input_error(tmp_path, problem):
    if problem == "empty":
        (tmp_path / "experiment.json").write_text(json.dumps({"seed": 0, "scenarios": []}))
    elif problem == "no-record":
        (tmp_path / "runs").mkdir()
    target = tmp_path / "nowhere" if problem == "missing" else tmp_path
    with pytest.raises(InputError, match=re.escape(str(target))):
        load(target)


def test_a_folder_where_every_run_failed_says_so(tmp_path):
    write_experiment(tmp_path, {"a": np.full(2, 0.1)}, failed=2)
    with pytest.raises(InputError, match="every run failed.*boom"):
        load(tmp_path)


def test_a_strategy_alone_is_not_called_the_best():
    samples = {
        "none": {COST: np.zeros(10), "facilitator_months_total": np.zeros(10)},
        "only": {COST: rng(95).normal(3.0, 0.5, 10), "facilitator_months_total": np.full(10, 50.0)},
    }
    summary, pairs = analyse(samples, ["none", "only"])
    v = cost(summary, pairs, ["none", "only"], "en")
    assert v.headline[0].startswith(f"{t('report.' + COST, 'en')}, only:")
    assert "fewest" not in v.short and not v.details


def test_a_single_replicate_gives_no_interval_and_no_clear_difference():
    """One value says nothing about spread: no interval, so never 'clear', paired or not."""
    rng = np.random.default_rng(0)
    one = mean_interval([0.3], rng)
    assert one.value == 0.3 and np.isnan(one.low) and np.isnan(one.high) and not one.clear
    assert not difference_interval([0.5], [0.1], rng).clear
    assert not paired_difference_interval([0.5], [0.1], rng).clear
