"""The Morris screen: a parameter informs a calibration row only above the noise of a new village,
and every parameter the schema marks ``calibrate`` is one the stored screen found informed."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.studies import screen as screen_module
from analysis.studies.screen import (
    DUMMIES,
    RECORD,
    TABLE,
    candidates,
    design,
    dummy_names,
    effects,
    run_screen,
    verdicts,
)
from berdaya.cli import main
from experiments.worlds import plausible_ranges
from sim.errors import InputError
from sim.params import calibration_priors

STORED = Path(__file__).resolve().parents[1] / "analysis" / TABLE
SMALL = {"village.width": 12, "village.height": 12}


def synthetic(seed: int, jumps: bool = False) -> tuple[list, np.ndarray, pd.DataFrame]:
    """``g.moves`` shifts target ``t`` by its place in the range; ``g.inert`` moves nothing; every
    point adds its own noise, as every point of the real screen is a new village (with ``jumps``,
    a miss that is 0 but for rare large jumps, as an often undefined row is)."""
    factors, sample = design({"g.moves": (0.0, 2.0), "g.inert": (0.0, 1.0)}, 40, seed)
    rng = np.random.default_rng(seed)
    if jumps:
        noise = rng.binomial(1, 0.03, (len(sample), 2)) * 2.0
    else:
        noise = rng.normal(0.0, 0.1, (len(sample), 2))
    misses = pd.DataFrame({"t": sample[:, 0] / 2.0 + noise[:, 0], "u": noise[:, 1]})
    return factors, sample, misses


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("jumps", [False, True])
def test_only_a_parameter_that_moves_a_miss_beyond_the_noise_informs_it(seed, jumps):
    factors, sample, misses = synthetic(seed, jumps)
    found = effects(factors, sample, misses, seed)
    table = found.set_index(["parameter", "target"])
    assert table.loc[("g.moves", "t"), "informs"]
    assert not table.loc[("g.inert", "t"), "informs"]
    assert not table.loc[("g.moves", "u"), "informs"]
    assert not table.loc[(dummy_names()[0], "t"), "informs"]
    assert found.loc[found["parameter"].isin(["g.inert", *dummy_names()]), "mu_star"].max() > 0  # noise moves them
    summary = verdicts(found).set_index("parameter")
    assert summary.loc["g.moves", "informs"] == "t" and not summary.loc["g.inert", "informed"]
    assert not set(dummy_names()) & set(summary.index)


def test_one_village_whose_miss_blows_up_makes_no_parameter_inform_a_row():
    factors, sample, misses = synthetic(4)
    start = 20 * (len(factors) + 2)  # trajectory 20: where g.inert moves, its end point blows up
    step = int(np.flatnonzero(np.diff(sample[start : start + len(factors) + 2, 1]))[0])
    misses.loc[start + step + 1, "u"] = 1e16  # a ratio over a near-zero baseline, as once in the real screen
    table = effects(factors, sample, misses, 4).set_index(["parameter", "target"])
    assert table.loc[("g.inert", "u"), "mu_star"] < 1.0
    assert not table.xs("u", level="target")["informs"].any()
    assert table.loc[("g.moves", "t"), "informs"]


def test_a_parameter_that_moves_nothing_is_said_to_inform_a_row_at_most_about_alpha_of_the_time():
    inert = {f"g.inert_{i}": (0.0, 1.0) for i in range(60)}
    said = 0
    for seed in range(5):
        factors, sample = design(inert, 24, seed)
        noise = np.random.default_rng(seed).normal(0.0, 1.0, len(sample))
        table = effects(factors, sample, pd.DataFrame({"t": noise}), seed)
        said += int(table["informs"].sum())
    assert said <= 25  # 300 tries at ALPHA = 0.05: 15 expected at most


def test_a_screen_of_two_parameters_runs_the_model_and_writes_its_record(tmp_path):
    parameters = {"groups.dropout_rate": (0.0, 0.06), "households.peer_rate": (0.0, 0.1)}
    screen = run_screen(tmp_path, trajectories=2, seed=3, overrides=SMALL, parameters=parameters)
    assert len(screen.points) == 2 * (len(parameters) + DUMMIES + 1)  # a start, a move per parameter and dummy
    assert set(screen.table["parameter"]) == {*parameters, *dummy_names()}
    assert screen.table.groupby("parameter").size().nunique() == 1  # every target for every parameter
    assert (tmp_path / TABLE).is_file() and (tmp_path / RECORD).is_file()
    again = run_screen(tmp_path / "again", trajectories=2, seed=3, overrides=SMALL, parameters=parameters)
    pd.testing.assert_frame_equal(screen.points, again.points)


def test_a_screened_parameter_fixed_by_set_is_refused(tmp_path):
    with pytest.raises(InputError, match="both screened and fixed"):
        run_screen(tmp_path, trajectories=2, overrides={"groups.dropout_rate": 0.01})


def test_every_calibrated_parameter_is_one_the_stored_screen_found_informed():
    """`make screen` stores the screen of the marked parameters; a mark on a parameter it found
    uninformed (or never screened) would fit a parameter the calibration rows cannot see."""
    stored = verdicts(pd.read_csv(STORED)).set_index("parameter")
    marked = set(calibration_priors())
    assert marked <= set(stored.index), f"never screened: {sorted(marked - set(stored.index))}"
    uninformed = sorted(name for name in marked if not stored.loc[name, "informed"])
    assert not uninformed, f"marked calibrate but informing no calibration row: {uninformed}"


def die(point):
    os._exit(1)


def test_a_lost_worker_is_one_line_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(screen_module, "evaluate", die)
    with pytest.raises(InputError, match="a worker was lost"):
        run_screen(
            tmp_path, trajectories=1, overrides=SMALL, workers=2, parameters={"groups.dropout_rate": (0.0, 0.06)}
        )
    assert not (tmp_path / TABLE).exists()


def test_the_candidates_are_the_marked_by_default_all_adds_every_drawn_assumption_and_names_are_checked():
    marked, every = candidates(), candidates("all")
    assert marked == calibration_priors() and set(marked) < set(every)
    assert set(plausible_ranges()) <= set(every)
    assert candidates("groups.dropout_rate") == {"groups.dropout_rate": marked["groups.dropout_rate"]}
    for bad in ("groups.nonsense", "village.width", " , "):
        with pytest.raises(InputError, match="--params"):
            candidates(bad)


@pytest.mark.parametrize(
    "extra, field",
    [(["--resume"], "--resume"), (["--dask", "local"], "--dask"), (["--params", "groups.nonsense"], "--params")],
)
def test_the_command_refuses_what_the_screen_cannot_do_in_one_line(tmp_path, capsys, extra, field):
    assert main(["calibrate", "--method", "screen", "--out", str(tmp_path / "s"), *extra]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and field in err[0]
    assert not (tmp_path / "s" / TABLE).exists()


@pytest.mark.parametrize(
    "method, extra", [("smc", ["--params", "groups.nonsense"]), ("rejection", ["--params", "groups.dropout_rate"])]
)
def test_params_names_what_the_smc_fits_and_the_rejection_method_refuses_it(tmp_path, capsys, method, extra):
    """``--params`` chooses the SMC's parameters as it does the screen's (an unknown name refused before any
    run); the rejection method fits its fixed twelve, so it says so rather than ignoring the option."""
    assert main(["calibrate", "--method", method, "--out", str(tmp_path / "c"), *extra]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--params" in err[0]
    assert not (tmp_path / "c").exists() or not any((tmp_path / "c").iterdir())
