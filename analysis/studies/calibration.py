"""Calibration: approximate Bayesian computation by rejection over the experiments engine.

Method (anyone can rerun it with ``berdaya calibrate``):

1. Prior: a Latin hypercube (``scipy.stats.qmc`` through ``experiments.spec.sweep_points``)
   of the few parameters in ``PARAMETERS``, uniform over ranges inside the schema's.
   Only parameters that act alike on every strategy are varied; nothing that exists
   for one strategy alone (NGO management, networks, modules) is, so no strategy can be
   tuned to win.
2. Each sample runs all four default scenarios with the SAME parameters, through the
   pattern runner (``experiments/pattern_runner.py``).
3. Distance: each calibration target's miss (``analysis.targets.Target.miss``: distance
   outside the band over the target's scale, measured on the mean over replicates,
   averaged over the scenarios the target names), then the root mean square over
   targets, so every target weighs the same however many scenarios it covers. Only
   targets of kind ``calibration`` enter: the validation rows are a hold-out the
   calibration never sees, and input rows check inputs.
4. Rejection: the closest ``quantile`` of samples are accepted; their spread is the
   approximate posterior (Pritchard et al. 1999; Beaumont et al. 2002, without the
   regression adjustment). The posterior median is the proposed default.
5. What cannot be met together: among the near samples (the closest ``NEAR`` share),
   the Spearman correlation of two targets' misses; a clearly negative one means
   getting closer to one target moves the model away from the other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from scipy import stats

from analysis.studies.patterns import Measured, rows, scenario_runs, validation_experiment
from analysis.targets import UNDEFINED_MISS, Target, counted, load_targets
from experiments.engine import EngineOptions, Outcome, check_horizon, execute, read_results
from experiments.spec import sweep_points
from sim.errors import InputError
from sim.files import save_figure, write_csv, write_parquet, write_text
from sim.params import Params, undot

# The calibrated parameters and the prior ranges (inside the schema's), with why each.
PARAMETERS: dict[str, tuple[float, float]] = {
    "households.income_mean": (1.4, 2.8),  # who needs patron credit, who is poor
    "households.consumption_mpc": (0.03, 0.3),  # consumption inequality (buffer-stock spending)
    "households.land_income_share": (0.2, 0.5),  # consumption inequality (unequal land)
    "village.shock_rate": (0.005, 0.06),  # who needs patron credit
    "groups.dropout_rate": (0.0, 0.06),  # member drop-out
    "groups.cohesion_noise": (0.02, 0.25),  # groups that stop
    "groups.dissolve_cohesion": (0.1, 0.4),  # groups that stop
    "groups.market_income": (0.0, 0.6),  # members' income gain
    "facilitators.link_gain": (0.01, 0.2),  # members' income gain
    "groups.savings_rate": (0.02, 0.2),  # members' savings
    "groups.management_learning": (0.005, 0.08),  # groups that mature, what lasts
    "groups.join_rate": (0.05, 0.5),  # how many take part by month 30
}
DEFAULT_SAMPLES = 600
DEFAULT_REPLICATES = 1
DEFAULT_QUANTILE = 0.1
NEAR = 0.3  # share of samples, closest first, in which conflicts between targets are read
CONFLICT = -0.3  # Spearman correlation of misses at or below which two targets pull apart
SIGNIFICANCE = 0.05  # ... when it is also this unlikely without any association


@dataclass
class Calibration:
    samples: pd.DataFrame  # one row per sample: point, parameters, each target's miss, distance, accepted
    posterior: pd.DataFrame  # one row per parameter
    conflicts: pd.DataFrame  # one row per pair of targets
    proposal: dict[str, Any]  # proposed defaults (dotted names)
    epsilon: float  # largest accepted distance
    out: Path
    outcome: Outcome | None = None


def check_parameters(parameters: dict[str, tuple[float, float]]) -> None:
    """Names known to the schema and ranges inside its bounds (else InputError)."""
    sweep_points("lhs", {k: list(v) for k, v in parameters.items()}, samples=1, seed=0)


def prior_sample(
    parameters: dict[str, tuple[float, float]], samples: int, seed: int, schema: bool = True
) -> list[dict[str, Any]]:
    """A Latin hypercube over the prior ranges (uniform margins)."""
    return sweep_points("lhs", {k: list(v) for k, v in parameters.items()}, samples=samples, seed=seed, schema=schema)


def target_misses(measured: Measured, pairs: list[tuple[Target, str]]) -> pd.DataFrame:
    """Per sample point (rows) and calibration target (columns): the normalised miss of the replicate
    mean, averaged over the target's scenarios; a scenario with nothing defined misses by UNDEFINED_MISS.
    Targets of any other kind are left out: the calibration never sees them."""
    runs = measured.runs
    points = np.sort(runs["point"].unique())
    per_target: dict[str, list[np.ndarray]] = {}
    for target, scenario in pairs:
        if target.kind != "calibration":
            continue
        chosen = (runs["scenario"] == scenario).to_numpy()
        values = pd.Series(measured.values(target.metric)[chosen], index=runs.loc[chosen, "point"].to_numpy())
        means = values.groupby(level=0).mean().reindex(points)
        per_target.setdefault(target.name, []).append(means.map(target.miss).fillna(UNDEFINED_MISS).to_numpy())
    table = {name: np.mean(misses, axis=0) for name, misses in per_target.items()}
    return pd.DataFrame(table, index=pd.Index(points, name="point"))


def distance(misses: pd.DataFrame) -> pd.Series:
    """Root mean square of the targets' misses: 0 when every target is met."""
    return np.sqrt((misses**2).mean(axis=1)).rename("distance")


def accept(distances: pd.Series, quantile: float) -> tuple[pd.Series, float]:
    """Rejection step: the closest ``quantile`` share (at least one sample) is accepted.

    Ties at the cut keep the earlier sample (a stable sort), so the count is exact.
    Returns the acceptance mask and epsilon, the largest accepted distance.
    """
    if not 0 < quantile <= 1:
        raise InputError(f"{quantile!r}: the accepted quantile must lie in (0, 1]", field="--quantile")
    k = max(1, math.ceil(quantile * len(distances)))
    order = distances.sort_values(kind="stable")
    accepted = pd.Series(False, index=distances.index, name="accepted")
    accepted[order.index[:k]] = True
    return accepted, float(order.iloc[k - 1])


def posterior(
    samples: pd.DataFrame,
    accepted: pd.Series,
    parameters: dict[str, tuple[float, float]],
    distances: pd.Series | None = None,
) -> pd.DataFrame:
    """Per parameter: prior range, accepted mean, sd, median, 5th and 95th percentiles, the
    closest sample's value and how much of the prior range the accepted 90% interval spans."""
    chosen = samples.loc[accepted[accepted].index]
    best = samples.loc[distances.idxmin()] if distances is not None else None
    rows = []
    for name, (lo, hi) in parameters.items():
        values = chosen[name].astype(float)
        q05, q95 = np.quantile(values, [0.05, 0.95])
        rows.append(
            {
                "parameter": name,
                "prior_lo": lo,
                "prior_hi": hi,
                "mean": float(values.mean()),
                "sd": float(values.std(ddof=1)) if len(values) > 1 else math.nan,
                "median": float(values.median()),
                "q05": float(q05),
                "q95": float(q95),
                "best": float(best[name]) if best is not None else math.nan,
                "span": float((q95 - q05) / (hi - lo)),
            }
        )
    return pd.DataFrame(rows)


def proposal(table: pd.DataFrame) -> dict[str, Any]:
    """Proposed defaults: the posterior median, as the schema types it, to three significant digits."""
    proposed = {}
    for row in table.itertuples():
        annotation = Params.model_fields[undot(row.parameter)].annotation
        value = float(f"{row.median:.3g}")
        proposed[row.parameter] = round(value) if annotation is int else value
    return proposed


def conflicts(misses: pd.DataFrame, distances: pd.Series, near: float = NEAR) -> pd.DataFrame:
    """Pairs of targets among the near samples: Spearman correlation of their misses, how often
    each is met and how often both are; ``conflict`` where the correlation is at or below
    CONFLICT with a p-value below SIGNIFICANCE."""
    k = max(3, math.ceil(near * len(distances)))
    chosen = misses.loc[distances.sort_values(kind="stable").index[:k]]
    met = chosen <= 0
    names = list(misses.columns)
    rows = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            varies = chosen[a].nunique() > 1 and chosen[b].nunique() > 1
            test = stats.spearmanr(chosen[a], chosen[b]) if varies else None
            rho = float(test.statistic) if test else math.nan
            p_value = float(test.pvalue) if test else math.nan
            rows.append(
                {
                    "target_a": a,
                    "target_b": b,
                    "spearman": rho,
                    "p_value": p_value,
                    "met_a": float(met[a].mean()),
                    "met_b": float(met[b].mean()),
                    "met_both": float((met[a] & met[b]).mean()),
                    "conflict": bool(math.isfinite(rho) and rho <= CONFLICT and p_value < SIGNIFICANCE),
                }
            )
    return pd.DataFrame(rows)


def summarise(
    measured: Measured,
    pairs: list[tuple[Target, str]],
    parameters: dict[str, tuple[float, float]],
    quantile: float,
    out: Path,
) -> Calibration:
    """Misses, distances, rejection, posterior and conflicts from a stored calibration run."""
    runs = measured.runs
    misses = target_misses(measured, pairs)
    distances = distance(misses)
    accepted, epsilon = accept(distances, quantile)
    values = runs.drop_duplicates("point").set_index("point")[list(parameters)].reindex(misses.index)
    samples = pd.concat([values, misses.add_prefix("miss:"), distances, accepted], axis=1)
    table = posterior(values, accepted, parameters, distances)
    return Calibration(samples.reset_index(), table, conflicts(misses, distances), proposal(table), epsilon, out)


def run_calibration(
    out: str | Path,
    *,
    samples: int = DEFAULT_SAMPLES,
    replicates: int = DEFAULT_REPLICATES,
    quantile: float = DEFAULT_QUANTILE,
    seed: int = 1,
    overrides: dict[str, Any] | None = None,
    parameters: dict[str, tuple[float, float]] | None = None,
    months: int | None = None,
    engine: EngineOptions = EngineOptions(),
    target_files: list[Path] | tuple[Path, ...] = (),
) -> Calibration:
    """Sample the prior, run every sample in all four scenarios, accept the closest to the calibration
    targets, write the record.

    ``engine``: how the engine runs them (``experiments.engine.EngineOptions``)."""
    parameters = parameters or PARAMETERS
    targets = counted(load_targets(target_files), "calibration")
    if not targets:
        raise InputError('no target of kind "calibration" to fit', field="--targets")
    if not 0 < quantile <= 1:
        raise InputError(f"{quantile!r}: the accepted quantile must lie in (0, 1]", field="--quantile")
    clash = sorted(set(parameters) & set(overrides or {}))
    if clash:
        raise InputError(f"{', '.join(clash)} is both calibrated and fixed by --set", field="--set")
    check_parameters(parameters)
    out = Path(out)
    run = scenario_runs(None, overrides, months)
    pairs = rows(targets, run)
    points = prior_sample(parameters, samples, seed)
    experiment = validation_experiment(run, replicates, seed, overrides, months, points=points, name="calibrate")
    check_horizon(experiment, schema=True)
    outcome = execute(experiment, out, engine)
    results = read_results(out)
    result = summarise(Measured(results.runs, results.monthly), pairs, parameters, quantile, out)
    result.outcome = outcome
    sets = [f"--set {k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in (overrides or {}).items()]
    command = " ".join(
        [
            f"berdaya calibrate --samples {samples} --replicates {replicates}",
            f"--quantile {quantile} --seed {seed}",
            *sets,
            *([f"--months {months}"] if months else []),
            *(f"--targets {file}" for file in target_files),
        ]
    )
    write(result, parameters, quantile, command)
    return result


def markdown(result: Calibration, quantile: float, command: str) -> str:
    accepted = result.samples[result.samples["accepted"]]
    miss_columns = [c for c in result.samples.columns if c.startswith("miss:")]
    met_accepted = (accepted[miss_columns] <= 0).mean()
    met_any = (result.samples[miss_columns] <= 0).mean()
    lines = [
        "# Calibration record (ABC rejection)",
        "",
        f"- command: `{command}`",
        (
            f"- samples: {len(result.samples)}; accepted: {len(accepted)} (closest {quantile:.0%}); "
            f"epsilon (largest accepted distance): {result.epsilon:.3f}; best distance: "
            f"{result.samples['distance'].min():.3f}"
        ),
        "",
        "## Posterior of the calibrated parameters",
        "",
        "| parameter | prior | posterior median | mean | sd | 90% interval | share of prior range | closest sample |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in result.posterior.itertuples():
        lines.append(
            f"| {row.parameter} | [{row.prior_lo:g}, {row.prior_hi:g}] | {row.median:.3g} | {row.mean:.3g} | "
            f"{row.sd:.2g} | {row.q05:.3g} to {row.q95:.3g} | {row.span:.0%} | {row.best:.3g} |"
        )
    lines += ["", "## Proposed defaults (posterior medians)", ""]
    lines += [f"- `{name} = {value}`" for name, value in result.proposal.items()]
    lines += [
        "",
        "Check them with:",
        "",
        "    berdaya validate-patterns " + " ".join(f"--set {k}={v}" for k, v in result.proposal.items()),
        "",
        "## Targets met",
        "",
        "| target | met by accepted samples | met by any sample |",
        "|---|---|---|",
    ]
    for column in miss_columns:
        lines.append(f"| {column.removeprefix('miss:')} | {met_accepted[column]:.0%} | {met_any[column]:.0%} |")
    lines += [
        "",
        (
            f"## Targets that pull apart (Spearman correlation of misses <= {CONFLICT}, p < {SIGNIFICANCE}, "
            f"among the closest {NEAR:.0%})"
        ),
        "",
    ]
    pulled = result.conflicts[result.conflicts["conflict"]].sort_values("spearman")
    if pulled.empty:
        lines.append("None.")
    for row in pulled.itertuples():
        lines.append(
            f"- {row.target_a} vs {row.target_b}: rho = {row.spearman:.2f} (p = {row.p_value:.2g}); "
            f"met {row.met_a:.0%} and "
            f"{row.met_b:.0%}, both {row.met_both:.0%}"
        )
    never = [c.removeprefix("miss:") for c in miss_columns if met_any[c] == 0]
    lines += ["", "## Never met in any sample", "", ", ".join(never) if never else "None."]
    return "\n".join(lines) + "\n"


def figure(result: Calibration, parameters: dict[str, tuple[float, float]], path: Path) -> None:
    """Per parameter: the prior sample and the accepted ones."""
    names = list(parameters)
    columns = 4
    rows = math.ceil(len(names) / columns)
    fig = Figure(figsize=(3.4 * columns, 2.4 * rows), layout="constrained")
    FigureCanvasAgg(fig)
    accepted = result.samples[result.samples["accepted"]]
    for i, name in enumerate(names):
        ax = fig.add_subplot(rows, columns, i + 1)
        lo, hi = parameters[name]
        bins = np.linspace(lo, hi, 16)
        ax.hist(result.samples[name], bins=bins, color="#d9d9d9", density=True, label="prior sample")
        ax.hist(accepted[name], bins=bins, color="#2166ac", alpha=0.75, density=True, label="accepted")
        ax.axvline(result.proposal[name], color="#b2182b", linewidth=1.2, label="proposed")
        ax.set_title(name, fontsize=8)
        ax.tick_params(labelsize=7)
        ax.set_yticks([])
        if i == 0:
            ax.legend(fontsize=6, frameon=False)
    fig.suptitle("ABC rejection: prior sample against accepted samples", fontsize=10)
    save_figure(fig, path, dpi=110)


def write(
    result: Calibration, parameters: dict[str, tuple[float, float]], quantile: float, command: str
) -> dict[str, Path]:
    out = result.out
    paths = {
        "samples": out / "samples.parquet",
        "accepted": out / "accepted.csv",
        "posterior": out / "posterior.csv",
        "conflicts": out / "conflicts.csv",
        "record": out / "calibration.md",
        "figure": out / "posterior.png",
    }
    write_parquet(paths["samples"], result.samples)
    write_csv(paths["accepted"], result.samples[result.samples["accepted"]])
    write_csv(paths["posterior"], result.posterior)
    write_csv(paths["conflicts"], result.conflicts)
    write_text(paths["record"], markdown(result, quantile, command))
    figure(result, parameters, paths["figure"])
    return paths


__all__ = [
    "PARAMETERS",
    "Calibration",
    "accept",
    "conflicts",
    "distance",
    "posterior",
    "prior_sample",
    "run_calibration",
    "summarise",
    "target_misses",
]
