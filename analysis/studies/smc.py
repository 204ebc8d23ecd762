"""Calibration by ABC-SMC (pyabc): the parameters marked ``calibrate`` in the schema against the calibration rows.

Method (``berdaya calibrate``; the rejection method stays in ``analysis.studies.calibration``):

1. Prior: uniform over each marked parameter's prior range (``sim.params.calibration_priors``):
   every parameter that acts on every strategy alike and moves a calibration row.
2. One evaluation of a particle runs all four default scenarios with the same values on the
   same village, so they fork one burn-in (``VillageModel.shared``); the village's seed
   comes from the command's seed and the particle's values, so equal particles give equal runs.
3. Summary statistics: each calibration target's miss (``calibration.target_misses``); the
   field data are all misses at 0. Validation and input rows are never read.
4. pyabc's ABC-SMC (Toni et al. 2009; Beaumont et al. 2009) with an adaptive distance
   (Prangle 2017: each miss scaled anew each generation by its root mean square) and an
   population of ``START_PARTICLES`` (pyabc's adaptive population size bootstraps the
   kernels' density, which with forty kernels took 7 minutes a generation, more than the
   generation's runs); its database in DIR makes the run resumable, and ``budget`` caps the evaluations: a generation
   may use only what is left (with the Dask sampler, which ignores that cap, the budget is
   checked between generations).
5. Each parameter is sampled on the logit of its place in its prior range (the uniform prior
   becomes a standard logistic one), and perturbed by a normal kernel of its own (pyabc's
   ``AggregatedTransition``). A joint multivariate normal kernel over some forty parameters
   made the importance weights collapse (effective sample size about 1 by the second
   generation, then NaN weights: benchmarks/README.md), and most of its proposals fell outside
   the prior box; one kernel per unbounded coordinate keeps the weights even and every proposal
   inside. The posterior's correlations are kept by the particles, not by the kernel.
6. The last generation's particles and weights are the posterior (``posterior.parquet``).
"""

from __future__ import annotations

import logging
import math
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyabc
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from scipy.special import expit

from analysis.studies.calibration import UNDEFINED_MISS, target_misses
from analysis.studies.patterns import Measured, rows, scenario_runs, validation_experiment
from analysis.targets import Target, counted, load_targets
from experiments.engine import check_horizon
from experiments.pattern_runner import simulate
from sim.errors import InputError
from sim.files import check_writable, save_figure, write_parquet, write_text
from sim.params import Params, calibration_priors, undot
from sim.scenario import load_scenario

DATABASE = "abc.db"
POSTERIOR = "posterior.parquet"
DEFAULT_BUDGET = 2000
START_PARTICLES = 300  # particles per generation (100 let 40 kernels' noise collapse the weights)
MAX_SCALE_RATIO = 100.0  # no miss weighs more than this times the least one (pyabc's max_scale_weight_ratio)
DEGENERATE = 0.1  # an effective sample size below this share of the particles: the weights have collapsed
IDENTIFIED = 0.5  # a parameter whose 90% interval spans at most this share of its prior range is identified


class Budgeted(pyabc.ABCSMC):
    """pyabc's ABC-SMC in which a generation may use only the evaluations left of ``budget``: its
    ``min_acceptance_rate`` (which sets the sampler's ``max_eval``) is set anew before each generation,
    and a generation that would not fit, or that the budget cuts short, ends the run (it is not kept)."""

    budget: float = math.inf
    dropped: int = 0  # evaluations of a generation the budget cut short

    def run_generation(self, t: int) -> dict:
        need = self.population_size(t)
        left = self.budget - self.history.total_nr_simulations
        if left < need:
            return {"successful": False}
        self.min_acceptance_rate = need / left
        done = super().run_generation(t)
        if not done["successful"]:
            self.dropped += int(left)
        return done


@dataclass(frozen=True)
class Simulator:
    """One evaluation for pyabc: a particle in all scenarios, returning each calibration target's miss
    (an infinite one counts as undefined, so no distance is NaN or infinite)."""

    scenarios: dict[str, dict[str, Any]]  # scenario stem -> its given parameters (bare names)
    pairs: tuple[tuple[Target, str], ...]
    seed: int
    replicates: int = 1

    def values(self, particle: dict[str, float]) -> dict[str, Any]:
        """Bare names and schema types (pyabc samples every parameter as a float)."""
        out: dict[str, Any] = {}
        for key, value in particle.items():
            name = undot(key)
            out[name] = int(round(value)) if Params.model_fields[name].annotation is int else float(value)
        return out

    def village_seed(self, values: dict[str, Any]) -> int:
        """The command's seed and the particle's values, hashed: equal particles, equal villages."""
        digest = zlib.crc32(repr(sorted(values.items())).encode())
        return int(np.random.SeedSequence([self.seed, digest]).generate_state(1)[0])

    def __call__(self, particle: dict[str, float]) -> dict[str, float]:
        values = self.values(dict(particle))
        return self.misses(values, self.village_seed(values))

    def misses(self, values: dict[str, Any], seed: int) -> dict[str, float]:
        """Each calibration target's miss with ``values`` (bare names) on the village of ``seed``."""
        runs, monthly = [], []
        for stem, given in self.scenarios.items():
            for replicate in range(self.replicates):
                run_id = f"{stem}.r{replicate}"
                metrics, table = simulate({**given, **values}, seed + replicate)
                runs.append({"run_id": run_id, "point": 0, "scenario": stem, **metrics})
                monthly.append(table.assign(run_id=run_id))
        misses = target_misses(Measured(pd.DataFrame(runs), pd.concat(monthly, ignore_index=True)), list(self.pairs))
        return {name: float(v) if math.isfinite(v) else UNDEFINED_MISS for name, v in misses.iloc[0].items()}


def natural(coordinates: pd.DataFrame, parameters: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """Parameter values from pyabc's logit coordinates: a place in each prior range."""
    lo = np.array([parameters[k][0] for k in coordinates.columns])
    hi = np.array([parameters[k][1] for k in coordinates.columns])
    return pd.DataFrame(lo + (hi - lo) * expit(coordinates.to_numpy(dtype=float)), columns=coordinates.columns)


@dataclass(frozen=True)
class OnLogits:
    """The model as pyabc sees it: a particle of logit coordinates, run at the values they stand for."""

    model: Any  # a callable from parameter values to summary statistics (a Simulator)
    parameters: dict[str, tuple[float, float]]

    def __call__(self, particle: dict[str, float]) -> dict[str, float]:
        coordinates = pd.DataFrame([dict(particle)])
        return self.model(natural(coordinates, self.parameters).iloc[0].to_dict())


def abc_smc(
    model: Any, parameters: dict[str, tuple[float, float]], budget: int, start_particles: int, chosen
) -> Budgeted:
    """pyabc's ABC-SMC over ``parameters`` (uniform priors) for ``model``, a callable from values to statistics.

    Logit coordinates with a standard logistic prior (the image of the uniform), one normal kernel
    per parameter, the adaptive distance and populations of ``start_particles``."""
    prior = pyabc.Distribution(**{k: pyabc.RV("logistic", 0, 1) for k in parameters})
    kernels = pyabc.AggregatedTransition({k: pyabc.MultivariateNormalTransition() for k in parameters})
    distance = pyabc.AdaptivePNormDistance(
        p=2, scale_function=pyabc.distance.root_mean_square_deviation, max_scale_weight_ratio=MAX_SCALE_RATIO
    )
    abc = Budgeted(
        OnLogits(model, parameters),
        prior,
        distance,
        population_size=min(start_particles, budget),
        transitions=kernels,
        sampler=chosen,
    )
    abc.budget = budget
    return abc


@dataclass
class Result:
    posterior: pd.DataFrame  # one row per particle of the last generation: parameters and weight
    summary: pd.DataFrame  # one row per parameter
    populations: pd.DataFrame  # one row per generation: t, epsilon, samples, particles
    evaluations: int  # those of the stored generations (and the prior sample)
    seconds: float
    out: Path
    dropped: int = 0  # evaluations of a last generation the budget cut short (not stored)
    stopped: str = ""  # why pyabc stopped before the budget, where it refused a generation
    met: pd.DataFrame | None = None  # per generation, each target: weighted share of particles meeting it


def targets_met(history) -> pd.DataFrame:
    """Per generation (index t), each calibration target's weighted share of accepted particles whose
    village met it (miss 0), from the statistics pyabc stored: whether the generations close in on the
    rows, at no extra run."""
    rows = {}
    for t in range(history.max_t + 1):
        weights, stats = history.get_weighted_sum_stats(t=t)
        weights = np.asarray(weights, dtype=float) / np.sum(weights)
        rows[t] = {name: float(np.sum(weights * [s[name] == 0 for s in stats])) for name in stats[0]}
    return pd.DataFrame.from_dict(rows, orient="index")


def simulator(
    seed: int,
    overrides: dict[str, Any] | None,
    months: int | None,
    target_files: list[Path] | tuple[Path, ...],
    replicates: int = 1,
) -> Simulator:
    """The simulator over the calibration rows of the shipped (and given) targets, only those."""
    targets = counted(load_targets(target_files), "calibration")
    if not targets:
        raise InputError('no target of kind "calibration" to fit', field="--targets")
    run = scenario_runs(None, overrides, months)
    check_horizon(validation_experiment(run, replicates, seed, overrides, months), schema=True)
    pairs = tuple((t, s) for t, s in rows(targets, run) if t.kind == "calibration")
    fixed = {**(overrides or {}), **({"village.months": months} if months is not None else {})}
    scenarios = {stem: load_scenario(s.path, overrides=fixed).params.given() for stem, s in run.items()}
    return Simulator(scenarios, pairs, seed, replicates)


def sampler(workers: int, dask: str | None, progress: bool):
    """pyabc's sampler: one core, its multicore sampler (``--workers``) or its Dask sampler (``--dask``)."""
    if dask:
        from dask.distributed import Client, LocalCluster

        client = Client(LocalCluster(n_workers=workers, threads_per_worker=1) if dask == "local" else dask)
        chosen = pyabc.sampler.DaskDistributedSampler(dask_client=client, batch_size=1)
    elif workers > 1:
        chosen = pyabc.sampler.MulticoreEvalParallelSampler(n_procs=workers, check_max_eval=True)
    else:
        chosen = pyabc.sampler.SingleCoreSampler(check_max_eval=True)
    chosen.show_progress = progress
    return chosen


def run_smc(
    out: str | Path,
    *,
    budget: int = DEFAULT_BUDGET,
    seed: int = 1,
    overrides: dict[str, Any] | None = None,
    months: int | None = None,
    workers: int = 1,
    dask: str | None = None,
    resume: bool = False,
    progress: bool = True,
    start_particles: int = START_PARTICLES,
    replicates: int = 1,
    parameters: dict[str, tuple[float, float]] | None = None,
    target_files: list[Path] | tuple[Path, ...] = (),
    command: str | None = None,
) -> Result:
    """Run (or continue, ``resume``) ABC-SMC in ``out`` until ``budget`` evaluations, then write the record.

    ``command``: the command line to quote in the record (default: the budget and seed)."""
    parameters = parameters or calibration_priors()
    clash = sorted(set(parameters) & set(overrides or {}))
    if clash:
        raise InputError(f"{', '.join(clash)} is both calibrated and fixed by --set", field="--set")
    model = simulator(seed, overrides, months, target_files, replicates)
    out = check_writable(out)
    database = out / DATABASE
    if database.exists() and not resume:
        raise InputError("holds a calibration already; add --resume to continue it", file=str(out), field="--out")
    if resume and not database.exists():
        raise InputError(f"no {DATABASE} here to resume", file=str(out), field="--resume")
    if resume:
        stored = fitted(database)
        if stored is not None and stored != sorted(parameters):
            raise InputError(
                f"fits {', '.join(stored)}; resume it with the same parameters (--params)",
                file=str(database),
                field="--params",
            )
    logging.getLogger("ABC").setLevel(logging.INFO if progress else logging.WARNING)
    for name in ("ABC.Sampler", "ABC.Distance", "ABC.Epsilon", "ABC.Adaptation", "ABC.Population"):
        logging.getLogger(name).setLevel(logging.WARNING)
    np.random.seed(np.random.SeedSequence(seed).generate_state(1)[0])  # pyabc draws from numpy's global generator
    abc = abc_smc(model, parameters, budget, start_particles, sampler(workers, dask, progress))
    url = f"sqlite:///{database}"
    if resume:
        abc.load(url, abc_id=1)
    else:
        abc.new(url, {t.name: 0.0 for t, _ in model.pairs})
    started = time.perf_counter()
    stopped = ""
    try:
        history = abc.run(max_total_nr_simulations=budget, minimum_epsilon=0.0)
    except AssertionError as error:  # pyabc refuses a population whose weights degenerate (NaN)
        stopped = f"pyabc stopped in generation {abc.history.max_t + 1}: {error}"
        logging.getLogger("ABC").warning("%s; the stored generations are kept", stopped)
        history = abc.history
    seconds = time.perf_counter() - started
    result = collect(history, parameters, out, seconds)
    result.dropped, result.stopped = abc.dropped, stopped
    write(result, parameters, budget, command or f"berdaya calibrate --budget {budget} --seed {seed}")
    return result


def fitted(database: Path) -> list[str] | None:
    """The parameters a stored calibration fits, sorted (None before its first generation)."""
    history = pyabc.History(f"sqlite:///{database}", _id=1)
    if history.max_t < 0:
        return None
    frame, _ = history.get_distribution(m=0, t=history.max_t)
    return sorted(frame.columns)


def collect(history, parameters: dict[str, tuple[float, float]], out: Path, seconds: float) -> Result:
    """The last generation as the posterior, and the record's numbers, from pyabc's history."""
    if history.max_t < 0:
        raise InputError(
            "the budget ended before pyabc's first generation was complete: nothing to write; raise --budget",
            file=str(out),
            field="--budget",
        )
    frame, weights = history.get_distribution(m=0, t=history.max_t)
    posterior = natural(frame[list(parameters)].reset_index(drop=True), parameters)
    posterior["weight"] = np.asarray(weights, dtype=float) / np.sum(weights)
    populations = history.get_all_populations()
    populations = populations[populations["t"] >= 0].reset_index(drop=True)
    return Result(
        posterior,
        summarise(posterior, parameters),
        populations,
        int(history.total_nr_simulations),
        seconds,
        out,
        met=targets_met(history),
    )


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The q-quantile of a weighted sample (the inverse of its step distribution function)."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order]) / np.sum(weights)
    return float(values[order][min(np.searchsorted(cumulative, q), len(values) - 1)])


def summarise(posterior: pd.DataFrame, parameters: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """Per parameter: prior, weighted median and 90% interval, and the interval's share of the prior range."""
    weights = posterior["weight"].to_numpy(dtype=float)
    records = []
    for name, (lo, hi) in parameters.items():
        values = posterior[name].to_numpy(dtype=float)
        q05, median, q95 = (weighted_quantile(values, weights, q) for q in (0.05, 0.5, 0.95))
        span = (q95 - q05) / (hi - lo)
        records.append(
            {
                "parameter": name,
                "prior_lo": lo,
                "prior_hi": hi,
                "median": median,
                "q05": q05,
                "q95": q95,
                "span": span,
                "identified": span <= IDENTIFIED,
            }
        )
    return pd.DataFrame(records)


def markdown(result: Result, budget: int, command: str) -> str:
    pops = result.populations
    lines = [
        "# Calibration record (ABC-SMC, pyabc)",
        "",
        f"- command: `{command}` (calibration rows only)",
        f"- evaluations: {result.evaluations} (each: the four scenarios on one village) in the stored generations, "
        f"{result.dropped} more in a last one the budget cut short (dropped); budget {budget}",
        f"- generations: {len(pops)}; particles in the last: {len(result.posterior)}; effective sample size "
        f"{1 / (result.posterior['weight'] ** 2).sum():.1f}",
        *([f"- stopped early: {result.stopped}"] if result.stopped else []),
        *(
            ["- **degenerate**: the weights rest on a few particles; the intervals below are not a posterior"]
            if 1 / (result.posterior["weight"] ** 2).sum() < DEGENERATE * len(result.posterior)
            else []
        ),
        f"- time: {result.seconds:.0f} s in this invocation",
        "- epsilon schedule: " + ", ".join(f"{e:.3g}" for e in pops["epsilon"]),
        "",
        "## Posterior of the calibrated parameters",
        "",
        "| parameter | prior | posterior median | 90% interval | share of prior range |",
        "|---|---|---|---|---|",
    ]
    for row in result.summary.itertuples():
        lines.append(
            f"| {row.parameter} | [{row.prior_lo:g}, {row.prior_hi:g}] | {row.median:.3g} | "
            f"{row.q05:.3g} to {row.q95:.3g} | {row.span:.0%} |"
        )
    identified = result.summary.loc[result.summary["identified"], "parameter"].tolist()
    lines += [
        "",
        f"Identified (90% interval at most {IDENTIFIED:.0%} of the prior range): "
        + (", ".join(identified) if identified else "none"),
        "",
        "## Generations",
        "",
        "Targets met: the weighted mean, over a generation's accepted particles, of the calibration targets",
        "their one village met (miss 0); compare it with `berdaya validate-patterns` at the defaults, where",
        "most rows are met in most villages. A calibration that has not closed in meets fewer.",
        "",
        f"| generation | epsilon | evaluations | particles | targets met (of {result.met.shape[1]}) |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.t} | {r.epsilon:.3g} | {r.samples} | {r.particles} | {result.met.loc[r.t].sum():.2f} |"
        for r in pops.itertuples()
    ]
    last = result.met.iloc[-1]
    lines += [
        "",
        "Share of the last generation's particles meeting each target: "
        + ", ".join(f"{name} {share:.0%}" for name, share in last.items()),
    ]
    lines += ["", "Figures: marginals.png (each parameter), pairs.png (pairs of the identified ones)."]
    return "\n".join(lines) + "\n"


def marginals(result: Result, parameters: dict[str, tuple[float, float]], path: Path) -> None:
    """Per parameter: the weighted posterior histogram over the prior range (the prior is flat)."""
    names = list(parameters)
    columns = 5
    nrows = max(1, math.ceil(len(names) / columns))
    fig = Figure(figsize=(3.0 * columns, 2.1 * nrows), layout="constrained")
    FigureCanvasAgg(fig)
    weights = result.posterior["weight"].to_numpy()
    for i, name in enumerate(names):
        ax = fig.add_subplot(nrows, columns, i + 1)
        lo, hi = parameters[name]
        ax.hist(result.posterior[name], bins=np.linspace(lo, hi, 16), weights=weights, color="#2166ac")
        ax.axhline(1 / 15, color="#999999", linewidth=0.8)
        ax.set_title(name, fontsize=7)
        ax.tick_params(labelsize=6)
        ax.set_yticks([])
    fig.suptitle("ABC-SMC posterior (weighted); grey line: the flat prior", fontsize=9)
    save_figure(fig, path, dpi=100)


def pairs(result: Result, parameters: dict[str, tuple[float, float]], path: Path) -> None:
    """Scatter of every pair of identified parameters (the two narrowest where none is), sized by weight."""
    ranked = result.summary.sort_values("span")
    names = ranked.loc[ranked["identified"], "parameter"].tolist() or ranked["parameter"].head(2).tolist()
    names = names[:6]
    k = len(names)
    fig = Figure(figsize=(2.4 * max(k - 1, 1), 2.4 * max(k - 1, 1)), layout="constrained")
    FigureCanvasAgg(fig)
    size = 400 * result.posterior["weight"].to_numpy()
    for i in range(1, k):
        for j in range(i):
            ax = fig.add_subplot(k - 1, k - 1, (i - 1) * (k - 1) + j + 1)
            ax.scatter(result.posterior[names[j]], result.posterior[names[i]], s=size, alpha=0.5, color="#2166ac")
            ax.set_xlim(*parameters[names[j]])
            ax.set_ylim(*parameters[names[i]])
            ax.set_xlabel(names[j], fontsize=6)
            ax.set_ylabel(names[i], fontsize=6)
            ax.tick_params(labelsize=5)
    fig.suptitle("Pairs of identified parameters (point size: weight)", fontsize=9)
    save_figure(fig, path, dpi=100)


def write(result: Result, parameters: dict[str, tuple[float, float]], budget: int, command: str) -> dict[str, Path]:
    out = result.out
    paths = {
        "posterior": out / POSTERIOR,
        "record": out / "calibration.md",
        "marginals": out / "marginals.png",
        "pairs": out / "pairs.png",
    }
    write_parquet(paths["posterior"], result.posterior)
    write_text(paths["record"], markdown(result, budget, command))
    marginals(result, parameters, paths["marginals"])
    pairs(result, parameters, paths["pairs"])
    return paths


__all__ = [
    "POSTERIOR",
    "Result",
    "Simulator",
    "abc_smc",
    "natural",
    "run_smc",
    "simulator",
    "summarise",
    "weighted_quantile",
]
