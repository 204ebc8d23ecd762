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
    stop_comparisons(root / "store")


TOKEN = "browser-test-token"


def token_server_at(root: Path, *args: str):
    """`berdaya viz --token TOKEN --max-running 1 --max-upload-mb 1 ARGS` on 127.0.0.1 (a token asked for as
    on a network), its temporary files (uploads) under ``root/tmp``."""
    (root / "tmp").mkdir()
    before = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(root / "tmp")
    try:
        process, url = serve(
            root / "server.log",
            "--store",
            str(root / "store"),
            "--token",
            TOKEN,
            "--max-running",
            "1",
            "--max-upload-mb",
            "1",
            *args,
        )
    finally:
        if before is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = before
    return process, url


@pytest.fixture(scope="module")
def token_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("token")
    process, url = token_server_at(root)
    yield url, root
    stop(process)
    stop_comparisons(root / "store")


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("shared")
    process, url = token_server_at(root, "--shared")
    yield url, root
    stop(process)


def stop_comparisons(store: Path) -> None:
    """Nothing a test started outlives its module."""
    for comparison in jobs.comparisons(store):
        if comparison.state in (jobs.RUNNING, jobs.WAITING_STATE):
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


def set_box(box, wanted: bool) -> None:
    """Click a checkbox that does not hold ``wanted``, then wait until it does: its state comes back from
    the server, so Playwright's ``set_checked``, which looks at once, failed on a loaded machine (CI)."""
    for _ in range(3):  # a click lost while the page re-renders is made again
        if box.is_checked() == wanted:
            return
        box.click(force=True)
        try:
            expect(box).to_be_checked(checked=wanted, timeout=5000)
            return
        except AssertionError:
            continue
    expect(box).to_be_checked(checked=wanted)


def choose_small(page) -> None:
    """Only the two strategies of PICK (of the four shown; their variants start unchosen), the quick look's
    runs, no decomposition."""
    for index, arm in enumerate(jobs.strategy_choices()[: len(STRATEGIES)]):
        set_box(page.locator(".cmp-strategy input[type=checkbox]").nth(index), arm in PICK)
    page.locator(".cmp-runs input[type=radio]").first.check(force=True)
    set_box(page.locator(".cmp-settings input[type=checkbox]"), False)
    runs = jobs.estimate_runs(PICK, jobs.RUN_CHOICES[0], False)  # each strategy's runs and the default village's
    expect(page.locator(".cmp-estimate")).to_contain_text(f"({runs} ")


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
    expect(page.locator("iframe.cmp-report")).to_have_attribute("sandbox", "")  # the report runs no script
    assert str(store.parent) not in page.content()  # no folder of the host in the page
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
    while not (folder / jobs.PROCESS).is_file() or (folder / jobs.WAITING).exists():  # computing, not waiting
        assert time.monotonic() < deadline
        time.sleep(0.05)
    pid = json.loads((folder / jobs.PROCESS).read_text())["pid"]
    os.killpg(pid, signal.SIGSTOP)  # held mid-run while the page is reloaded, as a laptop lid holds it
    try:
        page.reload()
        expect(page.locator(".cmp-state")).to_have_text(t("compare.state.running", "id"))
        expect(page.locator(".cmp-progress")).to_be_visible()
        expect(page.locator(".cmp-done")).to_contain_text(
            f"dari {jobs.estimate_runs(PICK, jobs.RUN_CHOICES[0], False)} simulasi"
        )
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


def start_typical(page, lang: str) -> str:
    """Start a quick comparison of the typical village from the form; its name."""
    page.locator(".cmp-village input[type=radio]").nth(1).check(force=True)
    choose_small(page)
    page.locator(".cmp-start").click()
    name = job_of(page)
    expect(page.locator(".cmp-heading")).to_contain_text(t("compare.typical", lang))
    return name


def test_a_token_a_stranger_without_it_and_a_browser_that_sees_only_its_own(token_server, browser):
    """The token URL in one browser, the bare URL in another (403), and a third with the token that does not
    list the first one's comparisons until it opens one from a link; a comparison waits its turn and is
    cancelled."""
    url, root = token_server
    first = Officer(browser, *WIDTHS["laptop"])
    page = first.open(f"{url}compare?lang=en&token={TOKEN}")
    running = start_typical(page, "en")
    page.locator(".cmp-back").click()
    waiting = start_typical(page, "en")  # one at a time (--max-running 1): this one waits
    expect(page.locator(".cmp-state")).to_have_text(t("compare.state.waiting", "en"))
    expect(page.locator(".cmp-waiting")).to_have_text(t("compare.waiting_next", "en"))
    shot(page, "waiting-en-laptop")
    page.locator(".cmp-cancel").click()
    expect(page.locator(".cmp-state")).to_have_text(t("compare.state.cancelled", "en"))
    expect(page.locator(".cmp-cancelled")).to_have_text(t("compare.cancelled", "en"))
    assert str(root) not in page.content()

    stranger = browser.new_context(viewport={"width": 390, "height": 844})
    bare = stranger.new_page()
    for path in ("compare?lang=id", "", f"compare?job={running}", "resourcez?verbose"):
        reply = bare.goto(url + path)
        assert reply.status == 403, path
        expect(bare.locator("p[lang=id]")).to_have_text(t("gate.refused", "id"))
        expect(bare.locator("p[lang=en]")).to_have_text(t("gate.refused", "en"))
    shot(bare, "403-phone")
    stranger.close()

    third = Officer(browser, *WIDTHS["phone"])
    other = third.open(f"{url}compare?lang=id&token={TOKEN}")
    expect(other.locator(".cmp-main")).to_contain_text(t("compare.none_yet", "id"))
    expect(other.locator(".cmp-item")).to_have_count(0)
    other.wait_for_load_state("networkidle")  # leaving a page aborts what it still loads
    other.goto(f"{url}compare?lang=id&job={running}")  # a link it was given; the token is its cookie now
    expect(other.locator(".cmp-heading")).to_contain_text(t("compare.typical", "id"))
    other.locator(".cmp-back").click()
    expect(other.locator(".cmp-item")).to_have_count(1)
    shot(other, "linked-id-phone")
    third.close()

    page.locator(".cmp-back").click()
    expect(page.locator(".cmp-item")).to_have_count(2)
    page.locator(".cmp-item", has_text=t("compare.state.finished", "en")).locator("button").click(timeout=120_000)
    expect(page.frame_locator("iframe.cmp-report").locator("h1")).to_have_text(t("report.title", "en").format(k=2))
    first.close()
    assert {c.name: c.state for c in jobs.comparisons(root / "store")} == {
        running: jobs.FINISHED,
        waiting: jobs.CANCELLED_STATE,
    }


def test_with_shared_every_browser_with_the_token_sees_every_comparison(shared_server, browser):
    url, root = shared_server
    made = jobs.create(
        root / "store",
        strategies=list(PICK),
        facilitators=2,
        replicates=3,
        decompose=False,
        lang="en",
        village=None,
        village_name="Someone else's",
        owner="0123456789abcdef",
    )
    officer = Officer(browser, *WIDTHS["laptop"])
    page = officer.open(f"{url}compare?lang=en&token={TOKEN}")
    expect(page.locator(".cmp-item")).to_have_count(1)
    expect(page.locator(".cmp-item")).to_contain_text("Someone else's")
    officer.close()
    assert jobs.state_of(made)[0] == jobs.INTERRUPTED  # written, never started


def test_an_upload_over_the_limit_is_refused_before_it_is_read(token_server, browser, tmp_path):
    url, root = token_server
    big = tmp_path / "households.csv"
    lines = (EXAMPLE / "households.csv").read_text().splitlines()
    big.write_text("\n".join(lines + [f"{lines[1]},note {i:07d}" for i in range(30_000)]) + "\n")  # about 2 MB
    size = big.stat().st_size / 1e6
    officer = Officer(browser, *WIDTHS["phone"])
    page = officer.open(f"{url}compare?lang=id&token={TOKEN}")
    page.set_input_files(".cmp-upload-households input[type=file]", str(big))
    error = page.locator(".cmp-survey-error")
    expect(error).to_contain_text(f"households.csv: is {size:.1f} MB; the page takes files of up to 1 MB")
    expect(error.locator(".cmp-why")).to_have_text(
        t("compare.why.too_large", "id").format(value=f"{size:.1f}", limit=1)
    )
    expect(page.locator(".cmp-start")).to_be_disabled()
    shot(page, "too-large-id-phone")
    officer.close()
    assert not list((root / "tmp").glob("berdaya-upload-*/households.csv"))  # never read, never written
