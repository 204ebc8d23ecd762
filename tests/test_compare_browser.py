"""The comparison page (/compare) in a real browser, as a programme officer uses it.

`berdaya viz --store DIR` serves it; headless Chromium at a laptop's 1280 px and a phone's 390 px, in
English and in Bahasa Indonesia: upload the shipped example survey, compare two strategies with few
runs, read the report in the page and in the other language, download it; a broken survey gets its
error in the page and starts nothing; a reload while the comparison runs shows it running, and it
finishes. Every request is recorded and none may leave 127.0.0.1. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import test_viz
from playwright.sync_api import expect
from test_viz import ARTIFACTS, Watched, serve, stop

from analysis.i18n import t
from berdaya.viz import jobs
from sim.params import STRATEGIES
from sim.scenario import SCENARIO_DIR

EXAMPLE = SCENARIO_DIR / "survey_example"
browser = test_viz.browser  # the visualizer tests' Chromium fixture
WIDTHS = {"laptop": (1280, 800), "phone": (390, 844)}
# Two strategies, the fewest runs the page offers, no decomposition: about ten seconds here.
PICK = ("baseline", "area_based")
# Running and the two reports take about ten seconds; the margin is for a machine busy with other jobs.
expect.set_options(timeout=120_000)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("compare")
    process, url = serve(root / "server.log", "--store", str(root / "store"))
    yield url, root / "store"
    stop(process)
    for comparison in jobs.comparisons(root / "store"):  # nothing this module started outlives it
        if comparison.state == jobs.RUNNING:
            os.killpg(json.loads((comparison.folder / jobs.PROCESS).read_text())["pid"], signal.SIGKILL)


class Officer(Watched):
    """A page whose requests are all recorded (about:srcdoc is the report's own frame)."""

    def open(self, url: str):
        self.page.goto(url)
        self.page.wait_for_selector(".cmp-main", timeout=90_000)
        return self.page

    def close(self) -> None:
        self.requests = [u for u in self.requests if urlsplit(u).scheme != "about"]
        super().close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"compare-{name}.png"), full_page=True)


def upload(page, households: Path, patrons: Path = EXAMPLE / "patrons.csv") -> None:
    page.set_input_files(".cmp-upload-households input[type=file]", str(households))
    page.set_input_files(".cmp-upload-patrons input[type=file]", str(patrons))


def choose_small(page) -> None:
    """Only the two strategies of PICK (of the four shown; their variants start unchosen), the quick look's
    runs, no decomposition."""
    for index, arm in enumerate(jobs.strategy_choices()[: len(STRATEGIES)]):
        box = page.locator(".cmp-strategy input[type=checkbox]").nth(index)
        box.set_checked(arm in PICK, force=True)
    page.locator(".cmp-runs input[type=radio]").first.check(force=True)
    page.locator(".cmp-settings input[type=checkbox]").set_checked(False, force=True)
    expect(page.locator(".cmp-estimate")).to_contain_text(f"({jobs.RUN_CHOICES[0] * len(PICK)} ")


def job_of(page) -> str:
    page.wait_for_url(lambda address: "job=" in address)
    return parse_qs(urlsplit(page.url).query)["job"][0]


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("screen", ["laptop", "phone"])
def test_a_village_survey_becomes_a_report_in_the_page(server, browser, lang, screen):
    url, store = server
    officer = Officer(browser, *WIDTHS[screen])
    page = officer.open(f"{url}compare?lang={lang}")
    expect(page.locator(".cmp-title")).to_have_text(t("compare.title", lang))
    expect(page.locator(".cmp-start")).to_be_disabled()  # no survey yet
    upload(page, EXAMPLE / "households.csv")
    expect(page.locator(".cmp-survey-ok")).to_contain_text("220")
    choose_small(page)
    fits(page)
    shot(page, f"1-form-{lang}-{screen}")
    page.locator(".cmp-start").click()
    name = job_of(page)
    expect(page.locator(".cmp-heading")).to_contain_text(t("baseline", lang))
    shot(page, f"2-running-{lang}-{screen}")
    frame = page.frame_locator("iframe.cmp-report")
    expect(frame.locator("h1")).to_have_text(t("report.title", lang).format(k=2))
    expect(page.locator(".cmp-state")).to_have_text(t("compare.state.finished", lang))
    quick = t("compare.quick_note", lang).format(n=jobs.RUN_CHOICES[0], recommended=jobs.RUN_CHOICES[1])
    expect(page.locator(".cmp-quick")).to_have_text(quick)  # a quick look says it is one
    fits(page)
    shot(page, f"3-report-{lang}-{screen}")
    with page.expect_download() as download:
        page.locator(".cmp-main button", has_text=t("compare.download", lang)).click()
    saved = Path(download.value.path()).read_text()
    shown = next(c for c in jobs.comparisons(store) if c.name == name).report(lang)
    assert saved == shown.read_text() and f'lang="{lang}"' in saved
    other = "id" if lang == "en" else "en"
    page.locator(".cmp-report-language button").nth(["en", "id"].index(other)).click()
    expect(frame.locator("h1")).to_have_text(t("report.title", other).format(k=2))
    page.locator(".cmp-back").click()
    expect(page.locator(".cmp-item").first).to_contain_text(t("compare.state.finished", lang))
    expect(page.locator(".cmp-item").first).to_contain_text("Krajan")
    officer.close()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_broken_survey_gets_its_error_in_the_page_and_no_run(server, browser, lang, tmp_path):
    url, store = server
    lines = (EXAMPLE / "households.csv").read_text().splitlines()
    cells = lines[29].split(",")
    cells[2] = "-1.5"  # wealth on line 30
    broken = tmp_path / "households.csv"
    broken.write_text("\n".join(lines[:29] + [",".join(cells)] + lines[30:]) + "\n")
    before = sorted(p.name for p in store.iterdir())
    officer = Officer(browser, *WIDTHS["phone"])
    page = officer.open(f"{url}compare?lang={lang}")
    upload(page, broken)
    error = page.locator(".cmp-survey-error")
    expect(error).to_contain_text("households.csv, line 30: wealth = -1.5 is negative")
    expect(error).to_contain_text(t("compare.survey_error", lang))
    where = [
        t(f"compare.where_{part}", lang).format(value=v)
        for part, v in (("file", "households.csv"), ("line", 30), ("column", "wealth"))
    ]
    expect(error.locator(".cmp-where")).to_have_text(" · ".join(where))
    plain = t("compare.why.range", lang).split("{allowed}")[0].format(value="-1.5", column="wealth")
    expect(error.locator(".cmp-why")).to_contain_text(plain)  # said in the page's language, above the model's words
    expect(page.locator(".cmp-start")).to_be_disabled()
    expect(page.locator(".cmp-blocked")).to_have_text(t("compare.need_survey", lang))
    fits(page)
    shot(page, f"broken-{lang}")
    officer.close()
    assert sorted(p.name for p in store.iterdir()) == before


def test_a_reload_while_it_runs_shows_it_running_and_then_its_report(server, browser):
    url, store = server
    officer = Officer(browser, *WIDTHS["phone"])
    page = officer.open(f"{url}compare?lang=id")
    upload(page, EXAMPLE / "households.csv")
    expect(page.locator(".cmp-survey-ok")).to_be_visible()
    choose_small(page)
    page.locator(".cmp-start").click()
    folder = store / job_of(page)
    deadline = time.monotonic() + 60
    while not (folder / jobs.PROCESS).is_file():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    pid = json.loads((folder / jobs.PROCESS).read_text())["pid"]
    os.killpg(pid, signal.SIGSTOP)  # held mid-run while the page is reloaded, as a laptop lid holds it
    try:
        page.reload()
        expect(page.locator(".cmp-state")).to_have_text(t("compare.state.running", "id"))
        expect(page.locator(".cmp-progress")).to_be_visible()
        expect(page.locator(".cmp-done")).to_contain_text(f"dari {jobs.RUN_CHOICES[0] * len(PICK)} simulasi")
        expect(page.locator(".cmp-ok")).to_have_text(t("compare.keeps_running", "id"))
        shot(page, "reloaded-running-id-phone")
        page.goto(f"{url}compare?lang=id")
        expect(page.locator(".cmp-item .cmp-state.running")).to_have_count(1)
    finally:
        os.killpg(pid, signal.SIGCONT)
    page.locator(".cmp-item button").first.click()
    expect(page.frame_locator("iframe.cmp-report").locator("h1")).to_have_text(t("report.title", "id").format(k=2))
    officer.close()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_an_interrupted_comparison_is_continued_from_the_page(server, browser, lang):
    url, store = server
    folder = jobs.create(
        store,
        strategies=list(PICK),
        facilitators=2,
        replicates=3,
        decompose=False,
        lang=lang,
        village=None,
        village_name=f"Interrupted {lang}",
    )  # written, never run: as after a crash
    officer = Officer(browser, *WIDTHS["laptop"])
    page = officer.open(f"{url}compare?lang={lang}")
    item = page.locator(".cmp-item", has_text=f"Interrupted {lang}")
    expect(item.locator(".cmp-state")).to_have_text(t("compare.state.interrupted", lang))
    item.locator("button").click()
    expect(page.locator(".cmp-interrupted")).to_have_text(t("compare.interrupted", lang))
    shot(page, f"interrupted-{lang}")
    page.locator(".cmp-resume").click()
    expect(page.frame_locator("iframe.cmp-report").locator("h1")).to_have_text(t("report.title", lang).format(k=2))
    assert jobs.state_of(folder)[0] == jobs.FINISHED
    officer.close()


def test_each_page_links_to_the_other_in_its_language(server, browser):
    url, _ = server
    officer = Officer(browser, *WIDTHS["laptop"])
    page = officer.page
    page.goto(f"{url}?lang=id")
    expect(page.locator("img.berdaya-village")).to_be_visible()
    page.wait_for_load_state("networkidle")  # leaving a page aborts what it still loads
    page.locator("a.berdaya-to-compare").click()
    expect(page.locator(".cmp-title")).to_have_text(t("compare.title", "id"))
    page.wait_for_load_state("networkidle")
    page.locator("a.cmp-to-viz").click()
    expect(page.locator("img.berdaya-village")).to_be_visible()
    expect(page.locator(".berdaya-title")).to_have_text(t("viz.title", "id"))
    officer.close()
