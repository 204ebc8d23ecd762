"""The visualizer in a real browser: served by `berdaya viz`, driven in headless Chromium.

One page load walks through what a student does: wait for the village, step, pick a
scenario, move a slider, switch language, play and pause. Every request the page makes is
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
from sim.viz_controls import SLIDERS, scenario_settings, scenarios, slider

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
MONTH = re.compile(r"Month (\d+) of (\d+)")


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


def choose(page, select: str, option: str) -> None:
    page.click(f".berdaya-{select}")
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
            before = {name: picture(page, name) for name in ("village", "measures", "groups")}

            # Three steps: the counter follows and every picture changes.
            for expected in (1, 2, 3):
                page.click(".berdaya-step")
                expect(page.locator(".berdaya-month")).to_have_text(f"Month {expected} of {horizon}")
            after = {name: picture(page, name) for name in before}
            assert all(after[name] != before[name] for name in before), "a picture did not change over three steps"

            # A scenario loads its preset switches into the controls and a new village.
            preset = load_scenario(resolve_scenario("enterprise_based")).params
            choose(page, "scenario", t("enterprise_based", "en"))
            running = page.locator(".berdaya-model")
            expect(running).to_contain_text(f"{t('viz.strategy', 'en')}: {t(preset.strategy, 'en')}")
            expect(running).to_contain_text(
                f"{t('viz.project_management', 'en')}: {t('management.' + preset.project_management, 'en')}"
            )
            expect(page.locator(".berdaya-month")).to_have_text(f"Month 0 of {preset.months}")

            # A slider moves by its step and the running village is rebuilt with the new value.
            thumb = page.locator(".berdaya-slider-n_facilitators .v-slider__thumb-container")
            label = page.locator(".berdaya-slider-n_facilitators")
            for change in (1, 2):
                thumb.focus()
                page.keyboard.press("ArrowRight")
                expect(label).to_contain_text(f": {preset.n_facilitators + change} ")
            expect(running).to_contain_text(f"{t('param.n_facilitators', 'en')}: {preset.n_facilitators + 2} ")
            expect(running).to_contain_text(f"{t('viz.strategy', 'en')}: {t(preset.strategy, 'en')}")

            # Settings that make no village keep the running one and say why: no network for an enterprise strategy.
            for network in preset.networks:
                page.get_by_role("checkbox", name=t(f"network.{network}", "en")).uncheck(force=True)
            expect(page.locator(".berdaya-error")).to_contain_text("network")
            expect(running).to_contain_text(t(f"network.{preset.networks[-1]}", "en"))
            page.get_by_role("checkbox", name=t(f"network.{preset.networks[0]}", "en")).check(force=True)
            expect(page.locator(".berdaya-error")).to_have_count(0)

            # Bahasa Indonesia relabels the page, and back.
            page.locator(".berdaya-language .v-btn", has_text="Bahasa Indonesia").click()
            expect(page.locator(".berdaya-month")).to_have_text(f"Bulan 0 dari {preset.months}")
            expect(page.locator(".berdaya-step")).to_contain_text(t("viz.step", "id"))
            page.locator(".berdaya-language .v-btn", has_text="English").click()
            expect(page.locator(".berdaya-month")).to_have_text(f"Month 0 of {preset.months}")

            # Play runs months on its own until paused.
            page.click(".berdaya-play")
            expect(page.locator(".berdaya-month")).to_have_text(re.compile(r"Month (2[4-9]|[3-9]\d|\d{3}) of"),
                                                                timeout=60_000)
            page.click(".berdaya-play")
            expect(page.locator(".berdaya-step")).to_be_enabled()
            time.sleep(0.5)  # the month being drawn when pause was pressed still arrives
            paused = month(page)[0]
            time.sleep(1.5)
            assert month(page)[0] == paused, "the village went on after pause"

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
