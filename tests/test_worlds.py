"""Plausible worlds and where a difference comes from: draws, Shapley values, partial rank correlations."""

from __future__ import annotations

import itertools
import json
import re

import numpy as np
import pandas as pd
import pytest

from analysis.decomposition import (
    cell_values,
    factors_between,
    interactions,
    plan_cells,
    shapley,
    split_reach,
    subsets,
)
from analysis.i18n import t
from analysis.stats import partial_rank_correlations
from experiments.engine import plan
from experiments.spec import make_experiment
from experiments.worlds import LOG_FROM, draw, plausible_ranges
from sim.params import Params

SCENARIOS = ["baseline", "area_based", "enterprise_based", "hybrid"]


def _values(contribution, replicates: int = 5) -> dict[frozenset[str], np.ndarray]:
    """Cell values of a synthetic factorial: ``contribution(subset)`` plus noise shared by every cell."""
    noise = np.random.default_rng(3).normal(size=replicates)
    return {s: contribution(s) + noise for s in subsets(["a", "b", "c"])}


def test_shapley_values_recover_additive_contributions():
    effects = {"a": 3.0, "b": -1.0, "c": 0.5}
    phi = shapley(_values(lambda s: sum(effects[f] for f in s)), ["a", "b", "c"])
    for factor, effect in effects.items():
        assert phi[factor] == pytest.approx(np.full(5, effect))


def test_an_interaction_is_shared_equally_and_the_shares_add_up_to_the_difference():
    values = _values(lambda s: 2.0 * ("a" in s) + 1.0 * ("b" in s) + 4.0 * ({"a", "b"} <= s))
    phi = shapley(values, ["a", "b", "c"])
    assert phi["a"] == pytest.approx(np.full(5, 4.0))  # 2 + half of the interaction
    assert phi["b"] == pytest.approx(np.full(5, 3.0))
    assert phi["c"] == pytest.approx(np.zeros(5))
    total = values[frozenset("abc")] - values[frozenset()]
    assert sum(phi.values()) == pytest.approx(total)
    pair = interactions(values, ["a", "b", "c"])
    assert pair[("a", "b")] == pytest.approx(np.full(5, 4.0))
    assert pair[("a", "c")] == pytest.approx(np.zeros(5))


def test_the_factors_are_the_switches_in_which_two_presets_differ_and_cells_stay_valid():
    plans = {s: plan(make_experiment([s]))[1]["scenarios"][0]["params"] for s in SCENARIOS}
    assert factors_between(plans["hybrid"], plans["area_based"]) == [
        "mode",
        "management",
        "knowledge_manager",
        "networks",
    ]
    assert factors_between(plans["hybrid"], plans["enterprise_based"]) == ["mode"]
    for switched in subsets(["mode", "management", "knowledge_manager", "networks"]):
        values = cell_values(plans["hybrid"], plans["area_based"], switched)
        params = Params(**{k.partition(".")[2]: v for k, v in {**plans["area_based"], **values}.items()})
        assert (params.strategy == "hybrid") == ("mode" in switched)
        assert (params.project_management == "community") == ("management" in switched)
        assert params.knowledge_manager == ("knowledge_manager" in switched)
        # networks off under a mode that organises through them: kept as places, no bonuses
        bonuses = params.organic_premium + params.radio_gain + params.paralegal_protection
        assert (bool(params.networks) and bonuses > 0) == ("networks" in switched)


def test_a_pair_that_differs_in_mode_alone_splits_off_what_the_network_bonuses_reach():
    """Enterprise-based against the hybrid: mode with the bonuses zero in both, then the bonuses' reach."""
    plans = {s: plan(make_experiment([s]))[1]["scenarios"][0]["params"] for s in SCENARIOS}
    cells = plan_cells(plans, "enterprise_based", ["hybrid", "area_based"])
    reach = [c for c in cells if c.against == "hybrid"]
    assert {c.switched for c in reach} == set(subsets(["mode", "networks"])) and all(c.reach for c in reach)
    assert not any(c.reach for c in cells if c.against == "area_based")
    for cell in reach:
        params = Params(**{k.partition(".")[2]: v for k, v in {**plans["hybrid"], **cell.values}.items()})
        assert (params.strategy == "enterprise_based") == ("mode" in cell.switched)
        assert (params.radio_gain > 0 and params.organic_premium > 0) == ("networks" in cell.switched)
    values = {s: np.array([float(len(s)) + 2.0 * ({"mode", "networks"} <= s)]) for s in subsets(["mode", "networks"])}
    parts = split_reach(values)
    assert parts["mode"] == pytest.approx([1.0]) and parts["networks"] == pytest.approx([2.0])
    whole = values[frozenset({"mode", "networks"})] - values[frozenset({"networks"})]
    assert parts["mode"] + parts["networks"] == pytest.approx(whole)


def test_each_replicate_draws_every_assumed_parameter_once_for_every_strategy_inside_its_range():
    ranges = plausible_ranges()
    runs, _ = plan(
        make_experiment(SCENARIOS, replicates=6, paired=True, worlds=ranges, overrides={"networks.radio_gain": 0.004})
    )
    assert ranges and "networks.radio_gain" in ranges
    by_replicate: dict[int, list[dict]] = {}
    for run in runs:
        by_replicate.setdefault(run.replicate, []).append(run.params)
    worlds = []
    for replicate, params in by_replicate.items():
        drawn = [{k: p[k] for k in ranges} for p in params]
        assert all(d == drawn[0] for d in drawn), f"replicate {replicate} differs between strategies"
        for key, (lo, hi) in ranges.items():
            assert lo <= drawn[0][key] <= hi, key
        assert drawn[0]["networks.radio_gain"] == 0.004  # given with --set: never drawn
        worlds.append(drawn[0])
    varying = [k for k in ranges if k != "networks.radio_gain"]
    assert all(len({w[k] for w in worlds}) > 1 for k in varying)
    assert draw(0, 2, ranges) == draw(0, 2, ranges) != draw(0, 3, ranges)


def test_each_assumption_is_drawn_around_its_stated_value():
    """PERT draws: the stated value is the mode, so the draws' mean is (lo + 4 default + hi) / 6,
    not the middle of the range; checked on the assumptions whose defaults sit furthest from it."""
    ranges = {
        k: v for k, v in plausible_ranges().items() if Params.model_fields[k.partition(".")[2]].annotation is float
    }
    place = {k: (Params.model_fields[k.partition(".")[2]].default - lo) / (hi - lo) for k, (lo, hi) in ranges.items()}
    off_centre = sorted(place, key=lambda k: -abs(place[k] - 0.5))[:5]
    assert abs(place[off_centre[0]] - 0.5) > 0.25  # the check below tells PERT from uniform
    worlds = pd.DataFrame([draw(0, r, {k: ranges[k] for k in off_centre}) for r in range(2000)])
    for key in off_centre:
        lo, hi = ranges[key]
        default = Params.model_fields[key.partition(".")[2]].default
        assert worlds[key].between(lo, hi).all()
        assert worlds[key].mean() == pytest.approx((lo + 4 * default + hi) / 6, abs=0.02 * (hi - lo)), key
        counts, edges = np.histogram(worlds[key], bins=10, range=(lo, hi))
        assert abs((edges[counts.argmax()] + edges[counts.argmax() + 1]) / 2 - default) <= 0.15 * (hi - lo), key


def test_the_uniform_shape_turns_the_same_draws_uniformly():
    """--worlds-shape uniform: each assumption uniform over its range, from the same uniforms, so a
    world's parameters keep their ranks between the two shapes."""
    ranges = plausible_ranges()
    pert = pd.DataFrame([draw(0, r, ranges) for r in range(2000)])
    flat = pd.DataFrame([draw(0, r, ranges, shape="uniform") for r in range(2000)])
    for key, (lo, hi) in ranges.items():
        assert flat[key].between(lo, hi).all()
        if Params.model_fields[key.partition(".")[2]].annotation is float:
            assert flat[key].mean() == pytest.approx((lo + hi) / 2, abs=0.03 * (hi - lo)), key  # 4.6 SD
            assert (flat[key].rank() == pert[key].rank()).all(), key


def test_the_log_shape_draws_a_range_of_a_factor_of_ten_on_its_logarithm_and_leaves_the_rest():
    """--worlds-shape pert-log: a range spanning a factor of LOG_FROM or more is PERT on the log scale
    (the log of the draws has the PERT mean with the log of the stated value as mode), every other one
    is drawn exactly as pert, and the worlds keep their ranks."""
    ranges = plausible_ranges()
    wide = [k for k, (lo, hi) in ranges.items() if lo > 0 and hi >= LOG_FROM * lo]
    assert "groups.ngo_learning_factor" in wide and len(wide) < len(ranges)
    pert = pd.DataFrame([draw(0, r, ranges) for r in range(2000)])
    logged = pd.DataFrame([draw(0, r, ranges, shape="pert-log") for r in range(2000)])
    for key, (lo, hi) in ranges.items():
        if key not in wide:
            assert (logged[key] == pert[key]).all(), key
            continue
        default = Params.model_fields[key.partition(".")[2]].default
        a, b, m = np.log(lo), np.log(hi), np.log(default)
        assert logged[key].between(lo, hi).all()
        assert np.log(logged[key]).mean() == pytest.approx((a + 4 * m + b) / 6, abs=0.02 * (b - a)), key
        assert (logged[key].rank() == pert[key].rank()).all(), key
    lam = "groups.ngo_learning_factor"
    assert logged[lam].mean() < pert[lam].mean()  # the lopsided range no longer lifts the mean to 0.47


def test_a_shape_of_the_worlds_is_recorded_and_refused_where_nothing_is_drawn(tmp_path, capsys):
    from berdaya.cli import main
    from sim.errors import InputError

    small = ["--set", "village.width=12", "--set", "village.height=12", "--months", "14"]
    small += ["--set", "programme.programme_months=6", "--no-decompose", "--no-voi", "--serial"]
    out = tmp_path / "flat"
    assert (
        main([*"compare baseline hybrid --replicates 2 --worlds-shape uniform".split(), "--out", str(out), *small]) == 0
    )
    assert json.loads((out / "experiment.json").read_text())["worlds_shape"] == "uniform"
    assert t("report.sure_worlds_uniform", "en").split("{")[0] in (out / "report.md").read_text(encoding="utf-8")
    manifest = json.loads((out / "experiment.json").read_text())
    shapes = (
        (None, "report.sure_worlds_uniform"),
        ("pert", "report.sure_worlds"),
        ("pert-log", "report.sure_worlds_log"),
    )
    for recorded, key in shapes:
        (out / "experiment.json").write_text(json.dumps({**manifest, "worlds_shape": recorded}))
        if recorded is None:  # a folder from before the shape was recorded drew its worlds uniformly
            (out / "experiment.json").write_text(json.dumps({k: v for k, v in manifest.items() if k != "worlds_shape"}))
        assert main(["report", str(out)]) == 0
        said = {
            k: t(k, "en").split("}")[1].split("(")[0].split(",")[0]
            for k in ("report.sure_worlds", "report.sure_worlds_uniform")
        }
        text = (out / "report.md").read_text(encoding="utf-8")
        assert [k for k, words in said.items() if words in text] == [key.replace("_log", "")]
        assert ("--worlds-shape pert-log" in text) == (recorded == "pert-log")
    capsys.readouterr()
    refused = [
        *"compare baseline hybrid --fixed-parameters --worlds-shape uniform".split(),
        "--out",
        str(tmp_path / "x"),
    ]
    assert main(refused) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--worlds-shape" in err and not (tmp_path / "x").exists()
    with pytest.raises(InputError, match="worlds_shape"):
        make_experiment(["hybrid"], replicates=2, worlds=plausible_ranges(), worlds_shape="normal")


def test_fixed_parameters_draw_nothing():
    runs, _ = plan(make_experiment(["hybrid"], replicates=3, paired=True))
    assert all(run.params == runs[0].params for run in runs)


def test_partial_rank_correlation_finds_the_inputs_that_move_the_output():
    rng = np.random.default_rng(7)
    x = pd.DataFrame(rng.uniform(size=(80, 6)), columns=list("abcdef"))
    y = np.exp(2 * x["a"]) - 3 * x["c"] + rng.normal(0, 0.2, 80)
    table = partial_rank_correlations(x, y).set_index("input")
    assert table.loc["a", "prcc"] > 0.8 and table.loc["c", "prcc"] < -0.8
    assert (table.loc[list("bdef"), "p_value"] > 0.001).all()
    too_few = partial_rank_correlations(x.iloc[:5], y[:5])
    assert too_few.empty


@pytest.mark.parametrize("combo", list(itertools.combinations(["a", "b", "c"], 2)))
def test_subsets_list_every_combination_once(combo):
    found = subsets(["a", "b", "c"])
    assert len(found) == 8 and len(set(found)) == 8 and frozenset(combo) in found


def posterior_table(n: int = 3) -> pd.DataFrame:
    """A valid posterior: every calibrated parameter, n particles spread over its prior, and weights."""
    from sim.params import calibration_priors

    share = np.linspace(0.1, 0.9, n)
    table = pd.DataFrame({k: lo + share * (hi - lo) for k, (lo, hi) in calibration_priors().items()})
    table["weight"] = np.arange(1, n + 1) / (n * (n + 1) / 2)
    return table


def test_a_posterior_gives_each_replicate_one_particle_by_weight_for_every_strategy(tmp_path):
    from experiments.worlds import RESAMPLED, read_posterior

    table = posterior_table()
    table.to_parquet(tmp_path / "posterior.parquet")
    posterior = read_posterior(tmp_path)
    assert len(posterior) == RESAMPLED and set(posterior[0]) == set(table.columns) - {"weight"}
    picked = pd.DataFrame(posterior)
    counts = picked.groupby("groups.dropout_rate").size().sort_index().to_numpy()
    assert counts.tolist() == pytest.approx((table["weight"] * RESAMPLED).tolist(), abs=1)
    whole = {tuple(r) for r in table.drop(columns="weight").to_numpy()}
    assert {tuple(r) for r in picked.to_numpy()} <= whole  # rows kept whole: correlations kept
    runs, manifest = plan(
        make_experiment(
            SCENARIOS[1:],
            replicates=8,
            paired=True,
            worlds=plausible_ranges(),
            posterior=posterior,
            posterior_source=str(tmp_path),
        )
    )
    pairs = {(a, b) for a, b in table[["households.income_mean", "groups.dropout_rate"]].to_numpy()}
    for replicate in range(8):
        chosen = {
            (r.params["households.income_mean"], r.params["groups.dropout_rate"])
            for r in runs
            if r.replicate == replicate
        }
        assert len(chosen) == 1 and chosen <= pairs
    assert manifest["posterior"] == {"source": str(tmp_path), "samples": RESAMPLED}


def test_a_given_posterior_sets_the_default_village_at_its_medians(tmp_path):
    """With --posterior DIR the default village holds the calibrated parameters at that posterior's
    medians, not at the schema's defaults, so it is compared with worlds drawn from the same fit."""
    from berdaya.cli import main
    from experiments.worlds import read_posterior

    posterior_table().to_parquet(tmp_path / "posterior.parquet")
    out = tmp_path / "out"
    small = ["--set", "village.width=12", "--set", "village.height=12", "--months", "14"]
    small += ["--set", "programme.programme_months=6"]
    args = ["compare", "baseline", "hybrid", "--replicates", "2", "--serial", "--posterior", str(tmp_path)]
    assert main([*args, "--no-decompose", "--no-voi", "--out", str(out), *small]) == 0
    held = json.loads((out / "default_village" / "experiment.json").read_text())
    medians = pd.DataFrame(read_posterior(tmp_path)).median()
    assert held["overrides"]["groups.dropout_rate"] == pytest.approx(medians["groups.dropout_rate"])
    assert held["overrides"]["village.width"] == 12  # what --set names stays as given
    assert "posterior" not in held or not held["posterior"]


def _refused(tmp_path, capsys, argument) -> str:
    from berdaya.cli import main

    assert main(["compare", "--posterior", str(argument), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--posterior" in err
    return err


def test_a_folder_without_a_posterior_is_refused_in_one_line(tmp_path, capsys):
    assert "posterior.parquet" in _refused(tmp_path, capsys, tmp_path)


def test_an_unreadable_posterior_is_refused_in_one_line(tmp_path, capsys):
    (tmp_path / "posterior.parquet").write_text("not parquet")
    assert "posterior.parquet" in _refused(tmp_path, capsys, tmp_path)


@pytest.mark.parametrize(
    ("column", "change"),
    [
        ("groups.dropout_rate", "drop"),
        ("weight", "drop"),
        ("weight", -0.1),
        ("weight", np.nan),
        ("households.income_mean", 9.0),
        ("groups.dropout_rate", np.nan),
    ],
)
def test_a_bad_posterior_is_refused_naming_file_and_column(tmp_path, capsys, column, change):
    table = posterior_table()
    if change == "drop":
        table = table.drop(columns=column)
    else:
        table.loc[1, column] = change
    path = tmp_path / "mine.parquet"
    table.to_parquet(path)
    err = _refused(tmp_path, capsys, path)
    assert str(path) in err and repr(column) in err


def test_compare_draws_from_a_shipped_posterior_unless_told_otherwise(tmp_path, monkeypatch):
    from berdaya.commands import compare
    from experiments import worlds

    shipped = tmp_path / "shipped.parquet"
    posterior_table().to_parquet(shipped)
    monkeypatch.setattr(worlds, "SHIPPED_POSTERIOR", shipped)
    monkeypatch.setattr(compare, "shipped_posterior", worlds.shipped_posterior)
    ns = type("Args", (), {"fixed_parameters": False, "posterior": None, "worlds_shape": "pert"})
    found = compare._worlds(ns)
    assert found["posterior_source"] == str(shipped.resolve()) and len(found["posterior"]) == worlds.RESAMPLED
    ns.fixed_parameters = True
    assert compare._worlds(ns) == {}
    monkeypatch.setattr(worlds, "SHIPPED_POSTERIOR", tmp_path / "none.parquet")
    ns.fixed_parameters = False
    assert "posterior" not in compare._worlds(ns)


def _worlds_study(n: int, k: int, effect: float) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """A paired two-arm study whose lead of "a" over "b" grows with the first of k drawn parameters."""
    rng = np.random.default_rng(11)
    names = [f"groups.p{i}" for i in range(k)]
    names[0] = "groups.ngo_learning_factor"
    draws = pd.DataFrame(rng.uniform(size=(n, k)), columns=names)
    base = rng.normal(0.2, 0.02, n)
    lead = 0.02 + effect * draws[names[0]].to_numpy() + rng.normal(0, 0.01, n)
    rows = []
    for arm, value in (("a", base + lead), ("b", base)):
        for r in range(n):
            rows.append(
                {
                    "run_id": f"{arm}.r{r}",
                    "arm": arm,
                    "seed": r,
                    "replicate": r,
                    "x": value[r],
                    **draws.iloc[r].to_dict(),
                }
            )
    runs = pd.DataFrame(rows)
    per_run = runs.rename(columns={"x": "self_reliant_share_programme_end"})
    experiment = {"paired": True, "worlds": {n_: [0.0, 1.0] for n_ in names}}
    return experiment, runs, per_run


def test_how_sure_names_the_assumption_the_lead_hinges_on_and_only_that_one():
    from analysis.hinges import _p, sentences
    from analysis.i18n import t

    experiment, runs, per_run = _worlds_study(n=60, k=8, effect=0.1)
    headline, details = sentences(experiment, runs, per_run, "a", ["b"], "self_reliant_share_programme_end", "en")
    text = " ".join(details)
    assert t("method.ngo_learning_factor", "en") in text and "groups.p3" not in text
    assert "100% of the 60 worlds" in text
    assert "8 parameters" in " ".join(headline)
    assert re.search(r"p (< 0\.001|= 0\.\d{3})\)", text) and "p = <" not in text  # one relation, never "= <"
    assert (_p(0.0001, "en"), _p(0.0123, "en"), _p(0.0123, "id")) == ("< 0.001", "= 0.012", "= 0,012")


def test_how_sure_says_when_the_worlds_are_too_few_and_names_nothing_unclear():
    from analysis.hinges import sentences
    from analysis.i18n import t

    experiment, runs, per_run = _worlds_study(n=12, k=8, effect=0.0)
    headline, details = sentences(experiment, runs, per_run, "a", ["b"], "self_reliant_share_programme_end", "en")
    assert "too few" in " ".join(headline) and "20 runs of each strategy" in " ".join(headline)
    assert not any("hinges on" in d for d in details)
    assert t("report.sure_too_few_none", "en").format(k=8) in headline  # no dangling "Below, ..." when none follows
    assert t("report.sure_too_few_named", "en").format(k=8) not in headline
    experiment, runs, per_run = _worlds_study(n=12, k=8, effect=0.5)
    headline, _ = sentences(experiment, runs, per_run, "a", ["b"], "self_reliant_share_programme_end", "en")
    assert t("report.sure_too_few_named", "en").format(k=8) in headline


def test_a_surveyed_village_is_never_drawn_into_a_world_its_survey_contradicts():
    """The survey example's households hold patron debts without having defaulted, so no replicate
    may draw a default limit below the largest of them (the run would fail on its own survey).
    Catches: worlds drawn from the full plausible range whatever the survey says."""
    from sim.scenario import SCENARIO_DIR, load_scenario
    from sim.survey import read_survey

    path = SCENARIO_DIR / "survey_example" / "survey_example.toml"
    params = load_scenario(path).params
    largest = float(read_survey(params.survey, params).debt.max())
    lo, hi = plausible_ranges()["households.default_limit"]
    assert lo < largest < hi  # else the test could not tell a narrowed draw from a plain one
    experiment = make_experiment([path], replicates=40, worlds=plausible_ranges(), seed=3)
    runs, manifest = plan(experiment)
    limits = [run.params["households.default_limit"] for run in runs]
    assert min(limits) >= largest
    assert manifest["worlds"]["households.default_limit"] == [largest, hi]
    unsurveyed, _ = plan(make_experiment(["area_based"], replicates=40, worlds=plausible_ranges(), seed=3))
    assert min(run.params["households.default_limit"] for run in unsurveyed) < largest
