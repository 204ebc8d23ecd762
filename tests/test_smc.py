"""ABC-SMC calibration (pyabc): which parameters it fits, what it reads, what it writes, resuming."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyabc
import pytest

from analysis.studies.smc import (
    DEGENERATE,
    POSTERIOR,
    START_PARTICLES,
    abc_smc,
    natural,
    run_smc,
    simulator,
    summarise,
    targets_met,
    weighted_quantile,
)
from analysis.targets import counted, load_targets
from sim.errors import InputError
from sim.model import VillageModel
from sim.params import calibration_priors, make_params, undot

SMALL = {"village.width": 12, "village.height": 12}
DEFAULT_TARGETS = {t.name for t in counted(load_targets(), "calibration")}
TWO = {"groups.join_rate": (0.05, 0.5), "groups.dropout_rate": (0.0, 0.06)}
PROGRAMMES = ("area_based", "enterprise_based", "hybrid")
VILLAGE = {"width": 16, "height": 16, "months": 72, "burn_in_months": 6, "programme_months": 48}


def changes_run(strategy: str, name: str, lo: float, hi: float) -> bool:
    """Whether moving ``name`` from lo to hi changes any monthly record of a run of ``strategy``, in
    any of four villages (one small village may never reach the state a parameter acts on)."""
    for seed in (4, 5, 6, 7):
        runs = []
        for value in (lo, hi):
            model = VillageModel(make_params({**VILLAGE, "strategy": strategy, undot(name): value}), seed=seed)
            while model.running:
                model.step()
            runs.append(model.timeseries().to_numpy(dtype=float))
        if not np.array_equal(*runs):
            return True
    return False


def test_calibrated_parameters_act_on_every_programme_strategy_alike():
    """A parameter that changes some programme strategy's run but not another's separates strategies
    (NGO management, community management, networks): none may be calibrated."""
    for name, (lo, hi) in calibration_priors().items():
        changed = {s: changes_run(s, name, lo, hi) for s in PROGRAMMES}
        assert len(set(changed.values())) == 1, f"{name} separates strategies: {changed}"


def test_the_separation_check_sees_strategy_specific_parameters():
    for name, lo, hi in [
        ("groups.ngo_learning_factor", 0.1, 0.6),
        ("networks.organic_premium", 0.05, 0.25),
        ("facilitators.internal_support", 0.3, 0.7),
    ]:
        assert len({changes_run(s, name, lo, hi) for s in PROGRAMMES}) == 2, name


def test_calibrated_priors_lie_inside_the_schema():
    for name, (lo, hi) in calibration_priors().items():
        field = make_params().model_fields[undot(name)]
        bounds = {type(m).__name__: m for m in field.metadata}
        assert lo < hi
        assert bounds["Ge"].ge <= lo and hi <= bounds["Le"].le, name


def test_the_simulator_reads_calibration_rows_only_and_is_reproducible(tmp_path):
    extra = tmp_path / "extra.toml"
    extra.write_text(
        '[[target]]\nname = "held_out"\nmetric = "income_effect_30"\nlow = 5\npattern = "p"\nsource = "s"\n'
        'kind = "validation"\n'
    )
    model = simulator(3, SMALL, None, [extra])
    assert {t.kind for t, _ in model.pairs} == {"calibration"}
    particle = {"groups.join_rate": 0.3, "groups.dropout_rate": 0.02}
    stats = model(particle)
    assert set(stats) == {t.name for t in counted(load_targets(), "calibration")}
    assert "held_out" not in stats and all(v >= 0 for v in stats.values())
    assert model(particle) == stats
    assert model.village_seed(model.values(particle)) != model.village_seed(
        model.values({**particle, "groups.join_rate": 0.31})
    )


def test_weighted_quantiles_and_summary_on_a_known_sample():
    values = np.array([1.0, 2.0, 3.0, 4.0])
    weights = np.array([0.1, 0.1, 0.1, 0.7])
    assert weighted_quantile(values, weights, 0.5) == 4.0
    assert weighted_quantile(values, np.ones(4), 0.5) == 2.0
    posterior = pd.DataFrame({"a": values, "weight": weights})
    row = summarise(posterior, {"a": (0.0, 10.0)}).iloc[0]
    assert row["q05"] == 1.0 and row["q95"] == 4.0 and row["span"] == pytest.approx(0.3) and row["identified"]


def test_a_tiny_smc_writes_its_posterior_and_resumes(tmp_path):
    out = tmp_path / "cal"
    result = run_smc(out, budget=40, start_particles=6, seed=2, overrides=SMALL, parameters=TWO, progress=False)
    assert result.evaluations + result.dropped <= 40 and len(result.populations) >= 1
    posterior = pd.read_parquet(out / POSTERIOR)
    assert list(posterior.columns) == [*TWO, "weight"]
    assert posterior["weight"].sum() == pytest.approx(1.0) and (posterior["weight"] > 0).all()
    for name, (lo, hi) in TWO.items():
        assert posterior[name].between(lo, hi).all()
    record = (out / "calibration.md").read_text()
    assert "epsilon schedule" in record and "groups.join_rate" in record
    # the convergence diagnostic: each generation's share of particles meeting each target, from pyabc's store
    met = result.met
    assert list(met.index) == list(result.populations["t"]) and set(met.columns) == set(DEFAULT_TARGETS)
    assert ((met >= 0) & (met <= 1 + 1e-12)).all().all() and "targets met (of 11)" in record
    history = pyabc.History(f"sqlite:///{out / 'abc.db'}", _id=1)
    weights, stats = history.get_weighted_sum_stats(t=history.max_t)
    inside = sum(w for w, s in zip(weights, stats, strict=True) if s["patron_borrowers"] == 0) / sum(weights)
    assert met.iloc[-1]["patron_borrowers"] == pytest.approx(inside)
    assert (out / "marginals.png").stat().st_size > 0 and (out / "pairs.png").stat().st_size > 0
    with pytest.raises(InputError, match="--resume"):
        run_smc(out, budget=12, overrides=SMALL, parameters=TWO, progress=False)
    one = {"groups.join_rate": TWO["groups.join_rate"]}  # resuming must fit what the stored run fits
    with pytest.raises(InputError, match="groups.dropout_rate, groups.join_rate; resume it with the same parameters"):
        run_smc(out, budget=80, overrides=SMALL, parameters=one, progress=False, resume=True)
    budget = result.evaluations + 120
    more = run_smc(out, budget=budget, start_particles=6, overrides=SMALL, parameters=TWO, progress=False, resume=True)
    assert more.evaluations > result.evaluations and len(more.populations) > len(result.populations)
    assert more.evaluations + more.dropped <= budget


def test_targets_met_weighs_each_particle_by_its_importance_weight():
    class Stored:  # pyabc's history as targets_met reads it
        max_t = 1

        def get_weighted_sum_stats(self, t):
            if t == 0:
                return [1.0, 1.0], [{"a": 0.0, "b": 0.3}, {"a": 0.2, "b": 0.0}]
            return [3.0, 1.0], [{"a": 0.0, "b": 0.0}, {"a": 0.5, "b": 0.0}]

    met = targets_met(Stored())
    assert met.loc[0].tolist() == [0.5, 0.5]
    assert met.loc[1].tolist() == [0.75, 1.0]  # the met particle carries three quarters of the weight


@dataclass(frozen=True)
class Linear:
    """A synthetic model of the calibration's shape: statistics that are sums of a few parameters each."""

    matrix: np.ndarray
    names: tuple[str, ...]

    def __call__(self, values: dict[str, float]) -> dict[str, float]:
        x = np.array([values[n] for n in self.names]) - 0.5
        return {f"s{i}": float(abs(v)) for i, v in enumerate(self.matrix @ x)}


def test_forty_parameters_keep_the_weights_finite_and_even(tmp_path):
    """Forty parameters and eleven statistics: in every generation the weights are finite and the
    effective sample size is at least a tenth of the particles (the share below which a posterior is
    called collapsed and not shipped; a joint normal kernel over the forty collapsed it to about 1
    and then to NaN weights)."""
    names = tuple(f"p{i:02d}" for i in range(40))
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(11, 40)) * (rng.random((11, 40)) < 0.15)
    parameters = dict.fromkeys(names, (0.0, 1.0))
    np.random.seed(3)  # pyabc draws from numpy's global generator
    abc = abc_smc(Linear(matrix, names), parameters, 10_000, START_PARTICLES, pyabc.sampler.SingleCoreSampler())
    abc.new(f"sqlite:///{tmp_path / 'abc.db'}", {f"s{i}": 0.0 for i in range(11)})
    history = abc.run(max_nr_populations=3, minimum_epsilon=0.0)
    assert history.max_t == 2
    epsilons = history.get_all_populations().query("t >= 0")["epsilon"].to_numpy()
    assert (np.diff(epsilons) < 0).all()
    for t in range(history.max_t + 1):
        frame, weights = history.get_distribution(t=t)
        assert np.isfinite(weights).all() and (weights > 0).all()
        assert 1 / np.sum((weights / weights.sum()) ** 2) >= DEGENERATE * len(weights), t
        values = natural(frame[list(names)], parameters)
        assert ((values > 0) & (values < 1)).all().all()
