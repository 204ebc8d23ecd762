"""Global sensitivity analysis (SALib) of the model's outcomes over the schema's ranges.

Which guessed parameters decide the outcomes? Morris screening ranks every parameter
cheaply; Sobol' indices then split the variance among the few that matter. The points
are SALib's samples, run through the experiments engine (so runs go in parallel, on
Dask, and resume after an interruption).

Noise floor. The model is stochastic and each run has its own seed, so part of every
index is the model's own randomness. A dummy factor (``noise``) that no run reads rides
along in every design; its index is what randomness alone produces, and a parameter
whose index does not clear it (``above_noise``) cannot be told from noise.

Undefined outcomes. Sustainability is NaN where nobody was self-reliant at programme
end (and cost per self-reliant household where nobody was at the horizon); a failed run
counts as undefined too (and is reported). A point's outcome is the mean over its
replicates where defined. A parameter's index then uses only the terms that involve
defined points: the Morris elementary effects whose two ends are defined, the Sobol'
base samples whose A, B and AB_i are defined. ``n_used`` of ``n_total`` says how many
per parameter; the indices describe the region of parameter space where the outcome
exists. (Dropping whole trajectories or blocks instead would lose nearly all of them:
one trajectory over 78 parameters holds 80 points.)
"""

from __future__ import annotations

import json
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample
from scipy.stats import norm

from analysis.html import embed_figure, escape, frame_table, save_section
from analysis.i18n import LABELS, t
from experiments.engine import EngineOptions, Results, check_horizon, execute, read_results
from experiments.spec import make_experiment
from sim.errors import InputError
from sim.files import read_text, save_figure, write_csv, write_json, write_parquet
from sim.params import (
    GROUPS,
    allowed,
    bounds,
    dotted,
    fields,
    group_of,
    numeric_parameters,
    suggest,
    undot,
)

METHODS = ("morris", "sobol")
DEFAULT_SAMPLES = {"morris": 10, "sobol": 256}
# Fewer Morris trajectories give no spread to estimate sigma or a confidence interval
# from; Sobol' estimators below 64 base samples give intervals wider than the indices.
MIN_SAMPLES = {"morris": 4, "sobol": 64}
MORRIS_LEVELS = 4
DEFAULT_TOP = 6
NOISE = "noise"

OUTCOMES = (
    "self_reliant_share_horizon",
    "sustainability",
    "dependency_horizon",
    "facilitator_months_per_self_reliant",
)
# Outcomes that come from the monthly table: name -> (monthly column), read at the last month.
MONTHLY_OUTCOMES = {"dependency_horizon": "dependency"}

# Left out of "all parameters" and of a whole group, each for a stated reason; naming one
# explicitly in --params still varies it.
EXCLUDED = {
    "width": "grid size sets how many households there are: it scales run time and sampling noise, "
    "while every outcome is a share or a ratio per household",
    "height": "as width",
    "months": "the horizon is where outcomes are measured: varying it changes the question, not the answer",
    "programme_months": "a design choice compared in scenarios; its range (1-600 months) runs past the "
    "default horizon, where 'programme end' and sustainability lose their meaning",
}

# The schema's one cross-parameter rule a free sample breaks: a point that draws
# group_max_size below group_min_size gets group_max_size = group_min_size.
REPAIRS = (("groups.group_max_size", "groups.group_min_size"),)


@dataclass(frozen=True)
class Factor:
    """One input varied over [lo, hi]; ``name`` is a dotted parameter or a key a custom runner reads."""

    name: str
    lo: float
    hi: float
    integer: bool = False


def schema_factors(spec: str | None = None) -> list[Factor]:
    """Factors from ``--params`` (comma-separated groups or names), ranges from the schema.

    Nothing or "all" means every numeric parameter except ``EXCLUDED``; a group means its
    numeric parameters except ``EXCLUDED``; a name is taken as given, and one without a
    numeric range is refused.
    """
    numeric = numeric_parameters()
    items = [item.strip() for item in (spec or "").split(",") if item.strip()]
    if spec is not None and not items:
        raise InputError(
            f"{spec!r} names no parameter; give groups or names separated by commas (e.g. "
            "patrons,village.shock_rate), 'all', or leave --params out",
            field="--params",
        )
    if not items or items == ["all"]:
        names = [n for n in numeric if n not in EXCLUDED]
    else:
        names = []
        for item in items:
            if item in GROUPS:
                members = [n for n in numeric if group_of(n) == item and n not in EXCLUDED]
                if not members:
                    raise InputError(f"group {item!r} has no parameter with a numeric range", field="--params")
                names += members
                continue
            try:
                name = undot(item)
            except KeyError:
                hint = suggest(item)
                did = f"; did you mean {dotted(hint.split('.')[-1])!r}?" if hint else ""
                raise InputError(
                    f"unknown parameter or group {item!r}{did}; give parameters such as patrons.extraction "
                    f"or groups ({', '.join(GROUPS)})",
                    field="--params",
                ) from None
            if name not in numeric:
                raise InputError(
                    f"{dotted(name)} has no numeric range to vary (it takes {allowed(name)}); "
                    "compare its values as scenarios instead",
                    field="--params",
                )
            names.append(name)
    names = list(dict.fromkeys(names))
    factors = []
    for name in names:
        lo, hi = bounds(name)
        factors.append(Factor(dotted(name), float(lo), float(hi), fields()[name].annotation is int))
    return factors


def check_samples(method: str, samples: int) -> None:
    """Refuse a sample size the method cannot work with, saying what it needs."""
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}; allowed: {', '.join(METHODS)}", field="--method")
    least = MIN_SAMPLES[method]
    if samples < least:
        what = "trajectories" if method == "morris" else "base samples"
        raise InputError(
            f"{samples} {what} are too few for {method}: it needs at least {least} (default {DEFAULT_SAMPLES[method]})",
            field="--samples",
        )
    if method == "sobol" and samples & (samples - 1):
        below = 1 << (samples.bit_length() - 1)
        raise InputError(
            f"sobol needs a power of two base samples (Sobol' sequence balance); {samples} is not: "
            f"use {below} or {below * 2}",
            field="--samples",
        )


def problem(factors: list[Factor]) -> dict[str, Any]:
    """SALib's problem, with the dummy factor last."""
    names = [f.name for f in factors] + [NOISE]
    ranges = [[f.lo, f.hi] for f in factors] + [[0.0, 1.0]]
    return {"num_vars": len(names), "names": names, "bounds": ranges}


def block_size(method: str, k: int) -> int:
    """Rows per base sample: a Morris trajectory (k+1) or a Sobol' block A, AB_1..AB_k, B (k+2)."""
    return k + 1 if method == "morris" else k + 2


def design(method: str, factors: list[Factor], samples: int, seed: int) -> np.ndarray:
    """The sample matrix (rows are points; columns the factors, then the dummy)."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(METHODS.index(method),)))
    if method == "morris":
        return morris_sample.sample(problem(factors), samples, num_levels=MORRIS_LEVELS, seed=rng)
    return sobol_sample.sample(problem(factors), samples, calc_second_order=False, scramble=True, seed=rng)


def points_of(matrix: np.ndarray, factors: list[Factor]) -> list[dict[str, Any]]:
    """Engine points from the sample matrix: integers rounded, the dummy dropped, repairs applied."""
    points = []
    for row in matrix:
        point = {f.name: int(np.rint(v)) if f.integer else float(v) for f, v in zip(factors, row)}
        points.append(point)
    return points


def repair(points: list[dict[str, Any]], fixed: dict[str, Any]) -> tuple[list[str], int]:
    """Apply ``REPAIRS`` in place; the extra swept names and how many points were changed."""
    added: list[str] = []
    changed = 0
    for target, floor in REPAIRS:
        if not any(floor in p or target in p for p in points):
            continue
        for point in points:
            low = point.get(floor, fixed.get(floor))
            high = point.get(target, fixed.get(target))
            if low is None or high is None:
                continue
            if high < low:
                changed += 1
            point[target] = max(high, low)
        added.append(target)
    return added, changed


def outcome_table(results: Results, outcomes: tuple[str, ...] | list[str], n_points: int) -> pd.DataFrame:
    """One row per point: each outcome's mean over its successful replicates (NaN where none defined)."""
    runs = results.runs
    ok = runs[runs["status"] == "ok"].copy()
    for name, column in MONTHLY_OUTCOMES.items():
        if name in outcomes and name not in ok.columns:
            monthly = results.monthly
            last = monthly.loc[monthly.groupby("run_id")["month"].idxmax(), ["run_id", column]]
            ok = ok.merge(last.rename(columns={column: name}), on="run_id", how="left")
    missing = [o for o in outcomes if o not in ok.columns]
    if missing:
        raise InputError(f"the runs hold no outcome {', '.join(missing)}", file=str(results.out))
    table = ok.groupby("point")[list(outcomes)].mean()
    return table.reindex(range(n_points))


MORRIS_COLUMNS = ("mu_star", "mu_star_conf", "sigma", "mu")
SOBOL_COLUMNS = ("S1", "S1_conf", "ST", "ST_conf")
CONF_LEVEL = 0.95
RESAMPLES = 100


def elementary_effects(factors: list[Factor], matrix: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Morris elementary effects, one row per factor (the dummy last), one column per trajectory.

    Each step of a trajectory moves one factor by +-2/3 of its range; its effect is the
    change of y over that step in unit-scaled input (as SALib computes it). NaN where
    either end of the step is undefined.
    """
    ranges = problem(factors)["bounds"]
    k = len(ranges)
    lo, span = np.array([r[0] for r in ranges]), np.array([r[1] - r[0] for r in ranges])
    unit = ((matrix - lo) / span).reshape(-1, block_size("morris", k), k)
    steps = np.diff(unit, axis=1)
    moved = np.argmax(np.abs(steps), axis=2)
    dx = np.take_along_axis(steps, moved[..., None], axis=2)[..., 0]
    effects = np.diff(y.reshape(-1, block_size("morris", k)), axis=1) / dx
    table = np.full((k, len(unit)), np.nan)
    for trajectory in range(len(unit)):
        table[moved[trajectory], trajectory] = effects[trajectory]
    return table


def morris_indices(factors: list[Factor], matrix: np.ndarray, y: np.ndarray, seed: int) -> pd.DataFrame:
    """mu, mu*, sigma and mu*'s bootstrap interval per factor, from its defined effects only.

    With every effect defined this is SALib's ``morris.analyze`` (the tests check it);
    unlike it, an undefined point costs only the two effects it is an end of, not its
    whole trajectory.
    """
    effects = elementary_effects(factors, matrix, y)
    rng = np.random.default_rng(seed)
    z = norm.ppf(0.5 + CONF_LEVEL / 2)
    rows = []
    for row in effects:
        e = row[np.isfinite(row)]
        found = dict.fromkeys(MORRIS_COLUMNS, np.nan)
        if len(e) >= 2:
            resampled = np.abs(e[rng.integers(len(e), size=(RESAMPLES, len(e)))]).mean(axis=1)
            found = {
                "mu_star": np.abs(e).mean(),
                "mu_star_conf": z * resampled.std(ddof=1),
                "sigma": e.std(ddof=1),
                "mu": e.mean(),
            }
        rows.append({**found, "n_used": len(e), "n_total": len(row)})
    return pd.DataFrame(rows)


def sobol_indices(factors: list[Factor], y: np.ndarray, seed: int) -> pd.DataFrame:
    """S1 and ST (Saltelli 2010 and Jansen estimators, SALib's) with bootstrap intervals, per factor.

    A factor's indices use the base samples whose A, B and AB_i values are all defined.
    Output is standardised over its defined values first, as SALib does; with every
    value defined this is SALib's ``sobol.analyze`` (the tests check it).
    """
    k = len(factors) + 1
    defined = y[np.isfinite(y)]
    blocks = ((y - defined.mean()) / defined.std()).reshape(-1, block_size("sobol", k))
    a, b = blocks[:, 0], blocks[:, -1]
    z = norm.ppf(0.5 + CONF_LEVEL / 2)
    rows = []
    for j in range(k):
        ab = blocks[:, j + 1]
        keep = np.isfinite(a) & np.isfinite(b) & np.isfinite(ab)
        n = int(keep.sum())
        found = dict.fromkeys(SOBOL_COLUMNS, np.nan)
        if n >= 2:
            aj, bj, abj = a[keep], b[keep], ab[keep]
            r = np.random.default_rng(seed).integers(n, size=(n, RESAMPLES))
            spread = np.ptp(np.r_[aj[r], bj[r]]) != 0.0
            found = {
                "S1": float(sobol_analyze.first_order(aj, abj, bj)),
                "S1_conf": z * sobol_analyze.first_order(aj[r], abj[r], bj[r]).std(ddof=1) if spread else 0.0,
                "ST": float(sobol_analyze.total_order(aj, abj, bj)),
                "ST_conf": z * sobol_analyze.total_order(aj[r], abj[r], bj[r]).std(ddof=1) if spread else 0.0,
            }
        rows.append({**found, "n_used": n, "n_total": len(blocks)})
    return pd.DataFrame(rows)


def analyse(method: str, factors: list[Factor], matrix: np.ndarray, values: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The index table: one row per outcome and factor (the dummy included, as ``noise``)."""
    key, conf = ("mu_star", "mu_star_conf") if method == "morris" else ("ST", "ST_conf")
    names = [f.name for f in factors] + [NOISE]
    parts = []
    for outcome in values.columns:
        y = values[outcome].to_numpy(dtype=float)
        if np.isfinite(y).sum() >= 2 and np.nanvar(y) > 0:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                found = (
                    morris_indices(factors, matrix, y, seed) if method == "morris" else sobol_indices(factors, y, seed)
                )
            found["note"] = np.where(found["n_used"] < 2, "outcome undefined almost everywhere", "")
        else:
            found = pd.DataFrame({"n_used": 0, "n_total": 0}, index=range(len(names)))
            found["note"] = "outcome does not vary" if np.isfinite(y).sum() >= 2 else "outcome undefined"
        found.insert(0, "parameter", names)
        found.insert(0, "outcome", outcome)
        parts.append(found)
    table = pd.concat(parts, ignore_index=True)
    noise = table[table["parameter"] == NOISE].set_index("outcome")[key]
    table["above_noise"] = (table[key] - table[conf]) > table["outcome"].map(noise)
    table.loc[table["parameter"] == NOISE, "above_noise"] = False
    real = table["parameter"] != NOISE
    table["rank"] = np.nan
    table.loc[real, "rank"] = table[real].groupby("outcome")[key].rank(ascending=False, method="min")
    return table


@dataclass
class Analysis:
    """What a sensitivity analysis did and found; ``out`` is the method's folder."""

    method: str
    factors: list[Factor]
    samples: int
    replicates: int
    seed: int
    runs: int
    failed: int
    errors: list[str]
    seconds: float
    ran: int
    repaired: int
    scenario: str
    indices: pd.DataFrame
    out: Path


def _engine_out(out: Path, method: str) -> Path:
    return Path(out) / method


def run_sensitivity(
    factors: list[Factor],
    out: str | Path,
    *,
    method: str = "morris",
    samples: int | None = None,
    scenario: str | Path,
    replicates: int = 1,
    seed: int = 1,
    months: int | None = None,
    overrides: dict[str, Any] | None = None,
    runner: str | None = None,
    outcomes: tuple[str, ...] | list[str] = OUTCOMES,
    engine: EngineOptions = EngineOptions(),
    lang: str = "en",
) -> Analysis:
    """Sample, run through the engine, analyse and write tables, figure and HTML section.

    With the default runner the engine checks every point against the schema with the
    scenario's values before any run; a custom runner (``module:function``) gets the
    points as they are, which is how the tests put the Ishigami function through this
    same path. The engine refuses a used folder without ``resume`` and, with it, one
    that holds another design (its fingerprint covers points, seed and scenario).
    """
    samples = DEFAULT_SAMPLES.get(method, 0) if samples is None else samples
    check_samples(method, samples)
    if not factors:
        raise InputError("no parameter to vary", field="--params")
    if replicates < 1:
        raise InputError(f"{replicates} replicates: at least 1 is needed", field="--replicates")
    folder = _engine_out(Path(out), method)
    matrix = design(method, factors, samples, seed)
    points = points_of(matrix, factors)
    swept = [f.name for f in factors]
    repaired = 0
    if runner is None:
        from sim.scenario import load_scenario

        loaded = load_scenario(scenario, {**(overrides or {}), **({"village.months": months} if months else {})})
        clash = sorted(set(swept) & set(overrides or {}))
        if clash:
            raise InputError(f"{', '.join(clash)} is both varied (--params) and fixed (--set)", field="--params")
        resolved = {dotted(name): value for name, value in loaded.params.model_dump().items()}
        added, repaired = repair(points, resolved)
        swept += [name for name in added if name not in swept]
    each_point = {"replicates": replicates, "seed": seed, "months": months, "overrides": overrides, "runner": runner}
    experiment = make_experiment(
        [Path(scenario)], points=points, swept=swept, name=f"sensitivity-{method}", **each_point
    )
    check_horizon(experiment)
    outcome = execute(experiment, folder, engine)
    results = read_results(folder)
    write_parquet(folder / "design.parquet", pd.DataFrame(matrix, columns=problem(factors)["names"]))
    values = outcome_table(results, outcomes, len(points))
    indices = analyse(method, factors, matrix, values, seed)
    failed = int((results.runs["status"] != "ok").sum())
    analysis = Analysis(
        method=method,
        factors=factors,
        samples=samples,
        replicates=replicates,
        seed=seed,
        runs=len(results.runs),
        failed=failed,
        errors=outcome.errors[:3],
        seconds=outcome.seconds,
        ran=outcome.ran,
        repaired=repaired,
        scenario=Path(scenario).stem,
        indices=indices,
        out=folder,
    )
    write_outputs(analysis)
    write_section(Path(out), lang)
    return analysis


def write_outputs(analysis: Analysis) -> None:
    """indices.parquet and .csv, analysis.json (settings) and the ranked chart (PNG, SVG)."""
    folder = analysis.out
    write_parquet(folder / "indices.parquet", analysis.indices)
    write_csv(folder / "indices.csv", analysis.indices)
    record = {k: v for k, v in asdict(analysis).items() if k not in ("indices", "out")}
    record["noise_factor"] = NOISE
    record["excluded"] = EXCLUDED
    write_json(folder / "analysis.json", record)
    figure = ranking_figure(analysis.indices, analysis.method)
    for suffix in ("png", "svg"):
        save_figure(figure, folder / f"ranking.{suffix}", dpi=120, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(figure)


def read_analysis(folder: Path) -> tuple[dict[str, Any], pd.DataFrame] | None:
    """A finished analysis in ``folder`` (settings, indices), or None."""
    if not (folder / "indices.parquet").exists() or not (folder / "analysis.json").exists():
        return None
    record = json.loads(read_text(folder / "analysis.json"))
    return record, pd.read_parquet(folder / "indices.parquet")


def top_factors(out: str | Path, k: int = DEFAULT_TOP) -> list[Factor]:
    """The k parameters with the largest Morris effect in ``out``, over all outcomes.

    Each outcome's mu_star is divided by its largest, so outcomes in different units
    count alike; a parameter's score is its best over outcomes. Only parameters that
    clear the noise floor for some outcome are candidates.
    """
    found = read_analysis(_engine_out(Path(out), "morris"))
    if found is None:
        raise InputError(
            "no Morris result to pick the top parameters from; run `berdaya sensitivity` (Morris) with the "
            "same --out first, or name the parameters with --params",
            file=str(out),
            field="--params",
        )
    record, indices = found
    real = indices[(indices["parameter"] != NOISE) & indices["above_noise"]].copy()
    if real.empty:
        raise InputError(
            "no parameter in the Morris result clears the noise floor; name the parameters with --params",
            file=str(out),
            field="--params",
        )
    real["score"] = real["mu_star"] / real.groupby("outcome")["mu_star"].transform("max")
    order = real.groupby("parameter")["score"].max().sort_values(ascending=False).index[:k]
    by_name = {f["name"]: Factor(**f) for f in record["factors"]}
    return [by_name[name] for name in order]


def ranking_figure(indices: pd.DataFrame, method: str, lang: str = "en", top: int = 15):
    """One panel per outcome: the largest indices as ranked bars with their confidence
    intervals, and the noise dummy's index as a dashed line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    outcomes = list(dict.fromkeys(indices["outcome"]))
    columns = 2 if len(outcomes) > 1 else 1
    rows = -(-len(outcomes) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(6.5 * columns, 0.32 * top * rows + 1.5), squeeze=False)
    key, conf = ("mu_star", "mu_star_conf") if method == "morris" else ("ST", "ST_conf")
    for ax, outcome in zip(axes.flat, outcomes):
        part = indices[indices["outcome"] == outcome]
        noise = part.loc[part["parameter"] == NOISE, key]
        part = part[part["parameter"] != NOISE].sort_values(key, ascending=False).head(top)[::-1]
        ax.set_title(label(outcome, lang), fontsize=10)
        if part[key].isna().all():
            ax.text(0.5, 0.5, part["note"].iloc[0] if len(part) else "", ha="center", transform=ax.transAxes)
            ax.set_yticks([])
            continue
        y = np.arange(len(part))
        # Bars that clear the noise floor in colour, the others grey.
        colour = np.where(part["above_noise"].astype(bool), "#4c72b0", "#b0b0b0")
        if method == "morris":
            ax.barh(y, part[key], xerr=part[conf], color=colour, ecolor="#333333", capsize=2)
            ax.set_xlabel("mu* (" + t("sens.effect_unit", lang) + ")", fontsize=8)
        else:
            ax.barh(y + 0.2, part["ST"], height=0.4, xerr=part["ST_conf"], color=colour, label="ST", capsize=2)
            ax.barh(y - 0.2, part["S1"], height=0.4, xerr=part["S1_conf"], color="#dd8452", label="S1", capsize=2)
            handles = [
                Patch(color="#4c72b0", label="ST"),
                Patch(color="#dd8452", label="S1"),
                Patch(color="#b0b0b0", label=t("sens.below_noise", lang)),
            ]
            ax.legend(handles=handles, fontsize=7, loc="lower right")
            ax.set_xlabel(t("sens.variance_share", lang), fontsize=8)
        if len(noise) and np.isfinite(noise.iloc[0]):
            ax.axvline(noise.iloc[0], color="#c44e52", linestyle="--", linewidth=1, label=t("sens.noise", lang))
        ax.set_yticks(y, part["parameter"], fontsize=7)
        ax.tick_params(axis="x", labelsize=7)
    for ax in axes.flat[len(outcomes) :]:
        ax.set_visible(False)
    figure.tight_layout()
    return figure


def label(outcome: str, lang: str = "en") -> str:
    """An outcome's name in words; a custom runner's outcome keeps its own name."""
    return t(f"sens.{outcome}", lang) if f"sens.{outcome}" in LABELS else outcome


def _section_body(out: Path, lang: str) -> str:
    """Morris and Sobol' results found under ``out``, each with its settings, figure and leaders."""
    import matplotlib.pyplot as plt

    parts = []
    for method in METHODS:
        found = read_analysis(_engine_out(out, method))
        if found is None:
            continue
        record, indices = found
        key = "mu_star" if method == "morris" else "ST"
        figure = ranking_figure(indices, method, lang)
        image = embed_figure(figure)
        plt.close(figure)
        settings = t(f"sens.{method}_settings", lang).format(
            factors=len(record["factors"]),
            samples=record["samples"],
            runs=record["runs"],
            replicates=record["replicates"],
            scenario=escape(record["scenario"]),
        )
        columns = ["outcome", "parameter", *(MORRIS_COLUMNS if method == "morris" else SOBOL_COLUMNS), "n_used"]
        top = (
            indices[indices["above_noise"]]
            .sort_values(["outcome", key], ascending=[True, False])
            .groupby("outcome")
            .head(5)[columns]
        )
        top["outcome"] = [label(o, lang) for o in top["outcome"]]
        top = top.rename(columns={"outcome": t("sens.col_outcome", lang), "parameter": t("sens.col_parameter", lang)})
        parts.append(
            f"<h3>{t(f'sens.{method}_title', lang)}</h3>\n<p>{settings}</p>\n<p>{t('sens.noise_note', lang)}</p>\n"
            f"{image}\n<p>{t('sens.top_note', lang)}</p>\n{frame_table(top)}"
        )
    return "\n".join(parts)


def write_section(out: Path, lang: str = "en") -> Path:
    """The report section for whatever analyses ``out`` holds (Morris, Sobol' or both)."""
    return save_section(
        out, "sensitivity", lambda language: (t("sens.section", language), _section_body(out, language)), lang
    )
