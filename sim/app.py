"""The browser visualizer: pick a scenario, move sliders, press play, watch the village.

Run it with ``berdaya viz`` (Solara serves it on 127.0.0.1, all assets local). Mesa's
convention: this file sits beside ``model.py``, which never imports it.

Why a Solara page of its own rather than Mesa's ``SolaraViz``: SolaraViz's controls,
buttons and step counter carry fixed English labels, and its parameter inputs cannot be
set from code, so it could neither switch to Bahasa Indonesia nor show what a scenario
preset loads into the switches. The page keeps SolaraViz's shape (controls in the
sidebar, the space and the plots beside them, reset / play / step) and its play loop.
The controls come from the parameter schema (``sim/viz_controls.py``), the pictures are
matplotlib PNGs (``sim/viz_draw.py``), every label from ``sim/i18n.py``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import solara

from sim import viz_controls as controls
from sim import viz_draw as draw
from sim.errors import InputError
from sim.i18n import LANGUAGES, t
from sim.params import NETWORKS, ValidationError, explain

LANGUAGE_NAMES = {"en": "English", "id": "Bahasa Indonesia"}
# Pause between months while playing, on top of the time a month takes to draw.
PLAY_PAUSE_S = 0.05


@dataclass(frozen=True)
class Frame:
    """The three pictures of one month, drawn together so they always agree."""

    month: int
    village: bytes
    measures: bytes
    groups: bytes


class Screen:
    """One browser tab's pictures: rebuilt for a new village, measure or language, else only redrawn."""

    def __init__(self) -> None:
        self.pictures: draw.Pictures | None = None

    def frame(self, model, measure: str, lang: str) -> Frame:
        if self.pictures is None or self.pictures.key != (model, measure, lang):
            self.pictures = draw.Pictures(model, measure, lang)
        return Frame(model.month, *self.pictures.draw())


def options(keys, lang: str, prefix: str = "") -> list[dict]:
    return [{"text": controls.label(prefix + k, lang), "value": k} for k in keys]


@solara.component
def Page():
    lang = solara.use_reactive("en")
    measure = solara.use_reactive("awareness")
    scenario = solara.use_reactive(controls.first_scenario())
    settings = solara.use_reactive(solara.use_memo(lambda: controls.scenario_settings(scenario.value), []))
    seed = solara.use_reactive(controls.FIRST_SEED)
    model = solara.use_reactive(solara.use_memo(lambda: controls.build(settings.value, seed.value), []))
    screen = solara.use_memo(Screen, [])
    frame = solara.use_reactive(solara.use_memo(lambda: screen.frame(model.value, measure.value, lang.value), []))
    playing = solara.use_reactive(False)
    error = solara.use_reactive("")
    # One thread steps or draws the model at a time (the play loop runs in its own thread).
    lock = solara.use_memo(threading.Lock, [])
    L = lang.value

    def render(village, new_measure: str, new_lang: str) -> Frame:
        with lock:
            return screen.frame(village, new_measure, new_lang)

    def restart(new_settings: dict, new_seed: int, new_scenario: str | None = None) -> None:
        """A new village from month 0; settings that make no village leave the old one and say why."""
        playing.set(False)
        try:
            village = controls.build(new_settings, new_seed)
        except ValidationError as problem:
            error.set(explain(problem, names="bare"))
            return
        except ValueError as problem:
            error.set(str(problem))
            return
        picture = render(village, measure.value, lang.value)
        error.set("")
        if new_scenario:
            scenario.set(new_scenario)
        settings.set(new_settings)
        seed.set(new_seed)
        model.set(village)
        frame.set(picture)

    def redraw(new_measure: str, new_lang: str) -> None:
        picture = render(model.value, new_measure, new_lang)
        measure.set(new_measure)
        lang.set(new_lang)
        frame.set(picture)

    def step() -> None:
        village = model.value
        with lock:
            if village.running:
                village.step()
            picture = screen.frame(village, measure.value, lang.value)
        if village is model.value:
            frame.set(picture)

    def play_loop() -> None:
        while playing.value and model.value.running:
            step()
            time.sleep(PLAY_PAUSE_S)
        playing.set(False)

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    def choose_scenario(name: str) -> None:
        try:
            loaded = controls.scenario_settings(name)
        except InputError as problem:
            error.set(str(problem))
            return
        restart(loaded, seed.value, name)

    def change(name: str, value) -> None:
        restart({**settings.value, name: value}, seed.value)

    solara.Title(t("viz.title", L))
    with solara.AppBar():
        solara.AppBarTitle(t("viz.title", L))
        with solara.Row(style={"align-items": "center"}):
            solara.Text(t("viz.language", L) + ":")
            solara.v.BtnToggle(
                v_model=LANGUAGES.index(L),
                on_v_model=lambda i: i is not None and redraw(measure.value, LANGUAGES[i]),
                mandatory=True,
                dense=True,
                class_="berdaya-language",
                children=[solara.v.Btn(children=[LANGUAGE_NAMES[code]], small=True) for code in LANGUAGES],
            )

    with solara.Sidebar():
        RunCard(model.value, frame, playing, seed.value, L, step, restart, settings.value)
        with solara.Card(t("viz.switches", L)):
            solara.v.Select(
                label=t("viz.scenario", L),
                items=[{"text": controls.scenario_label(s, L), "value": s} for s in controls.scenarios()],
                v_model=scenario.value,
                on_v_model=choose_scenario,
                class_="berdaya-scenario",
            )
            Switches(
                settings.value,
                L,
                change,
                lambda s: restart(controls.with_strategy(settings.value, s), seed.value),
                lambda k, on: restart(controls.with_network(settings.value, k, on), seed.value),
            )
        with solara.Card(t("viz.numbers", L)):
            for name in controls.SLIDERS:
                NumberSlider(controls.slider(name), settings.value[name], L, change)

    with solara.Column(style={"padding": "8px"}):
        if error.value:
            solara.Error(f"{t('viz.error', L)}: {error.value}", classes=["berdaya-error"])
        with solara.Row(style={"align-items": "center"}):
            solara.Text(t("viz.colour_households", L) + ":")
            solara.v.BtnToggle(
                v_model=controls.MEASURES.index(measure.value),
                on_v_model=lambda i: i is not None and redraw(controls.MEASURES[i], lang.value),
                mandatory=True,
                dense=True,
                class_="berdaya-measure",
                children=[solara.v.Btn(children=[t(m, L)], small=True) for m in controls.MEASURES],
            )
        solara.Text(t("viz.help", L), style={"color": "#444"})
        Pictures(frame)
        ModelInUse(model.value, seed.value, L)


@solara.component
def RunCard(model, frame, playing, seed: int, L: str, step, restart, settings: dict):
    """Month counter, reset / play / step, and the seed (re-rendered each month, unlike the controls)."""
    with solara.Card(t("viz.run", L)):
        solara.v.Html(
            tag="div",
            class_="berdaya-month text-h6",
            children=[t("viz.month_of", L).format(month=frame.value.month, months=model.p.months)],
        )
        with solara.Row():
            solara.Button(t("viz.reset", L), on_click=lambda: restart(settings, seed), color="primary", outlined=True,
                          classes=["berdaya-reset"])
            solara.Button(
                t("viz.pause", L) if playing.value else t("viz.play", L),
                icon_name="mdi-pause" if playing.value else "mdi-play",
                on_click=lambda: playing.set(not playing.value),
                disabled=not model.running,
                color="primary",
                classes=["berdaya-play"],
            )
            solara.Button(t("viz.step", L), icon_name="mdi-skip-next", on_click=step,
                          disabled=playing.value or not model.running, color="primary", classes=["berdaya-step"])
        if not model.running:
            solara.Text(t("viz.finished", L))
        solara.InputInt(t("viz.seed", L), value=seed, on_value=lambda s: restart(settings, s),
                        classes=["berdaya-seed"])
        solara.Text(t("viz.restart_note", L), style={"font-size": "0.85em", "color": "#666"})


@solara.component
def Pictures(frame):
    """The village beside its plots; only this and the month counter change each month."""
    with solara.Columns([3, 2]):
        solara.Image(frame.value.village, width="100%", classes=["berdaya-village"])
        with solara.Column():
            solara.Image(frame.value.measures, width="100%", classes=["berdaya-measures"])
            solara.Image(frame.value.groups, width="100%", classes=["berdaya-groups"])


@solara.component
def Switches(settings: dict, L: str, change, choose_strategy, toggle_network):
    """The main switches of MODEL.md §5; a strategy brings its preset switches with it."""
    solara.v.Select(label=t("viz.strategy", L), items=options(controls.CHOICES["strategy"], L),
                    v_model=settings["strategy"], on_v_model=choose_strategy, class_="berdaya-strategy")
    for name, prefix in (("exit_mode", "exit_mode."), ("project_management", "management.")):
        solara.v.Select(label=t(f"viz.{name}", L), items=options(controls.CHOICES[name], L, prefix),
                        v_model=settings[name], on_v_model=lambda v, name=name: change(name, v),
                        class_=f"berdaya-{name}")
    for name in controls.TOGGLES:
        solara.Switch(label=t(f"viz.{name}", L), value=settings[name], on_value=lambda v, name=name: change(name, v),
                      classes=[f"berdaya-{name}"])
    solara.Text(t("viz.networks", L))
    for network in NETWORKS:
        solara.Checkbox(label=t(f"network.{network}", L), value=network in settings["networks"],
                        on_value=lambda on, network=network: toggle_network(network, on))


@solara.component
def NumberSlider(spec: controls.Slider, value, L: str, change):
    """A slider with the schema's range; its label shows the value and the unit."""
    unit = controls.label(f"unit.{spec.unit}", L)
    text = f"{controls.label(f'param.{spec.name}', L)}: {value:g} {unit}"
    with solara.Div(classes=[f"berdaya-slider-{spec.name}"]):
        solara.Text(text, style={"font-size": "0.9em"})
        kind = solara.SliderInt if spec.integer else solara.SliderFloat
        kind("", value=value, min=spec.lo, max=spec.hi, step=spec.step, on_value=lambda v: change(spec.name, v),
             thumb_label=True)


@solara.component
def ModelInUse(model, seed: int, L: str):
    """What the running village was built with, read back from the model itself."""
    p = model.p
    parts = [
        f"{t('viz.strategy', L)}: {t(p.strategy, L)}",
        f"{t('param.n_facilitators', L)}: {p.n_facilitators}",
        f"{t('param.capacity', L)}: {p.capacity}",
        f"{t('viz.exit_mode', L)}: {t('exit_mode.' + p.exit_mode, L)}",
        f"{t('viz.project_management', L)}: {t('management.' + p.project_management, L)}",
        f"{t('viz.networks', L)}: " + (", ".join(t(f"network.{k}", L) for k in p.networks) or t("viz.none", L)),
        f"{t('param.programme_months', L)}: {p.programme_months} {t('unit.months', L)}",
        f"{model.n_households} {t('viz.households', L)}",
        f"{t('viz.seed_short', L)}: {seed}",
    ]
    with solara.Card(t("viz.model_in_use", L)):
        solara.v.Html(tag="div", class_="berdaya-model", children=[" · ".join(parts)])
