"""The comparison page's background jobs (``berdaya.viz.jobs``) without a browser: the survey check and
the village it sizes, the comparison folder and its scenarios, running / interrupted / failed /
finished read back from disk, resuming, the list of comparisons, a store that cannot be written, and
the survey template."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import signal
import time
import zipfile
from pathlib import Path

import pytest
from solara.server import kernel, kernel_context

from berdaya.viz import jobs
from berdaya.viz.compare import check, column_help, plain_error, save_upload, template_zip, too_large, upload_folder
from sim.errors import InputError
from sim.scenario import SCENARIO_DIR, load_scenario
from sim.survey import PATRON_FILE

EXAMPLE = SCENARIO_DIR / "survey_example"


def upload(folder: Path, edit=None) -> Path:
    """The shipped example survey as an upload, ``edit(lines)`` applied to households.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE / PATRON_FILE, folder / PATRON_FILE)
    lines = (EXAMPLE / jobs.HOUSEHOLDS_FILE).read_text().splitlines()
    (folder / jobs.HOUSEHOLDS_FILE).write_text("\n".join(edit(lines) if edit else lines) + "\n")
    return folder


def wait_for(folder: Path, states: set[str], seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while (state := jobs.state_of(folder)[0]) not in states:
        assert time.monotonic() < deadline, f"still {state}: {(folder / jobs.LOG).read_text()}"
        time.sleep(0.2)
    return state


def pid_of(folder: Path, seconds: float = 60, computing: bool = True) -> int:
    """The pid of a started comparison's process, once it computes (has its turn), or at once."""
    deadline = time.monotonic() + seconds
    while not (folder / jobs.PROCESS).is_file() or (computing and (folder / jobs.WAITING).exists()):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return json.loads((folder / jobs.PROCESS).read_text())["pid"]


ESTIMATED = (["baseline", "area_based"], 3, False)  # small_comparison's strategies, replicates, decompose


def small_comparison(store: Path, village_name: str) -> Path:
    """A comparison of no programme against area-based on the typical village, three runs each."""
    return jobs.create(
        store,
        strategies=["baseline", "area_based"],
        facilitators=2,
        replicates=3,
        decompose=False,
        lang="en",
        village=None,
        village_name=village_name,
    )


def test_the_example_survey_sizes_the_village_as_its_scenario_does(tmp_path):
    village = jobs.read_village(upload(tmp_path / "up"))
    assert village.n_households == 220
    assert village.hamlet_names == ("Krajan", "Sumbersari", "Karanganyar", "Tegalrejo")
    assert village.patrons_per_hamlet == 2
    example = load_scenario(EXAMPLE / "survey_example.toml").params
    assert (village.width, village.height) == (example.width, example.height)


def wealth(line: int, cell: str):
    """An edit of households.csv that writes ``cell`` as the wealth on file line ``line``."""

    def edit(lines: list[str]) -> list[str]:
        cells = lines[line - 1].split(",")
        cells[2] = cell
        return lines[: line - 1] + [",".join(cells)] + lines[line:]

    return edit


negative_wealth = wealth(30, "-1.5")


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (negative_wealth, "line 30: wealth = -1.5 is negative"),
        (lambda lines: [lines[0].replace("awareness", "awarenes")] + lines[1:], "line 1: unknown column 'awarenes'"),
        (lambda lines: lines + ["KRA-999,Krajan,1,1.1,0.5,P99,0.1,0.5"], "line 222: patron_id: patron 'P99'"),
        (lambda lines: [lines[0], lines[1].replace("Krajan", "\u00b2", 1), *lines[2:]], "line 2: hamlet '²' has a"),
        (lambda lines: [lines[0], lines[1].replace("Krajan", "7" * 5000, 1), *lines[2:]], "line 2: hamlet '777"),
        (wealth(9, "1_0"), "line 9: wealth: '1_0' is not a number"),
    ],
)
def test_every_survey_error_names_the_file_the_line_and_the_column(tmp_path, edit, expected):
    folder = tmp_path / "up"
    with pytest.raises(InputError) as error:
        jobs.read_village(upload(folder, edit))
    message = jobs.short_error(error.value, folder)
    assert message.startswith(f"{jobs.HOUSEHOLDS_FILE}, ") and expected in message


def test_a_missing_patron_file_is_named(tmp_path):
    folder = upload(tmp_path / "up")
    (folder / PATRON_FILE).unlink()
    with pytest.raises(InputError, match="patrons.csv: patron file not found"):
        jobs.read_village(folder)


def test_a_store_that_cannot_be_written_is_refused_before_anything_runs(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="--store"):
        jobs.store_folder(blocker)
    with pytest.raises(InputError, match="inside: cannot write: a part of this path is a file"):
        jobs.store_folder(blocker / "inside")
    assert jobs.store_folder(tmp_path / "new" / "store").is_dir()


def test_a_comparison_folder_holds_the_survey_and_one_scenario_per_strategy(tmp_path):
    village = jobs.read_village(upload(tmp_path / "up"))
    folder = jobs.create(
        tmp_path / "store",
        strategies=["baseline", "exit_phased"],
        facilitators=7,
        replicates=5,
        decompose=False,
        lang="id",
        village=village,
        village_name="Desa Contoh",
    )
    job = json.loads((folder / jobs.JOB).read_text())
    assert job["village"] == "Desa Contoh" and job["households"] == 220 and job["command"][0] == "compare"
    assert "--no-decompose" in job["command"] and job["command"][job["command"].index("--replicates") + 1] == "5"
    baseline = load_scenario(folder / jobs.SCENARIOS / "baseline.toml").params
    phased = load_scenario(folder / jobs.SCENARIOS / "exit_phased.toml").params
    assert (baseline.n_facilitators, phased.n_facilitators) == (0, 7)  # the baseline keeps no programme
    assert phased.exit_mode == "phased" and phased.n_hamlets == 4 and phased.patrons_per_hamlet == 2
    assert Path(phased.survey).resolve() == (folder / jobs.VILLAGE / jobs.HOUSEHOLDS_FILE).resolve()
    assert (folder / jobs.VILLAGE / PATRON_FILE).read_text() == (EXAMPLE / PATRON_FILE).read_text()
    assert jobs.state_of(folder)[0] == jobs.INTERRUPTED  # written, never started: startable with --resume


@pytest.mark.parametrize(
    ("strategies", "facilitators", "field"),
    [
        (["baseline"], 4, "strategies"),
        (["baseline", "high_shock"], 4, "strategies"),
        (["baseline", "hybrid"], 0, "facilitators"),
        (["baseline", "hybrid"], 65, "facilitators"),
    ],
)
def test_what_compare_would_not_take_is_refused(tmp_path, strategies, facilitators, field):
    with pytest.raises(InputError, match=field):
        jobs.create(
            tmp_path,
            strategies=strategies,
            facilitators=facilitators,
            replicates=3,
            decompose=False,
            lang="en",
            village=None,
            village_name="",
        )
    assert not any(tmp_path.iterdir())


def test_the_offered_strategies_leave_the_village_alone():
    offered = jobs.strategy_choices()
    assert offered[:4] == ["baseline", "area_based", "enterprise_based", "hybrid"]
    assert "exit_phased" in offered and "high_shock" not in offered and "large_village" not in offered


def test_a_comparison_runs_detached_is_interrupted_by_a_kill_and_resumes_to_its_report(tmp_path):
    store = jobs.store_folder(tmp_path / "store")
    folder = small_comparison(store, "Typical")
    jobs.start(folder)
    pid = pid_of(folder)
    os.killpg(pid, signal.SIGSTOP)
    assert jobs.state_of(folder)[0] == jobs.RUNNING
    with pytest.raises(InputError, match="running already"):
        jobs.start(folder)
    os.killpg(pid, signal.SIGKILL)
    assert wait_for(folder, {jobs.INTERRUPTED}) == jobs.INTERRUPTED
    assert [c.state for c in jobs.comparisons(store)] == [jobs.INTERRUPTED]
    jobs.start(folder, resume=True)
    assert wait_for(folder, {jobs.FINISHED, jobs.FAILED}) == jobs.FINISHED, (folder / jobs.LOG).read_text()
    found = jobs.comparisons(store)[0]
    made = {part: jobs._stored(folder / jobs.RESULT / path) for part, path in jobs.PARTS.items()}
    assert made["runs"] == (6, 6) and made["default_village"] == (6, 6) and made["decomposition"] is None
    assert 0 < made["switch_points"][0] == made["switch_points"][1] <= 2 * 4 * 5 * 3  # the runs along the grids
    assert found.exit["resumed"] and found.exit["runs"] == 12 + made["switch_points"][0]
    finished = jobs.progress(folder)
    assert finished.step == "report" and finished.done == finished.total == found.exit["runs"]
    assert finished.total <= jobs.estimate_runs(*ESTIMATED)
    aside = folder / jobs.RESULT / "aside"
    (folder / jobs.RESULT / "switch_points").rename(aside)  # as if the command had found nothing to run there
    skipped = jobs.progress(folder)
    assert skipped.step == "report" and skipped.done == skipped.total == 12
    aside.rename(folder / jobs.RESULT / "switch_points")
    shutil.rmtree(folder / jobs.RESULT / "default_village")  # as it was before its runs began
    before = jobs.progress(folder)
    assert before.step == "default_village" and before.total == before.done + 6
    assert "<html" in found.report("en").read_text() and found.report("id").name == "report.id.html"
    assert 'lang="id"' in found.report("id").read_text()
    # a resumed comparison measured only its rest, so the estimate keeps the speed timed on this machine
    assert jobs.seconds_per_household_month(store) == jobs.machine_speed()


def test_a_refused_comparison_is_failed_with_the_commands_own_message(tmp_path):
    store = jobs.store_folder(tmp_path / "store")
    folder = small_comparison(store, "")
    job = json.loads((folder / jobs.JOB).read_text())
    (folder / jobs.SCENARIOS / "area_based.toml").write_text("[village]\nn_hamlets = 99\n")
    jobs.start(folder)
    assert wait_for(folder, {jobs.FINISHED, jobs.FAILED}) == jobs.FAILED
    found = jobs.comparisons(store)[0]
    assert found.exit["status"] == 2 and "n_hamlets" in found.error() and found.report("en") is None
    assert job["command"][1].endswith("baseline.toml")


def test_the_list_skips_what_is_not_a_comparison(tmp_path):
    store = jobs.store_folder(tmp_path)
    (store / "notes").mkdir()
    (store / "damaged").mkdir()
    (store / "damaged" / jobs.JOB).write_text("{not json")
    (store / "a-file.txt").write_text("x")
    made = jobs.create(
        store,
        strategies=["baseline", "hybrid"],
        facilitators=4,
        replicates=3,
        decompose=True,
        lang="en",
        village=None,
        village_name="",
    )
    assert [c.folder for c in jobs.comparisons(store)] == [made]


def test_the_estimate_counts_every_part_the_command_runs_and_the_decomposition_only_for_two_programmes():
    two = jobs.planned_parts(["baseline", "area_based"], 10, True)
    assert two == {"runs": 20, "decomposition": 0, "switch_points": 2 * 4 * 5 * 6, "default_village": 20}
    three = jobs.planned_parts(["baseline", "area_based", "hybrid"], 30, True)
    assert three == {
        "runs": 90,
        "decomposition": jobs.DECOMPOSITION_CELLS * 12,
        "switch_points": 240,
        "default_village": 30,
    }
    assert jobs.planned_parts(["baseline", "area_based"], 4, False)["switch_points"] == 2 * 4 * 5 * 4
    assert jobs.estimate_runs(["baseline", "area_based", "hybrid"], 30, False) == 90 + 240 + 30
    assert list(two) == list(jobs.PARTS)  # one folder for each part, in the command's order


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_template_explains_every_column_and_as_it_is_is_refused_as_too_small_to_organise(tmp_path, lang):
    """Its one example household passes every check of a column, and is refused, plainly, as a village."""
    with zipfile.ZipFile(io.BytesIO(template_zip(lang))) as archive:
        archive.extractall(tmp_path)
    with pytest.raises(InputError) as error:
        jobs.read_village(tmp_path)
    assert "hamlet Krajan has 1 household, too few to organise" in str(error.value)
    plain = plain_error(error.value, lang)
    assert "Krajan" in plain and "10" in plain
    assert ("the template holds one example" if lang == "en" else "templat hanya berisi satu contoh") in plain
    guide = (tmp_path / ("PETUNJUK.txt" if lang == "id" else "GUIDE.txt")).read_text()
    for file, rows in column_help(lang).items():
        assert file in guide
        for column, _, text in rows:
            assert f"  {column}" in guide and text in guide and "{" not in text


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (negative_wealth, "Nilai -1.5 di kolom wealth di luar batas"),
        (wealth(8, "tiga"), "Kolom wealth berisi “tiga”, bukan angka"),
        (
            lambda lines: (
                [lines[0].replace(",debt", "")] + [",".join(x.split(",")[:4] + x.split(",")[5:]) for x in lines[1:]]
            ),
            "tidak punya kolom debt",
        ),
        (lambda lines: lines + ["KRA-999,Krajan,1,1.1,0.5,P99,0.1,0.5"], "Patron “P99” tidak ada di patrons.csv"),
        (lambda lines: [lines[0].replace("awareness", "awarenes")] + lines[1:], ""),  # a rarer error: English only
    ],
)
def test_the_common_survey_errors_read_in_indonesian_with_what_the_column_holds(tmp_path, edit, expected):
    with pytest.raises(InputError) as error:
        jobs.read_village(upload(tmp_path / "up", edit))
    plain = plain_error(error.value, "id")
    assert expected in plain if expected else plain == ""
    if "wealth" in expected:
        assert dict((c, text) for c, _, text in column_help("id")[jobs.HOUSEHOLDS_FILE])["wealth"] in plain


def test_an_uploaded_survey_is_removed_when_its_session_ends():
    context = kernel_context.VirtualKernelContext(id="upload", session_id="upload", kernel=kernel.Kernel())
    with context:
        save_upload(PATRON_FILE, (EXAMPLE / PATRON_FILE).read_bytes())
        folder = Path(upload_folder.value)
    assert (folder / PATRON_FILE).is_file()
    context.restart()  # runs the session's close callbacks, as closing it does
    assert not folder.exists()
    with context:  # the same tab uploading again gets a fresh folder
        save_upload(PATRON_FILE, (EXAMPLE / PATRON_FILE).read_bytes())
        again = Path(upload_folder.value)
    assert again != folder and (again / PATRON_FILE).is_file()
    context.restart()


@pytest.mark.slow
def test_three_comparisons_with_one_at_a_time_run_in_turn_and_one_waiting_can_be_cancelled(tmp_path):
    """--max-running 1: one computes, two wait in the order they were started; the last is cancelled while
    it waits, the others finish one after the other; the cancelled one then resumes to its report."""
    store = jobs.store_folder(tmp_path / "store")
    folders = [small_comparison(store, name) for name in ("first", "second", "third")]
    for folder in folders:
        jobs.start(folder, max_running=1)
    deadline = time.monotonic() + 120
    while [jobs.state_of(f)[0] for f in folders] != [jobs.RUNNING, jobs.WAITING_STATE, jobs.WAITING_STATE]:
        assert time.monotonic() < deadline, [jobs.state_of(f)[0] for f in folders]
        time.sleep(0.1)
    assert [jobs.ahead(f) for f in folders[1:]] == [0, 1]
    pid_of(folders[2], computing=False)
    jobs.cancel(folders[2])
    assert wait_for(folders[2], {jobs.CANCELLED_STATE}) == jobs.CANCELLED_STATE
    for folder in folders[:2]:
        assert wait_for(folder, {jobs.FINISHED, jobs.FAILED}) == jobs.FINISHED, (folder / jobs.LOG).read_text()
    first, second = (json.loads((f / jobs.EXIT).read_text()) for f in folders[:2])
    assert first["ended"] <= second["began"]  # never two at once
    jobs.start(folders[2], resume=True, max_running=1)
    assert wait_for(folders[2], {jobs.FINISHED, jobs.FAILED}) == jobs.FINISHED
    assert [c.state for c in jobs.comparisons(store)] == [jobs.FINISHED] * 3


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("replicates", 100_000),
        ("replicates", True),
        ("replicates", "30"),
        ("facilitators", 4.5),
        ("decompose", "yes"),
        ("strategies", ["baseline", "baseline"]),
        ("strategies", "baseline,hybrid"),
        ("lang", "fr"),
        ("village_name", "x" * 81),
        ("village_name", "a\nb"),
    ],
)
def test_the_server_checks_every_field_the_page_sends(tmp_path, field, value):
    """What a changed websocket message could send is refused by name, and nothing is written."""
    request = {
        "strategies": ["baseline", "hybrid"],
        "facilitators": 4,
        "replicates": 30,
        "decompose": False,
        "lang": "en",
        "village": None,
        "village_name": "",
    }
    with pytest.raises(InputError, match=field):
        jobs.create(tmp_path, **{**request, field: value})
    assert not any(tmp_path.iterdir())


def test_a_comparison_the_disk_cannot_hold_is_refused_before_it_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(jobs.shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(10**9, 10**9 - 10**6, 10**6))
    with pytest.raises(InputError, match="not enough free disk for this comparison: it needs about"):
        small_comparison(tmp_path, "")
    assert not any(tmp_path.iterdir())


def test_each_browser_lists_the_comparisons_it_started_or_was_given_a_link_to(tmp_path):
    store = jobs.store_folder(tmp_path)
    mine = jobs.create(
        store,
        strategies=["baseline", "hybrid"],
        facilitators=4,
        replicates=3,
        decompose=False,
        lang="en",
        village=None,
        village_name="mine",
        owner="aaaa",
    )
    theirs = small_comparison(store, "theirs")
    assert [c.folder for c in jobs.comparisons(store, "aaaa")] == [mine]
    assert jobs.comparisons(store, "bbbb") == []
    jobs.seen(mine, "bbbb")  # opened from a link
    assert [c.folder for c in jobs.comparisons(store, "bbbb")] == [mine]
    assert {c.folder for c in jobs.comparisons(store)} == {mine, theirs}
    assert len({mine.name.rsplit("-", 1)[1], theirs.name.rsplit("-", 1)[1]}) == 2  # names end in random letters


def test_a_survey_over_the_household_limit_is_refused_plainly(tmp_path, monkeypatch):
    monkeypatch.setattr(jobs, "MAX_HOUSEHOLDS", 100)
    with pytest.raises(InputError) as error:
        jobs.read_village(upload(tmp_path / "up"))
    assert "has 220 households; the comparison page takes at most 100" in str(error.value)
    assert "220" in plain_error(error.value, "id") and "berdaya compare" in plain_error(error.value, "id")


def test_the_estimate_grows_with_the_village_and_follows_this_machines_speed(tmp_path, monkeypatch):
    monkeypatch.setattr(jobs, "machine_speed", lambda: 1e-6)
    big = dataclasses.replace(jobs.read_village(upload(tmp_path / "up")), n_households=30_000)
    arms = ["baseline", "area_based", "hybrid"]
    typical = jobs.estimate_seconds(tmp_path, arms, 30, True) - jobs.OVERHEAD_S
    surveyed = jobs.estimate_seconds(tmp_path, arms, 30, True, big) - jobs.OVERHEAD_S
    assert surveyed / typical == pytest.approx(30_000 / jobs.typical_households())
    assert typical == pytest.approx(jobs.estimate_runs(arms, 30, True) * jobs.typical_households() * 120 * 1e-6)


def test_an_upload_over_the_limit_is_refused_before_it_is_read_and_not_kept(monkeypatch):
    monkeypatch.setenv(jobs.UPLOAD_VARIABLE, "1")
    assert too_large(jobs.HOUSEHOLDS_FILE, 1_000_000) is None
    refused = too_large(jobs.HOUSEHOLDS_FILE, 2_500_000)
    assert str(refused) == "households.csv: is 2.5 MB; the page takes files of up to 1 MB"
    assert "2.5 MB" in plain_error(refused, "en") and "1 MB" in plain_error(refused, "id")

    class Endless(io.RawIOBase):  # a browser that declared a small file and sends for ever
        read_so_far = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            self.read_so_far += len(buffer)
            buffer[:] = b"x" * len(buffer)
            return len(buffer)

    source = Endless()
    context = kernel_context.VirtualKernelContext(id="big", session_id="big", kernel=kernel.Kernel())
    with context:
        save_upload(jobs.HOUSEHOLDS_FILE, source)
        folder = Path(upload_folder.value)
        assert not (folder / jobs.HOUSEHOLDS_FILE).exists() and "up to 1 MB" in str(check.value)
    assert source.read_so_far <= 3 * 1_000_000  # stopped at the limit, not read to the end
    context.restart()
