"""The browser visualizer on Mesa's ``SolaraViz``: pick a scenario, set the controls, press play.

Run it with ``berdaya viz`` (Solara serves it on 127.0.0.1, all assets local). Mesa's
convention: this file sits beside ``model.py``, which never imports it.

SolaraViz brings the sidebar, Reset / play / Step, the play loop and the parameter inputs;
the inputs come from the parameter schema (``sim/viz_controls.py``), the pictures are
matplotlib PNGs (``sim/viz_draw.py``), every label of ours from ``sim/i18n.py``.
SolaraViz's inputs take their values only when it is mounted and apply them only on
Reset, so the page mounts it afresh (a new ``key``) whenever the village, scenario or
language changes: the inputs then show the running village, in the chosen language.
SolaraViz's own widgets (Reset / Step / play, "Controls", "Play Interval", "Render
Interval", "Use Threads", "Model Parameters", "Information", "Step: N", "Page 0") carry
fixed English labels in Mesa's source and stay English; everything of ours is translated,
the inputs' labels and choices included.
"""

from __future__ import annotations

import threading

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from sim import viz_controls as controls
from sim import viz_draw as draw
from sim.i18n import LANGUAGES, t
from sim.model import VillageModel
from sim.params import Params, ValidationError, explain

# SolaraViz lays its components out in cards about 390 pixels high: a picture fits inside, whole.
PICTURE_CSS = ".berdaya-picture { max-width: 100%; max-height: 370px; }"
LANGUAGE_NAMES = {"en": "English", "id": "Bahasa Indonesia"}
# Milliseconds SolaraViz waits between months while playing, on top of the time a month takes to draw.
PLAY_INTERVAL_MS = 50

# One browser tab's state (Solara keeps a module-level reactive value per tab).
lang = solara.reactive("en")
measure = solara.reactive("awareness")
scenario = solara.reactive(controls.first_scenario())
error = solara.reactive("")
village = solara.reactive(None)


class KeepsRunning(type):
    """Calling the class builds a village; settings that make none give back the running one and say why.

    SolaraViz's Reset calls the model's class with the inputs' values and has no error
    path: an exception there replaces the whole page with a traceback.
    """

    def __call__(cls, *args, **kwargs):
        try:
            built = super().__call__(*args, **kwargs)
        except ValidationError as problem:
            error.set(explain(problem, names="bare"))
            return village.value
        except ValueError as problem:
            error.set(str(problem))
            return village.value
        error.set("")
        return built


class VizVillage(VillageModel, metaclass=KeepsRunning):
    """A village built from SolaraViz's keyword arguments: one per input, plus the settings no input shows.

    The inputs arrive as ``**kwargs``: Mesa checks the signature and accepts names it does
    not know only under that name.
    """

    def __init__(self, base: dict, lang: str, seed: str = str(controls.FIRST_SEED), **kwargs):
        number = controls.seed_from(seed)
        super().__init__(Params(**controls.settings_from(base, lang, kwargs)), seed=number)
        self.seed_used = number
        # The play loop steps in one thread while a picture may be drawn in another.
        self.lock = threading.Lock()
        self.screen = Screen(self)

    def step(self) -> None:
        with self.lock:
            super().step()


class Screen:
    """A village's pictures: the figures built once per measure and language, drawn once a month.

    Three components show them (SolaraViz lays out one card per component); each asks for
    this month's frame and the first to ask draws it.
    """

    def __init__(self, model: VizVillage) -> None:
        self.model = model
        self.pictures: draw.Pictures | None = None
        self.drawn: tuple = ()
        self.pngs: tuple[bytes, bytes, bytes] = (b"", b"", b"")

    def frame(self, measure: str, lang: str) -> tuple[bytes, bytes, bytes]:
        with self.model.lock:
            if self.pictures is None or self.pictures.key != (self.model, measure, lang):
                self.pictures = draw.Pictures(self.model, measure, lang)
            if self.drawn != (self.pictures, self.model.month):
                self.pngs = self.pictures.draw()
                self.drawn = (self.pictures, self.model.month)
            return self.pngs


def build(settings: dict, seed: int) -> VizVillage:
    """A village from every setting, through the same keywords SolaraViz's Reset passes."""
    inputs = controls.model_params(settings, seed, lang.value)
    return VizVillage(**{k: v["value"] if isinstance(v, dict) and "type" in v else v for k, v in inputs.items()})


@solara.component
def Page():
    """Language and scenario (ours), then SolaraViz: its sidebar, and our pictures as its components."""
    if village.value is None:
        village.set(build(controls.scenario_settings(scenario.value), controls.FIRST_SEED))
    running = village.value
    L = lang.value

    def switch_language(code: str) -> None:
        """The inputs come back showing the running village, so a complaint about other settings goes."""
        error.set("")
        lang.set(code)

    def choose_scenario(name: str) -> None:
        village.set(build(controls.scenario_settings(name), running.seed_used))
        scenario.set(name)

    solara.Title(t("viz.title", L))
    solara.Style(PICTURE_CSS)
    with solara.AppBar(), solara.Row(style={"align-items": "center"}):
        solara.Text(t("viz.language", L) + ":")
        solara.v.BtnToggle(
            v_model=LANGUAGES.index(L),
            on_v_model=lambda i: i is not None and switch_language(LANGUAGES[i]),
            mandatory=True,
            dense=True,
            class_="berdaya-language",
            children=[solara.v.Btn(children=[LANGUAGE_NAMES[code]], small=True) for code in LANGUAGES],
        )

    with solara.Sidebar():
        with solara.Card(t("viz.scenario", L)):
            solara.v.Select(
                label=t("viz.scenario", L),
                items=[{"text": controls.scenario_label(s, L), "value": s} for s in controls.scenarios()],
                v_model=scenario.value,
                on_v_model=choose_scenario,
                class_="berdaya-scenario",
            )
            solara.Text(t("viz.reset_note", L), style={"font-size": "0.85em", "color": "#666"})
        if remount_parity(f"{id(running)}-{L}"):
            solara.Div()

    with solara.Column(style={"padding": "0 8px"}):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            MonthCounter(running)
            solara.Text(t("viz.colour_households", L) + ":")
            solara.v.BtnToggle(
                v_model=controls.MEASURES.index(measure.value),
                on_v_model=lambda i: i is not None and measure.set(controls.MEASURES[i]),
                mandatory=True,
                dense=True,
                class_="berdaya-measure",
                children=[solara.v.Btn(children=[t(m, L)], small=True) for m in controls.MEASURES],
            )
        if error.value:
            solara.Error(f"{t('viz.error', L)}: {error.value}", classes=["berdaya-error"])
        solara.Text(t("viz.help", L), style={"color": "#444"})
        SolaraViz(
            village,
            components=[VillageMap, MeasuresPlot, GroupsPlot],
            model_params=controls.model_params(running.p.model_dump(), running.seed_used, L),
            play_interval=PLAY_INTERVAL_MS,
            name=t("viz.title", L),
        ).key(f"{id(running)}-{L}")
        ModelInUse(running, L)


def remount_parity(key: str) -> bool:
    """Flips each time ``key`` changes; see ``Page``.

    SolaraViz's sidebar (its controls and inputs) is carried into the page's sidebar, out of
    reach of SolaraViz's ``key``: a spacer before it, present every other time, shifts it by
    one place, so the sidebar is built afresh with the new values and labels.
    """
    last = solara.use_ref((key, False))
    if last.current[0] != key:
        last.current = (key, not last.current[1])
    return last.current[1]


@solara.component
def MonthCounter(model):
    """Month N of M, in the chosen language (SolaraViz's own counter says "Step: N")."""
    update_counter.get()
    text = t("viz.month_of", lang.value).format(month=model.month, months=model.p.months)
    if not model.running:
        text += " · " + t("viz.finished", lang.value)
    solara.v.Html(tag="div", class_="berdaya-month text-h6", children=[text])


def use_pictures(model) -> tuple[bytes, bytes, bytes]:
    """This month's three pictures, for a component that shows one of them and redraws each step."""
    update_counter.get()
    return model.screen.frame(measure.value, lang.value)


@solara.component
def VillageMap(model):
    solara.Image(use_pictures(model)[0], classes=["berdaya-village", "berdaya-picture"])


@solara.component
def MeasuresPlot(model):
    solara.Image(use_pictures(model)[1], classes=["berdaya-measures", "berdaya-picture"])


@solara.component
def GroupsPlot(model):
    solara.Image(use_pictures(model)[2], classes=["berdaya-groups", "berdaya-picture"])


@solara.component
def ModelInUse(model, L: str):
    """What the running village was built with, read back from the model itself."""
    p = model.p
    parts = [
        f"{t('viz.strategy', L)}: {t(p.strategy, L)}",
        f"{t('viz.exit_mode', L)}: {t('exit_mode.' + p.exit_mode, L)}",
        f"{t('viz.project_management', L)}: {t('management.' + p.project_management, L)}",
        f"{t('viz.networks', L)}: " + (", ".join(t(f"network.{k}", L) for k in p.networks) or t("viz.none", L)),
        *(f"{controls.label(f'param.{name}', L)}: {getattr(p, name):g} "
          f"{controls.label('unit.' + controls.slider(name).unit, L)}" for name in controls.SLIDERS),
        f"{model.n_households} {t('viz.households', L)}",
        f"{t('viz.seed_short', L)}: {model.seed_used}",
    ]
    with solara.Card(t("viz.model_in_use", L)):
        solara.v.Html(tag="div", class_="berdaya-model", children=[" · ".join(parts)])
