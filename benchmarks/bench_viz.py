"""How long one month of the default village takes to step and draw in the visualizer.

    .venv/bin/python benchmarks/bench_viz.py [--months 120] [--browser]

Target (issue 8): one step of the default village (the schema's defaults, 40 x 40 cells,
about 960 households) renders in under 200 ms. Times the work the server does per
month while playing: ``model.step()`` and the three PNGs (village, monthly measures,
group life), drawn the way the visualizer (``berdaya/viz/page.py``) draws them. Also times the first frame, which
builds the figures (a new village, measure or language). With ``--browser`` it also
serves the page with ``berdaya viz`` and times, in headless Chromium, a click on One month
until the month counter shows the new month: what a student waits for.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

from berdaya.viz import draw
from sim.model import VillageModel

TARGET_MS = 200.0


def report(label: str, times_ms: list[float]) -> None:
    ordered = sorted(times_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    verdict = "ok" if statistics.median(times_ms) < TARGET_MS else "TOO SLOW"
    print(
        f"{label:<34} median {statistics.median(times_ms):6.1f} ms   p95 {p95:6.1f} ms   "
        f"max {max(times_ms):6.1f} ms   ({len(times_ms)} months, target < {TARGET_MS:.0f} ms: {verdict})"
    )


def server_side(months: int) -> None:
    model = VillageModel(seed=1)
    start = time.perf_counter()
    pictures = draw.Pictures(model, "awareness", "en")
    pictures.draw()
    first = (time.perf_counter() - start) * 1000
    steps, draws = [], []
    for _ in range(min(months, model.p.months)):
        start = time.perf_counter()
        model.step()
        middle = time.perf_counter()
        pictures.draw()
        end = time.perf_counter()
        steps.append((middle - start) * 1000)
        draws.append((end - middle) * 1000)
    print(f"default village: {model.n_households} households, {model.p.width} x {model.p.height} cells")
    print(f"{'first frame (build the figures)':<34} {first:6.1f} ms")
    report("model.step()", steps)
    report("draw three pictures", draws)
    report("step + draw (one month)", [a + b for a, b in zip(steps, draws, strict=True)])


def in_browser(clicks: int) -> None:
    from playwright.sync_api import sync_playwright

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "berdaya", "viz", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"berdaya viz did not answer at {url}") from None
                time.sleep(0.3)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(url)
            page.wait_for_selector("img.berdaya-village", timeout=60_000)
            times = []
            for month in range(1, clicks + 1):
                page.wait_for_selector(".berdaya-step:not([disabled])")
                start = time.perf_counter()
                page.locator(".berdaya-step").click()
                # Polled on every animation frame, so the time is not rounded up to a polling interval.
                page.wait_for_function(
                    "m => document.querySelector('.berdaya-month').textContent.includes(' ' + m + ' ')",
                    arg=month,
                    polling="raf",
                    timeout=10_000,
                )
                times.append((time.perf_counter() - start) * 1000)
            browser.close()
        report("browser: One month -> new month", times)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=120, help="months to time (default 120, the horizon)")
    parser.add_argument("--browser", action="store_true", help="also time One month clicks in headless Chromium")
    parser.add_argument("--clicks", type=int, default=20, help="One month clicks to time with --browser (default 20)")
    args = parser.parse_args()
    server_side(args.months)
    if args.browser:
        in_browser(args.clicks)


if __name__ == "__main__":
    main()
