"""The visualizer in a real browser: served by `berdaya viz`, driven in headless Chromium.

The page is Mesa's SolaraViz with our pictures and inputs. One page load walks through
what a student does: wait for the village, step, pick a scenario, change the strategy and
a slider and press Reset, switch language, play and pause. Every request the page makes is
recorded: none may fail and none may leave 127.0.0.1, which shows the page runs offline.
The last picture is saved as test-artifacts/viz.png for a person to look at.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

from sim.i18n import t
from sim.scenario import load_scenario, resolve_scenario
from sim.viz_controls import SLIDERS, label, scenario_settings, scenarios, slider

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
expect.set_options(timeout=20_000)
MONTH = re.compile(r"Month (\d+) of (\d+)(?: · .*)?")
STEPS = re.compile(r"^Step: \d+$")  # SolaraViz's own counter


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def berdaya(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "berdaya", *args], env=env, text=True, **kwargs)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`berdaya viz --port N` in its own process group, up and answering, stopped after the module."""
    port = free_port()
    log = tmp_path_factory.mktemp("viz") / "server.log"
    with log.open("w") as out:
        process = berdaya("viz", "--port", str(port), stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGTERM)
                pytest.fail(f"berdaya viz did not serve {url}:\n{log.read_text()}")
            time.sleep(0.3)
    yield url, log, process.pid
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def month(page) -> tuple[int, int]:
    found = MONTH.fullmatch(page.inner_text(".berdaya-month").strip())
    assert found, page.inner_text(".berdaya-month")
    return int(found.group(1)), int(found.group(2))


def picture(page, name: str) -> str:
    """SHA-256 of the PNG an image shows, fetched from the page's own blob URL."""
    return page.evaluate(
        """async (selector) => {
            const response = await fetch(document.querySelector(selector).src);
            const digest = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
            return Array.from(new Uint8Array(digest)).map(b => b.toString(16).padStart(2, "0")).join("");
        }""",
        f"img.berdaya-{name}",
    )


def field(page, text: str):
    """A SolaraViz input, found by its label (Mesa gives its inputs no names of their own)."""
    return page.locator(".v-input", has=page.locator("label", has_text=re.compile(f"^{re.escape(text)}$")))


def choose(page, select, option: str) -> None:
    select.click()
    page.locator(".menuable__content__active .v-list-item", has_text=re.compile(f"^{re.escape(option)}$")).click()


def test_viz_prints_its_address_and_serves_offline_in_a_browser(server):
    url, log, pid = server
    assert f"open {url}" in log.read_text()
    # The command became Solara's server, local and in production mode, with telemetry off.
    command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    assert b"solara" in command[2] and b"--production" in command
    assert command[command.index(b"--host") + 1] == b"127.0.0.1"
    assert b"SOLARA_TELEMETRY_MIXPANEL_ENABLE=False" in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    requests, failures, errors = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on("websocket", lambda socket_: requests.append(socket_.url))
        page.on("requestfailed", lambda request: failures.append(f"{request.url}: {request.failure}"))
        page.on("response", lambda reply: reply.status >= 400 and failures.append(f"{reply.url}: {reply.status}"))
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            page.goto(url)
            page.wait_for_selector("img.berdaya-village", timeout=60_000)
            start, horizon = month(page)
            assert start == 0
            steps = page.get_by_text(STEPS)
            expect(steps).to_have_text("Step: 0")
            before = {name: picture(page, name) for name in ("village", "measures", "groups")}

            # Three presses of SolaraViz's Step: both counters follow and every picture changes.
            for expected in (1, 2, 3):
                page.get_by_role("button", name="Step", exact=True).click()
                expect(steps).to_have_text(f"Step: {expected}")
                expect(page.locator(".berdaya-month")).to_have_text(f"Month {expected} of {horizon}")
            after = {name: picture(page, name) for name in before}
            assert all(after[name] != before[name] for name in before), "a picture did not change over three steps"

            # A scenario loads a new village at once, and its settings into SolaraViz's inputs.
            preset = load_scenario(resolve_scenario("area_based")).params
            other = load_scenario(resolve_scenario("hybrid")).params
            choose(page, page.locator(".berdaya-scenario"), t("hybrid", "en"))
            running = page.locator(".berdaya-model")
            expect(running).to_contain_text(f"{t('viz.strategy', 'en')}: {t(other.strategy, 'en')}")
            expect(page.locator(".berdaya-month")).to_have_text(f"Month 0 of {other.months}")
            strategy = field(page, t("viz.strategy", "en"))
            expect(strategy).to_contain_text(t(other.strategy, "en"))
            choose(page, page.locator(".berdaya-scenario"), t("area_based", "en"))
            expect(strategy).to_contain_text(t(preset.strategy, "en"))
            expect(running).to_contain_text(
                f"{t('viz.project_management', 'en')}: {t('management.' + preset.project_management, 'en')}"
            )

            # The strategy and a slider change in SolaraViz's inputs; Reset rebuilds the village with them,
            # and the new strategy brings the preset switches the student left alone.
            enterprise = load_scenario(resolve_scenario("enterprise_based")).params
            choose(page, strategy.locator(".v-select__slot"), t("enterprise_based", "en"))
            unit = label("unit." + slider("n_facilitators").unit, "en")
            thumb = field(page, f"{label('param.n_facilitators', 'en')} ({unit})").locator(".v-slider__thumb-container")
            thumb.focus()
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowRight")
            expect(running).to_contain_text(f"{t('param.n_facilitators', 'en')}: {preset.n_facilitators} ")
            page.get_by_role("button", name="Reset", exact=True).click()
            expect(running).to_contain_text(f"{t('param.n_facilitators', 'en')}: {preset.n_facilitators + 2} ")
            expect(running).to_contain_text(f"{t('viz.strategy', 'en')}: {t('enterprise_based', 'en')}")
            expect(running).to_contain_text(
                f"{t('viz.project_management', 'en')}: {t('management.' + enterprise.project_management, 'en')}"
            )
            expect(steps).to_have_text("Step: 0")
            # The inputs now show the running village: the preset's networks are ticked.
            for network in enterprise.networks:
                box = page.get_by_role("checkbox", name=f"{t('viz.networks', 'en')}: {t(f'network.{network}', 'en')}")
                expect(box).to_be_checked()

            # Settings that make no village keep the running one and say why: no network for an enterprise strategy.
            for network in enterprise.networks:
                page.get_by_role("checkbox", name=f"{t('viz.networks', 'en')}: {t(f'network.{network}', 'en')}"
                                 ).uncheck(force=True)
            page.get_by_role("button", name="Reset", exact=True).click()
            expect(page.locator(".berdaya-error")).to_contain_text("network")
            expect(running).to_contain_text(t(f"network.{enterprise.networks[-1]}", "en"))
            expect(running).to_contain_text(f"{t('param.n_facilitators', 'en')}: {preset.n_facilitators + 2} ")

            # Bahasa Indonesia relabels our part of the page and SolaraViz's inputs, and back; the village goes on.
            page.locator(".berdaya-language .v-btn", has_text="Bahasa Indonesia").click()
            expect(page.locator(".berdaya-month")).to_have_text(f"Bulan 0 dari {enterprise.months}")
            expect(field(page, t("viz.strategy", "id"))).to_contain_text(t("enterprise_based", "id"))
            expect(page.locator(".berdaya-error")).to_have_count(0)
            expect(running).to_contain_text(f"{t('param.n_facilitators', 'id')}: {preset.n_facilitators + 2} ")
            page.locator(".berdaya-language .v-btn", has_text="English").click()
            expect(page.locator(".berdaya-month")).to_have_text(f"Month 0 of {enterprise.months}")
            # SolaraViz's sidebar is rebuilt just after the page: play is pressed once it shows English labels.
            expect(field(page, t("viz.strategy", "en"))).to_contain_text(t("enterprise_based", "en"))

            # SolaraViz's play runs months on its own until paused.
            page.get_by_role("button", name="▶").click()
            expect(page.locator(".berdaya-month")).to_have_text(re.compile(r"Month (2[4-9]|[3-9]\d|\d{3}) of"),
                                                                timeout=60_000)
            page.get_by_role("button", name="❚❚").click()
            expect(page.get_by_role("button", name="Step", exact=True)).to_be_enabled()
            time.sleep(0.5)  # the month being drawn when pause was pressed still arrives
            paused = month(page)[0]
            time.sleep(1.5)
            assert month(page)[0] == paused, "the village went on after pause"
            assert page.get_by_text(STEPS).inner_text() == f"Step: {paused}"

            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "viz.png"))
        finally:
            browser.close()

    assert not failures, failures
    assert not errors, errors
    hosts = {urlsplit(u).hostname for u in requests if urlsplit(u).scheme not in ("data", "blob")}
    assert hosts == {"127.0.0.1"}, f"requests left the machine: {sorted(hosts)}"


def test_viz_refuses_a_port_in_use():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = berdaya("viz", "--port", str(port), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert f"port {port}" in err and "in use" in err and "Traceback" not in err


@pytest.mark.parametrize("name", scenarios())
def test_every_scenario_value_sits_on_its_slider(name):
    """A value between a slider's notches would be moved by the browser, so the page would show another village."""
    settings = scenario_settings(name)
    for parameter in SLIDERS:
        spec = slider(parameter)
        value = settings[parameter]
        assert spec.lo <= value <= spec.hi
        notches = (value - spec.lo) / spec.step
        assert abs(notches - round(notches)) < 1e-6, f"{name}: {parameter} = {value} is off its step {spec.step}"
