"""report.html in a real browser (headless Chromium): nothing fetched from outside, every figure
decodes, and the page fits a phone's width. Screenshots go to test-artifacts/ to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from analysis.figures import GROUP_LIFE, TRAJECTORIES
from analysis.report import EXTRA_TRAJECTORIES
from berdaya.cli import main

pytestmark = pytest.mark.slow  # in a browser

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
SMALL = [
    "--set",
    "village.width=20",
    "--set",
    "village.height=20",
    "--months",
    "36",
    "--set",
    "programme.programme_months=24",
]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "compare"
    assert (
        main(
            [
                "compare",
                "baseline",
                "enterprise_based",
                "--replicates",
                "3",
                "--workers",
                "2",
                "--out",
                str(out),
                *SMALL,
            ]
        )
        == 0
    )
    return out / "report.html"


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize(("width", "height", "shot"), [(1280, 900, "report.png"), (390, 844, "report-phone.png")])
def test_the_report_renders_offline_and_fits_the_screen(report, lang, width, height, shot):
    assert main(["report", str(report.parent), "--lang", lang]) == 0
    page_file = report if lang == "en" else report.with_name(f"report.{lang}.html")  # side by side
    requests, failed = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.on("request", lambda r: requests.append(r.url))
            page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
            page.goto(page_file.as_uri())
            page.wait_for_load_state("load")
            images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
            labels = page.eval_on_selector_all("figure", "els => els.map(e => e.querySelector('img').alt.trim())")
            language = page.get_attribute("html", "lang")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            heading = page.inner_text("h1")
            ARTIFACTS.mkdir(exist_ok=True)
            named = shot if lang == "en" else shot.replace("report", f"report-{lang}")
            page.screenshot(path=str(ARTIFACTS / named))
            page.screenshot(path=str(ARTIFACTS / named.replace(".png", "-full.png")), full_page=True)
        finally:
            browser.close()
    assert not failed
    assert requests and all(url.startswith(("file://", "data:")) for url in requests)
    expected = (
        len(TRAJECTORIES) + len(EXTRA_TRAJECTORIES) + len(GROUP_LIFE) + 3
    )  # one programme strategy: no decomposition; the acceptability curve (best buy by willingness to pay)
    assert len(images) == expected and all(done and natural > 0 for done, natural in images)
    assert len(labels) == len(images) and all(labels)  # every figure has its title as text
    assert language == lang
    assert overflow <= 0  # no sideways scrolling of the page itself
    assert heading.strip()
