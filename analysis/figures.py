"""The comparison's figures, one chart per file (PNG for documents, SVG for print and the web).

One chart per measure rather than a grid of panels, so each stays legible on a phone and
can go on a slide or into a paper as it is. Drawn on matplotlib's Agg canvas directly, so
no GUI backend or global pyplot state is involved.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from analysis import fmt
from analysis.measures import COST, LASTING
from analysis.stats import generator
from analysis.verdict import estimate, name
from sim.files import save_figure
from sim.i18n import t

# Okabe-Ito, colour-blind safe; assigned by the arm's position, never by its name.
PALETTE = ("#4d4d4d", "#e69f00", "#0072b2", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#f0e442")
TRAJECTORIES = ("self_reliant_share", "dependency", "awareness", "in_group_share")
GROUP_LIFE = ("groups_forming", "groups_active", "groups_mature", "groups_dissolved")
SHARES = {"self_reliant_share", "in_group_share"}
BAND = (0.05, 0.95)
SIZE = (5.0, 3.7)
# Sizes that stay legible when a figure is shrunk to a phone's width.
STYLE = {"font.size": 10, "axes.labelsize": 10, "xtick.labelsize": 9.5, "ytick.labelsize": 9.5,
         "legend.fontsize": 9, "svg.fonttype": "none"}


@dataclass(frozen=True)
class Markers:
    """Where the programme ends and where a phased exit begins, for the arms that field facilitators."""

    programme_end: tuple[int, ...]
    exit_start: tuple[int, ...]  # first month of a phased taper


def markers(arm_params: dict[str, dict], arms: list[str]) -> Markers:
    ends, starts = set(), set()
    for arm in arms:
        p = arm_params.get(arm, {})
        if not p.get("facilitators.n_facilitators", 0) or "programme.programme_months" not in p:
            continue
        end = int(p["programme.programme_months"])
        ends.add(end)
        if p.get("programme.exit_mode") == "phased":
            starts.add(max(0, end - int(p.get("programme.exit_taper_months", 0))))
    return Markers(tuple(sorted(ends)), tuple(sorted(starts)))


def colours(arms: list[str]) -> dict[str, str]:
    return {arm: PALETTE[i % len(PALETTE)] for i, arm in enumerate(arms)}


def bands(monthly: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Mean and the 5th and 95th percentiles across replicates, per arm, month and column."""
    grouped = monthly.groupby(["arm", "month"])[list(columns)]
    mean = grouped.mean().add_suffix(":mean")
    low = grouped.quantile(BAND[0]).add_suffix(":low")
    high = grouped.quantile(BAND[1]).add_suffix(":high")
    return pd.concat([mean, low, high], axis=1).reset_index()


def _figure(size=SIZE) -> tuple[Figure, object]:
    fig = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(True, color="#e6e6e6", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def _title(fig: Figure, text: str) -> None:
    """Title at the figure's left edge, so long axis labels never push it off the canvas."""
    fig.suptitle(text, x=0.02, ha="left", fontsize=11, fontweight="bold")


def _decimal(ax, lang: str, axes: str = "xy") -> None:
    """Decimal comma on numeric axes in Indonesian."""
    if lang != "id":
        return
    formatter = FuncFormatter(lambda v, _: f"{v:g}".replace(".", ",").replace("-", fmt.MINUS))
    for a in axes:
        getattr(ax, f"{a}axis").set_major_formatter(formatter)


def _percent(ax, axis: str, lang: str) -> None:
    formatter = PercentFormatter(1.0, decimals=0)
    getattr(ax, f"{axis}axis").set_major_formatter(formatter)
    _decimal(ax, lang, "x" if axis == "y" else "y")


def _mark(ax, m: Markers, lang: str) -> None:
    for i, start in enumerate(m.exit_start):
        end = min((e for e in m.programme_end if e >= start), default=start)
        ax.axvspan(start, end, color="#999999", alpha=0.15, linewidth=0,
                   label=t("report.exit_taper", lang) if i == 0 else None)
    for i, end in enumerate(m.programme_end):
        ax.axvline(end, color="#333333", linestyle="--", linewidth=1,
                   label=t("programme_end", lang) if i == 0 else None)


def _legend(fig: Figure, ax) -> None:
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=min(2, len(labels)), frameon=False)


def over_time(table: pd.DataFrame, column: str, arms: list[str], m: Markers, lang: str, title: str) -> Figure:
    """Mean per month with the band that holds 90% of the replicates, one line per arm."""
    fig, ax = _figure()
    colour = colours(arms)
    for arm in arms:
        rows = table[table["arm"] == arm]
        ax.fill_between(rows["month"], rows[f"{column}:low"], rows[f"{column}:high"], color=colour[arm],
                        alpha=0.15, linewidth=0)
        ax.plot(rows["month"], rows[f"{column}:mean"], color=colour[arm], linewidth=1.8, label=name(arm, lang))
    _mark(ax, m, lang)
    _title(fig, title)
    ax.set_xlabel(t("month", lang))
    ax.set_xlim(table["month"].min(), table["month"].max())
    if column in SHARES:
        ax.set_ylim(0, None)
        _percent(ax, "y", lang)
    else:
        ax.set_ylim(0, None)
        _decimal(ax, lang)
    _legend(fig, ax)
    return fig


def distribution(outcomes: pd.DataFrame, arms: list[str], seed: int, lang: str) -> Figure:
    """The final outcome of every replicate (dots) over each arm's box, one row per arm."""
    fig, ax = _figure((SIZE[0], 1.2 + 0.55 * len(arms)))
    colour = colours(arms)
    rng = generator(seed, 2)
    positions = np.arange(len(arms))[::-1]
    data = [outcomes.loc[outcomes["arm"] == arm, LASTING].dropna().to_numpy() for arm in arms]
    ax.boxplot(data, positions=positions, orientation="horizontal", widths=0.5, showfliers=False,
               medianprops={"color": "#222222"}, boxprops={"color": "#777777"},
               whiskerprops={"color": "#777777"}, capprops={"color": "#777777"})
    for pos, arm, values in zip(positions, arms, data, strict=True):
        jitter = rng.uniform(-0.18, 0.18, size=len(values))
        ax.scatter(values, pos + jitter, s=14, color=colour[arm], alpha=0.8, linewidths=0, zorder=3)
    ax.set_yticks(positions, [name(a, lang) for a in arms])
    ax.set_xlim(0, None)
    _percent(ax, "x", lang)
    ax.set_xlabel(t("report.self_reliant_share_horizon", lang))
    _title(fig, t("report.fig_distribution", lang))
    return fig


def cost_lasting(summary: pd.DataFrame, arms: list[str], lang: str) -> Figure:
    """One point per arm: cost per self-reliant household against the share self-reliant at the horizon."""
    fig, ax = _figure()
    colour = colours(arms)
    for arm in arms:
        x, y = estimate(summary, arm, COST), estimate(summary, arm, LASTING)
        if not (np.isfinite(x["mean"]) and np.isfinite(y["mean"])):
            continue
        xerr = [[max(0.0, x["mean"] - x["low"])], [max(0.0, x["high"] - x["mean"])]] if np.isfinite(x["low"]) else None
        yerr = [[max(0.0, y["mean"] - y["low"])], [max(0.0, y["high"] - y["mean"])]] if np.isfinite(y["low"]) else None
        ax.errorbar(x["mean"], y["mean"], xerr=xerr, yerr=yerr, fmt="o", color=colour[arm], capsize=3,
                    markersize=7, label=name(arm, lang))
        ax.annotate(name(arm, lang), (x["mean"], y["mean"]), textcoords="offset points", xytext=(6, 6),
                    fontsize=9, color=colour[arm])
    ax.set_xlim(0, None)
    ax.set_ylim(0, None)
    _percent(ax, "y", lang)
    ax.set_xlabel(t("report.facilitator_months_per_self_reliant", lang))
    ax.set_ylabel(t("report.self_reliant_share_horizon", lang))
    _title(fig, t("report.fig_cost_lasting", lang))
    return fig


def save(fig: Figure, folder: Path, stem: str) -> dict[str, Path]:
    """``stem.png`` and ``stem.svg`` in ``folder``; SVG keeps text as text (searchable, editable)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"png": folder / f"{stem}.png", "svg": folder / f"{stem}.svg"}
    save_figure(fig, paths["png"], dpi=160)
    with matplotlib.rc_context(STYLE):
        save_figure(fig, paths["svg"], metadata={"Date": None})
    return paths


def draw_all(outcomes: pd.DataFrame, monthly: pd.DataFrame, summary: pd.DataFrame, arms: list[str],
             m: Markers, seed: int, lang: str, folder: Path) -> dict[str, dict[str, Path]]:
    """Every figure of the report, saved under ``folder``; returns stem -> {"png", "svg"} paths."""
    table = bands(monthly, TRAJECTORIES + GROUP_LIFE)
    figures: dict[str, Figure] = {}
    with matplotlib.rc_context(STYLE):
        for column in TRAJECTORIES:
            figures[f"trajectory_{column}"] = over_time(table, column, arms, m, lang, t(column, lang))
        figures["distribution"] = distribution(outcomes, arms, seed, lang)
        figures["cost_lasting"] = cost_lasting(summary, arms, lang)
        for column in GROUP_LIFE:
            title = t("groups_dissolved_total", lang) if column == "groups_dissolved" else t(column, lang)
            figures[column] = over_time(table, column, arms, m, lang, title)
    return {stem: save(fig, folder, stem) for stem, fig in figures.items()}
