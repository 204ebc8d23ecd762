"""The visualizer in a real browser: served by `berdaya viz`, driven in headless Chromium.

What a student and a teacher do: open the page on a phone (390 px) and a laptop or
projector (1280 px) in English and in Bahasa Indonesia, open the controls, play and pause
while the machine is busy, start again from the controls, open a guided experiment from
its link and run both villages, and use one server from two browsers at once. Every
request the page makes is recorded: none may fail and none may leave 127.0.0.1. The
screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from playwright.sync_api import expect, sync_playwright

from analysis.i18n import LABELS, t
from berdaya.viz import draw
from berdaya.viz.cards import CARDS, KINDS, reading
from berdaya.viz.controls import SLIDERS, label, on_notch, scenario_settings, scenarios, slider, value_label
from sim.collect import COLUMNS
from sim.model import VillageModel
from sim.params import STRATEGY_PRESETS, Params, fields

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# A rebuilt village draws in well under a second; the margin is for a machine busy with other jobs.
expect.set_options(timeout=30_000)
MONTH = {"en": re.compile(r"Month (\d+) of (\d+)"), "id": re.compile(r"Bulan (\d+) dari (\d+)")}
WIDTHS = {"phone": (390, 844), "laptop": (1280, 800)}
# Words Mesa's and Solara's own widgets would bring, besides every word only our English labels use.
FOREIGN_WIDGET_WORDS = {
    "controls",
    "play",
    "interval",
    "render",
    "use",
    "threads",
    "reset",
    "step",
    "model",
    "parameters",
    "information",
    "page",
    "month",
    "of",
    "the",
    "and",
    "settings",
    "start",
}


def english_words() -> set[str]:
    """Words in our English labels that no Indonesian label uses (so "patron", "KSM" or "paralegal" pass)."""

    def words(lang: str) -> set[str]:
        return {w.lower() for v in LABELS.values() for w in re.findall(r"[A-Za-z]{3,}", v[lang])}

    return (words("en") | FOREIGN_WIDGET_WORDS) - words("id")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def berdaya(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "berdaya", *args], env=env, text=True, **kwargs)


def serve(log: Path, *args: str) -> tuple[subprocess.Popen, str]:
    """`berdaya viz` in its own process group, up and answering at 127.0.0.1 (with ``--token T``, at the
    address that holds it)."""
    port = free_port()
    with log.open("w") as out:
        process = berdaya(
            "viz", "--port", str(port), *args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}/"
    asked = url + (f"?token={args[args.index('--token') + 1]}" if "--token" in args else "")
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(asked, timeout=2).close()
            return process, url
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGTERM)
                pytest.fail(f"berdaya viz did not serve {url}:\n{log.read_text()}")
            time.sleep(0.3)


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("viz") / "server.log"
    process, url = serve(log)
    yield url, log, process.pid
    stop(process)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page whose requests, failures and script errors are recorded."""

    def __init__(self, browser, width: int, height: int) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.requests, self.failures, self.errors = [], [], []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("websocket", lambda socket_: self.requests.append(socket_.url))
        self.page.on("requestfailed", lambda request: self.failures.append(f"{request.url}: {request.failure}"))
        self.page.on(
            "response", lambda reply: reply.status >= 400 and self.failures.append(f"{reply.url}: {reply.status}")
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, url: str):
        self.page.goto(url)
        self.page.wait_for_selector("img.berdaya-village", timeout=90_000)
        return self.page

    def close(self) -> None:
        self.context.close()
        assert not self.failures, self.failures
        assert not self.errors, self.errors
        hosts = {urlsplit(u).hostname for u in self.requests if urlsplit(u).scheme not in ("data", "blob")}
        assert hosts == {"127.0.0.1"}, f"requests left the machine: {sorted(hosts)}"


def month(page, lang: str = "en") -> tuple[int, int]:
    text = page.inner_text(".berdaya-month").strip()
    found = MONTH[lang].fullmatch(text)
    assert found, text
    return int(found.group(1)), int(found.group(2))


def picture(page, selector: str) -> str:
    """SHA-256 of the PNG an image shows, fetched from the page's own blob URL."""
    return page.evaluate(
        """async (selector) => {
            const response = await fetch(document.querySelector(selector).src);
            const digest = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
            return Array.from(new Uint8Array(digest)).map(b => b.toString(16).padStart(2, "0")).join("");
        }""",
        selector,
    )


VISIBLE_TEXT = """() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const found = [];
    while (walker.nextNode()) {
        const node = walker.currentNode, text = node.textContent.trim(), parent = node.parentElement;
        if (!text || !parent || parent.closest('.berdaya-language')) continue;
        const style = getComputedStyle(parent), box = parent.getBoundingClientRect();
        if (style.visibility === 'hidden' || style.display === 'none' || box.width === 0 || box.height === 0) continue;
        if (box.right <= 0 || box.left >= innerWidth) continue;  // the closed drawer, off screen
        found.push([text, parseFloat(style.fontSize)]);
    }
    return found;
}"""


def slider_tracks(page) -> dict[str, float]:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.berdaya-slider')].map(
        s => [s.className, s.querySelector('.v-slider__track-container').getBoundingClientRect().width]))""")


def off_screen(page, selector: str) -> bool:
    return page.evaluate(f"() => document.querySelector('{selector}').getBoundingClientRect().right <= 0")


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("screen", list(WIDTHS))
@pytest.mark.slow  # in a browser
def test_the_page_reads_in_one_language_on_a_phone_and_a_laptop(server, browser, screen, lang):
    url, _, _ = server
    width, height = WIDTHS[screen]
    watched = Watched(browser, width, height)
    page = watched.open(f"{url}?lang={lang}")
    expect(page.locator(".berdaya-month")).to_have_text(t("viz.month_of", lang).format(month=0, months=120))
    # One month counter, no stray tabs or Mesa counters.
    assert page.locator(".berdaya-month").count() == 1
    body = page.inner_text("body")
    assert "Step:" not in body and "PAGE 0" not in body.upper()

    if screen == "phone":
        # The village takes the width; the controls wait in a drawer behind a visible button.
        village = page.locator("img.berdaya-village").bounding_box()
        assert village["width"] >= 0.9 * width
        assert off_screen(page, ".berdaya-drawer")
        expect(page.locator(".berdaya-language")).to_be_visible()
        page.locator(".berdaya-menu").click()
        expect(page.locator(".berdaya-drawer")).to_have_class(re.compile("open"))
        page.wait_for_timeout(400)  # the drawer slides in
        assert not off_screen(page, ".berdaya-drawer")
        page.locator(".berdaya-close").click()
        page.wait_for_timeout(400)
        assert off_screen(page, ".berdaya-drawer")
        page.locator(".berdaya-menu").click()
        page.wait_for_timeout(400)
        page.mouse.click(width - 10, height // 2)  # a tap on the shaded page beside the drawer
        page.wait_for_timeout(400)
        assert off_screen(page, ".berdaya-drawer")
        page.locator(".berdaya-menu").click()
        page.wait_for_timeout(400)
        page.locator(".berdaya-seed input").focus()
        page.keyboard.press("Escape")
        page.wait_for_timeout(400)
        assert off_screen(page, ".berdaya-drawer")
        page.locator(".berdaya-menu").click()
        page.wait_for_timeout(400)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"viz_{width}_{lang}_drawer.png"))
    else:
        expect(page.locator(".berdaya-menu")).to_be_hidden()
        # Text at arm's length: every word on the page, and the pictures' text as shown, 12 px or more.
        small = [(text, size) for text, size in page.evaluate(VISIBLE_TEXT) if size < 12]
        assert not small, small[:5]
        smallest_text_px = draw.FONT_PT * draw.DPI / 72
        for name in ("village", "measures", "groups", "living"):
            shown, natural = page.evaluate(f"""() => {{ const i = document.querySelector('img.berdaya-{name}');
                return [i.getBoundingClientRect().width, i.naturalWidth]; }}""")
            assert shown / natural * smallest_text_px >= 12, f"{name}: {shown} of {natural} px"
        # The village is the largest thing on the page, and it fits the screen's height.
        boxes = {n: page.locator(f"img.berdaya-{n}").bounding_box() for n in ("village", "measures", "groups")}
        area = {n: box["width"] * box["height"] for n, box in boxes.items()}
        assert area["village"] > 1.5 * max(area["measures"], area["groups"]), boxes
        assert boxes["village"]["y"] + boxes["village"]["height"] <= height, boxes["village"]

    # Every slider: a usable track, and its value and unit in view without touching it.
    tracks = slider_tracks(page)
    assert len(tracks) == len(SLIDERS)
    assert all(w > 80 for w in tracks.values()), tracks
    for name in SLIDERS:
        value = scenario_settings("area_based")[name]
        shown = page.locator(f".berdaya-slider-{name} .berdaya-slider-value")
        expect(shown).to_have_text(value_label(name, value, lang))
    if lang == "id":
        expect(page.locator(".berdaya-slider-extraction .berdaya-slider-value")).to_contain_text("0,20")
        english = english_words()
        leaks = [
            text
            for text, _ in page.evaluate(VISIBLE_TEXT)
            if {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)} & english
        ]
        assert not leaks, leaks
    if screen == "phone":
        page.locator(".berdaya-close").click()
        page.wait_for_timeout(400)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"viz_{width}_{lang}.png"), full_page=True)
    watched.close()


@pytest.mark.slow  # in a browser
def test_viz_serves_this_machine_only_offline_and_steps(server, browser):
    url, log, pid = server
    assert f"open {url}" in log.read_text()
    # The command became Solara's server (`solara run` behind the gate), local and in production mode, with
    # telemetry off.
    command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    assert command[2:4] == [b"berdaya.viz.gate", b"run"] and b"--production" in command
    assert command[command.index(b"--host") + 1] == b"127.0.0.1"
    assert b"SOLARA_TELEMETRY_MIXPANEL_ENABLE=False" in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    watched = Watched(browser, 1280, 800)
    page = watched.open(url)
    before = {n: picture(page, f"img.berdaya-{n}") for n in ("village", "measures", "groups")}
    for expected in (1, 2, 3):
        page.locator(".berdaya-step").click()
        expect(page.locator(".berdaya-month")).to_have_text(f"Month {expected} of 120")
        expect(page.locator(".berdaya-step")).to_be_enabled()
    after = {n: picture(page, f"img.berdaya-{n}") for n in before}
    assert all(after[n] != before[n] for n in before), "a picture did not change over three months"
    watched.close()


@pytest.fixture
def busy_machine():
    """A process that keeps one core busy beside the browser test, for at most two minutes."""
    spin = "import time\nend = time.time() + 120\nwhile time.time() < end: pass"
    spinner = subprocess.Popen([sys.executable, "-c", spin])
    yield
    spinner.kill()
    spinner.wait(timeout=10)


@pytest.mark.slow  # in a browser
def test_play_pause_and_start_again_keep_their_word_on_a_busy_machine(server, browser, busy_machine):
    url, _, _ = server
    watched = Watched(browser, 1280, 800)
    page = watched.open(url)
    status = page.locator(".berdaya-status")
    page.locator(".berdaya-play").click()
    # While months are computed the page says so.
    expect(status).to_have_text(re.compile(r"Playing: computing month \d+…"))
    expect(status).to_have_class(re.compile("busy"))
    expect(page.locator(".berdaya-month")).to_have_text(re.compile(r"Month ([4-9]|\d\d+) of 120"))

    # Pause: the month being computed when it was pressed may still arrive, then nothing more.
    at_click = int(
        page.evaluate("""() => { const m = document.querySelector('.berdaya-month').textContent;
        document.querySelector('.berdaya-pause').click(); return m.match(/\\d+/)[0]; }""")
    )
    expect(status).to_have_text(t("viz.status_paused", "en"))
    paused_at = int(status.get_attribute("data-paused-at"))
    assert paused_at >= at_click
    page.wait_for_timeout(2500)
    settled = month(page)[0]
    assert paused_at <= settled <= paused_at + 1, (at_click, paused_at, settled)
    page.wait_for_timeout(1500)
    assert month(page)[0] == settled, "the village went on after Pause"
    expect(page.locator(".berdaya-play")).to_be_enabled()

    # Start again while playing: a new village at month 0 with what the slider shows; the old one never comes back.
    page.locator(".berdaya-play").click()
    expect(status).to_have_text(re.compile("Playing"))
    thumb = page.locator(".berdaya-slider-n_facilitators [role=slider]")
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expected = scenario_settings("area_based")["n_facilitators"] + 2
    expect(page.locator(".berdaya-slider-n_facilitators .berdaya-slider-value")).to_have_text(
        value_label("n_facilitators", expected, "en")
    )
    expect(page.locator(".berdaya-pending")).to_be_visible()
    page.locator(".berdaya-reset").click()
    expect(page.locator(".berdaya-month")).to_have_text("Month 0 of 120")
    expect(status).to_have_text(t("viz.status_ready", "en"))
    expect(page.locator(".berdaya-model-text")).to_contain_text(
        f"{t('param.n_facilitators', 'en')}: {value_label('n_facilitators', expected, 'en')}"
    )
    expect(page.locator(".berdaya-counts-a")).to_contain_text(f"{expected} from the NGO")
    expect(page.locator(".berdaya-pending")).to_have_count(0)
    page.wait_for_timeout(2000)
    assert month(page)[0] == 0, "the discarded village's months reached the page"
    watched.close()


def run_to_end(settings: dict, seed: int) -> np.ndarray:
    model = VillageModel(Params(**settings), seed=seed)
    while model.running:
        model.step()
    return model.records[: model.month + 1]


@pytest.mark.slow  # in a browser
def test_a_card_opens_from_its_link_and_reads_both_runs(server, browser):
    url, _, _ = server
    card = CARDS["exit"]
    watched = Watched(browser, 1280, 800)
    page = watched.open(f"{url}?card={card.name}&lang=id")
    expect(page.locator(".berdaya-card h2")).to_have_text(t("card.exit.title", "id"))
    expect(page.locator(".berdaya-card")).to_contain_text(t("card.exit.question", "id"))
    expect(page.locator(".berdaya-card")).to_contain_text(t("card.exit.source", "id"))  # what the source says
    expect(page.locator(".berdaya-side-a h3")).to_contain_text(card.option(0, "id"))
    expect(page.locator(".berdaya-side-b h3")).to_contain_text(card.option(1, "id"))
    expect(page.locator(".berdaya-reading")).to_contain_text(t("viz.reading_wait", "id").format(months=120))
    first = picture(page, "img.berdaya-village-a")
    page.locator(".berdaya-to-end").click()
    expect(page.locator(".berdaya-month")).to_have_text("Bulan 120 dari 120", timeout=120_000)
    # The reading is the one the two runs give, computed here from the same settings and seed.
    a, b = card.settings(scenario_settings(card.scenario))
    records = (run_to_end(a, 1), run_to_end(b, 1))
    for line in reading(card, records, a["programme_months"], "id"):
        expect(page.locator(".berdaya-reading")).to_contain_text(line)
    assert picture(page, "img.berdaya-village-a") != first
    assert picture(page, "img.berdaya-village-a") != picture(page, "img.berdaya-village-b")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viz_card_1280_id.png"), full_page=True)
    watched.close()


@pytest.mark.slow  # in a browser
def test_a_card_name_that_does_not_exist_says_so(server, browser):
    url, _, _ = server
    watched = Watched(browser, 390, 844)
    page = watched.open(f"{url}?card=exitt&lang=id")
    notice = page.locator(".berdaya-no-card")
    expect(notice).to_contain_text("“exitt”")
    expect(notice).to_contain_text(f"exit ({t('card.exit.title', 'id')})")
    assert page.locator(".berdaya-card").count() == 0
    watched.close()


@pytest.mark.slow  # in a browser
def test_two_browsers_each_have_their_own_village(server, browser):
    url, _, _ = server
    one, two = Watched(browser, 1280, 800), Watched(browser, 390, 844)
    first, second = one.open(url), two.open(f"{url}?lang=id")
    for expected in (1, 2, 3):
        first.locator(".berdaya-step").click()
        expect(first.locator(".berdaya-month")).to_have_text(f"Month {expected} of 120")
    expect(second.locator(".berdaya-month")).to_have_text("Bulan 0 dari 120")
    second.locator(".berdaya-step").click()
    expect(second.locator(".berdaya-month")).to_have_text("Bulan 1 dari 120")
    expect(first.locator(".berdaya-month")).to_have_text("Month 3 of 120")
    one.close()
    two.close()


def viz_command(monkeypatch, capsys, *args) -> tuple[list[str], dict[str, str], str]:
    """What `berdaya viz ARGS` hands to the server (its command and environment) and prints, without serving:
    the tests listen on 127.0.0.1 only, never on a network."""
    from berdaya.cli import main
    from berdaya.commands import viz

    handed = {}
    monkeypatch.setattr(viz, "check_port", lambda port, host: None)
    monkeypatch.setattr(viz, "local_addresses", lambda: ["192.168.1.10"])
    monkeypatch.setattr(viz.os, "execve", lambda executable, argv, env: handed.update(argv=argv, env=env))
    main(["viz", "--port", "8765", *args])
    return handed["argv"], handed["env"], capsys.readouterr().out


def test_viz_serves_a_class_only_when_asked_and_then_with_a_token(monkeypatch, capsys, tmp_path):
    from berdaya.viz import gate, jobs

    store = ["--store", str(tmp_path / "store")]
    argv, env, printed = viz_command(monkeypatch, capsys, *store)
    assert argv[argv.index("--host") + 1] == "127.0.0.1" and gate.TOKEN_VARIABLE not in env
    assert "open http://127.0.0.1:8765/ in a browser" in printed and env[jobs.SHARED_VARIABLE] == "1"
    argv, env, printed = viz_command(monkeypatch, capsys, "--host", "0.0.0.0", *store)
    token = env[gate.TOKEN_VARIABLE]
    assert argv[argv.index("--host") + 1] == "0.0.0.0" and argv[1:3] == ["-m", "berdaya.viz.gate"]
    assert len(token) >= 16 and env[jobs.SHARED_VARIABLE] == ""
    assert f"open http://192.168.1.10:8765/?token={token} or http://127.0.0.1:8765/?token={token}" in printed
    assert f"compare strategies at http://192.168.1.10:8765/compare?token={token};" in printed
    assert "own village" in printed and str(tmp_path / "store") in printed
    assert "█" not in printed  # a QR code only on a terminal
    assert viz_command(monkeypatch, capsys, "--host", "0.0.0.0", *store)[1][gate.TOKEN_VARIABLE] != token  # per start
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    _, env, printed = viz_command(monkeypatch, capsys, "--host", "0.0.0.0", *store)
    assert printed.count("\n") > 10 and "▀" in printed  # the address with its token, for a phone's camera
    _, env, printed = viz_command(monkeypatch, capsys, "--host", "0.0.0.0", "--no-token", "--shared", *store)
    assert gate.TOKEN_VARIABLE not in env and "warning: --no-token: anyone on the network" in printed
    assert env[jobs.SHARED_VARIABLE] == "1"
    _, env, _ = viz_command(monkeypatch, capsys, "--token", "class-7b-2026", "--max-running", "2", *store)
    assert env[gate.TOKEN_VARIABLE] == "class-7b-2026" and env[jobs.RUNNING_VARIABLE] == "2"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--token", "abcdefgh", "--no-token"], "error: give --token TEXT or --no-token, not both"),
        (["--token", "short"], "--token: 'short'; allowed: at least 8"),
        (["--token", "with space!"], "allowed: at least 8 letters, digits"),
        (["--max-running", "0"], "--max-running"),
        (["--max-upload-mb", "-5"], "--max-upload-mb"),
    ],
)
def test_viz_refuses_a_token_or_a_limit_it_cannot_use(args, words):
    process = berdaya("viz", "--port", str(free_port()), *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2 and words in err and "Traceback" not in err


def test_a_token_guards_every_page_and_resourcez_and_becomes_a_cookie(tmp_path):
    """`--token` on 127.0.0.1 asks for it as on a network: without it, 403 and a page in both languages."""
    token = "test-token-1234"
    process, url = serve(tmp_path / "server.log", "--token", token, "--store", str(tmp_path / "store"))
    try:
        for path in ("", "compare?lang=id", "resourcez?verbose", "static/main.js"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(url + path, timeout=10)
            assert refused.value.code == 403
            page = refused.value.read().decode()
            assert t("gate.refused", "en").split("(")[0] in page and t("gate.refused", "id").split("(")[0] in page
        with urllib.request.urlopen(f"{url}?token={token}", timeout=10) as reply:
            cookies = reply.headers.get_all("set-cookie")
        assert any(c.startswith(f"berdaya_token={token};") and "HttpOnly" in c for c in cookies)
        assert any(c.startswith("berdaya_owner=") for c in cookies)
        with_cookie = urllib.request.Request(url + "resourcez?verbose", headers={"Cookie": f"berdaya_token={token}"})
        with urllib.request.urlopen(with_cookie, timeout=10) as reply:
            assert reply.status == 200
        wrong = urllib.request.Request(url, headers={"Cookie": "berdaya_token=guessed-token-0000"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(wrong, timeout=10)
        assert refused.value.code == 403
    finally:
        stop(process)


@pytest.mark.parametrize("host, field", [("the-teachers-laptop", "--host"), ("192.0.2.77", "--host")])
def test_viz_refuses_a_host_it_cannot_serve(host, field):
    process = berdaya("viz", "--host", host, "--port", str(free_port()), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert field in err and host in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_viz_refuses_a_port_in_use():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = berdaya("viz", "--port", str(port), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert f"port {port}" in err and "in use" in err and "Traceback" not in err


def test_a_port_left_in_time_wait_by_a_stopped_server_is_free_again():
    """The server closes a connection first (as on Ctrl+C): its port waits in TIME_WAIT, and may be served again."""
    from berdaya.commands.viz import check_port

    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _ = server.accept()
        accepted.close()  # the server's side closes first, so it is the one left in TIME_WAIT
        time.sleep(0.2)
        client.close()
    waiting = subprocess.run(["ss", "-tan", "state", "time-wait"], capture_output=True, text=True).stdout
    assert f"127.0.0.1:{port} " in waiting
    check_port(port)


@pytest.mark.parametrize("name", scenarios())
def test_every_scenario_value_sits_on_its_slider(name):
    """A value between a slider's notches would be moved by the browser, so the page would show another village."""
    settings = scenario_settings(name)
    for parameter in SLIDERS:
        spec = slider(parameter)
        value = settings[parameter]
        assert spec.lo <= value <= spec.hi
        assert on_notch(spec, value) == value, f"{name}: {parameter} = {value} is off its step {spec.step}"


def test_slider_values_are_written_as_the_reader_writes_numbers():
    assert value_label("extraction", 0.2, "id") == f"0,20 {label('unit.share of dependent income', 'id')}"
    assert value_label("extraction", 0.2, "en") == f"0.20 {label('unit.share of dependent income', 'en')}"
    assert value_label("n_facilitators", 8, "en") == "8 facilitators"
    assert on_notch(slider("extraction"), 0.30000000000000004) == 0.3


@pytest.mark.parametrize("name", list(CARDS))
def test_each_card_sets_two_villages_apart_by_its_one_switch(name):
    card = CARDS[name]
    a, b = card.settings(scenario_settings(card.scenario))
    differing = {k for k in a if a[k] != b[k]}
    # A strategy brings its preset switches; any other card differs in its switch alone.
    allowed = {card.switch} | (set(STRATEGY_PRESETS[card.values[1]]) if card.switch == "strategy" else set())
    assert card.switch in differing and differing <= allowed
    Params(**a), Params(**b)
    assert card.switch in fields()
    for key in (f"card.{name}.title", f"card.{name}.question"):
        assert LABELS[key]["en"] and LABELS[key]["id"] and LABELS[key]["en"] != LABELS[key]["id"]
    assert {card.option(0, lang) for lang in ("en", "id")}.isdisjoint({card.option(1, lang) for lang in ("en", "id")})
    assert set(card.measures) <= set(KINDS) <= set(COLUMNS)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_living_plot_draws_the_village_records(lang):
    """Consumption, poverty share and coverage as the model recorded them, month by month."""
    model = VillageModel(seed=3, strategy="area_based", width=20, height=20)
    living = draw.Living(model, lang)
    for _ in range(14):
        model.step()
    assert living.png().startswith(b"\x89PNG")
    records = model.records[: model.month + 1]
    for name in draw.LIVING:
        assert np.array_equal(living.lines[name].get_ydata(), records[:, COLUMNS.index(name)]), name
    assert records[:, COLUMNS.index("coverage")].max() > 0  # the facilitators have met households
    assert living.ax.get_ylim()[1] >= records[:, COLUMNS.index("consumption")].max()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_readings_stated_gap_is_the_gap_between_the_numbers_it_shows(lang):
    """ "A 5%, B 2%: A higher by 3 points", never by 2.4; "0,62 against 0,62" is about the same."""
    card = CARDS["management"]  # a share, an index and two counts
    rng = np.random.default_rng(7)
    cases = [(0.049, 0.025), (0.6249, 0.6151), (0.5, 0.5)] + [tuple(rng.uniform(0, 1, 2)) for _ in range(200)]
    for x, y in cases:
        records = np.zeros((2, 1, len(COLUMNS)))
        for name in card.measures:
            scale = 40.0 if KINDS[name] == "count" else 1.0
            records[0, 0, COLUMNS.index(name)], records[1, 0, COLUMNS.index(name)] = scale * x, scale * y
        for line in reading(card, tuple(records), 120, lang)[1 : 1 + len(card.measures)]:
            numbers = [
                float(n.replace(",", "."))
                for n in re.findall(r"\d+(?:,\d+)?" if lang == "id" else r"\d+(?:\.\d+)?", line)
            ]
            a, b = numbers[:2]
            if a == b:
                assert t("viz.reading_same", lang) in line, line
            else:
                assert round(abs(a - b), 3) == numbers[2], line
                who = line.split(": ")[-1].split(" ")[0]
                assert who == ("A" if a > b else "B"), line


def test_a_reading_follows_the_runs_not_a_script():
    """Swap the two villages' records and the reading swaps which village came out higher."""
    card = CARDS["strategy"]  # two strategies: the runs surely differ
    a, b = card.settings(scenario_settings(card.scenario))
    runs = (run_to_end(a, 1), run_to_end(b, 1))
    forward = reading(card, runs, a["programme_months"], "en")
    backward = reading(card, runs[::-1], a["programme_months"], "en")
    assert forward[0] == f"At month {a['months']}:"
    share = COLUMNS.index("self_reliant_share")
    x, y = runs[0][-1, share], runs[1][-1, share]
    line = forward[1]
    assert f"A {round(100 * x)}%, B {round(100 * y)}%" in line
    if round(100 * x) != round(100 * y):
        assert ("A higher" in line) == (x > y) and ("A higher" in backward[1]) == (y > x)
    same = reading(card, (runs[0], runs[0]), a["programme_months"], "id")
    assert all(t("viz.reading_same", "id") in line for line in same[1 : 1 + len(card.measures)])
    assert forward != backward


def test_every_visualizer_label_exists_in_both_languages_with_the_same_placeholders():
    fields = string.Formatter()
    for key, labels in LABELS.items():
        if key.startswith(("viz.", "card.", "param.", "unit.")):
            assert set(labels) == {"en", "id"} and all(labels.values()), key
            names = [{f for _, f, _, _ in fields.parse(labels[lang]) if f} for lang in ("en", "id")]
            assert names[0] == names[1], key


def test_the_addresses_printed_are_the_interfaces_not_the_machines_name(monkeypatch):
    """A machine whose name resolves to loopback only still prints its Wi-Fi address for a phone."""
    from types import SimpleNamespace

    from berdaya.commands import viz

    interfaces = {
        "lo": [SimpleNamespace(family=socket.AF_INET, address="127.0.0.1")],
        "wlan0": [
            SimpleNamespace(family=socket.AF_INET, address="192.168.1.10"),
            SimpleNamespace(family=socket.AF_INET6, address="fe80::1"),
        ],
    }
    monkeypatch.setattr(viz.psutil, "net_if_addrs", lambda: interfaces)
    monkeypatch.setattr(viz.socket, "getaddrinfo", lambda *a, **k: [(0, 0, 0, "", ("127.0.1.1", 0))])
    assert viz.addresses("0.0.0.0", 8765, "tok") == [
        "http://192.168.1.10:8765/?token=tok",
        "http://127.0.0.1:8765/?token=tok",
    ]


def _run_apart(coroutine) -> None:
    """Run a coroutine on a loop of its own in a thread of its own: a browser test before this one may
    leave an event loop running in the test thread (playwright's sync API), where asyncio.run refuses."""
    import asyncio
    import threading

    errors = []

    def run():
        try:
            asyncio.run(coroutine)
        except BaseException as error:  # noqa: BLE001 - handed back to the test thread
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    if errors:
        raise errors[0]


def test_a_websocket_without_the_token_is_closed_before_it_opens():
    from berdaya.viz.gate import Gate

    reached, sent = [], []

    async def app(scope, receive, send):
        reached.append(scope["path"])

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "websocket.connect"}

    gate = Gate(app, "the-token-1234")
    socket_scope = {"type": "websocket", "path": "/jupyter/api/kernels/x/channels", "headers": [], "query_string": b""}
    _run_apart(gate(socket_scope, receive, send))
    assert sent == [{"type": "websocket.close", "code": 1008}] and reached == []
    cookie = [(b"cookie", b"berdaya_token=the-token-1234; berdaya_owner=abc")]
    _run_apart(gate({**socket_scope, "headers": cookie}, receive, send))
    assert reached == ["/jupyter/api/kernels/x/channels"]


def test_counts_are_written_with_the_right_form():
    from berdaya.viz.compare import duration, summary

    one = {"created": "2026-12-06T10:00:00", "village": "Krajan", "households": 1, "facilitators": 1, "replicates": 1}
    assert summary({**one, "strategies": []}, "en").endswith("Krajan · 1 household ·  · 1 facilitator · 1 run each")
    many = {**one, "households": 2, "facilitators": 2, "replicates": 2, "strategies": []}
    assert summary(many, "en").endswith("2 households ·  · 2 facilitators · 2 runs each")
    assert duration(80, "en") == "1 minute" and duration(190, "en") == "3 minutes" and duration(80, "id") == "1 menit"
    assert duration(4 * 3600, "en") == "about 4 hours"
