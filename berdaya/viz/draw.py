"""The visualizer's pictures, drawn with matplotlib straight to PNG bytes.

Matplotlib rather than Altair: Altair's vega scripts are not in solara-assets under the
names Altair asks for, so its charts stay blank offline. Each picture builds its figure
once per village, measure and language and then only moves its artists' data month by
month, which keeps one step of the default village (about a thousand households) well
under the 200 ms it may take (``benchmarks/bench_viz.py``). Every label comes from
``analysis.i18n``.
"""

from __future__ import annotations

import io
import math
import textwrap

import numpy as np
import PIL.Image
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap, to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis.fmt import number
from analysis.i18n import t
from sim.collect import COLUMNS
from sim.state import GroupStage

# Figures are sized in inches at 96 dots per inch: the village's longer side 538 pixels
# (plus a band for the hamlets' names), each plot 576 x 307. The smallest text is 10 points,
# 13 pixels when a picture is shown at its own size (the page never shows them smaller at 1280 px).
DPI = 96
MAP_INCHES = 5.6
MAP_BAND = 0.35
PLOT_SIZE = (4.3, 4.4)
PLOT_PIXELS = (round(PLOT_SIZE[0] * DPI), round(PLOT_SIZE[1] * DPI))
FONT_PT = 10
# A guided experiment shows two villages side by side: smaller maps, the same text size, and
# one plot of both (village A solid, B dashed) for the measures its questions turn on.
CARD_SCALE = 0.72
PAIR_SIZE = (5.0, 4.6)
PAIR_LINES = ("self_reliant_share", "dependency", "in_group_share", "awareness")
PAIR_STYLES = ("-", "--")
EMPTY = "#ffffff"
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
# Living standards: mean consumption in months of subsistence (the poverty line is 1) beside two shares.
LIVING = {"consumption": "#8c564b", "poverty_share": "#d62728", "coverage": "#1f4e9c"}
GROUP_PALETTE = colormaps["Dark2"](np.arange(8))
# Plots are narrow and tall, their key below the axes: at their own size side by side on a
# laptop, and nearly their own size one per row on a phone.
PLOT_LEGEND_WIDTH = 22
PLOT_AXES = (0.15, 0.45, 0.8, 0.47)


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


def wrap(text: str, width: int = PLOT_LEGEND_WIDTH) -> str:
    return textwrap.fill(text, width)


def hamlet_edges(p) -> list[int]:
    """First column of each hamlet, and the grid's width (hamlets are vertical strips)."""
    hamlet = np.arange(p.width) * p.n_hamlets // p.width
    return [int(np.argmax(hamlet >= k)) for k in range(p.n_hamlets)] + [p.width]


class Village:
    """The grid: households coloured by a measure, group outlines, patrons, facilitators, hamlets.

    Only the map is drawn here; its key (``legend``) is HTML beside it, so the key's text
    keeps its size on a phone and the map can take the full width.
    """

    def __init__(self, model, measure: str, lang: str, scale: float = 1.0) -> None:
        p = model.p
        self.model, self.measure = model, measure
        self.top = colour_top(model, measure)
        # Height in inches: the grid's aspect, plus a band above it for the hamlets' names.
        inches = MAP_INCHES * scale / max(p.width, p.height)
        size = (p.width * inches + 0.1, p.height * inches + MAP_BAND)
        self.fig = fig = Figure(figsize=size, dpi=DPI)
        self.canvas = Canvas(fig)
        box = (0.05 / size[0], 0.05 / size[1], p.width * inches / size[0], p.height * inches / size[1])
        self.ax = ax = fig.add_axes(box)
        cmap = colour_map(measure)
        self.grid = np.full((p.height, p.width), np.nan)
        self.image = ax.imshow(
            self.grid,
            origin="lower",
            cmap=cmap,
            vmin=0.0,
            vmax=self.top,
            interpolation="nearest",
            extent=(-0.5, p.width - 0.5, -0.5, p.height - 0.5),
        )
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlim(-0.5, p.width - 0.5)
        ax.set_ylim(-0.5, p.height - 0.5)

        # Cell size in points, so markers and outlines fit one cell whatever the grid size.
        cell = 72 * inches
        none = np.empty((0, 2))
        self.outlines = {
            stage: ax.scatter(
                none[:, 0],
                none[:, 1],
                s=(cell * 0.74) ** 2,
                marker="s",
                facecolors="none",
                linewidths=width * min(1.0, cell / 9),
                linestyle=style,
            )
            for stage, (width, style) in STAGE_LINE.items()
        }
        edges = hamlet_edges(p)
        for x in edges[1:-1]:
            ax.axvline(x - 0.5, color="black", linewidth=1.6, linestyle=(0, (6, 3)))
        if p.n_hamlets <= 8:
            for k in range(p.n_hamlets):
                ax.text(
                    (edges[k] + edges[k + 1] - 1) / 2,
                    p.height - 0.2,
                    f"{t('hamlet', lang)} {k + 1}",
                    ha="center",
                    va="bottom",
                    fontsize=FONT_PT,
                )
        marker = max(cell * 1.5, 5.0) ** 2
        self.patrons = ax.scatter(
            *np.array([a.cell.coordinate for a in model.patron_agents]).T,
            s=marker,
            marker="^",
            edgecolors="white",
            linewidths=1.0,
            zorder=4,
        )
        self.facilitators = {
            "left": ax.scatter(
                none[:, 0],
                none[:, 1],
                s=marker,
                marker="X",
                c=FACILITATOR["left"],
                edgecolors="white",
                linewidths=1.0,
                zorder=5,
            ),
            "ngo": ax.scatter(
                none[:, 0],
                none[:, 1],
                s=marker,
                marker="o",
                c=FACILITATOR["ngo"],
                edgecolors="white",
                linewidths=1.2,
                zorder=6,
            ),
            "internal": ax.scatter(
                none[:, 0],
                none[:, 1],
                s=marker,
                marker="D",
                c=FACILITATOR["internal"],
                edgecolors="white",
                linewidths=1.2,
                zorder=6,
            ),
        }

    def png(self) -> bytes:
        model, p = self.model, self.model.p
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
        for kind, scatter in self.facilitators.items():
            scatter.set_offsets(np.array(facilitator_places(model)[kind], dtype=float).reshape(-1, 2))
        return self.canvas.png([self.ax])


def colour_top(model, measure: str) -> float:
    """The value that gets the full colour: 1 for an index, the savings target for wealth."""
    return model.p.buffer_target if measure == "wealth" else 1.0


def colour_map(measure: str) -> ListedColormap:
    """Light = little, dark = much; the low end is trimmed so a household stands out from empty land."""
    cmap = ListedColormap(colormaps[COLOURMAPS[measure]](np.linspace(0.18, 1.0, 256)))
    cmap.set_bad(EMPTY)
    return cmap


def colour_stops(measure: str, n: int = 6) -> list[str]:
    """Colours from none to full, for the key's colour bar."""
    return [to_hex(c) for c in colour_map(measure)(np.linspace(0.0, 1.0, n))]


def facilitator_places(model) -> dict[str, list]:
    """Where each kind of facilitator stands: from the NGO, from a group, or gone."""
    where: dict[str, list] = {"ngo": [], "internal": [], "left": []}
    for f in model.facilitators:
        where["left" if not f.in_field else "internal" if f.internal else "ngo"].append(f.cell.coordinate)
    return where


class Measures:
    """The key monthly measures so far, on the run's full time axis."""

    def __init__(self, model, lang: str, scale: float = 1.0) -> None:
        self.model = model
        self.fig = Figure(figsize=(PLOT_SIZE[0] * scale, PLOT_SIZE[1] * scale), dpi=DPI)
        self.canvas = Canvas(self.fig)
        ax = self.fig.add_axes(PLOT_AXES)
        self.lines = {
            name: ax.plot([], [], color=colour, linewidth=1.8, label=t(name, lang))[0] for name, colour in LINES.items()
        }
        self.dots = ax.scatter(np.zeros(len(LINES)), np.zeros(len(LINES)), s=18, c=list(LINES.values()), zorder=3)
        ax.set_ylim(0, 1)
        ax.set_ylabel(t("share_axis", lang), fontsize=FONT_PT)
        if lang == "id":
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v, lang, 1)))
        self.now = time_axis(ax, model, lang)
        ax.set_title(t("plot_measures", lang), fontsize=FONT_PT + 2, loc="left")
        legend_below(ax, list(self.lines.values()), [t(n, lang) for n in LINES])

    def png(self) -> bytes:
        frame = self.model.records[: self.model.month + 1]
        months = frame[:, COLUMNS.index("month")]
        for name, line in self.lines.items():
            line.set_data(months, frame[:, COLUMNS.index(name)])
        self.dots.set_offsets(
            np.column_stack((np.full(len(LINES), months[-1]), frame[-1, [COLUMNS.index(n) for n in LINES]]))
        )
        self.now.set_xdata([months[-1]] * 2)
        return self.canvas.png([*self.lines.values(), self.dots, self.now])


class GroupLife:
    """Groups by stage each month (stacked), with the running count of dissolved groups."""

    def __init__(self, model, lang: str, scale: float = 1.0) -> None:
        self.model = model
        self.fig = Figure(figsize=(PLOT_SIZE[0] * scale, PLOT_SIZE[1] * scale), dpi=DPI)
        self.canvas = Canvas(self.fig)
        self.ax = ax = self.fig.add_axes(PLOT_AXES)
        self.stack = []
        self.dissolved = ax.plot([], [], color="black", linestyle="--", linewidth=1.6)[0]
        ax.set_ylabel(t("groups_axis", lang), fontsize=FONT_PT)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        self.now = time_axis(ax, model, lang)
        ax.set_title(t("plot_groups", lang), fontsize=FONT_PT + 2, loc="left")
        handles = [Patch(color=c) for c in STAGE_COLOURS.values()] + [self.dissolved]
        labels = [t(s, lang) for s in STAGE_COLOURS] + [t("groups_dissolved_total", lang)]
        legend_below(ax, handles, labels)

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


class Living:
    """Mean consumption against the poverty line, the share of households poor, and the share a
    facilitator met lately (coverage), on one axis: consumption is counted in months of subsistence."""

    def __init__(self, model, lang: str, scale: float = 1.0) -> None:
        self.model = model
        self.fig = Figure(figsize=(PLOT_SIZE[0] * scale, PLOT_SIZE[1] * scale), dpi=DPI)
        self.canvas = Canvas(self.fig)
        self.ax = ax = self.fig.add_axes(PLOT_AXES)
        self.lines = {name: ax.plot([], [], color=colour, linewidth=1.8)[0] for name, colour in LIVING.items()}
        self.dots = ax.scatter(np.zeros(len(LIVING)), np.zeros(len(LIVING)), s=18, c=list(LIVING.values()), zorder=3)
        line = ax.axhline(1.0, color="grey", linestyle=":", linewidth=1.2)
        ax.set_ylim(0, 2)
        ax.set_ylabel(t("living_axis", lang), fontsize=FONT_PT)
        if lang == "id":
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v, lang, 1)))
        self.now = time_axis(ax, model, lang)
        ax.set_title(t("plot_living", lang), fontsize=FONT_PT + 2, loc="left")
        labels = [t(f"living.{name}", lang) for name in LIVING] + [t("living.poverty_line", lang)]
        legend_below(ax, [*self.lines.values(), line], labels)

    def png(self) -> bytes:
        frame = self.model.records[: self.model.month + 1]
        months = frame[:, COLUMNS.index("month")]
        for name, line in self.lines.items():
            line.set_data(months, frame[:, COLUMNS.index(name)])
        now = frame[-1, [COLUMNS.index(name) for name in LIVING]]
        self.dots.set_offsets(np.column_stack((np.full(len(LIVING), months[-1]), now)))
        # The axis grows half a month of subsistence at a time, so its labels are redrawn seldom.
        top = 0.5 * math.ceil(max(2.0, frame[:, COLUMNS.index("consumption")].max() * 1.1) / 0.5)
        if top != self.ax.get_ylim()[1]:
            self.ax.set_ylim(0, top)
            self.canvas.background = None
        self.now.set_xdata([months[-1]] * 2)
        return self.canvas.png([*self.lines.values(), self.dots, self.now])


def legend_below(ax, handles: list, labels: list[str]) -> None:
    """The plot's key in two columns under its time axis."""
    ax.legend(
        handles=handles,
        labels=[wrap(x) for x in labels],
        loc="upper left",
        bbox_to_anchor=(-0.16, -0.25),
        ncol=2,
        fontsize=FONT_PT,
        frameon=False,
        handlelength=1.6,
        columnspacing=1.0,
    )


def time_axis(ax, model, lang: str) -> Line2D:
    """Months 0 to the horizon, the programme's end marked; returns the 'now' line."""
    p = model.p
    ax.set_xlim(0, p.months)
    ax.set_xlabel(t("month", lang), fontsize=FONT_PT)
    ax.tick_params(labelsize=FONT_PT)
    if p.programme_months < p.months:
        ax.axvline(p.programme_months, color="grey", linestyle=":", linewidth=1.4)
        ax.annotate(
            t("programme_end", lang),
            (p.programme_months, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -3),
            textcoords="offset points",
            fontsize=FONT_PT,
            color="grey",
            va="top",
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
        )
    return ax.axvline(0, color="black", linewidth=0.6, alpha=0.4)


class Pair:
    """A guided experiment's two villages on one time axis: colour for the measure, line style for the village."""

    def __init__(self, models, lang: str, labels: tuple[str, str]) -> None:
        self.models = models
        self.fig = Figure(figsize=PAIR_SIZE, dpi=DPI)
        self.canvas = Canvas(self.fig)
        ax = self.fig.add_axes((0.14, 0.44, 0.82, 0.49))
        self.lines = [
            {n: ax.plot([], [], color=LINES[n], linewidth=2.0, linestyle=style)[0] for n in PAIR_LINES}
            for style in PAIR_STYLES
        ]
        ax.set_ylim(0, 1)
        ax.set_ylabel(t("share_axis", lang), fontsize=FONT_PT)
        if lang == "id":
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v, lang, 1)))
        self.now = time_axis(ax, models[0], lang)
        ax.set_title(t("plot_measures", lang), fontsize=FONT_PT + 2, loc="left")
        handles = [Line2D([], [], color=LINES[n], linewidth=2.0) for n in PAIR_LINES]
        handles += [Line2D([], [], color="black", linewidth=2.0, linestyle=style) for style in PAIR_STYLES]
        legend_below(ax, handles, [t(n, lang) for n in PAIR_LINES] + list(labels))

    def png(self) -> bytes:
        moving = [self.now]
        for model, lines in zip(self.models, self.lines, strict=True):
            frame = model.records[: model.month + 1]
            months = frame[:, COLUMNS.index("month")]
            for name, line in lines.items():
                line.set_data(months, frame[:, COLUMNS.index(name)])
            moving += list(lines.values())
        self.now.set_xdata([self.models[0].month] * 2)
        return self.canvas.png(moving)


class Pictures:
    """The four pictures of one village in one measure and language, redrawn month by month."""

    def __init__(self, model, measure: str, lang: str, scale: float = 1.0) -> None:
        self.key = (model, measure, lang)
        self.village = Village(model, measure, lang, scale)
        self.measures = Measures(model, lang, scale)
        self.groups = GroupLife(model, lang, scale)
        self.living = Living(model, lang, scale)

    def draw(self) -> tuple[bytes, bytes, bytes, bytes]:
        return self.village.png(), self.measures.png(), self.groups.png(), self.living.png()
