"""The visualizer's pictures, drawn with matplotlib straight to PNG bytes.

Matplotlib rather than Altair: Altair's vega scripts are not in solara-assets under the
names Altair asks for, so its charts stay blank offline. Each function reads the model's
arrays once and draws with a handful of vectorised calls, so a default village (about
a thousand households) draws well within the 200 ms a step may take
(``benchmarks/bench_viz.py``). Every label comes from ``sim.i18n``.
"""

from __future__ import annotations

import io
import textwrap

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.collect import COLUMNS
from sim.i18n import t
from sim.state import GroupStage

DPI = 80
EMPTY = "#ffffff"
# Light = little, dark = much, one scale per measure (the low end trimmed so it stands out from empty land).
COLOURMAPS = {"awareness": "Blues", "dependency": "Reds", "self_reliance": "Greens", "wealth": "YlOrBr"}
PATRON = {"resistant": "#7f0000", "cooperative": "#00a651"}
FACILITATOR = {"ngo": "#1f4e9c", "internal": "#ff7f00", "left": "#9a9a9a"}
STAGE_COLOURS = {"groups_forming": "#fdbf6f", "groups_active": "#6a9fd8", "groups_mature": "#33a02c"}
# Outline of a member's cell by its group's stage: (line width, line style).
STAGE_LINE = {GroupStage.FORMING: (1.2, (0, (2, 1.5))), GroupStage.ACTIVE: (1.4, "-"), GroupStage.MATURE: (2.8, "-")}
LINES = {
    "dependency": "#d62728",
    "awareness": "#1f77b4",
    "skills": "#ff7f0e",
    "self_reliance": "#8c564b",
    "self_reliant_share": "#2ca02c",
    "in_group_share": "#9467bd",
}
GROUP_PALETTE = colormaps["Dark2"](np.arange(8))
LEGEND_WIDTH = 30


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def measure_scale(model, measure: str, lang: str) -> tuple[np.ndarray, float, str]:
    """Values to colour by, the top of the scale, and what the scale means.

    Wealth tops out at the savings buffer at which material self-reliance is full.
    """
    h = model.households
    if measure == "wealth":
        top = model.p.buffer_target
        return h.wealth, top, t("scale_wealth", lang).format(top=f"{top:g}")
    return getattr(h, measure), 1.0, t("scale_index", lang)


def village(model, measure: str, lang: str) -> bytes:
    """The grid: households coloured by ``measure``, group outlines, patrons, facilitators, hamlets."""
    p, h, g = model.p, model.households, model.groups
    values, top, scale = measure_scale(model, measure, lang)

    fig = Figure(figsize=(8.4, 6.4))
    ax = fig.add_axes((0.02, 0.16, 0.6, 0.76))
    grid = np.full((p.height, p.width), np.nan)
    grid[h.y, h.x] = values
    cmap = ListedColormap(colormaps[COLOURMAPS[measure]](np.linspace(0.18, 1.0, 256)))
    cmap.set_bad(EMPTY)
    image = ax.imshow(grid, origin="lower", cmap=cmap, vmin=0.0, vmax=top, interpolation="nearest",
                      extent=(-0.5, p.width - 0.5, -0.5, p.height - 0.5))
    ax.set_xticks([])
    ax.set_yticks([])

    # Cell size in points, so markers and outlines fit one cell whatever the grid size.
    cell = fig.get_figwidth() * 0.6 * 72 / max(p.width, p.height)
    member = h.group >= 0
    stage = np.full(len(h), -1)
    stage[member] = g.stage[h.group[member]]
    colours = GROUP_PALETTE[h.group % len(GROUP_PALETTE)]
    for s, (width, style) in STAGE_LINE.items():
        on = stage == s
        if on.any():
            ax.scatter(h.x[on], h.y[on], s=(cell * 0.74) ** 2, marker="s", facecolors="none",
                       edgecolors=colours[on], linewidths=width * min(1.0, cell / 9), linestyle=style)

    for boundary in range(1, p.n_hamlets):
        x = np.argmax(np.arange(p.width) * p.n_hamlets // p.width >= boundary) - 0.5
        ax.axvline(x, color="black", linewidth=1.6, linestyle=(0, (6, 3)))
    edges = [0] + [int(np.argmax(np.arange(p.width) * p.n_hamlets // p.width >= b)) for b in range(1, p.n_hamlets)]
    edges.append(p.width)
    if p.n_hamlets <= 8:
        for k in range(p.n_hamlets):
            ax.text((edges[k] + edges[k + 1] - 1) / 2, p.height - 0.2, f"{t('hamlet', lang)} {k + 1}",
                    ha="center", va="bottom", fontsize=9)

    patrons = [(a.cell.coordinate, a.cooperative) for a in model.patron_agents]
    marker = max(cell * 1.5, 5.0)
    for kind, cooperative in (("resistant", False), ("cooperative", True)):
        at = [c for c, coop in patrons if coop == cooperative]
        if at:
            xy = np.array(at)
            ax.scatter(xy[:, 0], xy[:, 1], s=marker**2, marker="^", c=PATRON[kind], edgecolors="white",
                       linewidths=1.0, zorder=4)
    kinds = {"ngo": [], "internal": [], "left": []}
    for f in model.facilitators:
        kinds["left" if not f.in_field else "internal" if f.internal else "ngo"].append(f.cell.coordinate)
    if kinds["left"]:
        xy = np.array(kinds["left"])
        ax.scatter(xy[:, 0], xy[:, 1], s=marker**2, marker="X", c=FACILITATOR["left"], edgecolors="white",
                   linewidths=1.0, zorder=5)
    for kind, shape in (("ngo", "o"), ("internal", "D")):
        if kinds[kind]:
            xy = np.array(kinds[kind])
            ax.scatter(xy[:, 0], xy[:, 1], s=marker**2, marker=shape, c=FACILITATOR[kind], edgecolors="white",
                       linewidths=1.2, zorder=6)

    ax.set_title(f"{t('map_title', lang)}: {t('month', lang).lower()} {model.month} / {p.months}",
                 fontsize=12, loc="left", pad=16)
    bar_ax = fig.add_axes((0.05, 0.08, 0.54, 0.03))
    bar = fig.colorbar(image, cax=bar_ax, orientation="horizontal")
    bar.set_label(f"{t('colour_by', lang)}: {t(measure, lang)} ({scale})", fontsize=10)

    in_field = sum(1 for f in model.facilitators if f.in_field and not f.internal)
    outline = GROUP_PALETTE[0]
    handles = [
        Patch(facecolor=cmap(0.7), edgecolor="none", label=t("household", lang)),
        Patch(facecolor=EMPTY, edgecolor="#bbbbbb", label=t("no_household", lang)),
        Patch(facecolor="none", edgecolor="none", label=t("legend_groups", lang)),
        Patch(facecolor="none", edgecolor=outline, linewidth=1.2, linestyle=(0, (2, 1.5)), label=t("legend_forming", lang)),
        Patch(facecolor="none", edgecolor=outline, linewidth=1.4, label=t("legend_active", lang)),
        Patch(facecolor="none", edgecolor=outline, linewidth=2.8, label=t("legend_mature", lang)),
        Line2D([], [], marker="^", linestyle="", markersize=10, color=PATRON["resistant"],
               label=t("patron_resistant", lang)),
        Line2D([], [], marker="^", linestyle="", markersize=10, color=PATRON["cooperative"],
               label=t("patron_cooperative", lang)),
        Line2D([], [], marker="o", linestyle="", markersize=10, color=FACILITATOR["ngo"],
               label=f"{t('facilitator_ngo', lang)}: {in_field}"),
        Line2D([], [], marker="D", linestyle="", markersize=9, color=FACILITATOR["internal"],
               label=f"{t('facilitator_internal', lang)}: {len(kinds['internal'])}"),
        Line2D([], [], marker="X", linestyle="", markersize=10, markerfacecolor=FACILITATOR["left"],
               markeredgecolor="white", label=f"{t('facilitator_left', lang)}: {len(kinds['left'])}"),
        Line2D([], [], color="black", linewidth=1.6, linestyle=(0, (6, 3)), label=t("hamlet_border", lang)),
    ]
    for handle in handles:
        handle.set_label(textwrap.fill(handle.get_label(), LEGEND_WIDTH))
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.635, 0.95), fontsize=9.5, frameon=False,
               labelspacing=0.7, handletextpad=0.6)
    return png(fig)


def measures(model, lang: str) -> bytes:
    """The key monthly measures so far, on the run's full time axis."""
    frame = model.records[: model.month + 1]
    fig = Figure(figsize=(6.4, 3.3))
    ax = fig.add_axes((0.09, 0.15, 0.5, 0.72))
    months = frame[:, COLUMNS.index("month")]
    for name, colour in LINES.items():
        ax.plot(months, frame[:, COLUMNS.index(name)], color=colour, linewidth=1.8, label=t(name, lang))
    ax.set_ylim(0, 1)
    ax.set_ylabel(t("share_axis", lang), fontsize=9)
    _time_axis(ax, model, lang)
    ax.set_title(t("plot_measures", lang), fontsize=11, loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8.5, frameon=False)
    return png(fig)


def group_life(model, lang: str) -> bytes:
    """Groups by stage each month (stacked), with the running count of dissolved groups."""
    frame = model.records[: model.month + 1]
    fig = Figure(figsize=(6.4, 3.3))
    ax = fig.add_axes((0.09, 0.15, 0.5, 0.72))
    months = frame[:, COLUMNS.index("month")]
    stages = list(STAGE_COLOURS)
    ax.stackplot(months, *[frame[:, COLUMNS.index(s)] for s in stages], colors=list(STAGE_COLOURS.values()),
                 labels=[t(s, lang) for s in stages])
    ax.plot(months, frame[:, COLUMNS.index("groups_dissolved")], color="black", linestyle="--", linewidth=1.6,
            label=t("groups_dissolved_total", lang))
    living = frame[:, [COLUMNS.index(s) for s in stages]].sum(axis=1)
    dissolved = frame[:, COLUMNS.index("groups_dissolved")]
    ax.set_ylim(0, max(5.0, float(np.max(living, initial=0)), float(np.max(dissolved, initial=0))) * 1.1)
    ax.set_ylabel(t("groups_axis", lang), fontsize=9)
    _time_axis(ax, model, lang)
    ax.set_title(t("plot_groups", lang), fontsize=11, loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8.5, frameon=False)
    return png(fig)


def _time_axis(ax, model, lang: str) -> None:
    p = model.p
    ax.set_xlim(0, p.months)
    ax.set_xlabel(t("month", lang), fontsize=9)
    ax.tick_params(labelsize=8)
    if p.programme_months < p.months:
        ax.axvline(p.programme_months, color="grey", linestyle=":", linewidth=1.4)
        ax.text(p.programme_months, ax.get_ylim()[1], " " + t("programme_end", lang), fontsize=8, color="grey",
                va="top", ha="left")
    ax.axvline(model.month, color="black", linewidth=0.6, alpha=0.4)
