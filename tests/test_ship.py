"""Shipping a calibration: the posterior and its record copied, its medians the schema's defaults."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analysis.ship import ship
from analysis.studies.smc import summarise
from sim.errors import InputError
from sim.params import calibration_priors


def run_folder(tmp_path, weights):
    rng = np.random.default_rng(5)
    priors = calibration_priors()
    table = pd.DataFrame({k: rng.uniform(lo, hi, len(weights)) for k, (lo, hi) in priors.items()})
    table["weight"] = weights
    run = tmp_path / "run"
    run.mkdir()
    table.to_parquet(run / "posterior.parquet")
    (run / "calibration.md").write_text("# Calibration record\n")
    return run, table


def test_the_shipped_medians_become_the_schemas_defaults(tmp_path):
    run, table = run_folder(tmp_path, np.full(50, 0.02))
    written = ship(run, package=tmp_path / "pkg", defaults=tmp_path / "calibrated.toml")
    assert pd.read_parquet(written["posterior"]).equals(table)
    assert written["record"].read_text().startswith("# Calibration record")
    medians = summarise(table, calibration_priors()).set_index("parameter")["median"]
    script = (
        "from pathlib import Path; from sim.params import apply_calibrated, make_params, evidence, undot\n"
        f"applied = apply_calibrated(Path({str(written['defaults'])!r}))\n"
        "p = make_params()\n"
        "print(repr({k: (getattr(p, undot(k)), evidence(undot(k))['evidence']) for k in applied}))"
    )
    shown = eval(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout)
    assert set(shown) == set(calibration_priors())
    for key, (value, mark) in shown.items():
        assert mark == "calibrated"
        tolerance = 0.5 if isinstance(value, int) else 1e-3 * abs(medians[key])  # an integer, or four digits
        assert abs(value - medians[key]) <= tolerance, key


def test_a_collapsed_posterior_is_not_shipped(tmp_path):
    weights = np.zeros(50)
    weights[0] = 1.0
    run, _ = run_folder(tmp_path, weights)
    with pytest.raises(InputError, match="collapsed"):
        ship(run, package=tmp_path / "pkg", defaults=tmp_path / "calibrated.toml")
    assert not (tmp_path / "calibrated.toml").exists()
