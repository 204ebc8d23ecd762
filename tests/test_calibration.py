"""The calibration's steps on cases with known answers, and one tiny calibration end to end."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from analysis.studies.calibration import (
    PARAMETERS,
    accept,
    check_parameters,
    conflicts,
    distance,
    posterior,
    prior_sample,
    proposal,
    run_calibration,
    target_misses,
)
from analysis.studies.patterns import Measured
from analysis.targets import UNDEFINED_MISS, Target, counted, load_targets
from experiments.engine import EngineOptions
from sim.errors import InputError


def test_rejection_recovers_the_known_posterior_of_a_normal_mean():
    """Prior mu ~ U(-5, 5); the simulator draws a mean y ~ N(mu, s^2); observed 1.3.

    Accepting |y - 1.3| <= eps gives the posterior p(mu) proportional to
    Phi((1.3 + eps - mu) / s) - Phi((1.3 - eps - mu) / s) on the prior's support,
    whose mean and sd are computed here by quadrature with the realised eps.
    """
    observed, s, lo, hi = 1.3, 0.5, -5.0, 5.0
    points = prior_sample({"mu": (lo, hi)}, 40000, seed=11, schema=False)
    mu = pd.DataFrame(points)
    rng = np.random.default_rng(np.random.SeedSequence(12))
    y = mu["mu"].to_numpy() + s * rng.standard_normal(len(mu))
    distances = pd.Series(np.abs(y - observed))
    accepted, eps = accept(distances, 0.025)
    assert accepted.sum() == 1000
    assert (distances[accepted] <= eps).all() and (distances[~accepted] >= eps).all()

    def kernel(m: float) -> float:
        return stats.norm.cdf((observed + eps - m) / s) - stats.norm.cdf((observed - eps - m) / s)

    mass = integrate.quad(kernel, lo, hi)[0]
    mean = integrate.quad(lambda m: m * kernel(m), lo, hi)[0] / mass
    sd = math.sqrt(integrate.quad(lambda m: (m - mean) ** 2 * kernel(m), lo, hi)[0] / mass)
    summary = posterior(mu, accepted, {"mu": (lo, hi)}).iloc[0]
    assert summary["mean"] == pytest.approx(mean, abs=4 * sd / math.sqrt(1000))
    assert summary["sd"] == pytest.approx(sd, rel=0.1)
    assert summary["sd"] < (hi - lo) / math.sqrt(12) / 5  # far narrower than the prior


def test_accept_keeps_exactly_the_closest_share_with_stable_ties():
    distances = pd.Series([0.5, 0.1, 0.3, 0.3, 0.9], index=[10, 11, 12, 13, 14])
    accepted, eps = accept(distances, 0.5)
    assert accepted[accepted].index.tolist() == [11, 12, 13]
    assert eps == 0.3
    accepted, eps = accept(distances, 0.4)
    assert accepted[accepted].index.tolist() == [11, 12] and eps == 0.3
    assert accept(distances, 0.01)[0].sum() == 1
    with pytest.raises(InputError):
        accept(distances, 0.0)


def band(name: str, metric: str, low: float, high: float | None, scale: float, kind: str = "calibration") -> Target:
    return Target(name=name, metric=metric, low=low, high=high, scale=scale, pattern="", source="s", kind=kind)


def misses_runs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "run_id": [f"r{i}" for i in range(10)],
            "point": [0, 0, 0, 0, 1, 1, 1, 1, 0, 1],
            "scenario": ["area_based", "area_based", "hybrid", "hybrid"] * 2 + ["baseline", "baseline"],
            "group_size_mean": [0.5, 0.7, 1.5, 2.5, 0.0, 0.0, math.nan, math.nan, 0.0, 0.0],
            "rate_ratio": [0.0] * 8 + [5.0, 12.0],
            "status": ["ok"] * 10,
        }
    )


def test_misses_average_over_replicates_then_scenarios():
    a = band("a", "group_size_mean", 0.0, 1.0, 0.5)
    b = band("b", "rate_ratio", 10.0, None, 5.0)
    pairs = [(a, "area_based"), (a, "hybrid"), (b, "baseline")]
    misses = target_misses(Measured(misses_runs(), pd.DataFrame()), pairs)
    # point 0: area_based mean 0.6 (in band), hybrid mean 2.0 (miss 2) -> 1.0; baseline 5 -> (10-5)/5 = 1
    # point 1: area_based 0 (in), hybrid undefined -> UNDEFINED_MISS; baseline 12 (in)
    assert misses.loc[0, "a"] == pytest.approx(1.0)
    assert misses.loc[0, "b"] == pytest.approx(1.0)
    assert misses.loc[1, "a"] == pytest.approx(UNDEFINED_MISS / 2)
    assert misses.loc[1, "b"] == 0.0
    assert distance(misses).tolist() == pytest.approx([1.0, math.sqrt((UNDEFINED_MISS / 2) ** 2 / 2)])


def test_validation_and_input_rows_never_reach_the_distance():
    """The hold-out: a validation row missed by miles, or an input row, leaves every miss and distance as is."""
    fitted = [
        (band("a", "group_size_mean", 0.0, 1.0, 0.5), "area_based"),
        (band("b", "rate_ratio", 10.0, None, 5.0), "baseline"),
    ]
    held_out = [
        (band("far", "group_size_mean", 100.0, 200.0, 0.01, kind="validation"), "area_based"),
        (band("inp", "rate_ratio", 100.0, None, 0.01, kind="input"), "baseline"),
    ]
    measured = Measured(misses_runs(), pd.DataFrame())
    alone = target_misses(measured, fitted)
    mixed = target_misses(measured, held_out + fitted)
    assert list(mixed.columns) == ["a", "b"]
    pd.testing.assert_frame_equal(alone, mixed)
    pd.testing.assert_series_equal(distance(alone), distance(mixed))
    assert target_misses(measured, held_out).empty


def test_conflicts_flag_targets_whose_misses_pull_apart():
    rng = np.random.default_rng(3)
    u = rng.random(200)
    misses = pd.DataFrame({"a": u, "b": 1.0 - u + 0.01 * rng.random(200), "c": u + 0.01 * rng.random(200)})
    table = conflicts(misses, pd.Series(np.zeros(200)), near=1.0).set_index(["target_a", "target_b"])
    assert table.loc[("a", "b"), "conflict"] and table.loc[("a", "b"), "spearman"] < -0.9
    assert not table.loc[("a", "c"), "conflict"]
    assert table.loc[("b", "c"), "conflict"]


def test_proposal_is_the_median_typed_by_the_schema():
    table = pd.DataFrame({"parameter": ["groups.dissolve_months", "groups.dropout_rate"], "median": [7.6, 0.0234567]})
    assert proposal(table) == {"groups.dissolve_months": 8, "groups.dropout_rate": 0.0235}


def test_calibrated_ranges_lie_inside_the_schema_and_bad_ones_are_refused():
    check_parameters(PARAMETERS)
    with pytest.raises(InputError):
        check_parameters({"groups.dropout_rate": (0.0, 0.9)})
    with pytest.raises(InputError):
        check_parameters({"groups.drop_rate": (0.0, 0.1)})


def test_a_tiny_calibration_writes_its_record_and_fits_calibration_rows_only(tmp_path):
    out = tmp_path / "cal"
    extra = tmp_path / "extra.toml"
    extra.write_text("""
[[target]]
name = "held_out"
metric = "income_effect_30"
low = 5
pattern = "far out of reach"
source = "s"
kind = "validation"
""")
    parameters = {"groups.dropout_rate": (0.0, 0.06), "groups.savings_rate": (0.02, 0.2)}
    result = run_calibration(
        out,
        samples=4,
        quantile=0.5,
        seed=3,
        parameters=parameters,
        overrides={"village.width": 20, "village.height": 20},
        target_files=[extra],
        engine=EngineOptions(executor="serial", progress=False),
    )
    assert len(result.samples) == 4 and result.samples["accepted"].sum() == 2
    assert set(result.posterior["parameter"]) == set(parameters)
    assert all(lo <= result.proposal[k] <= hi for k, (lo, hi) in parameters.items())
    misses = {c for c in result.samples.columns if c.startswith("miss:")}
    assert misses == {f"miss:{t.name}" for t in counted(load_targets(), "calibration")}
    assert "miss:held_out" not in misses
    for name in (
        "samples.parquet",
        "accepted.csv",
        "posterior.csv",
        "conflicts.csv",
        "calibration.md",
        "posterior.png",
    ):
        assert (out / name).stat().st_size > 0
    assert f"--targets {extra}" in (out / "calibration.md").read_text()
    with pytest.raises(InputError):
        run_calibration(
            tmp_path / "clash",
            samples=2,
            parameters=parameters,
            overrides={"groups.dropout_rate": 0.01},
            engine=EngineOptions(progress=False),
        )
