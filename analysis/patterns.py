"""Field patterns as measurable targets, and how a set of runs measures up to them.

Pattern-oriented modelling (Grimm et al. 2005): one parameter set should reproduce
several independent patterns seen at different scales. Each pattern of
``../shared/PATTERNS.md`` that the model can speak to is one ``Target`` below: the
run metric it is compared with (measured by ``experiments/pattern_runner.py``), the
band the evidence allows, the source, and how the band was read from the source.
Targets are about villages and groups, never about which strategy does better: every
target applies alike to every scenario it names.

A target is met when the mean over the replicates where its metric is defined lies in
its band; defined in none, the row is "undefined" and not met. A miss is the distance
outside the band divided by the target's scale, so misses of different targets add up
(``calibration.py``); an undefined metric (no group matured, no group dissolved) counts
as a miss of ``UNDEFINED_MISS``.
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

from experiments.engine import Outcome, execute, read_results
from experiments.spec import make_experiment
from sim.files import save_figure, write_csv, write_parquet, write_text
from sim.params import STRATEGIES
from sim.scenario import load_scenario, resolve_scenario

RUNNER = "experiments.pattern_runner:simulate"
SCENARIOS = STRATEGIES  # the four shipped strategy presets: baseline, area_based, enterprise_based, hybrid
VILLAGE = SCENARIOS  # patterns of the village itself hold with or without a programme
PROGRAMME = tuple(s for s in SCENARIOS if s != "baseline")
RANGE = (0.05, 0.95)  # the observed range reported: 90% of replicates
UNDEFINED_MISS = 1.0
INF = math.inf


@dataclass(frozen=True)
class Target:
    name: str
    metric: str  # column of the runs table (experiments/pattern_runner.py)
    lo: float
    hi: float  # INF where only a floor is known
    scale: float  # one unit of miss: the band's width, or a natural step where the band is open
    scenarios: tuple[str, ...]
    pattern: str
    source: str
    reading: str  # how the band was read from the source

    def contains(self, value: float) -> bool:
        return bool(math.isfinite(value) and self.lo <= value <= self.hi)

    def miss(self, value: float) -> float:
        """Normalised distance outside the band: 0 inside, UNDEFINED_MISS when undefined."""
        if not math.isfinite(value):
            return UNDEFINED_MISS
        if value < self.lo:
            return (self.lo - value) / self.scale
        if value > self.hi:
            return (value - self.hi) / self.scale
        return 0.0

    @property
    def band(self) -> str:
        return f"[{self.lo:g}, {self.hi:g}]" if math.isfinite(self.hi) else f">= {self.lo:g}"


TARGETS: tuple[Target, ...] = (
    Target(
        "group_size", "group_size_mean", 10, 20, 5, PROGRAMME,
        "Self-help groups have 10-20 members.",
        "NABARD's SHG concept (India)",
        "Mean member count of standing groups over the programme's months.",
    ),
    Target(
        "groups_dissolving", "groups_dissolved_share_programme", 0.05, 0.20, 0.10, PROGRAMME,
        "A minority of groups (order of 10%, not 0% and not most) stop while facilitated.",
        "Baland, Somanathan & Vandewalle, India Policy Forum 2007-08",
        "About 10% of 1,100 SHGs promoted over eight years were no longer active; "
        "read as half to twice that share of the groups founded in the programme dissolving before its end.",
    ),
    Target(
        "member_dropout", "member_dropout_share", 0.10, 0.30, 0.10, PROGRAMME,
        "About a fifth of members leave their group.",
        "Baland, Somanathan & Vandewalle 2007-08 (secondary reading)",
        "About 20% of women who had joined had left; secondary, so +/- 10 points. "
        "Share of households that joined by the programme's end and left a standing group at least once.",
    ),
    Target(
        "patron_rate", "patron_rate_charged", 0.15, 0.30, 0.05, VILLAGE,
        "Moneylenders charge about 20-30% a month.",
        "Nugroho 1993, Bantul, Java (secondary); Indonesian press reports 2018-2020",
        "Interest charged per unit of patron debt outstanding, per month, over the run.",
    ),
    Target(
        "rate_gap", "rate_ratio", 5, 30, 5, PROGRAMME,
        "Patron credit is an order of magnitude dearer than group credit.",
        "Nugroho 1993 (about 20%/month against 2.5%/month at state banks); PATTERNS.md",
        "Patron rate charged over group rate charged, read as 10x within a factor of two to three.",
    ),
    Target(
        "patron_borrowers", "patron_borrower_share_year1", 0.55, 0.85, 0.10, VILLAGE,
        "Most households borrow from moneylenders.",
        "Nugroho 1993 (secondary): 77% of farmers, 79% of traders, 61% of workers",
        "Share of households that borrowed from their patron at least once in the first year "
        "(the village as a survey finds it, before a programme can matter).",
    ),
    Target(
        "income_effect", "income_effect_30", 0.05, 0.35, 0.10, PROGRAMME,
        "A large SHG programme raises members' income by about a fifth after 2.5 years.",
        "Evaluation of India's National Rural Livelihood Mission, 2020 (secondary): +19%",
        "Members' mean income over months 19-30 against the same households in the same village "
        "without the programme; secondary, so a wide band around +19%.",
    ),
    Target(
        "savings_effect", "savings_effect_30", 0.10, 0.50, 0.10, PROGRAMME,
        "... and their savings by about a quarter.",
        "NRLM evaluation 2020 (secondary): +28%",
        "Members' savings (cash plus their share of the group fund) at month 30 against the same "
        "households without the programme.",
    ),
    Target(
        "informal_borrowing_effect", "patron_borrowing_effect_30", -0.40, -0.05, 0.10, PROGRAMME,
        "... and cuts their informal borrowing by about a fifth.",
        "NRLM evaluation 2020 (secondary): -20%",
        "Months with new patron credit per member over months 19-30, relative to the same "
        "households without the programme.",
    ),
    Target(
        "no_quick_transformation", "self_reliant_effect_12", -0.05, 0.05, 0.05, PROGRAMME,
        "No village is transformed in a year.",
        "Banerjee, Karlan & Zinman, AEJ: Applied 7(1), 2015; Mansuri & Rao, World Bank 2013",
        "The programme's effect on the self-reliant share after 12 months, in points, within +/- 5.",
    ),
    Target(
        "modest_gain", "self_reliant_effect_exit", 0.02, 0.35, 0.10, PROGRAMME,
        "Effects are real but modest, not transformative.",
        "Banerjee, Karlan & Zinman 2015; Banerjee et al., Science 348, 2015",
        "The programme's effect on the self-reliant share at its end: at least 2 points, "
        "at most a third of the village.",
    ),
    Target(
        "gain_persists", "gain_persistence_12", 0.5, 1.5, 0.25, PROGRAMME,
        "Gains of intensive programmes are still there a year after they end.",
        "Banerjee et al., Science 348, 2015 (6 trials, 10,495 people)",
        "Effect on the self-reliant share a year after the end over the effect at the end: "
        "still there (at least half), not a late transformation (at most one and a half).",
    ),
    Target(
        "institutions_fade", "dissolved_after_exit_unmatured", 0.20, 1.0, 0.10, PROGRAMME,
        "Institutional change fades where groups did not mature.",
        "Casey, Glennerster & Miguel, QJE 2012; Mansuri & Rao 2013",
        "Share of the groups standing but not mature at the programme's end that dissolve within "
        "24 months of it: at least a fifth.",
    ),
    Target(
        "maturity_protects", "maturity_protection", 0.05, 1.0, 0.10, PROGRAMME,
        "Some gain lasts after exit where groups matured.",
        "PATTERNS.md synthesis of Banerjee et al. 2015 and Casey et al. 2012; seed 004 (exit strategy)",
        "Dissolution share within 24 months of the end, unmatured minus matured groups: at least "
        "5 points (undefined, so missed, when no group matured).",
    ),
    Target(
        "savings_keep_groups", "savings_ratio_survivors", 1.0, INF, 0.25, PROGRAMME,
        "Savings per member keep groups alive.",
        "Parida & Sinha, Asian Development Review 27(1), 2010",
        "Lifetime mean fund per member of groups standing at the programme's end over that of "
        "groups that dissolved during it: at least 1. Partly built in (cohesion follows fund per member).",
    ),
)

BY_NAME = {t.name: t for t in TARGETS}

# What PATTERNS.md reports that the model cannot speak to, and why (docs/validation.md).
NOT_MODELLED = {
    "formal credit (Johnston & Morduch 2008; AIDIS 2013, 17% formal)": "the model has no bank: households borrow from groups or patrons only",
    "informal borrowing in rural India (AIDIS 2013, 19%)": "a national average over villages with and without patrons; the model's village is a patron village like Nugroho's Bantul sample",
    "loan recovery and federation links (Parida & Sinha 2010)": "federation is a cohesion bonus and loans are always repaid or defaulted to the patron; only savings per member is measured",
    "PNPM-Rural consumption and poverty exits (PNPM Support Facility 2012)": "no effect sizes were found, and the model has no consumption or poverty line",
    "public goods and inclusion (Casey et al. 2012)": "the model has no public goods or village decisions",
}


def observe(runs: pd.DataFrame, targets: tuple[Target, ...] = TARGETS) -> pd.DataFrame:
    """One row per target and scenario: observed mean and 90% range over replicates, pass or fail.

    ``runs`` is the engine's runs table (column ``scenario`` and the runner's metrics).
    A scenario that is not in ``runs`` gives a row with nothing observed.
    """
    ok = runs[runs["status"] == "ok"] if "status" in runs else runs
    rows = []
    for target in targets:
        for scenario in target.scenarios:
            column = ok.loc[ok["scenario"] == scenario, target.metric] if target.metric in ok else pd.Series(dtype=float)
            values = column.astype(float).to_numpy()
            finite = values[np.isfinite(values)]
            mean = float(finite.mean()) if len(finite) else math.nan
            low, high = (np.quantile(finite, RANGE) if len(finite) else (math.nan, math.nan))
            status = "undefined" if not len(finite) else ("pass" if target.contains(mean) else "fail")
            rows.append(
                {
                    "target": target.name,
                    "scenario": scenario,
                    "metric": target.metric,
                    "pattern": target.pattern,
                    "source": target.source,
                    "lo": target.lo,
                    "hi": target.hi,
                    "band": target.band,
                    "mean": mean,
                    "p05": float(low),
                    "p95": float(high),
                    "replicates": len(values),
                    "defined": len(finite),
                    "passed": status == "pass",
                    "status": status,
                    "miss": target.miss(mean),
                }
            )
    return pd.DataFrame(rows)


def targets_markdown(targets: tuple[Target, ...] = TARGETS) -> str:
    """The target table of docs/validation.md (a test keeps the two the same)."""
    lines = ["| target | pattern | compared with (run metric) | band | scenarios | source | how the band was read |",
             "|---|---|---|---|---|---|---|"]
    for t in targets:
        where = "all four" if t.scenarios == VILLAGE else "the three programmes" if t.scenarios == PROGRAMME \
            else ", ".join(t.scenarios)
        lines.append(f"| {t.name} | {t.pattern} | `{t.metric}` | {t.band} | {where} | {t.source} | {t.reading} |")
    return "\n".join(lines) + "\n"


def not_modelled_markdown() -> str:
    """The list of field evidence the model cannot speak to, for docs/validation.md."""
    return "".join(f"- {what}: {why}.\n" for what, why in NOT_MODELLED.items())


def _number(x: float) -> str:
    if not math.isfinite(x):
        return "n/a"
    return f"{x:.3g}" if abs(x) < 100 else f"{x:.0f}"


def markdown(table: pd.DataFrame) -> str:
    """The validation table in Markdown: one line per target and scenario."""
    lines = [
        "| target | scenario | band | observed mean | 90% range | defined | result | source |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in table.itertuples():
        lines.append(
            f"| {row.target} | {row.scenario} | {row.band} | {_number(row.mean)} | "
            f"{_number(row.p05)} to {_number(row.p95)} | {row.defined}/{row.replicates} | "
            f"{row.status} | {row.source} |"
        )
    met = int(table["passed"].sum())
    lines.append("")
    lines.append(f"{met} of {len(table)} target rows met ({table.groupby('target')['passed'].all().sum()} of "
                 f"{table['target'].nunique()} targets met in every scenario).")
    return "\n".join(lines) + "\n"


def figure(table: pd.DataFrame, path: Path) -> None:
    """One panel per target: the band shaded, each scenario's mean with its 90% range."""
    names = list(dict.fromkeys(table["target"]))
    columns = 3
    rows = math.ceil(len(names) / columns)
    fig = Figure(figsize=(4.2 * columns, 2.3 * rows), layout="constrained")
    FigureCanvasAgg(fig)
    for i, name in enumerate(names):
        ax = fig.add_subplot(rows, columns, i + 1)
        part = table[table["target"] == name].reset_index(drop=True)
        target = BY_NAME.get(name)
        lo, hi = float(part["lo"].iloc[0]), float(part["hi"].iloc[0])
        seen = part[["mean", "p05", "p95"]].to_numpy(dtype=float)
        top = hi if math.isfinite(hi) else float(np.nanmax([lo * 1.5, *seen.ravel()]))
        ax.axhspan(lo, top, color="#cfe8cf", zorder=0)
        for j, row in part.iterrows():
            colour = "#1b7837" if row["status"] == "pass" else "#b2182b"
            if math.isfinite(row["mean"]):
                ax.errorbar(j, row["mean"], yerr=[[row["mean"] - row["p05"]], [row["p95"] - row["mean"]]],
                            fmt="o", color=colour, capsize=3)
            else:
                ax.annotate("undefined", (j, lo), ha="center", color=colour, fontsize=8)
        ax.set_xticks(range(len(part)), [s.replace("_", "\n") for s in part["scenario"]], fontsize=7)
        ax.set_xlim(-0.6, len(part) - 0.4)
        ax.set_title(f"{name} ({target.metric if target else ''})", fontsize=8)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(True, axis="y", color="#e6e6e6", linewidth=0.6)
        ax.set_axisbelow(True)
    fig.suptitle("Observed (mean, 90% range over replicates) against the field band (shaded)", fontsize=10)
    save_figure(fig, path, dpi=110)


def write(table: pd.DataFrame, out: Path) -> dict[str, Path]:
    """The table as Parquet, CSV and Markdown, and the figure, under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "parquet": out / "patterns.parquet",
        "csv": out / "patterns.csv",
        "markdown": out / "patterns.md",
        "figure": out / "patterns.png",
    }
    write_parquet(paths["parquet"], table)
    write_csv(paths["csv"], table)
    write_text(paths["markdown"], markdown(table))
    figure(table, paths["figure"])
    return paths


def check_overrides(overrides: dict[str, Any], scenarios: tuple[str, ...] = SCENARIOS) -> None:
    """Refuse a bad --set before any run: the pattern runner is a custom runner, which the
    engine does not check against the schema."""
    for scenario in scenarios:
        load_scenario(resolve_scenario(scenario), overrides=overrides)


def validation_experiment(replicates: int, seed: int, overrides: dict[str, Any] | None = None,
                          months: int | None = None, points: list[dict[str, Any]] | None = None,
                          name: str = "validate-patterns"):
    """The default scenarios through the pattern runner; the fixed values are checked against
    the schema here, sample points by the sampler that drew them."""
    fixed = dict(overrides or {})
    if months is not None:
        fixed["village.months"] = months
    check_overrides(fixed)
    return make_experiment(list(SCENARIOS), replicates=replicates, seed=seed, points=points, overrides=fixed,
                           runner=RUNNER, name=name)


def run_validation(out: str | Path, *, replicates: int = 20, seed: int = 1, overrides: dict[str, Any] | None = None,
                   months: int | None = None, executor: str = "processes", workers: int | None = None,
                   dask_address: str | None = None, resume: bool = False,
                   progress: bool = True, **engine: Any) -> tuple[pd.DataFrame, dict[str, Path], Outcome]:
    """Run the default scenarios, measure every target, write table and figure under ``out``
    (``engine``: further options of ``experiments.engine.execute``)."""
    out = Path(out)
    experiment = validation_experiment(replicates, seed, overrides, months)
    outcome = execute(experiment, out, executor=executor, workers=workers, dask_address=dask_address, resume=resume,
                      progress=progress, **engine)
    table = observe(read_results(out).runs)
    return table, write(table, out), outcome


__all__ = ["NOT_MODELLED", "PROGRAMME", "RUNNER", "SCENARIOS", "TARGETS", "Target", "observe", "run_validation", "write"]
