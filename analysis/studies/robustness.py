"""Robustness: in which villages does each strategy work, and under which conditions does it fail?

Villages are drawn by a Latin hypercube over the village-condition parameters
(``CONDITIONS``), each over its range in the schema; every strategy's shipped scenario
runs in every village with replicates, as one experiment through the engine (scenarios
x points x replicates). In each village a strategy's outcome is its mean self-reliant
share at the horizon over the replicates. Then, per strategy:

- beats baseline: its outcome exceeds the baseline's in that village by more than
  ``margin`` (default 0.02, two percentage points of households);
- fails: does not beat baseline so (the complement, so a tie or a gain within the
  margin counts as failing: a programme has to do visibly better than no programme);
- regret: the best strategy's outcome in that village minus its own (0 where it is the
  best), summarised by the median and the 90th percentile over villages;
- scenario discovery: the PRIM box of village conditions in which it fails
  (``analysis.rules``), with coverage and density.

The experiment is paired: replicate r in a village has one seed for every strategy, so
the strategies meet the same households and patrons and the same initial draws, and
beats and regret compare them on the same draws. A replicate counts in a village only
where every strategy has a value for it (a failed run takes its replicate out of that
village for all strategies), so the means stay paired.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.html import embed_figure, escape, frame_table, save_section
from analysis.i18n import t
from analysis.rules import Box, prim
from experiments.engine import EngineOptions, check_horizon, execute, read_results
from experiments.spec import make_experiment, sweep_points
from sim.errors import InputError
from sim.files import save_figure, write_csv, write_parquet, write_text
from sim.params import STRATEGIES, bounds, dotted, suggest, undot
from sim.scenario import resolve_scenario

CONDITIONS = (
    "patrons.openness_mean",
    "patrons.extraction",
    "patrons.patron_interest",
    "patrons.patrons_per_hamlet",
    "village.shock_rate",
    "village.shock_size",
    "village.density",
    "village.n_hamlets",
    "households.awareness_mean",
    "households.dependency_mean",
    "households.income_mean",
    "households.wealth_mean",
)
OUTCOME = "self_reliant_share_horizon"
BASELINE = "baseline"
DEFAULT_VILLAGES = 100
DEFAULT_REPLICATES = 3
DEFAULT_MARGIN = 0.02
# PRIM needs some villages on each side of a cut; below this a box is noise.
MIN_VILLAGES = 10
# Fewer failing (or succeeding) villages than this and no rule is sought.
MIN_CASES = 3


@dataclass(frozen=True)
class NoRule:
    """Why a strategy gets no failure box: too few failures, failing nearly everywhere, or
    failures not concentrated in any box of the conditions."""

    reason: str  # "too_few" | "everywhere" | "not_concentrated"
    fails: int
    villages: int

    def text(self, lang: str = "en") -> str:
        return t(f"rob.no_rule_{self.reason}", lang).format(fails=self.fails, villages=self.villages)

    def __str__(self) -> str:
        return self.text()


@dataclass
class Robustness:
    """What the robustness analysis found; tables as written under ``out``."""

    villages: pd.DataFrame  # point, conditions
    outcomes: pd.DataFrame  # point, strategy, mean, sd, replicates, gain, beats_baseline, fails, regret
    summary: pd.DataFrame  # one row per strategy
    rules: dict[str, Box | NoRule]  # strategy -> its failure box, or why there is none
    margin: float
    replicates: int
    runs: int
    failed: int
    errors: list[str]
    seconds: float
    ran: int
    out: Path


def check_conditions(names: list[str] | tuple[str, ...]) -> list[str]:
    """Dotted names of numeric schema parameters; anything else (or none at all) is refused by name."""
    if not names:
        raise InputError(
            "names no parameter; give one or more village conditions, e.g. " + ",".join(CONDITIONS[:2]),
            field="--conditions",
        )
    checked = []
    for name in names:
        try:
            bare = undot(name)
        except KeyError:
            hint = suggest(name)
            did = f"; did you mean {dotted(hint.split('.')[-1])!r}?" if hint else ""
            raise InputError(f"unknown parameter {name!r}{did}", field="--conditions") from None
        lo, hi = bounds(bare)
        if lo is None or hi is None:
            raise InputError(f"{dotted(bare)} has no numeric range to draw villages from", field="--conditions")
        checked.append(dotted(bare))
    return list(dict.fromkeys(checked))


def village_table(results, conditions: list[str]) -> pd.DataFrame:
    """One row per village (engine point): its conditions."""
    points = results.experiment["points"]
    return pd.DataFrame([{"point": i, **{c: p[c] for c in conditions}} for i, p in enumerate(points)])


def compare(runs: pd.DataFrame, strategies: list[str], margin: float) -> pd.DataFrame:
    """Per village and strategy: mean and sd over replicates, gain over baseline, beats/fails, regret.

    Only replicates every strategy has a value for count, so each village's means are over
    the same paired replicates.
    """
    ok = runs[(runs["status"] == "ok") & runs["scenario"].isin(strategies) & runs[OUTCOME].notna()]
    ok = ok[ok.groupby(["point", "replicate"])["scenario"].transform("nunique").eq(len(strategies))]
    grouped = ok.groupby(["point", "scenario"])[OUTCOME]
    table = pd.DataFrame({"mean": grouped.mean(), "sd": grouped.std(), "replicates": grouped.size()}).reset_index()
    table = table.rename(columns={"scenario": "strategy"})
    wide = table.pivot(index="point", columns="strategy", values="mean").reindex(columns=strategies)
    best = wide.max(axis=1)
    base = wide[BASELINE]
    table["gain"] = table["mean"] - table["point"].map(base)
    table["beats_baseline"] = (table["gain"] > margin).astype("boolean")
    table["fails"] = ~table["beats_baseline"]
    table.loc[table["strategy"] == BASELINE, ["beats_baseline", "fails"]] = pd.NA
    table["regret"] = table["point"].map(best) - table["mean"]
    return table.sort_values(["point", "strategy"]).reset_index(drop=True)


def summarise(outcomes: pd.DataFrame, strategies: list[str]) -> pd.DataFrame:
    """One row per strategy: share of villages it beats baseline in, regret median and 90th percentile."""
    rows = []
    for strategy in strategies:
        part = outcomes[outcomes["strategy"] == strategy]
        beats = part["beats_baseline"].astype("Float64")
        rows.append(
            {
                "strategy": strategy,
                "villages": len(part),
                "mean_outcome": part["mean"].mean(),
                "share_beats_baseline": float(beats.mean()) if strategy != BASELINE else np.nan,
                "share_best": float((part["regret"] <= 0).mean()),
                "regret_median": part["regret"].median(),
                "regret_p90": part["regret"].quantile(0.9),
            }
        )
    return pd.DataFrame(rows)


def discover(
    villages: pd.DataFrame, outcomes: pd.DataFrame, strategies: list[str], conditions: list[str]
) -> dict[str, Box | NoRule]:
    """Each strategy's PRIM box of failure, or a sentence saying why there is none."""
    found: dict[str, Box | NoRule] = {}
    for strategy in strategies:
        if strategy == BASELINE:
            continue
        part = outcomes[outcomes["strategy"] == strategy].merge(villages, on="point")
        fails = part["fails"].astype(bool).to_numpy()
        counts = {"fails": int(fails.sum()), "villages": len(fails)}
        if fails.sum() < MIN_CASES:
            found[strategy] = NoRule("too_few", **counts)
        elif (~fails).sum() < MIN_CASES:
            found[strategy] = NoRule("everywhere", **counts)
        else:
            box = prim(part[conditions], fails)
            found[strategy] = box if box.limits else NoRule("not_concentrated", **counts)
    return found


def rules_table(rules: dict[str, Box | NoRule]) -> pd.DataFrame:
    """One row per restricted condition of each box (a strategy without a box gets one row with its note)."""
    rows = []
    for strategy, box in rules.items():
        if isinstance(box, NoRule):
            rows.append(
                {
                    "strategy": strategy,
                    "condition": "",
                    "lo": np.nan,
                    "hi": np.nan,
                    "coverage": np.nan,
                    "density": np.nan,
                    "mass": np.nan,
                    "villages_in_box": 0,
                    "failing_in_box": 0,
                    "base_rate": box.fails / box.villages,
                    "rule": "",
                    "note": box.text(),
                }
            )
            continue
        common = {
            "coverage": box.coverage,
            "density": box.density,
            "mass": box.mass,
            "villages_in_box": box.inside,
            "failing_in_box": box.cases,
            "base_rate": box.base_rate,
            "rule": box.rule(),
            "note": "",
        }
        for condition, (lo, hi) in (box.limits or {"": (np.nan, np.nan)}).items():
            rows.append({"strategy": strategy, "condition": condition, "lo": lo, "hi": hi, **common})
    return pd.DataFrame(rows)


def rules_text(rules: dict[str, Box | NoRule], margin: float, lang: str = "en") -> str:
    """The rules in plain words, one line per strategy."""
    lines = [t("rob.fails_definition", lang).format(margin=margin)]
    for strategy, box in rules.items():
        if isinstance(box, NoRule):
            lines.append(f"{t(strategy, lang)}: {box.text(lang)}.")
            continue
        lines.append(
            t("rob.rule_line", lang).format(
                strategy=t(strategy, lang),
                rule=box.rule(),
                coverage=box.coverage,
                density=box.density,
                base_rate=box.base_rate,
                inside=box.inside,
            )
        )
    return "\n".join(lines) + "\n"


def run_robustness(
    out: str | Path,
    *,
    villages: int = DEFAULT_VILLAGES,
    replicates: int = DEFAULT_REPLICATES,
    seed: int = 1,
    strategies: list[str] | tuple[str, ...] = STRATEGIES,
    conditions: list[str] | tuple[str, ...] = CONDITIONS,
    margin: float = DEFAULT_MARGIN,
    months: int | None = None,
    overrides: dict[str, Any] | None = None,
    engine: EngineOptions = EngineOptions(),
    lang: str = "en",
    runner: str | None = None,
) -> Robustness:
    """Draw the villages, run every strategy in each, compare and find the failure rules; write it all.

    ``runner`` (``module:function``) stands in for the model, as in the tests, which plant
    a failure region and check that this same path finds it. ``engine``: how the engine runs
    them (``experiments.engine.EngineOptions``).
    """
    if villages < MIN_VILLAGES:
        raise InputError(f"{villages} villages are too few to find rules: at least {MIN_VILLAGES}", field="--villages")
    if replicates < 1:
        raise InputError(f"{replicates} replicates: at least 1 is needed", field="--replicates")
    unknown = [s for s in strategies if s not in STRATEGIES]
    if unknown or BASELINE not in strategies or len(set(strategies)) < 2:
        raise InputError(
            f"{', '.join(strategies)}: give at least two of {', '.join(STRATEGIES)}, baseline among them",
            field="--strategies",
        )
    strategies = list(dict.fromkeys(strategies))
    conditions = check_conditions(conditions)
    clash = sorted(set(conditions) & set(overrides or {}))
    if clash:
        raise InputError(f"{', '.join(clash)} is both a village condition and fixed (--set)", field="--set")
    points = sweep_points("lhs", {c: list(bounds(undot(c))) for c in conditions}, samples=villages, seed=seed)
    each_point = {"replicates": replicates, "seed": seed, "months": months, "overrides": overrides, "runner": runner}
    scenarios = [resolve_scenario(s) for s in strategies]
    experiment = make_experiment(
        scenarios, points=points, swept=conditions, name="robustness", paired=True, **each_point
    )
    folder = Path(out) / "robustness"
    check_horizon(experiment)
    outcome = execute(experiment, folder, engine)
    results = read_results(folder)
    table = village_table(results, conditions)
    outcomes = compare(results.runs, strategies, margin)
    found = Robustness(
        villages=table,
        outcomes=outcomes,
        summary=summarise(outcomes, strategies),
        rules=discover(table, outcomes, strategies, conditions),
        margin=margin,
        replicates=replicates,
        runs=len(results.runs),
        failed=int((results.runs["status"] != "ok").sum()),
        errors=outcome.errors[:3],
        seconds=outcome.seconds,
        ran=outcome.ran,
        out=folder,
    )
    write_outputs(found, conditions, lang)
    return found


def summary_figure(found: Robustness, lang: str = "en"):
    """Left: share of villages where each strategy beats baseline. Right: regret over villages."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    summary = found.summary
    strategies = list(summary["strategy"])
    names = [t(s, lang) for s in strategies]
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
    shares = summary["share_beats_baseline"].fillna(0.0)
    left.barh(names, shares, color="#4c72b0")
    left.set_xlim(0, 1)
    left.set_xlabel(t("rob.share_beats", lang).format(margin=found.margin), fontsize=8)
    left.invert_yaxis()
    regret = [found.outcomes.loc[found.outcomes["strategy"] == s, "regret"].to_numpy() for s in strategies]
    right.boxplot(regret, vert=False, whis=(10, 90), showfliers=True)
    right.set_yticks(range(1, len(names) + 1), names)
    right.invert_yaxis()
    right.set_xlabel(t("rob.regret_axis", lang), fontsize=8)
    figure.tight_layout()
    return figure


def rules_figure(found: Robustness, conditions: list[str], lang: str = "en"):
    """One panel per strategy: villages on the two conditions its box cuts most, failures in red, the box drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    strategies = list(found.rules)
    figure, axes = plt.subplots(1, len(strategies), figsize=(4.6 * len(strategies), 4.2), squeeze=False)
    for ax, strategy in zip(axes[0], strategies):
        box = found.rules[strategy]
        part = found.outcomes[found.outcomes["strategy"] == strategy].merge(found.villages, on="point")
        fails = part["fails"].astype(bool).to_numpy()
        axes_names = _two_conditions(box, part, conditions)
        x, y = (part[name].to_numpy(dtype=float) for name in axes_names)
        # Villages outside the box on a condition not drawn are shown faint.
        hidden = {k: v for k, v in box.limits.items() if k not in axes_names} if isinstance(box, Box) else {}
        inside = Box(hidden, 0, 0, 0, 0, 0, 0).contains(part)
        for shown, alpha in ((inside, 1.0), (~inside, 0.25)):
            ax.scatter(
                x[shown & ~fails],
                y[shown & ~fails],
                s=14,
                color="#4c72b0",
                alpha=alpha,
                label=t("rob.beats", lang) if alpha == 1.0 else None,
            )
            ax.scatter(
                x[shown & fails],
                y[shown & fails],
                s=14,
                color="#c44e52",
                marker="x",
                alpha=alpha,
                label=t("rob.fails", lang) if alpha == 1.0 else None,
            )
        if isinstance(box, Box):
            (x0, x1), (y0, y1) = (_clip(box.limits.get(n, (-np.inf, np.inf)), part[n]) for n in axes_names)
            ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#333333", linestyle="--"))
            note = t("rob.box_stats", lang).format(coverage=box.coverage, density=box.density)
        else:
            note = box.text(lang)
        ax.set_title(f"{t(strategy, lang)}\n{note}", fontsize=8)
        ax.set_xlabel(axes_names[0], fontsize=8)
        ax.set_ylabel(axes_names[1], fontsize=8)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=7, loc="best")
    figure.tight_layout()
    return figure


def _two_conditions(box: Box | NoRule, part: pd.DataFrame, conditions: list[str]) -> list[str]:
    """The two conditions a box cuts most (share of the range cut off), padded with the first others."""
    cut = {}
    if isinstance(box, Box):
        for name, (lo, hi) in box.limits.items():
            low, high = part[name].min(), part[name].max()
            span = (high - low) or 1.0
            cut[name] = (min(hi, high) - max(lo, low)) / span
    chosen = sorted(cut, key=cut.get)[:2]
    return (chosen + [c for c in conditions if c not in chosen])[:2]


def _clip(limits: tuple[float, float], values: pd.Series) -> tuple[float, float]:
    lo, hi = limits
    return max(lo, float(values.min())), min(hi, float(values.max()))


def write_outputs(found: Robustness, conditions: list[str], lang: str = "en") -> None:
    """Tables (Parquet and CSV), rules.txt, figures (PNG, SVG) and DIR/sections/robustness.html."""
    import matplotlib.pyplot as plt

    folder = found.out
    tables = {
        "villages": found.villages,
        "outcomes": found.outcomes.merge(found.villages, on="point"),
        "summary": found.summary,
        "rules": rules_table(found.rules),
    }
    for name, frame in tables.items():
        write_parquet(folder / f"{name}.parquet", frame)
        write_csv(folder / f"{name}.csv", frame)
    write_text(folder / "rules.txt", rules_text(found.rules, found.margin, lang))
    for name, figure in (("summary", summary_figure(found, lang)), ("rules", rules_figure(found, conditions, lang))):
        for suffix in ("png", "svg"):
            save_figure(figure, folder / f"{name}.{suffix}", dpi=120, bbox_inches="tight")
        plt.close(figure)
    save_section(folder.parent, "robustness", lambda language: section(found, conditions, language), lang)


def section(found: Robustness, conditions: list[str], lang: str) -> tuple[str, str]:
    """The report section in one language: settings, summary table and figure, rules and their figure."""
    import matplotlib.pyplot as plt

    images = {}
    for name, figure in (("summary", summary_figure(found, lang)), ("rules", rules_figure(found, conditions, lang))):
        images[name] = embed_figure(figure)
        plt.close(figure)
    settings = t("rob.settings", lang).format(
        villages=len(found.villages),
        conditions=", ".join(conditions),
        replicates=found.replicates,
        runs=found.runs,
        margin=found.margin,
    )
    shown = found.summary.assign(strategy=[t(s, lang) for s in found.summary["strategy"]])
    shown.columns = [t(f"rob.col_{c}", lang) for c in shown.columns]
    body = (
        f"<p>{escape(settings)}</p>\n{frame_table(shown)}\n{images['summary']}\n"
        f"<h3>{t('rob.rules_title', lang)}</h3>\n"
        f"<pre>{escape(rules_text(found.rules, found.margin, lang))}</pre>\n"
        f"{images['rules']}"
    )
    return t("rob.section", lang), body


__all__ = ["CONDITIONS", "NoRule", "Robustness", "run_robustness"]
