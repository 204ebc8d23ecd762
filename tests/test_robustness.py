"""Robustness: the PRIM rules finder, the beats/fails/regret bookkeeping, planted failure through the engine."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.rules import Box, prim
from analysis.studies.robustness import BASELINE, compare, run_robustness, summarise
from berdaya.cli import main
from experiments.engine import EngineOptions

RUNNER = __name__
# The planted failure region of the stand-in runner: area_based does no better than
# baseline where patrons are closed (openness below this).
CLOSED = 0.4


def planted(params, seed):
    """Share self-reliant: 0.1 without a programme; 0.5 with one, except area_based among closed patrons."""
    strategy = params["programme.strategy"]
    fails = strategy == BASELINE or (strategy == "area_based" and params["patrons.openness_mean"] < CLOSED)
    share = 0.1 if fails else 0.5
    return {"self_reliant_share_horizon": share + np.random.default_rng(seed).normal(0.0, 0.002)}, None


def uniform(n, seed, columns="abcde"):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.random((n, len(columns))), columns=list(columns)), rng


@pytest.mark.parametrize("noise", [0.0, 0.05])
def test_prim_recovers_a_planted_box(noise):
    X, rng = uniform(1000, 7)
    truth = ((X["a"] > 0.6) & (X["c"] < 0.3)).to_numpy()
    y = np.where(rng.random(len(X)) < noise, ~truth, truth)
    box = prim(X, y)
    assert set(box.limits) == {"a", "c"}
    assert box.limits["a"][0] == pytest.approx(0.6, abs=0.03) and box.limits["a"][1] == np.inf
    assert box.limits["c"][1] == pytest.approx(0.3, abs=0.03) and box.limits["c"][0] == -np.inf
    # As good as the planted box itself on the (noisy) cases, within 0.05.
    assert box.density >= y[truth].mean() - 0.05
    assert box.coverage >= y[truth].sum() / y.sum() - 0.05


@pytest.mark.parametrize("seed", range(5))
def test_prim_keeps_only_significant_limits_with_few_points_and_many_conditions(seed):
    # 120 villages, 10 conditions: greedy peeling picks up chance limits; pruning must drop them.
    X, _ = uniform(120, seed, [f"c{i}" for i in range(10)])
    box = prim(X, ((X["c0"] < 0.5) & (X["c3"] > 0.4)).to_numpy())
    assert set(box.limits) == {"c0", "c3"}


@pytest.mark.parametrize("seed", range(5))
def test_prim_finds_no_rule_in_pure_noise(seed):
    X, rng = uniform(100, seed, [f"c{i}" for i in range(12)])
    box = prim(X, rng.random(len(X)) < 0.3)
    assert box.limits == {} and box.coverage == 1.0 and box.rule() == "everywhere"


def test_prim_statistics_match_their_definitions():
    X, rng = uniform(400, 3, "abc")
    y = (X["b"] < 0.5).to_numpy() & (rng.random(len(X)) < 0.8)
    box = prim(X, y)
    inside = box.contains(X)
    assert box.inside == inside.sum()
    assert box.density == pytest.approx(y[inside].mean())
    assert box.coverage == pytest.approx(y[inside].sum() / y.sum())
    assert box.mass == pytest.approx(inside.mean())
    assert box.base_rate == pytest.approx(y.mean())
    assert "b <=" in box.rule()


def test_prim_handles_integer_conditions_and_no_cases():
    X, rng = uniform(600, 5, "ab")
    X["hamlets"] = rng.integers(1, 17, len(X))
    y = ((X["hamlets"] <= 4) & (X["b"] > 0.5)).to_numpy()
    box = prim(X, y)
    assert box.limits["hamlets"][1] == 4 and box.limits["b"][0] == pytest.approx(0.5, abs=0.03)
    # The chosen box trades up to the tolerance (0.05) of density for coverage.
    assert box.density >= 0.95 and box.coverage == 1.0
    assert prim(X, np.zeros(len(X), dtype=bool)) is None


def test_beats_fails_and_regret_follow_their_definitions():
    # Village 0: a gains 0.01 (within the margin), b gains 0.05. Village 1: a is best.
    means = {
        (0, "baseline"): 0.20,
        (0, "a"): 0.21,
        (0, "b"): 0.25,
        (1, "baseline"): 0.30,
        (1, "a"): 0.50,
        (1, "b"): 0.40,
    }
    runs = pd.DataFrame(
        [
            {"point": p, "scenario": s, "replicate": r, "self_reliant_share_horizon": v + d, "status": "ok"}
            for (p, s), v in means.items()
            for r, d in enumerate((-0.01, 0.01))
        ]
    )
    # Replicate 2 of village 1 failed for a: it counts for no strategy there, so the means stay paired.
    runs.loc[len(runs)] = {
        "point": 1,
        "scenario": "a",
        "replicate": 2,
        "self_reliant_share_horizon": np.nan,
        "status": "failed",
    }
    for strategy in ("baseline", "b"):
        runs.loc[len(runs)] = {
            "point": 1,
            "scenario": strategy,
            "replicate": 2,
            "self_reliant_share_horizon": 0.9,
            "status": "ok",
        }
    table = compare(runs, ["baseline", "a", "b"], margin=0.02).set_index(["point", "strategy"])
    assert table.loc[(0, "a"), "mean"] == pytest.approx(0.21)
    assert table.loc[(1, "a"), "replicates"] == table.loc[(1, "b"), "replicates"] == 2
    assert table.loc[(1, "b"), "mean"] == pytest.approx(0.40)
    assert not table.loc[(0, "a"), "beats_baseline"] and table.loc[(0, "a"), "fails"]
    assert table.loc[(0, "b"), "beats_baseline"] and table.loc[(1, "a"), "beats_baseline"]
    assert pd.isna(table.loc[(0, "baseline"), "beats_baseline"])
    assert table.loc[(0, "a"), "regret"] == pytest.approx(0.04)
    assert table.loc[(1, "a"), "regret"] == pytest.approx(0.0)
    assert table.loc[(1, "baseline"), "regret"] == pytest.approx(0.20)
    summary = summarise(table.reset_index(), ["baseline", "a", "b"]).set_index("strategy")
    assert summary.loc["a", "share_beats_baseline"] == 0.5 and summary.loc["b", "share_beats_baseline"] == 1.0
    assert np.isnan(summary.loc["baseline", "share_beats_baseline"])
    assert summary.loc["b", "regret_median"] == pytest.approx(0.05)


def test_planted_failure_region_is_found_through_the_engine(tmp_path):
    found = run_robustness(
        tmp_path,
        villages=60,
        replicates=2,
        conditions=["patrons.openness_mean", "village.shock_rate", "households.awareness_mean"],
        runner=f"{RUNNER}:planted",
        engine=EngineOptions(executor="serial", progress=False),
    )
    summary = found.summary.set_index("strategy")
    share_open = (found.villages["patrons.openness_mean"] >= CLOSED).mean()
    assert summary.loc["area_based", "share_beats_baseline"] == pytest.approx(share_open)
    assert summary.loc["enterprise_based", "share_beats_baseline"] == 1.0
    box = found.rules["area_based"]
    assert isinstance(box, Box) and set(box.limits) == {"patrons.openness_mean"}
    assert box.limits["patrons.openness_mean"][1] == pytest.approx(CLOSED, abs=0.05)
    assert box.coverage == 1.0 and box.density >= 0.95
    assert found.rules["enterprise_based"].reason == "too_few"
    rules = pd.read_parquet(found.out / "rules.parquet")
    assert set(rules["strategy"]) == {"area_based", "enterprise_based", "hybrid"}
    assert "patrons.openness_mean <=" in (found.out / "rules.txt").read_text()
    # Paired: in a village, replicate r has one seed for every strategy.
    runs = pd.read_parquet(found.out / "runs")
    assert runs.groupby(["point", "replicate"])["seed"].nunique().eq(1).all() and runs["seed"].nunique() == 60 * 2


def robustness(tmp_path, *extra):
    return main(
        [
            "robustness",
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
        (["--villages", "5"], "5 villages are too few"),
        (["--conditions", "patrons.opennes_mean"], "did you mean 'patrons.openness_mean'"),
        (["--strategies", "area_based,hybrid"], "baseline among them"),
        (["--strategies", "baseline,grassroots"], "give at least two of"),
        (["--set", "patrons.extraction=0.3"], "both a village condition and fixed"),
    ],
)
def test_bad_requests_exit_2_with_a_clear_message(tmp_path, capsys, args, message):
    assert robustness(tmp_path, *args) == 2
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error
    assert not (tmp_path / "robustness").exists()


def test_model_robustness_writes_tables_figures_and_section(tmp_path, capsys):
    code = robustness(
        tmp_path,
        "--villages",
        "10",
        "--replicates",
        "1",
        "--workers",
        "2",
        "--conditions",
        "patrons.openness_mean,patrons.extraction,village.shock_rate",
    )
    assert code == 0
    folder = tmp_path / "robustness"
    outcomes = pd.read_parquet(folder / "outcomes.parquet")
    assert len(outcomes) == 10 * 4
    best = outcomes.groupby("point")["regret"].min()
    assert (best == 0).all() and (outcomes["regret"] >= 0).all()
    summary = pd.read_parquet(folder / "summary.parquet").set_index("strategy")
    assert list(summary.index) == ["baseline", "area_based", "enterprise_based", "hybrid"]
    shares = summary.loc[summary.index != "baseline", "share_beats_baseline"]
    assert shares.between(0, 1).all()
    assert (summary["regret_p90"] >= summary["regret_median"]).all()
    for name in ("villages", "rules"):
        assert (folder / f"{name}.parquet").exists() and (folder / f"{name}.csv").exists()
    for name in ("summary", "rules"):
        assert (folder / f"{name}.png").stat().st_size > 0 and (folder / f"{name}.svg").stat().st_size > 0
    section = (tmp_path / "sections" / "robustness.html").read_text()
    assert section.startswith('<section id="robustness">') and section.count("data:image/png;base64,") == 2
    assert "http" not in section
    assert "Ketahanan" in (tmp_path / "sections" / "robustness.id.html").read_text()
