"""The browser visualizer: one village to play with, or a guided experiment with two side by side.

Run it with ``berdaya viz`` (Solara serves it; all scripts and styles are local). The page is
built from Solara components rather than Mesa's ``SolaraViz``, whose buttons and headings
are fixed English in Mesa's source and whose sidebar covers a phone's screen: here every
word comes from ``analysis/i18n.py`` in one language at a time, the controls sit in a drawer
on a narrow screen, and the pictures are matplotlib PNGs from ``draw.py`` (the
model never imports this file).

Each browser tab has its own state (Solara keeps a module-level reactive value per tab),
so every student gets their own village. Months are computed in a worker thread, one at
a time, and each finished month is shown: Pause stops the worker before its next month,
Start again discards the worker's village and builds a new one from what the controls
show, and the page says when a month is being computed.

The address can carry ``?lang=id|en`` and ``?card=NAME`` (a guided experiment, see
``cards.py``), so a teacher can share a link that opens one experiment.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

import solara

from analysis.fmt import number
from analysis.i18n import LANGUAGES, t
from berdaya.viz import cards, controls, draw
from sim.model import VillageModel
from sim.params import NETWORKS, Params, ValidationError, explain

LANGUAGE_NAMES = {"en": "English", "id": "Bahasa Indonesia"}
# Seconds between months while playing, on top of the time a month takes to compute and draw.
PLAY_INTERVAL_S = 0.05
# "To the end" shows one month in this many, so a class need not wait for every picture.
FAST_EVERY = 12
# The controls are a drawer below this width (px) and a column beside the pictures above it.
DRAWER_BELOW = 900
PAIR_PIXELS = round(draw.PAIR_SIZE[0] * draw.DPI)
CSS = f"""
.berdaya-page {{ font-size: 15px; line-height: 1.4; color: #222; }}
.berdaya-top {{ display: flex; align-items: center; gap: 8px; padding: 6px 12px; background: #1f4e9c; color: #fff;
  flex-wrap: wrap; }}
.berdaya-top .berdaya-title {{ font-size: 18px; font-weight: 600; flex: 1 1 auto; min-width: 0; }}
.berdaya-body {{ display: flex; align-items: flex-start; }}
.berdaya-drawer {{ flex: 0 0 320px; width: 320px; box-sizing: border-box; padding: 10px 14px;
  background: #f6f7f9; border-right: 1px solid #dde; }}
.berdaya-main {{ flex: 1 1 auto; min-width: 0; padding: 8px 16px 24px; }}
.berdaya-menu, .berdaya-close {{ display: none !important; }}
.berdaya-scrim {{ display: none; }}
.berdaya-drawer h3 {{ font-size: 16px; margin: 14px 0 4px; }}
.berdaya-slider {{ margin: 10px 0 2px; }}
.berdaya-slider-head {{ display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0 8px;
  align-items: baseline; }}
.berdaya-slider-label {{ flex: 1 1 150px; min-width: 0; }}
.berdaya-slider-value {{ flex: 0 1 auto; font-weight: 600; text-align: right; margin-left: auto; }}
.berdaya-slider .v-input {{ margin-top: 0; padding-top: 0; }}
.berdaya-toolbar {{ display: flex; align-items: center; gap: 8px; flex-wrap: wrap; margin: 4px 0 6px; }}
.berdaya-month {{ font-size: 20px; font-weight: 600; margin-right: 8px; }}
.berdaya-status {{ color: #555; min-height: 1.4em; }}
.berdaya-status.busy {{ color: #1f4e9c; font-weight: 600; }}
.berdaya-pending {{ background: #fff4ce; padding: 4px 8px; border-radius: 4px; }}
.berdaya-view {{ display: flex; flex-wrap: wrap; gap: 12px 20px; align-items: flex-start; }}
.berdaya-mapbox {{ flex: 1 1 520px; min-width: 0; max-width: max(540px, calc((100vh - 200px) * 0.95)); }}
.berdaya-legend {{ flex: 1 1 260px; max-width: 420px; }}
.berdaya-legend .row {{ display: flex; align-items: center; gap: 8px; margin: 3px 0; }}
.berdaya-legend .sym {{ flex: 0 0 22px; text-align: center; font-size: 18px; line-height: 1; }}
.berdaya-legend .box {{ display: inline-block; width: 16px; height: 16px; box-sizing: border-box; }}
.berdaya-legend .bar {{ height: 14px; border: 1px solid #999; }}
.berdaya-legend .ends {{ display: flex; justify-content: space-between; }}
.berdaya-plots {{ display: flex; flex-wrap: wrap; gap: 12px 20px; margin-top: 12px; }}
.berdaya-plots > div {{ flex: 1 1 {draw.PLOT_PIXELS[0]}px; max-width: {draw.PLOT_PIXELS[0]}px; min-width: 0;
  height: auto !important; }}
.berdaya-page img.solara-image {{ width: 100%; height: auto; display: block; }}
.berdaya-mapbox > div, .berdaya-side > div {{ height: auto !important; }}
.berdaya-drawer .v-input--selection-controls {{ margin-top: 2px; padding-top: 0; }}
.berdaya-drawer .v-messages {{ display: none; }}
.berdaya-pair {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px 20px; }}
.berdaya-pairplot {{ flex: 1 1 {PAIR_PIXELS}px; max-width: {PAIR_PIXELS}px; }}
.berdaya-pairplot > div {{ height: auto !important; }}
.berdaya-pair h3 {{ font-size: 17px; margin: 4px 0; }}
.berdaya-card {{ border-left: 4px solid #1f4e9c; background: #f3f6fc; padding: 8px 12px; margin: 6px 0 10px; }}
.berdaya-card h2 {{ font-size: 19px; margin: 0 0 4px; }}
.berdaya-reading {{ border-left: 4px solid #2ca02c; background: #f2faf2; padding: 8px 12px; margin: 10px 0; }}
.berdaya-reading p, .berdaya-card p {{ margin: 4px 0; }}
.berdaya-model {{ color: #444; font-size: 14px; margin-top: 12px; }}
@media (max-width: {DRAWER_BELOW - 1}px) {{
  .berdaya-menu, .berdaya-close {{ display: inline-flex !important; }}
  .berdaya-drawer {{ position: fixed; top: 0; left: 0; bottom: 0; width: min(340px, 88vw); z-index: 30;
    overflow-y: auto; transform: translateX(-105%); transition: transform 0.2s; box-shadow: 2px 0 12px #0005; }}
  .berdaya-drawer.open {{ transform: none; }}
  .berdaya-scrim.open {{ display: block; position: fixed; inset: 0; background: #0006; z-index: 20; }}
  .berdaya-main {{ padding: 6px 8px 24px; }}
  .berdaya-mapbox {{ flex-basis: 100%; max-width: 100%; }}
  .berdaya-top .berdaya-title {{ font-size: 16px; }}
}}
"""

# One browser tab's state.
lang = solara.reactive("en")
card_name = solara.reactive("")  # "" is free play with one village
scenario = solara.reactive(controls.first_scenario())
settings = solara.reactive(controls.scenario_settings(controls.first_scenario()))  # what the controls show
seed_text = solara.reactive(str(controls.FIRST_SEED))
measure = solara.reactive("awareness")
drawer_open = solara.reactive(False)
error = solara.reactive("")
session = solara.reactive(None)  # the Run on screen
view = solara.reactive(None)  # the View last drawn
beat = solara.reactive(0)  # counts the worker's starts and stops
from_address = solara.reactive(False)  # whether the address's ?lang= and ?card= were read
unknown_card = solara.reactive("")  # a ?card= that names no experiment, said on the page until one is chosen


@dataclass
class Run:
    """The villages on screen (one, or a card's two) and the worker thread that steps them."""

    models: list[VillageModel]
    built_from: dict[str, Any]
    seed: int
    card: cards.Card | None
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    worker: threading.Thread | None = None
    pictures: dict = field(default_factory=dict)
    paused_at: int | None = None  # the month reached when Pause was pressed
    every: int = 0  # while playing, one month in this many is drawn; 0 while stepping one month
    finishing: bool = False  # paused while the worker still computes its last month

    def __post_init__(self) -> None:
        self.stop.set()  # no worker yet

    @property
    def month(self) -> int:
        return self.models[0].month

    @property
    def finished(self) -> bool:
        return not all(m.running for m in self.models)


@dataclass(frozen=True)
class View:
    """One drawn month of a run."""

    run: Run
    month: int
    months: int
    images: tuple[tuple[bytes, ...], ...]
    pair: bytes  # a card's plot of both villages (empty in free play)
    counts: tuple[dict[str, int], ...]
    measure: str
    lang: str


def build(values: dict[str, Any], seed: str, card: str) -> Run | None:
    """A Run from the controls; settings that make no village keep the running one and say why."""
    try:
        number_ = controls.seed_from(seed)
        chosen = cards.CARDS.get(card)
        villages = chosen.settings(values) if chosen else (values,)
        models = [VillageModel(Params(**v), seed=number_) for v in villages]
    except ValidationError as problem:
        error.set(explain(problem, names="bare"))
        return None
    except ValueError as problem:
        error.set(str(problem))
        return None
    error.set("")
    return Run(models, dict(values), number_, chosen)


def draw_view(run: Run) -> View:
    """This month's pictures of every village, in the language and measure the page shows."""
    shown, L = measure.value, lang.value
    scale = draw.CARD_SCALE if run.card else 1.0
    with run.lock:
        images, counts = [], []
        for k, model in enumerate(run.models):
            key = (k, shown, L)
            if key not in run.pictures:
                run.pictures[key] = draw.Pictures(model, shown, L, scale)
            pictures = run.pictures[key]
            images.append((pictures.village.png(),) if run.card else pictures.draw())
            counts.append({kind: len(where) for kind, where in draw.facilitator_places(model).items()})
        pair = b""
        if run.card:
            if ("pair", L) not in run.pictures:
                labels = tuple(f"{t('viz.village_' + 'ab'[k], L)}: {run.card.option(k, L)}" for k in range(2))
                run.pictures[("pair", L)] = draw.Pair(run.models, L, labels)
            pair = run.pictures[("pair", L)].png()
        return View(run, run.month, run.models[0].p.months, tuple(images), pair, tuple(counts), shown, L)


def publish(run: Run) -> None:
    """Show ``run``'s month, unless Start again has put another run on screen meanwhile.

    Start again may come between the check and the drawing: whoever sets the view last
    checks again, so the page always ends on the run in ``session``.
    """
    if session.value is not run:
        return
    view.set(draw_view(run))
    current = session.value
    if current is not run and view.value.run is not current:
        publish(current)


def state_of(run: Run) -> str:
    """What the worker is doing, read from the run itself when the page draws, so a late month never says "playing"."""
    if run.finished:
        return "finished"
    if not run.stop.is_set():
        return "playing" if run.every else "stepping"
    if run.finishing:
        return "pausing"
    return "paused" if run.month > 0 else "ready"


def changed(run: Run) -> None:
    """The worker started or stopped: the toolbar reads the new state."""
    if session.value is run:
        beat.set(beat.value + 1)


def work(run: Run, stop: threading.Event, months: int | None, every: int, previous: threading.Thread | None) -> None:
    """The worker: step every village ``months`` times (None: until the horizon), showing every ``every``-th month.

    ``stop`` is this worker's own: Pause sets it, and a later worker gets a new one, so a
    worker finishing its last month never sees a Play pressed after its Pause.
    """
    if previous is not None:
        previous.join()  # the worker paused just before may still be finishing its month
    done = 0
    while not stop.is_set() and not run.finished and (months is None or done < months):
        started = time.monotonic()
        with run.lock:
            for model in run.models:
                model.step()
        done += 1
        if stop.is_set() or run.finished or (months is not None and done >= months) or run.month % every == 0:
            publish(run)
        if every == 1:
            stop.wait(max(0.0, PLAY_INTERVAL_S - (time.monotonic() - started)))
    stop.set()
    if stop is run.stop:
        run.finishing = False
    changed(run)


def start(run: Run, months: int | None, every: int = 1) -> None:
    """Start a worker, unless one is already playing or stepping this run."""
    if not run.stop.is_set() or run.finished:
        return
    run.stop = threading.Event()
    run.paused_at = None
    run.every = every if months is None else 0
    changed(run)
    run.worker = threading.Thread(target=work, args=(run, run.stop, months, every, run.worker), daemon=True)
    run.worker.start()


def pause(run: Run) -> None:
    """Stop before the next month; the month being computed, if any, still arrives."""
    run.stop.set()
    run.paused_at = run.month
    run.finishing = run.worker is not None and run.worker.is_alive()
    changed(run)


def restart() -> None:
    """Start again: stop the running worker and build a new village from what the controls show."""
    old = session.value
    run = build(settings.value, seed_text.value, card_name.value)
    if run is None:
        return
    if old is not None:
        old.stop.set()
    session.set(run)
    publish(run)


def read_address(search: str | None) -> None:
    """``?lang=`` and ``?card=`` from the address, once per tab; anything else is ignored."""
    query = parse_qs(search or "")
    code = query.get("lang", [""])[0]
    if code in LANGUAGES:
        lang.set(code)
    name = query.get("card", [""])[0]
    if name in cards.CARDS:
        card_name.set(name)
        settings.set(controls.scenario_settings(cards.CARDS[name].scenario))
    elif name:
        unknown_card.set(name)
    from_address.set(True)


@solara.component
def Layout(children=[]):  # noqa: B006 (Solara calls a Layout this way and never mutates it)
    """The page alone: no Solara app bar or sidebar around it."""
    return solara.Column(children=children, gap="0px", style={"padding": "0"})


@solara.component
def Page():
    router = solara.use_router()
    if not from_address.value:
        read_address(router.search)
    if session.value is None:
        restart()
    L = lang.value
    solara.Title(t("viz.title", L))
    solara.Style(CSS)
    with solara.Column(gap="0px", classes=["berdaya-page"], style={"padding": "0"}):
        TopBar(L)
        with solara.Row(gap="0px", classes=["berdaya-body"], style={"padding": "0"}):
            Drawer(L)
            Scrim()
            with solara.Column(gap="4px", classes=["berdaya-main"]):
                Toolbar(L)
                if error.value:
                    detail = f": {error.value}" if L == "en" else ""
                    solara.Error(t("viz.error", L) + detail, classes=["berdaya-error"])
                if unknown_card.value and not card_name.value:
                    names = ", ".join(f"{name} ({t(f'card.{name}.title', L)})" for name in cards.CARDS)
                    solara.Warning(
                        t("viz.no_card", L).format(name=unknown_card.value, names=names), classes=["berdaya-no-card"]
                    )
                if card_name.value:
                    CardText(L)
                Pictures()
                Reading()
                ModelInUse(L)


@solara.component
def Scrim():
    """The shade over the page while the drawer is open on a narrow screen: a tap on it closes the drawer."""
    shade = solara.v.Html(tag="div", class_="berdaya-scrim" + (" open" if drawer_open.value else ""))
    solara.v.use_event(shade, "click", lambda *_: drawer_open.set(False))
    return shade


@solara.component
def TopBar(L: str):
    """Title, the drawer's button (narrow screens) and the language switch."""
    with solara.v.Html(tag="div", class_="berdaya-top"):
        solara.Button(
            "☰ " + t("viz.settings", L),
            on_click=lambda: drawer_open.set(not drawer_open.value),
            classes=["berdaya-menu"],
            outlined=True,
            color="white",
            small=True,
        )
        solara.v.Html(tag="div", class_="berdaya-title", children=[t("viz.title", L)])
        solara.v.Html(
            tag="a",
            attributes={"href": "compare?" + urlencode({"lang": L})},
            class_="berdaya-to-compare",
            style_="color: #fff",
            children=[t("compare.link", L)],
        )
        solara.v.BtnToggle(
            v_model=LANGUAGES.index(L),
            on_v_model=lambda i: i is not None and lang.set(LANGUAGES[i]),
            mandatory=True,
            dense=True,
            class_="berdaya-language",
            children=[solara.v.Btn(children=[LANGUAGE_NAMES[code]], small=True) for code in LANGUAGES],
        )


def choose_mode(name: str) -> None:
    """A card (or free play) loads its scenario's settings and starts its villages at once."""
    card_name.set(name or "")
    base = cards.CARDS[name].scenario if name else scenario.value
    settings.set(controls.scenario_settings(base))
    restart()


def choose_scenario(name: str) -> None:
    scenario.set(name)
    settings.set(controls.scenario_settings(name))
    restart()


def set_value(name: str, value: Any) -> None:
    values = dict(settings.value)
    if name == "strategy" and value != values["strategy"]:
        values = controls.with_strategy(values, value)
    values[name] = value
    settings.set(values)


@solara.component
def Drawer(L: str):
    """Every control, in a column beside the pictures or, on a narrow screen, a drawer."""
    values = settings.value
    panel = solara.v.Html(tag="div", class_="berdaya-drawer" + (" open" if drawer_open.value else ""))
    solara.v.use_event(panel, "keydown.esc", lambda *_: drawer_open.set(False))
    with panel:
        solara.Button(
            "✕ " + t("viz.close", L),
            on_click=lambda: drawer_open.set(False),
            classes=["berdaya-close"],
            text=True,
            small=True,
        )
        solara.v.Select(
            label=t("viz.mode", L),
            items=[{"text": t("viz.free", L), "value": ""}]
            + [{"text": f"{t('viz.card_prefix', L)}: {t(f'card.{n}.title', L)}", "value": n} for n in cards.CARDS],
            v_model=card_name.value,
            on_v_model=choose_mode,
            class_="berdaya-mode",
        )
        if not card_name.value:
            solara.v.Select(
                label=t("viz.scenario", L),
                items=[{"text": controls.scenario_label(s, L), "value": s} for s in controls.scenarios()],
                v_model=scenario.value,
                on_v_model=choose_scenario,
                class_="berdaya-scenario",
            )
        solara.Button(t("viz.reset", L), on_click=restart, classes=["berdaya-reset-side"], color="primary", block=True)
        solara.v.Html(tag="div", children=[t("viz.reset_hint", L)], style_="font-size: 13px; color: #555;")
        solara.v.Html(tag="h3", children=[t("viz.controls", L)])
        switch = cards.CARDS[card_name.value].switch if card_name.value else None
        for name in controls.CHOICES:
            if name == switch:
                continue
            solara.v.Select(
                label=t(f"viz.{name}", L),
                items=[{"text": text, "value": key} for key, text in controls.choice_labels(name, L).items()],
                v_model=values[name],
                on_v_model=lambda v, name=name: set_value(name, v),
                class_=f"berdaya-input-{name}",
            )
        for name in controls.TOGGLES:
            if name != switch:
                solara.Checkbox(
                    label=t(f"viz.{name}", L), value=values[name], on_value=lambda v, name=name: set_value(name, v)
                )
        for network in NETWORKS:
            solara.Checkbox(
                label=f"{t('viz.networks', L)}: {t(f'network.{network}', L)}",
                value=network in values["networks"],
                on_value=lambda on, network=network: set_value(
                    "networks",
                    [k for k in NETWORKS if (k == network and on) or (k != network and k in values["networks"])],
                ),
            )
        for name in controls.SLIDERS:
            Slider(name, values[name], L)
        solara.InputText(
            t("viz.seed", L),
            value=seed_text.value,
            on_value=seed_text.set,
            continuous_update=True,
            classes=["berdaya-seed"],
        )
    return panel


@solara.component
def Slider(name: str, value: float, L: str):
    """A slider with its label above (wrapping) and its value and unit always in view."""
    spec = controls.slider(name)
    shown = controls.value_label(name, value, L)

    def moved(v) -> None:
        set_value(name, controls.on_notch(spec, v))

    with solara.v.Html(tag="div", class_=f"berdaya-slider berdaya-slider-{name}"):
        with solara.v.Html(tag="div", class_="berdaya-slider-head"):
            solara.v.Html(tag="span", class_="berdaya-slider-label", children=[controls.label(f"param.{name}", L)])
            solara.v.Html(tag="span", class_="berdaya-slider-value", children=[shown])
        solara.v.Slider(
            v_model=value, on_v_model=moved, min=spec.lo, max=spec.hi, step=spec.step, hide_details=True, dense=True
        )


@solara.component
def Toolbar(L: str):
    """Play or Pause, One month, Start again, the month and what the worker is doing."""
    shown, run = view.value, session.value
    beat.get()
    if shown is None or run is None:
        return
    state = state_of(run)
    playing = state == "playing"
    busy = state in ("playing", "stepping", "pausing")
    with solara.v.Html(tag="div", class_="berdaya-toolbar"):
        solara.v.Html(
            tag="div",
            class_="berdaya-month",
            children=[t("viz.month_of", L).format(month=shown.month, months=shown.months)],
        )
        if playing:
            solara.Button(
                "❚❚ " + t("viz.pause", L), on_click=lambda: pause(run), classes=["berdaya-pause"], color="primary"
            )
        else:
            solara.Button(
                "▶ " + t("viz.play", L),
                on_click=lambda: start(run, None),
                classes=["berdaya-play"],
                color="primary",
                disabled=state in ("stepping", "finished"),
            )
        solara.Button(
            t("viz.step", L),
            on_click=lambda: start(run, 1),
            classes=["berdaya-step"],
            disabled=busy or state == "finished",
            outlined=True,
        )
        solara.Button(
            "» " + t("viz.to_end", L),
            on_click=lambda: start(run, None, FAST_EVERY),
            classes=["berdaya-to-end"],
            disabled=busy or state == "finished",
            outlined=True,
        )
        solara.Button(t("viz.reset", L), on_click=restart, classes=["berdaya-reset"], outlined=True)
    status = {
        "ready": t("viz.status_ready", L),
        "playing": t("viz.status_playing", L).format(month=shown.month + 1),
        "stepping": t("viz.status_step", L).format(month=shown.month + 1),
        "pausing": t("viz.status_pausing", L).format(month=shown.month + 1),
        "paused": t("viz.status_paused", L),
        "finished": t("viz.finished", L),
    }[state]
    solara.v.Html(
        tag="div",
        class_="berdaya-status" + (" busy" if busy else ""),
        children=[status],
        attributes={"data-paused-at": "" if run.paused_at is None else str(run.paused_at)},
    )
    if not same_settings(run):
        solara.v.Html(tag="div", class_="berdaya-pending", children=[t("viz.pending", L)])
    colour_toggle(L)


def same_settings(run: Run) -> bool:
    """Whether the controls show the settings the running villages were built from."""
    return run.built_from == settings.value and str(run.seed) == seed_text.value.strip()


def colour_toggle(L: str) -> None:
    def pick(i) -> None:
        if i is None:
            return
        measure.set(controls.MEASURES[i])
        if session.value is not None:
            publish(session.value)

    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "padding": "0"}, gap="6px"):
        solara.v.Html(tag="span", children=[t("viz.colour_households", L) + ":"])
        solara.v.BtnToggle(
            v_model=controls.MEASURES.index(measure.value),
            on_v_model=pick,
            mandatory=True,
            dense=True,
            class_="berdaya-measure",
            style_="flex-wrap: wrap; height: auto;",
            children=[solara.v.Btn(children=[t(m, L)], small=True) for m in controls.MEASURES],
        )


@solara.component
def Pictures():
    """The village (or the card's two villages), its key, and the monthly plots."""
    shown = view.value
    if shown is None:
        return
    L = shown.lang
    if shown.run.card is None:
        village, measures, groups, living = shown.images[0]
        with solara.v.Html(tag="div", class_="berdaya-view"):
            with solara.v.Html(tag="div", class_="berdaya-mapbox"):
                solara.Image(village, classes=["berdaya-village"])
            Legend(shown, L)
        with solara.v.Html(tag="div", class_="berdaya-plots"):
            solara.Image(measures, classes=["berdaya-measures"])
            solara.Image(groups, classes=["berdaya-groups"])
            solara.Image(living, classes=["berdaya-living"])
        return
    card = shown.run.card
    with solara.v.Html(tag="div", class_="berdaya-pair"):
        for k, (village,) in enumerate(shown.images):
            with solara.v.Html(tag="div", class_=f"berdaya-side berdaya-side-{'ab'[k]}"):
                solara.v.Html(tag="h3", children=[f"{t('viz.village_' + 'ab'[k], L)}: {card.option(k, L)}"])
                solara.Image(village, classes=["berdaya-village", f"berdaya-village-{'ab'[k]}"])
    with solara.v.Html(tag="div", class_="berdaya-view", style_="margin-top: 10px;"):
        with solara.v.Html(tag="div", class_="berdaya-pairplot"):
            solara.Image(shown.pair, classes=["berdaya-measures"])
        Legend(shown, L)


def mark(kind: str, look: str) -> None:
    """A key's symbol: a coloured character, or a small box styled like the map's cells."""
    if kind == "char":
        char, colour = look.split(" ")
        solara.v.Html(tag="span", class_="sym", children=[char], style_=f"color: {colour};")
    else:
        with solara.v.Html(tag="span", class_="sym"):
            solara.v.Html(tag="span", class_="box", style_=look)


@solara.component
def Legend(shown: View, L: str):
    """The map's key, as text that keeps its size on any screen."""
    stops = draw.colour_stops(shown.measure)
    top = draw.colour_top(shown.run.models[0], shown.measure)
    scale = t("scale_wealth", L).format(top=number(top, L, 1)) if shown.measure == "wealth" else t("scale_index", L)
    group = draw.to_hex(draw.GROUP_PALETTE[0])
    rows = [
        ("box", f"background: {stops[3]};", "household"),
        ("box", "background: #fff; border: 1px solid #bbb;", "no_household"),
        ("box", f"border: 2px dashed {group};", "legend_forming"),
        ("box", f"border: 2px solid {group};", "legend_active"),
        ("box", f"border: 4px solid {group};", "legend_mature"),
        ("char", f"▲ {draw.PATRON['resistant']}", "patron_resistant"),
        ("char", f"▲ {draw.PATRON['cooperative']}", "patron_cooperative"),
        ("char", f"● {draw.FACILITATOR['ngo']}", "facilitator_ngo"),
        ("char", f"◆ {draw.FACILITATOR['internal']}", "facilitator_internal"),
        ("char", f"✖ {draw.FACILITATOR['left']}", "facilitator_left"),
        ("box", "border-left: 3px dashed #000; width: 3px;", "hamlet_border"),
    ]
    with solara.v.Html(tag="div", class_="berdaya-legend"):
        if shown.run.card is None:
            solara.v.Html(tag="p", children=[t("viz.help", L)], class_="berdaya-help", style_="margin: 0 0 8px;")
        solara.v.Html(tag="h3", children=[t("viz.key", L)], style_="font-size: 16px; margin: 0 0 4px;")
        solara.v.Html(tag="div", children=[f"{t('colour_by', L)}: {t(shown.measure, L)}"])
        solara.v.Html(tag="div", class_="bar", style_=f"background: linear-gradient(to right, {', '.join(stops)});")
        with solara.v.Html(tag="div", class_="ends", style_="font-size: 13px;"):
            solara.v.Html(tag="span", children=["0"])
            solara.v.Html(tag="span", children=[scale], style_="text-align: center;")
            solara.v.Html(tag="span", children=[number(top, L, 0 if top == int(top) else 1)])
        solara.v.Html(tag="div", children=[t("legend_groups", L)], style_="margin-top: 6px;")
        for kind, look, key in rows:
            with solara.v.Html(tag="div", class_="row"):
                mark(kind, look)
                solara.v.Html(tag="span", children=[t(key, L)])
        for k, counts in enumerate(shown.counts):
            prefix = f"{t('viz.village_' + 'ab'[k], L)}: " if shown.run.card else ""
            solara.v.Html(
                tag="div",
                class_=f"berdaya-counts berdaya-counts-{'ab'[k]}",
                style_="margin-top: 6px;",
                children=[prefix + t("facilitator_counts", L).replace("\n", " ").format(**counts)],
            )


@solara.component
def CardText(L: str):
    """The experiment's question, asked before Play, and what the two villages share."""
    run = session.value
    card = cards.CARDS[card_name.value]
    link = "?" + urlencode({"card": card.name, "lang": L})
    with solara.v.Html(tag="div", class_="berdaya-card"):
        solara.v.Html(tag="h2", children=[t(f"card.{card.name}.title", L)])
        solara.v.Html(
            tag="p",
            children=[
                solara.v.Html(tag="b", children=[t("viz.question", L) + ": "]),
                t(f"card.{card.name}.question", L),
            ],
        )
        solara.v.Html(
            tag="p",
            children=[
                t("viz.same_seed", L).format(
                    seed=run.seed if run else seed_text.value, switch=cards.switch_label(card, L).lower()
                )
            ],
        )
        solara.v.Html(
            tag="p",
            style_="font-size: 13px; color: #555;",
            children=[
                t("viz.source", L).format(seed=card.source, says=t(f"card.{card.name}.source", L)),
                " · ",
                solara.v.Html(
                    tag="a", attributes={"href": link}, class_="berdaya-link", children=[t("viz.share_link", L)]
                ),
            ],
        )


@solara.component
def Reading():
    """After a card's run: what differed between the two villages, read from their records."""
    shown = view.value
    if shown is None or shown.run.card is None:
        return
    L = shown.lang
    run = shown.run
    with solara.v.Html(tag="div", class_="berdaya-reading"):
        solara.v.Html(tag="h3", children=[t("viz.reading", L)], style_="font-size: 17px; margin: 0 0 4px;")
        if not run.finished:
            solara.v.Html(tag="p", children=[t("viz.reading_wait", L).format(months=shown.months)])
            return
        with run.lock:
            records = tuple(m.records[: m.month + 1] for m in run.models)
        for line in cards.reading(run.card, records, run.models[0].p.programme_months, L):
            solara.v.Html(tag="p", children=[line])


@solara.component
def ModelInUse(L: str):
    """What the running village was built with, read back from the model itself."""
    run = session.value
    if run is None:
        return
    model = run.models[0]
    p = model.p
    parts = [
        f"{t('viz.strategy', L)}: {t(p.strategy, L)}",
        f"{t('viz.exit_mode', L)}: {t('exit_mode.' + p.exit_mode, L)}",
        f"{t('viz.project_management', L)}: {t('management.' + p.project_management, L)}",
        f"{t('viz.networks', L)}: " + (", ".join(t(f"network.{k}", L) for k in p.networks) or t("viz.none", L)),
        *(
            f"{controls.label(f'param.{name}', L)}: {controls.value_label(name, getattr(p, name), L)}"
            for name in controls.SLIDERS
        ),
        f"{model.n_households} {t('viz.households', L)}",
        f"{t('viz.seed_short', L)}: {run.seed}",
    ]
    with solara.v.Html(tag="div", class_="berdaya-model"):
        solara.v.Html(tag="b", children=[t("viz.model_in_use", L) + ": "])
        solara.v.Html(tag="span", class_="berdaya-model-text", children=[" · ".join(parts)])
