"""How a set of runs measures up to the field patterns (targets in ``analysis/targets.toml``).

Pattern-oriented modelling (Grimm et al. 2005): one parameter set should reproduce
several independent patterns seen at different scales. Each target names a metric of
the catalogue (``experiments/pattern_runner.py``), a band and a kind. A row (target x
scenario) is met when the mean over the replicates where its metric is defined lies in
the band; defined in none, it is not met. Calibration and validation rows are counted
apart; input rows are shown and never counted. Nothing is about which strategy does
better: every target applies alike to every scenario it names.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analysis.targets import COUNTED, SHIPPED, Target, scenarios_of
from experiments.engine import EngineOptions, Outcome, check_horizon, execute, read_results
from experiments.pattern_runner import AFTER_EXIT, RUN, has_programme, parse_metric
from experiments.spec import make_experiment
from sim.files import save_figure, write_csv, write_json, write_parquet, write_text
from sim.params import STRATEGIES
from sim.scenario import load_scenario, resolve_scenario

RUNNER = "experiments.pattern_runner:simulate"
SCENARIOS = STRATEGIES  # the four shipped strategy presets: baseline, area_based, enterprise_based, hybrid
RANGE = (0.05, 0.95)  # the observed range reported: 90% of replicates
COLUMNS = ["target", "kind", "metric", "scenario", "low", "high", "mean", "p05", "p95", "share_in_band", "met"]
KIND_COLOURS = {"calibration": "#2166ac", "validation": "#b35806", "input": "#7f7f7f"}

# What PATTERNS.md reports that the model cannot speak to, and why (docs/validation.md).
NOT_MODELLED = {
    "formal credit (Johnston & Morduch 2008; AIDIS 2013, 17% formal)": "the model has no bank: households borrow from groups or patrons only",
    "informal borrowing in rural India (AIDIS 2013, 19%)": "a national average over villages with and without patrons; the model's village is a patron village like Nugroho's Bantul sample",
    "loan recovery and federation links (Parida & Sinha 2010)": "federation is a cohesion bonus and loans are always repaid or defaulted to the patron; only savings per member is measured",
    "PNPM-Rural consumption and poverty exits (PNPM Support Facility 2012)": "no effect sizes were found",
    "food insecurity (Parajuli et al. 2012, -19 points)": "the model has consumption but no food security measure",
    "assets of the landless (Hoffmann et al. 2017)": "land is fixed in the model and other assets are cash",
    "radio price information and organic premiums (Ferris et al. 2014; Svensson & Yanagizawa-Drott 2012; Rikolto)": "the premiums are inputs of the enterprise networks; no target reads them",
    "public goods and inclusion (Casey et al. 2012, 2023)": "the model has no public goods or village decisions",
}
# Rows of the earlier record removed from the targets, and why (docs/validation.md).
DROPPED = {
    "no_quick_transformation (self_reliant_effect_12 within +/- 5 points)": "exactly 0 by construction: no group can be active before month 12, so nothing could fail it. "
    "The metric stays in the catalogue",
}


@dataclass(frozen=True)
class ScenarioRun:
    """What a target needs to know of a scenario run: whether a programme runs, the horizon, the programme's end."""

    path: Path
    programme: bool
    months: int
    end: int

    def info(self) -> dict[str, Any]:
        return {"programme": self.programme, "months": self.months, "end": self.end}


def scenario_runs(
    scenarios: list[str | Path] | None = None, overrides: dict[str, Any] | None = None, months: int | None = None
) -> dict[str, ScenarioRun]:
    """The scenarios to run (the four shipped strategies by default), by file stem, checked with the overrides."""
    fixed = {**(overrides or {}), **({"village.months": months} if months is not None else {})}
    out: dict[str, ScenarioRun] = {}
    for item in scenarios or list(SCENARIOS):
        path = resolve_scenario(item)
        p = load_scenario(path, overrides=fixed).params
        out[path.stem] = ScenarioRun(path, has_programme(p), p.months, min(p.programme_months, p.months))
    return out


def rows(targets: list[Target], run: dict[str, ScenarioRun]) -> list[tuple[Target, str]]:
    """(target, scenario) pairs to report: a file's target naming a scenario not run, or a month beyond a
    run, is an error; a shipped target is left out where it cannot be read (``scenarios_of``)."""
    info = {name: s.info() for name, s in run.items()}
    return [
        (target, name) for target in targets for name in scenarios_of(target, info, strict=Path(target.file) != SHIPPED)
    ]


class Measured:
    """A stored experiment's runs and monthly tables, read metric by metric (one value per run)."""

    def __init__(self, runs: pd.DataFrame, monthly: pd.DataFrame) -> None:
        self.runs = runs[runs["status"] == "ok"].reset_index(drop=True) if "status" in runs else runs
        self.monthly = monthly.set_index(["run_id", "month"]).sort_index() if len(monthly) else None

    def _at(self, column: str, months: pd.Series) -> np.ndarray:
        if self.monthly is None or column not in self.monthly:
            return np.full(len(self.runs), math.nan)
        keys = pd.MultiIndex.from_arrays([self.runs["run_id"], months.astype("int64")])
        return self.monthly[column].reindex(keys).to_numpy(dtype=float)

    def values(self, metric: str) -> np.ndarray:
        """The metric in every run (NaN where undefined), in the order of ``runs``."""
        entry, index = parse_metric(metric)
        if entry.index == RUN:
            column = self.runs.get(entry.name)
            return np.full(len(self.runs), math.nan) if column is None else column.to_numpy(dtype=float)
        if entry.index != AFTER_EXIT:
            return self._at(entry.name, pd.Series(index, index=self.runs.index))
        end = self.runs["programme_end"].fillna(-1).astype("int64")
        if entry.name == "group_survival_after_exit":
            return self._at(entry.name, end + index)
        column = "consumption_effect_members" if entry.name.startswith("consumption") else "self_reliant_effect"
        later = self._at(column, end + index)
        if entry.name in ("self_reliant_effect_after_exit", "consumption_effect_members_after_exit"):
            return later
        at_exit = self._at(column, end)
        if entry.name == "consumption_growth_after_exit":
            return later - at_exit
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(at_exit > 0, later / np.where(at_exit > 0, at_exit, 1.0), math.nan)


def observe(measured: Measured, pairs: list[tuple[Target, str]]) -> pd.DataFrame:
    """One row per target and scenario: the mean and 90% range over replicates, the share of replicates
    in the band, and whether the mean is in it."""
    records = []
    scenario = measured.runs["scenario"].to_numpy() if len(measured.runs) else np.array([])
    values_of = functools.cache(lambda metric: measured.values(metric) if len(scenario) else np.array([]))
    for target, name in pairs:
        values = values_of(target.metric)
        chosen = values[scenario == name]
        finite = chosen[np.isfinite(chosen)]
        mean = float(finite.mean()) if len(finite) else math.nan
        p05, p95 = np.quantile(finite, RANGE) if len(finite) else (math.nan, math.nan)
        inside = sum(target.contains(v) for v in finite)
        records.append(
            {
                "target": target.name,
                "kind": target.kind,
                "metric": target.metric,
                "scenario": name,
                "low": math.nan if target.low is None else float(target.low),
                "high": math.nan if target.high is None else float(target.high),
                "mean": mean,
                "p05": float(p05),
                "p95": float(p95),
                "share_in_band": inside / len(chosen) if len(chosen) else math.nan,
                "met": target.contains(mean),
            }
        )
    return pd.DataFrame(records, columns=COLUMNS)


def counts(table: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Rows met and rows, for each counted kind (input rows are never counted)."""
    return {
        kind: (int(table.loc[table["kind"] == kind, "met"].sum()), int((table["kind"] == kind).sum()))
        for kind in COUNTED
    }


def count_line(table: pd.DataFrame) -> str:
    got = counts(table)
    shown = int((table["kind"] == "input").sum())
    return (
        f"calibration rows met: {got['calibration'][0]} of {got['calibration'][1]}; "
        f"validation rows met: {got['validation'][0]} of {got['validation'][1]}; "
        f"input rows (shown, not counted): {shown}"
    )


def _number(x: float) -> str:
    if not math.isfinite(x):
        return ""
    return f"{x:.3g}" if abs(x) < 100 else f"{x:.0f}"


def markdown(table: pd.DataFrame) -> str:
    """The table in Markdown: calibration rows, then validation rows, then input rows, each with its count."""
    lines = []
    for kind in ("calibration", "validation", "input"):
        part = table[table["kind"] == kind]
        if part.empty:
            continue
        if kind == "input":
            title = f"Input rows ({len(part)}; shown, never counted)"
        else:
            title = f"{kind.capitalize()} rows: {int(part['met'].sum())} of {len(part)} met"
        lines += [f"## {title}", "", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
        for row in part.itertuples(index=False):
            cells = [_number(v) if isinstance(v, float) else str(v) for v in row]
            cells[-1] = "yes" if row.met else ("no" if math.isfinite(row.mean) else "no (undefined)")
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines.append(count_line(table) + ".")
    return "\n".join(lines) + "\n"


def figure(table: pd.DataFrame, path: Path) -> None:
    """One panel per target, coloured by kind: the band shaded, each scenario's mean with its 90% range."""
    order = {kind: i for i, kind in enumerate(KIND_COLOURS)}
    names = sorted(dict.fromkeys(table["target"]), key=lambda n: order[table.loc[table["target"] == n, "kind"].iloc[0]])
    columns = 3
    nrows = max(1, math.ceil(len(names) / columns))
    fig = Figure(figsize=(4.2 * columns, 2.3 * nrows), layout="constrained")
    FigureCanvasAgg(fig)
    for i, name in enumerate(names):
        ax = fig.add_subplot(nrows, columns, i + 1)
        part = table[table["target"] == name].reset_index(drop=True)
        kind = part["kind"].iloc[0]
        lo, hi = float(part["low"].iloc[0]), float(part["high"].iloc[0])
        seen = part[["mean", "p05", "p95"]].to_numpy(dtype=float)
        finite = seen[np.isfinite(seen)]
        bottom = lo if math.isfinite(lo) else float(min([hi, *finite])) - abs(hi) * 0.5 - 0.01
        top = hi if math.isfinite(hi) else float(max([lo, *finite])) + abs(lo) * 0.5 + 0.01
        ax.axhspan(bottom, top, color="#cfe8cf", zorder=0)
        for j, row in part.iterrows():
            colour = KIND_COLOURS["input"] if kind == "input" else "#1b7837" if row["met"] else "#b2182b"
            if math.isfinite(row["mean"]):
                ax.errorbar(
                    j,
                    row["mean"],
                    yerr=[[row["mean"] - row["p05"]], [row["p95"] - row["mean"]]],
                    fmt="o",
                    color=colour,
                    capsize=3,
                )
            else:
                ax.annotate("undefined", (j, bottom), ha="center", color=colour, fontsize=8)
        ax.set_xticks(range(len(part)), [s.replace("_", "\n") for s in part["scenario"]], fontsize=7)
        ax.set_xlim(-0.6, len(part) - 0.4)
        ax.set_title(f"[{kind}] {name}\n{part['metric'].iloc[0]}", fontsize=8, color=KIND_COLOURS[kind])
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(True, axis="y", color="#e6e6e6", linewidth=0.6)
        ax.set_axisbelow(True)
    got = counts(table)
    fig.suptitle(
        f"Mean and 90% range over replicates against the field band (shaded); met in green, missed in red, "
        "input rows in grey.\n"
        f"Calibration rows met {got['calibration'][0]} of {got['calibration'][1]}, validation rows "
        f"{got['validation'][0]} of {got['validation'][1]} (input rows not counted)",
        fontsize=9,
    )
    save_figure(fig, path, dpi=110)


RECORD = "validation.json"  # DIR/validation.json: the counts, for the comparison report's opening sentence


def record(table: pd.DataFrame, experiment: dict[str, Any] | None = None) -> dict[str, Any]:
    """The rows met of each kind, and what they were measured on, as a record the code reads back
    (``make validation-record`` ships the default one as ``analysis/validation_record.json``)."""
    got = counts(table)
    experiment = experiment or {}
    return {
        "calibration_met": got["calibration"][0],
        "calibration_rows": got["calibration"][1],
        "validation_met": got["validation"][0],
        "validation_rows": got["validation"][1],
        "input_rows": int((table["kind"] == "input").sum()),
        # the hold-out patterns missed in at least one strategy, so the report can name them in plain words
        "validation_failed": list(
            dict.fromkeys(table.loc[(table["kind"] == "validation") & ~table["met"].astype(bool), "target"])
        ),
        "validation_met_targets": [
            str(name)
            for name, rows in table[table["kind"] == "validation"].groupby("target", sort=False)
            if rows["met"].astype(bool).all()
        ],
        "replicates": experiment.get("replicates"),
        "overrides": experiment.get("overrides") or {},
        "git_commit": experiment.get("git_commit"),
        "git_dirty": experiment.get("git_dirty"),
        "created": experiment.get("created"),
    }


def write(table: pd.DataFrame, out: Path, experiment: dict[str, Any] | None = None) -> dict[str, Path]:
    """The table as Parquet, CSV and Markdown, the figure and the record of the counts, under ``out``;
    each file whole or not at all."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "parquet": out / "patterns.parquet",
        "csv": out / "patterns.csv",
        "markdown": out / "patterns.md",
        "figure": out / "patterns.png",
        "record": out / RECORD,
    }
    write_json(paths["record"], record(table, experiment))
    write_parquet(paths["parquet"], table)
    write_csv(paths["csv"], table)
    write_text(paths["markdown"], markdown(table))
    figure(table, paths["figure"])
    return paths


def validation_experiment(
    run: dict[str, ScenarioRun],
    replicates: int,
    seed: int,
    overrides: dict[str, Any] | None = None,
    months: int | None = None,
    points: list[dict[str, Any]] | None = None,
    name: str = "validate-patterns",
):
    """The scenarios through the pattern runner, every scenario on the same villages (paired seeds)."""
    fixed = dict(overrides or {})
    if months is not None:
        fixed["village.months"] = months
    return make_experiment(
        [s.path for s in run.values()],
        replicates=replicates,
        seed=seed,
        points=points,
        overrides=fixed,
        runner=RUNNER,
        name=name,
        paired=True,
    )


def run_validation(
    out: str | Path,
    targets: list[Target],
    *,
    scenarios: list[str | Path] | None = None,
    replicates: int = 20,
    seed: int = 1,
    overrides: dict[str, Any] | None = None,
    months: int | None = None,
    engine: EngineOptions = EngineOptions(),
) -> tuple[pd.DataFrame, dict[str, Path], Outcome]:
    """Run the scenarios, measure every target row, write table and figure under ``out``
    (``engine``: how the engine runs them, ``experiments.engine.EngineOptions``)."""
    out = Path(out)
    run = scenario_runs(scenarios, overrides, months)
    pairs = rows(targets, run)
    experiment = validation_experiment(run, replicates, seed, overrides, months)
    check_horizon(experiment, schema=True)
    outcome = execute(experiment, out, engine)
    results = read_results(out)
    table = observe(Measured(results.runs, results.monthly), pairs)
    return table, write(table, out, results.experiment), outcome


def targets_markdown(targets: list[Target]) -> str:
    """The target table of docs/validation.md (a test keeps the two the same)."""
    lines = [
        "| target | kind | pattern | metric | band | scenarios | source | how the band was read |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for t in targets:
        where = "every programme" if t.scenarios is None else ", ".join(t.scenarios)
        lines.append(
            f"| {t.name} | {t.kind} | {t.pattern} | `{t.metric}` | {t.band} | {where} | {t.source} | {t.reading} |"
        )
    return "\n".join(lines) + "\n"


def listing_markdown(items: dict[str, str]) -> str:
    """A list of what was left out and why, for docs/validation.md."""
    return "".join(f"- {what}: {why}.\n" for what, why in items.items())


__all__ = [
    "COLUMNS",
    "DROPPED",
    "NOT_MODELLED",
    "RUNNER",
    "SCENARIOS",
    "Measured",
    "count_line",
    "counts",
    "observe",
    "rows",
    "run_validation",
    "scenario_runs",
    "write",
]
