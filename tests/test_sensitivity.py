"""Sensitivity analysis: known indices through the engine, the noise floor, undefined outcomes, bad requests.

Test functions stand in for the model as custom runners (``module:function``), so they
take the same path as the model: SALib sample -> engine points -> runs table -> indices.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from SALib.analyze import morris, sobol
from SALib.test_functions import Ishigami

from analysis.studies.sensitivity import (
    MORRIS_COLUMNS,
    NOISE,
    SOBOL_COLUMNS,
    Factor,
    block_size,
    design,
    morris_indices,
    problem,
    run_sensitivity,
    schema_factors,
    sobol_indices,
    top_factors,
)
from berdaya.cli import main
from experiments.engine import EngineOptions
from sim.collect import COLUMNS
from sim.params import bounds, numeric_parameters
from sim.scenario import resolve_scenario

RUNNER = __name__
SCENARIO = resolve_scenario("baseline")
# Ishigami (A=7, B=0.1) on [-pi, pi]^3: analytic first-order and total indices.
ISHIGAMI_S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ISHIGAMI_ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}
SLOPES = {"x1": 3.0, "x2": 1.0, "x3": 0.0}


def ishigami(params, seed):
    x1, x2, x3 = params["x1"], params["x2"], params["x3"]
    return {"y": math.sin(x1) + 7.0 * math.sin(x2) ** 2 + 0.1 * x3**4 * math.sin(x1)}, None


def linear(params, seed):
    return {"y": sum(slope * params[name] for name, slope in SLOPES.items())}, None


def noisy(params, seed):
    """x1 moves y; x2 does nothing; the run's own seed adds noise of sd 0.3."""
    return {"y": params["x1"] + np.random.default_rng(seed).normal(0.0, 0.3)}, None


def holed(params, seed):
    """Undefined (NaN) where x1 > 0.7, like sustainability where nobody is self-reliant."""
    return {"y": math.nan if params["x1"] > 0.7 else params["x1"] + 2.0 * params["x2"]}, None


def analyse(tmp_path, function, factors, method, samples, **kw):
    return run_sensitivity(
        factors,
        tmp_path,
        method=method,
        samples=samples,
        scenario=SCENARIO,
        runner=f"{RUNNER}:{function}",
        outcomes=["y"],
        engine=EngineOptions(executor="serial", progress=False),
        **kw,
    )


def by_parameter(analysis):
    return analysis.indices.set_index("parameter")


def test_sobol_recovers_ishigami_indices(tmp_path):
    factors = [Factor(name, -math.pi, math.pi) for name in ("x1", "x2", "x3")]
    analysis = analyse(tmp_path, "ishigami", factors, "sobol", 4096)
    found = by_parameter(analysis)
    assert analysis.runs == 4096 * block_size("sobol", 4)
    for name in factors:
        assert found.loc[name.name, "S1"] == pytest.approx(ISHIGAMI_S1[name.name], abs=0.05)
        assert found.loc[name.name, "ST"] == pytest.approx(ISHIGAMI_ST[name.name], abs=0.05)
        assert 0 < found.loc[name.name, "ST_conf"] < 0.05
    # A deterministic function: the dummy explains nothing, and every real factor clears it.
    assert found.loc[NOISE, "ST"] == pytest.approx(0.0, abs=1e-9)
    assert found.loc[["x1", "x2", "x3"], "above_noise"].all()


def test_morris_recovers_linear_slopes_scaled_by_range(tmp_path):
    factors = [Factor("x1", 0.0, 2.0), Factor("x2", 0.0, 1.0), Factor("x3", -5.0, 5.0)]
    analysis = analyse(tmp_path, "linear", factors, "morris", 8)
    found = by_parameter(analysis)
    # An elementary effect is the change of y over a step of the unit-scaled input: slope x range.
    assert found.loc["x1", "mu_star"] == pytest.approx(6.0)
    assert found.loc["x2", "mu_star"] == pytest.approx(1.0)
    assert found.loc["x3", "mu_star"] == pytest.approx(0.0, abs=1e-12)
    assert found.loc[["x1", "x2", "x3"], "sigma"].max() == pytest.approx(0.0, abs=1e-9)
    assert list(found.loc[["x1", "x2"], "rank"]) == [1, 2]
    assert analysis.runs == 8 * block_size("morris", 4)


def test_sobol_takes_the_morris_leaders_above_noise_in_order(tmp_path):
    factors = [Factor("x3", 0.0, 1.0), Factor("x2", 0.0, 1.0), Factor("x1", 0.0, 1.0)]
    analyse(tmp_path, "linear", factors, "morris", 6)
    assert [f.name for f in top_factors(tmp_path, 1)] == ["x1"]
    # x3 does nothing: it never clears the noise floor, so asking for three gives two.
    assert [f.name for f in top_factors(tmp_path, 3)] == ["x1", "x2"]
    assert top_factors(tmp_path, 2)[0] == Factor("x1", 0.0, 1.0)


def test_noise_floor_separates_effect_from_randomness(tmp_path):
    factors = [Factor("x1", 0.0, 3.0), Factor("x2", 0.0, 1.0)]
    analysis = analyse(tmp_path, "noisy", factors, "morris", 30)
    found = by_parameter(analysis)
    assert found.loc[NOISE, "mu_star"] > 0.1
    assert found.loc["x1", "above_noise"]
    assert not found.loc["x2", "above_noise"]


def test_undefined_points_cost_only_the_terms_they_enter(tmp_path):
    factors = [Factor("x1", 0.0, 1.0), Factor("x2", 0.0, 1.0)]
    morris = analyse(tmp_path / "morris", "holed", factors, "morris", 20)
    design = pd.read_parquet(morris.out / "design.parquet").to_numpy().reshape(20, 4, 3)
    defined = design[:, :, 0] <= 0.7
    moved = np.argmax(np.abs(np.diff(design, axis=1)), axis=2)
    both = defined[:, 1:] & defined[:, :-1]
    expected = [int(both[moved == i].sum()) for i in range(3)]
    found = by_parameter(morris)
    assert list(found["n_used"]) == expected and 0 < min(expected) and max(expected) < 20
    # On the defined part y = x1 + 2 x2 exactly: every defined effect is slope x range.
    assert found.loc["x2", "mu_star"] == pytest.approx(2.0) and found.loc["x1", "mu_star"] == pytest.approx(1.0)

    sobol = analyse(tmp_path / "sobol", "holed", factors, "sobol", 64)
    blocks = pd.read_parquet(sobol.out / "design.parquet")["x1"].to_numpy().reshape(64, 5) <= 0.7
    expected = [int((blocks[:, 0] & blocks[:, -1] & blocks[:, j + 1]).sum()) for j in range(3)]
    found = by_parameter(sobol)
    assert list(found["n_used"]) == expected and (found["n_total"] == 64).all()
    assert found.loc["x2", "ST"] > found.loc["x1", "ST"] > 0


def test_estimators_equal_salib_when_every_point_is_defined():
    factors = [Factor(name, -math.pi, math.pi) for name in ("x1", "x2", "x3")]
    ours, theirs = {}, {}
    for method, samples in (("morris", 50), ("sobol", 256)):
        matrix = design(method, factors, samples, seed=3)
        y = Ishigami.evaluate(matrix[:, :3])
        if method == "morris":
            ours[method] = morris_indices(factors, matrix, y, seed=5)
            theirs[method] = morris.analyze(problem(factors), matrix, y, num_levels=4, seed=5)
        else:
            ours[method] = sobol_indices(factors, y, seed=5)
            theirs[method] = sobol.analyze(problem(factors), y, calc_second_order=False, seed=5)
        for column in MORRIS_COLUMNS if method == "morris" else SOBOL_COLUMNS:
            np.testing.assert_allclose(
                ours[method][column], np.asarray(theirs[method][column], dtype=float), rtol=1e-9, atol=1e-12
            )


def test_schema_factors_take_ranges_from_the_schema():
    factors = schema_factors(None)
    names = [f.name for f in factors]
    assert "village.width" not in names and "village.months" not in names
    assert len(names) == len(numeric_parameters()) - 4
    shock = next(f for f in factors if f.name == "village.shock_rate")
    assert (shock.lo, shock.hi) == bounds("shock_rate")
    explicit = schema_factors("village.width,patrons")
    assert explicit[0].name == "village.width" and explicit[0].integer
    assert {f.name.split(".")[0] for f in explicit[1:]} == {"patrons"}


def sensitivity(tmp_path, *extra):
    return main(
        [
            "sensitivity",
            "--out",
            str(tmp_path),
            "--set",
            "village.width=20",
            "--set",
            "village.height=20",
            "--months",
            "24",
            "--set",
            "programme.programme_months=12",
            *extra,
        ]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--params", "village.nosuch"], "unknown parameter or group 'village.nosuch'"),
        (["--params", "patrons.extraktion"], "did you mean 'patrons.extraction'"),
        (["--params", "programme.strategy"], "programme.strategy has no numeric range"),
        (["--params", "programme.knowledge_manager"], "has no numeric range"),
        (["--samples", "2"], "2 trajectories are too few for morris: it needs at least 4"),
        (["--method", "sobol", "--params", "patrons.extraction", "--samples", "32"], "too few for sobol"),
        (["--method", "sobol", "--params", "patrons.extraction", "--samples", "100"], "use 64 or 128"),
        (["--method", "sobol"], "no Morris result"),
        (["--params", "patrons.extraction", "--set", "patrons.extraction=0.3"], "both varied"),
    ],
)
def test_bad_requests_exit_2_with_a_clear_message(tmp_path, capsys, args, message):
    assert sensitivity(tmp_path, *args) == 2
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error
    assert not (tmp_path / "morris").exists() and not (tmp_path / "sobol").exists()


@pytest.mark.slow
def test_model_morris_then_sobol_on_its_leaders(tmp_path, capsys):
    params = "patrons.extraction,village.shock_rate,households.awareness_mean"
    assert sensitivity(tmp_path, "--params", params, "--samples", "4", "--workers", "2") == 0
    folder = tmp_path / "morris"
    indices = pd.read_parquet(folder / "indices.parquet")
    assert set(indices["outcome"]) == {
        "self_reliant_share_horizon",
        "sustainability",
        "dependency_horizon",
        "facilitator_months_per_self_reliant",
    }
    assert len(indices) == 4 * 4
    assert {"mu_star", "mu_star_conf", "sigma", "n_used", "above_noise"} <= set(indices.columns)
    assert len(pd.read_csv(folder / "indices.csv")) == len(indices)
    for name in ("ranking.png", "ranking.svg", "design.parquet", "analysis.json"):
        assert (folder / name).stat().st_size > 0

    # dependency_horizon is the last month's dependency of each run, averaged over replicates.
    runs, monthly = pd.read_parquet(folder / "runs"), pd.read_parquet(folder / "monthly")
    assert set(COLUMNS) <= set(monthly.columns)
    last = monthly[monthly["month"] == 24].set_index("run_id")["dependency"]
    point0 = runs.loc[runs["point"] == 0, "run_id"]
    from analysis.studies.sensitivity import outcome_table
    from experiments.engine import read_results

    table = outcome_table(read_results(folder), ["dependency_horizon"], len(runs))
    assert table.loc[0, "dependency_horizon"] == pytest.approx(last[point0].mean())

    # The same command again is refused; with --resume it runs nothing new and gives the same indices.
    assert sensitivity(tmp_path, "--params", params, "--samples", "4") == 2
    assert "--resume" in capsys.readouterr().err
    assert sensitivity(tmp_path, "--params", params, "--samples", "4", "--resume", "--serial") == 0
    assert "ran 0 " in capsys.readouterr().out
    pd.testing.assert_frame_equal(pd.read_parquet(folder / "indices.parquet"), indices)

    assert sensitivity(tmp_path, "--method", "sobol", "--top", "2", "--samples", "64", "--workers", "2") == 0
    chosen = capsys.readouterr().out.splitlines()[0]
    sobol = pd.read_parquet(tmp_path / "sobol" / "indices.parquet")
    leaders = set(sobol["parameter"]) - {NOISE}
    assert 1 <= len(leaders) <= 2 and leaders <= set(params.split(",")) and all(name in chosen for name in leaders)
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(sobol.columns)

    section = (tmp_path / "sections" / "sensitivity.html").read_text()
    assert section.startswith('<section id="sensitivity">')
    assert section.count("data:image/png;base64,") == 2
    assert "http" not in section
    assert section == (tmp_path / "sections" / "sensitivity.en.html").read_text()
    assert "Sensitivitas" in (tmp_path / "sections" / "sensitivity.id.html").read_text()
