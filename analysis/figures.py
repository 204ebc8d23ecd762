"""The comparison's figures, one chart per file (PNG for documents, SVG for print and the web).

One chart per measure rather than a grid of panels, so each stays legible on a phone and
can go on a slide or into a paper as it is. Drawn on matplotlib's Agg canvas directly, so
no GUI backend or global pyplot state is involved.
"""

from __future__ import annotations

import multiprocessing
import textwrap
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis import fmt
from analysis.i18n import t
from analysis.measures import COST, LASTING
from analysis.stats import generator
from analysis.verdict import estimate, name
from experiments.engine import cpu_count
from sim.collect import COVERAGE_MONTHS
from sim.files import save_figure

# Okabe-Ito, colour-blind safe; assigned by the arm's position, never by its name.
PALETTE = ("#4d4d4d", "#e69f00", "#0072b2", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#f0e442")
TRAJECTORIES = ("self_reliant_share", "dependency", "awareness", "in_group_share")
GROUP_LIFE = ("groups_forming", "groups_active", "groups_mature", "groups_dissolved")
SHARES = {"self_reliant_share", "in_group_share", "poverty_share", "coverage"}
LEVELS = {"consumption": "report.consumption_axis", "patron_debt": "report.level_axis"}
INDICES = {"dependency", "awareness", "skills", "trust", "self_reliance", "wealth_gini", "consumption_gini"}
# Ticks at round values only: 1, 2, 2.5 and 5 times a power of ten.
STEPS = [1, 2, 2.5, 5, 10]
BAND = (0.25, 0.75)  # the middle half: a 90% band of every strategy covered the others'
SIZE = (5.0, 3.7)
# Sizes that stay legible when a figure is shrunk to a phone's width.
STYLE = {
    "font.size": 10,
    "axes.labelsize": 10,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "legend.fontsize": 9,
    "svg.fonttype": "none",
    "svg.hashsalt": "berdaya",  # the SVGs' element ids from a fixed salt, not a random one: the same file each time
}


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


# Characters per line of a title and of the axis labels, so that none runs off the canvas (in
# Indonesian, labels run a third longer than in English).
TITLE_WIDTH, XLABEL_WIDTH, YLABEL_WIDTH = 50, 50, 30


def _title(fig: Figure, text: str) -> None:
    """Title at the figure's left edge, so long axis labels never push it off the canvas; wrapped."""
    fig.suptitle(textwrap.fill(text, TITLE_WIDTH), x=0.02, ha="left", fontsize=11, fontweight="bold")


def _wrap_labels(fig: Figure) -> None:
    """Every axis label wrapped to a width the canvas holds."""
    for ax in fig.axes:
        ax.set_xlabel(textwrap.fill(ax.get_xlabel(), XLABEL_WIDTH))
        ax.set_ylabel(textwrap.fill(ax.get_ylabel(), YLABEL_WIDTH))


def tick(value: float, lang: str, scale: float = 1.0, suffix: str = "") -> str:
    """A tick label with as many decimals as the value needs (2.5% stays 2.5%), decimal comma in Indonesian."""
    text = f"{round(value * scale, 6):g}"
    if lang == "id":
        text = text.replace(".", ",")
    return text.replace("-", fmt.MINUS) + suffix


def _numeric(ax, axis: str, lang: str, scale: float = 1.0, suffix: str = "") -> None:
    """Round ticks on one numeric axis, labelled as the report writes numbers."""
    a = getattr(ax, f"{axis}axis")
    a.set_major_locator(MaxNLocator(nbins=6, steps=STEPS))
    a.set_major_formatter(FuncFormatter(lambda v, _: tick(v, lang, scale, suffix)))


def _decimal(ax, lang: str, axes: str = "xy") -> None:
    for a in axes:
        _numeric(ax, a, lang)


def _percent(ax, axis: str, lang: str) -> None:
    """Shares (0 to 1) shown as percentages on ``axis``; the other axis is left alone (it may hold names)."""
    _numeric(ax, axis, lang, 100.0, "%")


def _mark(ax, m: Markers, lang: str) -> None:
    for i, start in enumerate(m.exit_start):
        end = min((e for e in m.programme_end if e >= start), default=start)
        ax.axvspan(
            start, end, color="#999999", alpha=0.15, linewidth=0, label=t("report.exit_taper", lang) if i == 0 else None
        )
    for i, end in enumerate(m.programme_end):
        ax.axvline(
            end, color="#333333", linestyle="--", linewidth=1, label=t("programme_end", lang) if i == 0 else None
        )


def _legend(fig: Figure, ax) -> None:
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=min(2, len(labels)), frameon=False)


def over_time(table: pd.DataFrame, column: str, arms: list[str], m: Markers, lang: str, title: str) -> Figure:
    """Mean per month with the band that holds 90% of the replicates, one line per arm."""
    fig, ax = _figure()
    colour = colours(arms)
    for arm in arms:
        rows = table[table["arm"] == arm]
        ax.fill_between(
            rows["month"], rows[f"{column}:low"], rows[f"{column}:high"], color=colour[arm], alpha=0.15, linewidth=0
        )
        ax.plot(rows["month"], rows[f"{column}:mean"], color=colour[arm], linewidth=1.8, label=name(arm, lang))
    _mark(ax, m, lang)
    _title(fig, title)
    ax.set_xlabel(t("month", lang))
    ax.set_xlim(table["month"].min(), table["month"].max())
    ax.set_ylim(0, None)
    _decimal(ax, lang, "x")
    if column in SHARES:
        _percent(ax, "y", lang)
    else:
        _decimal(ax, lang, "y")
    ax.set_ylabel(axis_label(column, lang))
    _legend(fig, ax)
    return fig


def axis_label(column: str, lang: str) -> str:
    """What the numbers on a monthly measure's axis are, with their scale."""
    if column in SHARES:
        return t("report.share_axis", lang)
    if column in INDICES:
        return t("report.index_axis", lang)
    if column.startswith("groups_"):
        return t("report.groups_axis", lang)
    return t(LEVELS.get(column, "report.level_axis"), lang)


def distribution(outcomes: pd.DataFrame, arms: list[str], seed: int, lang: str) -> Figure:
    """The final outcome of every replicate (dots) over each arm's box, one row per arm."""
    fig, ax = _figure((SIZE[0], 1.2 + 0.55 * len(arms)))
    colour = colours(arms)
    rng = generator(seed, 2)
    positions = np.arange(len(arms))[::-1]
    data = [outcomes.loc[outcomes["arm"] == arm, LASTING].dropna().to_numpy() for arm in arms]
    ax.boxplot(
        data,
        positions=positions,
        orientation="horizontal",
        widths=0.5,
        showfliers=False,
        medianprops={"color": "#222222"},
        boxprops={"color": "#777777"},
        whiskerprops={"color": "#777777"},
        capprops={"color": "#777777"},
    )
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
        ax.errorbar(
            x["mean"],
            y["mean"],
            xerr=xerr,
            yerr=yerr,
            fmt="o",
            color=colour[arm],
            capsize=3,
            markersize=7,
            label=name(arm, lang),
        )
        ax.annotate(
            name(arm, lang),
            (x["mean"], y["mean"]),
            textcoords="offset points",
            xytext=(6, 6),
            fontsize=9,
            color=colour[arm],
        )
    ax.set_xlim(0, None)
    ax.set_ylim(0, None)
    _decimal(ax, lang, "x")
    _percent(ax, "y", lang)
    ax.set_xlabel(t("report.facilitator_months_per_self_reliant", lang))
    ax.set_ylabel(t("report.self_reliant_share_horizon", lang))
    _title(fig, t("report.fig_cost_lasting", lang))
    return fig


def decomposition(rows: pd.DataFrame, measure: str, lang: str, label_factor) -> Figure:
    """Each choice's share of each pair's difference on ``measure``, in points, with its 95% confidence interval;
    one block per pair, interactions in grey."""
    rows = rows[rows["measure"] == measure].reset_index(drop=True)
    blocks = rows[["strategy", "against"]].drop_duplicates().shape[0]
    fig, ax = _figure((SIZE[0] + 1.0, 1.0 + 0.42 * len(rows) + 0.45 * blocks))
    labels, y, colour, position = [], [], [], 0.0
    for (strategy, against), group in rows.groupby(["strategy", "against"], sort=False):
        ax.annotate(
            t("report.vs", lang).format(a=name(strategy, lang), b=name(against, lang)),
            (0.02, position + 0.6),
            xycoords=("figure fraction", "data"),
            ha="left",
            va="bottom",
            fontsize=9,
            fontweight="bold",
            annotation_clip=False,
        )
        for _, r in group.iterrows():
            labels.append(textwrap.fill(label_factor(r["factor"], lang), 30))
            y.append(position)
            colour.append("#999999" if " \u00d7 " in r["factor"] else PALETTE[2])
            position -= 1.0
        position -= 0.9
    values = 100 * rows["contribution"].to_numpy(dtype=float)
    low = 100 * rows["low"].to_numpy(dtype=float)
    high = 100 * rows["high"].to_numpy(dtype=float)
    error = np.vstack([np.clip(values - low, 0, None), np.clip(high - values, 0, None)])
    ax.barh(y, values, color=colour, height=0.6)
    ax.errorbar(values, y, xerr=np.nan_to_num(error), fmt="none", ecolor="#333333", capsize=3, linewidth=1)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks(y, labels, fontsize=8.5)
    ax.set_ylim(min(y) - 0.7, 1.2)
    _numeric(ax, "x", lang)
    ax.set_xlabel(t("report.contribution_axis", lang))
    return fig


def cost_curve(rows: pd.DataFrame, measure: str, kind: str, lang: str, title: str) -> Figure:
    """One measure against the number of facilitators fielded, one line (mean) and band (95%) per strategy."""
    rows = rows[rows["measure"] == measure]
    fig, ax = _figure()
    strategies = list(dict.fromkeys(rows["strategy"]))
    colour = {s: PALETTE[(i + 1) % len(PALETTE)] for i, s in enumerate(strategies)}
    scale = 100.0 if kind == "share" else 1e-6 if kind == "rupiah" else 1.0
    for strategy in strategies:
        r = rows[rows["strategy"] == strategy].sort_values("n_facilitators")
        ax.fill_between(
            r["n_facilitators"], scale * r["low"], scale * r["high"], color=colour[strategy], alpha=0.15, linewidth=0
        )
        ax.plot(
            r["n_facilitators"],
            scale * r["mean"],
            "o-",
            color=colour[strategy],
            linewidth=1.8,
            label=name(strategy, lang),
        )
    ax.set_xticks(sorted(rows["n_facilitators"].unique()))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: tick(v, lang)))
    ax.set_ylim(0, None)
    _numeric(ax, "y", lang, 1.0, "%" if kind == "share" else "")
    ax.set_xlabel(t("report.n_facilitators_axis", lang))
    ax.set_ylabel(
        {"share": t("report.share_axis", lang), "rupiah": t("report.rupiah_axis", lang)}.get(
            kind, t("report.level_axis", lang)
        )
    )
    _title(fig, title)
    _legend(fig, ax)
    return fig


def acceptability(rows: pd.DataFrame, arms: list[str], lang: str) -> Figure:
    """The cost-effectiveness acceptability curve: at each willingness to pay per additional
    self-reliant household, the share of plausible worlds in which each strategy is the best buy."""
    fig, ax = _figure()
    colour = colours(arms)
    for arm in arms:
        r = rows[rows["strategy"] == arm].sort_values("wtp_rp")
        if len(r):
            ax.plot(
                1e-6 * r["wtp_rp"],
                r["probability_cost_effective"],
                "-",
                color=colour[arm],
                linewidth=1.8,
                label=name(arm, lang),
            )
    ax.set_ylim(0, 1)
    ax.set_xscale("log")
    _percent(ax, "y", lang)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: tick(v, lang)))
    ax.set_xlabel(t("report.wtp_axis", lang))
    ax.set_ylabel(t("report.acceptability_axis", lang))
    _title(fig, t("report.fig_acceptability", lang))
    _legend(fig, ax)
    return fig


class _Drawn:
    """What ``asides`` started: ``result()`` waits for it (and draws here if the other process died)."""

    def __init__(self, future: Future, function: Callable, args: tuple):
        self.future, self.function, self.args = future, function, args

    def result(self):
        try:
            return self.future.result()
        except BrokenProcessPool:
            return self.function(*self.args)


def asides(function: Callable, calls: list[tuple]) -> list[_Drawn]:
    """Start ``function(*args)`` for each ``args`` of ``calls`` (drawing figures) in a forked process of
    its own while this one goes on, so the report's figures and its statistics share the cores; all
    are forked before the pool starts its thread (no fork follows a thread). Here, one after another,
    with one core, without fork, or while another thread runs (forking then is unsafe)."""
    if cpu_count() > 1 and "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        pool = ProcessPoolExecutor(len(calls), mp_context=multiprocessing.get_context("fork"))
        futures = []
        for args in calls:
            try:
                futures.append(pool.submit(function, *args))
            except BrokenProcessPool as error:  # a worker died already: this call is drawn here, on result()
                futures.append(Future())
                futures[-1].set_exception(error)
        pool.shutdown(wait=False)
    else:
        futures = []
        for args in calls:
            futures.append(Future())
            futures[-1].set_result(function(*args))
    return [_Drawn(future, function, args) for future, args in zip(futures, calls, strict=True)]


def save(fig: Figure, folder: Path, stem: str) -> dict[str, Path]:
    """``stem.png`` and ``stem.svg`` in ``folder``; SVG keeps text as text (searchable, editable)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"png": folder / f"{stem}.png", "svg": folder / f"{stem}.svg"}
    _wrap_labels(fig)
    save_figure(fig, paths["png"], dpi=160)
    with matplotlib.rc_context(STYLE):
        save_figure(fig, paths["svg"], metadata={"Date": None})
    return paths


def monthly_title(column: str, lang: str) -> str:
    """The title of a further monthly measure (``report.monthly_<column>``)."""
    return t(f"report.monthly_{column}", lang).format(months=COVERAGE_MONTHS)


def draw(folder: Path, stem: str, make) -> dict[str, Path]:
    """Draw one figure with ``make()`` in the report's style and save it."""
    with matplotlib.rc_context(STYLE):
        return save(make(), folder, stem)


def draw_all(
    outcomes: pd.DataFrame,
    monthly: pd.DataFrame,
    summary: pd.DataFrame,
    arms: list[str],
    m: Markers,
    seed: int,
    lang: str,
    folder: Path,
    extra: list[str] = (),
    part: tuple[int, int] = (0, 1),
) -> dict[str, dict[str, Path]]:
    """Every figure of the report, saved under ``folder``; returns stem -> {"png", "svg"} paths.
    ``extra``: further monthly columns to draw over time (titled ``report.monthly_<column>``).
    ``part`` (k, parts): only every parts-th figure from the k-th, so that ``parts`` processes
    share the drawing; each figure is drawn alike in any of them."""
    table = bands(monthly, TRAJECTORIES + GROUP_LIFE + tuple(extra))
    makers: dict[str, Callable[[], Figure]] = {}
    for column in TRAJECTORIES:
        makers[f"trajectory_{column}"] = partial(over_time, table, column, arms, m, lang, t(column, lang))
    for column in extra:
        makers[f"trajectory_{column}"] = partial(over_time, table, column, arms, m, lang, monthly_title(column, lang))
    makers["distribution"] = partial(distribution, outcomes, arms, seed, lang)
    makers["cost_lasting"] = partial(cost_lasting, summary, arms, lang)
    for column in GROUP_LIFE:
        title = t("groups_dissolved_total", lang) if column == "groups_dissolved" else t(column, lang)
        makers[column] = partial(over_time, table, column, arms, m, lang, title)
    k, parts = part
    files = {}
    for stem in list(makers)[k::parts]:
        with matplotlib.rc_context(STYLE):
            fig = makers[stem]()
        files[stem] = save(fig, folder, stem)
    return files
