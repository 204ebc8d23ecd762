"""Takes the README's screenshots: a comparison report, the visualizer and the comparison page (playwright + chromium).

.venv/bin/python docs/img/screenshots.py runs/compare-...   # a folder written by `berdaya compare`
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent.parent / "scenarios" / "survey_example"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(report: Path) -> None:
    port = free_port()
    berdaya = Path(sys.executable).with_name("berdaya")
    store = tempfile.mkdtemp(prefix="berdaya-shots-")
    server = subprocess.Popen(
        [str(berdaya), "viz", "--port", str(port), "--store", store],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 1300})
            page.goto((report / "report.html").resolve().as_uri())
            page.screenshot(path=HERE / "report.png")
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            deadline = time.monotonic() + 120
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{port}/?card=exit")
                    break
                except Exception:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(1)
            page.get_by_text("To the end").first.click(timeout=120_000)
            page.wait_for_timeout(15_000)
            page.screenshot(path=HERE / "visualizer.png")
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/compare?lang=id")
            page.set_input_files(".cmp-upload-households input[type=file]", str(EXAMPLE / "households.csv"))
            page.set_input_files(".cmp-upload-patrons input[type=file]", str(EXAMPLE / "patrons.csv"))
            page.locator(".cmp-survey-ok").wait_for(timeout=60_000)
            page.screenshot(path=HERE / "compare.png")
            browser.close()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
