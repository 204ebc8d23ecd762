"""The visualizer's pictures, drawn with matplotlib straight to PNG bytes.

Matplotlib rather than Altair: Altair's vega scripts are not in solara-assets under the
names Altair asks for, so its charts stay blank offline. Each picture builds its figure
once per village, measure and language and then only moves its artists' data month by
month, which keeps one step of the default village (about a thousand households) well
under the 200 ms it may take (``benchmarks/bench_viz.py``). Every label comes from
``sim.i18n``.
"""

from __future__ import annotations

import io
import math
import textwrap

import numpy as np
import PIL.Image
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from sim.collect import COLUMNS
from sim.i18n import t
from sim.state import GroupStage

# Figures are sized in inches at 96 dots per inch, the size the page shows them at:
# the village 672 x 500 pixels, each plot 480 x 288.
DPI = 96
MAP_SIZE = (7.0, 5.2)
PLOT_SIZE = (5.0, 3.0)
EMPTY = "#ffffff"
# Light = little, dark = much; the low end is trimmed so a household stands out from empty land.
COLOURMAPS = {"awareness": "Blues", "dependency": "Reds", "self_reliance": "Greens", "wealth": "YlOrBr"}
PATRON = {"resistant": "#7f0000", "cooperative": "#00a651"}
FACILITATOR = {"ngo": "#1f4e9c", "internal": "#ff7f00", "left": "#9a9a9a"}
# Outline of a member's cell by its group's stage: (line width, line style).
STAGE_LINE = {GroupStage.FORMING: (1.2, (0, (2, 1.5))), GroupStage.ACTIVE: (1.4, "-"), GroupStage.MATURE: (2.8, "-")}
STAGE_COLOURS = {"groups_forming": "#fdbf6f", "groups_active": "#6a9fd8", "groups_mature": "#33a02c"}
LINES = {
    "dependency": "#d62728",
    "awareness": "#1f77b4",
    "skills": "#ff7f0e",
    "self_reliance": "#8c564b",
    "self_reliant_share": "#2ca02c",
    "in_group_share": "#9467bd",
}
GROUP_PALETTE = colormaps["Dark2"](np.arange(8))
LEGEND_WIDTH = 28
PLOT_LEGEND_WIDTH = 24
MAP_AXES = (0.02, 0.15, 0.58, 0.76)
PLOT_AXES = (0.11, 0.17, 0.47, 0.72)


class Canvas:
    """A figure whose still parts are drawn once; each month redraws only the moving artists.

    Text is most of matplotlib's drawing time, and legends, axes and labels do not change
    from month to month: they are kept as a bitmap and the moving artists are drawn over it
    (matplotlib's blitting).
    """

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.background = None

    def png(self, moving: list) -> bytes:
        if self.background is None:
            for artist in moving:
                artist.set_visible(False)
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.fig.bbox)
            for artist in moving:
                artist.set_visible(True)
        self.canvas.restore_region(self.background)
        for artist in sorted(moving, key=lambda a: a.get_zorder()):
            self.fig.draw_artist(artist)
        width, height = self.canvas.get_width_height()
        image = PIL.Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def wrap(text: str, width: int = LEGEND_WIDTH) -> str:
    return textwrap.fill(text, width)


def hamlet_edges(p) -> list[int]:
    """First column of each hamlet, and the grid's width (hamlets are vertical strips)."""
    hamlet = np.arange(p.width) * p.n_hamlets // p.width
    return [int(np.argmax(hamlet >= k)) for k in range(p.n_hamlets)] + [p.width]


class Village:
    """The grid: households coloured by a measure, group outlines, patrons, facilitators, hamlets."""

    def __init__(self, model, measure: str, lang: str) -> None:
        p = model.p
        self.model, self.measure, self.lang = model, measure, lang
        self.top = p.buffer_target if measure == "wealth" else 1.0
        scale = t("scale_wealth", lang).format(top=f"{self.top:g}") if measure == "wealth" else t("scale_index", lang)
        self.fig = fig = Figure(figsize=MAP_SIZE, dpi=DPI)
        self.canvas = Canvas(fig)
        self.ax = ax = fig.add_axes(MAP_AXES)
        cmap = ListedColormap(colormaps[COLOURMAPS[measure]](np.linspace(0.18, 1.0, 256)))
        cmap.set_bad(EMPTY)
        self.grid = np.full((p.height, p.width), np.nan)
        self.image = ax.imshow(self.grid, origin="lower", cmap=cmap, vmin=0.0, vmax=self.top, interpolation="nearest",
                               extent=(-0.5, p.width - 0.5, -0.5, p.height - 0.5))
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlim(-0.5, p.width - 0.5)
        ax.set_ylim(-0.5, p.height - 0.5)

        # Cell size in points, so markers and outlines fit one cell whatever the grid size.
        cell = 72 * min(fig.get_figwidth() * MAP_AXES[2] / p.width, fig.get_figheight() * MAP_AXES[3] / p.height)
        none = np.empty((0, 2))
        self.outlines = {
            stage: ax.scatter(none[:, 0], none[:, 1], s=(cell * 0.74) ** 2, marker="s", facecolors="none",
                              linewidths=width * min(1.0, cell / 9), linestyle=style)
            for stage, (width, style) in STAGE_LINE.items()
        }
        edges = hamlet_edges(p)
        for x in edges[1:-1]:
            ax.axvline(x - 0.5, color="black", linewidth=1.6, linestyle=(0, (6, 3)))
        if p.n_hamlets <= 8:
            for k in range(p.n_hamlets):
                ax.text((edges[k] + edges[k + 1] - 1) / 2, p.height - 0.2, f"{t('hamlet', lang)} {k + 1}",
                        ha="center", va="bottom", fontsize=9)
        marker = max(cell * 1.5, 5.0) ** 2
        self.patrons = ax.scatter(*np.array([a.cell.coordinate for a in model.patron_agents]).T, s=marker,
                                  marker="^", edgecolors="white", linewidths=1.0, zorder=4)
        self.facilitators = {
            "left": ax.scatter(none[:, 0], none[:, 1], s=marker, marker="X", c=FACILITATOR["left"], edgecolors="white",
                               linewidths=1.0, zorder=5),
            "ngo": ax.scatter(none[:, 0], none[:, 1], s=marker, marker="o", c=FACILITATOR["ngo"], edgecolors="white",
                              linewidths=1.2, zorder=6),
            "internal": ax.scatter(none[:, 0], none[:, 1], s=marker, marker="D", c=FACILITATOR["internal"],
                                   edgecolors="white", linewidths=1.2, zorder=6),
        }
        self.title = ax.set_title("", fontsize=12, loc="left", pad=16)
        bar = fig.colorbar(self.image, cax=fig.add_axes((0.05, 0.09, 0.52, 0.025)), orientation="horizontal")
        bar.set_label(f"{t('colour_by', lang)}: {t(measure, lang)} ({scale})", fontsize=10)

        outline = GROUP_PALETTE[0]
        handles = [
            Patch(facecolor=cmap(0.7), edgecolor="none", label=t("household", lang)),
            Patch(facecolor=EMPTY, edgecolor="#bbbbbb", label=t("no_household", lang)),
            Patch(facecolor="none", edgecolor="none", label=t("legend_groups", lang)),
            Patch(facecolor="none", edgecolor=outline, linewidth=1.2, linestyle=(0, (2, 1.5)),
                  label=t("legend_forming", lang)),
            Patch(facecolor="none", edgecolor=outline, linewidth=1.4, label=t("legend_active", lang)),
            Patch(facecolor="none", edgecolor=outline, linewidth=2.8, label=t("legend_mature", lang)),
            Line2D([], [], marker="^", linestyle="", markersize=10, color=PATRON["resistant"],
                   label=t("patron_resistant", lang)),
            Line2D([], [], marker="^", linestyle="", markersize=10, color=PATRON["cooperative"],
                   label=t("patron_cooperative", lang)),
            Line2D([], [], marker="o", linestyle="", markersize=10, color=FACILITATOR["ngo"],
                   label=t("facilitator_ngo", lang)),
            Line2D([], [], marker="D", linestyle="", markersize=9, color=FACILITATOR["internal"],
                   label=t("facilitator_internal", lang)),
            Line2D([], [], marker="X", linestyle="", markersize=10, markerfacecolor=FACILITATOR["left"],
                   markeredgecolor="white", label=t("facilitator_left", lang)),
            Line2D([], [], color="black", linewidth=1.6, linestyle=(0, (6, 3)), label=t("hamlet_border", lang)),
        ]
        for handle in handles:
            handle.set_label(wrap(handle.get_label()))
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.615, 0.95), fontsize=9, frameon=False,
                   labelspacing=0.7, handletextpad=0.6)
        self.counts = fig.text(0.625, 0.07, "", fontsize=9, va="bottom", ha="left")

    def png(self) -> bytes:
        model, p, lang = self.model, self.model.p, self.lang
        h, g = model.households, model.groups
        self.grid[h.y, h.x] = h.wealth if self.measure == "wealth" else getattr(h, self.measure)
        self.image.set_data(self.grid)

        member = h.group >= 0
        stage = np.full(len(h), -1)
        stage[member] = g.stage[h.group[member]]
        colours = GROUP_PALETTE[h.group % len(GROUP_PALETTE)]
        for s, scatter in self.outlines.items():
            on = stage == s
            scatter.set_offsets(np.column_stack((h.x[on], h.y[on])))
            scatter.set_edgecolors(colours[on])

        cooperative = model.patrons.openness >= p.cooperative_openness
        self.patrons.set_facecolors(np.where(cooperative, PATRON["cooperative"], PATRON["resistant"]))
        where = {"ngo": [], "internal": [], "left": []}
        for f in model.facilitators:
            where["left" if not f.in_field else "internal" if f.internal else "ngo"].append(f.cell.coordinate)
        for kind, scatter in self.facilitators.items():
            scatter.set_offsets(np.array(where[kind], dtype=float).reshape(-1, 2))
        self.counts.set_text(t("facilitator_counts", lang).format(
            ngo=len(where["ngo"]), internal=len(where["internal"]), left=len(where["left"])))
        self.title.set_text(f"{t('map_title', lang)}: {t('month', lang).lower()} {model.month} / {p.months}")
        return self.canvas.png([self.ax, self.counts])


class Measures:
    """The key monthly measures so far, on the run's full time axis."""

    def __init__(self, model, lang: str) -> None:
        self.model = model
        self.fig = Figure(figsize=PLOT_SIZE, dpi=DPI)
        self.canvas = Canvas(self.fig)
        ax = self.fig.add_axes(PLOT_AXES)
        self.lines = {name: ax.plot([], [], color=colour, linewidth=1.8, label=t(name, lang))[0]
                      for name, colour in LINES.items()}
        self.dots = ax.scatter(np.zeros(len(LINES)), np.zeros(len(LINES)), s=18, c=list(LINES.values()), zorder=3)
        ax.set_ylim(0, 1)
        ax.set_ylabel(t("share_axis", lang), fontsize=8)
        self.now = time_axis(ax, model, lang)
        ax.set_title(t("plot_measures", lang), fontsize=11, loc="left")
        labels = [wrap(t(n, lang), PLOT_LEGEND_WIDTH) for n in LINES]
        ax.legend(handles=list(self.lines.values()), labels=labels, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                  fontsize=8, frameon=False)

    def png(self) -> bytes:
        frame = self.model.records[: self.model.month + 1]
        months = frame[:, COLUMNS.index("month")]
        for name, line in self.lines.items():
            line.set_data(months, frame[:, COLUMNS.index(name)])
        self.dots.set_offsets(np.column_stack((np.full(len(LINES), months[-1]),
                                               frame[-1, [COLUMNS.index(n) for n in LINES]])))
        self.now.set_xdata([months[-1]] * 2)
        return self.canvas.png([*self.lines.values(), self.dots, self.now])


class GroupLife:
    """Groups by stage each month (stacked), with the running count of dissolved groups."""

    def __init__(self, model, lang: str) -> None:
        self.model = model
        self.fig = Figure(figsize=PLOT_SIZE, dpi=DPI)
        self.canvas = Canvas(self.fig)
        self.ax = ax = self.fig.add_axes(PLOT_AXES)
        self.stack = []
        self.dissolved = ax.plot([], [], color="black", linestyle="--", linewidth=1.6)[0]
        ax.set_ylabel(t("groups_axis", lang), fontsize=8)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        self.now = time_axis(ax, model, lang)
        ax.set_title(t("plot_groups", lang), fontsize=11, loc="left")
        handles = [Patch(color=c) for c in STAGE_COLOURS.values()] + [self.dissolved]
        labels = [t(s, lang) for s in STAGE_COLOURS] + [t("groups_dissolved_total", lang)]
        ax.legend(handles=handles, labels=[wrap(x, PLOT_LEGEND_WIDTH) for x in labels], loc="upper left",
                  bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)

    def png(self) -> bytes:
        frame = self.model.records[: self.model.month + 1]
        months = frame[:, COLUMNS.index("month")]
        counts = frame[:, [COLUMNS.index(s) for s in STAGE_COLOURS]]
        dissolved = frame[:, COLUMNS.index("groups_dissolved")]
        for area in self.stack:
            area.remove()
        self.stack = self.ax.stackplot(months, *counts.T, colors=list(STAGE_COLOURS.values()))
        self.dissolved.set_data(months, dissolved)
        # The axis grows five groups at a time, so its labels (the still part) are redrawn seldom.
        top = 5.0 * math.ceil(max(5.0, counts.sum(axis=1).max(), dissolved.max()) * 1.1 / 5.0)
        if top != self.ax.get_ylim()[1]:
            self.ax.set_ylim(0, top)
            self.canvas.background = None
        self.now.set_xdata([months[-1]] * 2)
        return self.canvas.png([*self.stack, self.dissolved, self.now])


def time_axis(ax, model, lang: str) -> Line2D:
    """Months 0 to the horizon, the programme's end marked; returns the 'now' line."""
    p = model.p
    ax.set_xlim(0, p.months)
    ax.set_xlabel(t("month", lang), fontsize=9)
    ax.tick_params(labelsize=8)
    if p.programme_months < p.months:
        ax.axvline(p.programme_months, color="grey", linestyle=":", linewidth=1.4)
        ax.annotate(t("programme_end", lang), (p.programme_months, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(3, -3), textcoords="offset points", fontsize=8, color="grey", va="top",
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
    return ax.axvline(0, color="black", linewidth=0.6, alpha=0.4)


class Pictures:
    """The three pictures of one village in one measure and language, redrawn month by month."""

    def __init__(self, model, measure: str, lang: str) -> None:
        self.key = (model, measure, lang)
        self.village = Village(model, measure, lang)
        self.measures = Measures(model, lang)
        self.groups = GroupLife(model, lang)

    def draw(self) -> tuple[bytes, bytes, bytes]:
        return self.village.png(), self.measures.png(), self.groups.png()
