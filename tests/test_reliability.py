"""Faults as users meet them: full and read-only disks, damaged stores, two runs at once,
failed runs to retry, inputs checked before any run, and a Dask cluster that misbehaves.

Every fault ends in one line and exit status 2 (or in a correct result), and nothing
computed before it is lost. Full and read-only file systems are real: a small tmpfs
mounted for the test (root only; skipped with the reason otherwise). The Dask tests start
a real scheduler and workers as separate processes on 127.0.0.1 and kill them at the end.
"""

from __future__ import annotations

import errno
import fcntl
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import berdaya.commands.run as run_command
from berdaya.cli import main
from experiments import make_experiment, read_results, run_experiment
from experiments.engine import EngineOptions, code_fingerprint, execute
from experiments.store import ASIDE, CORRUPT, MANIFEST, tidy

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
TINY = [
    "--months",
    "2",
    "--set",
    "village.width=10",
    "--set",
    "village.height=10",
    "--set",
    "programme.programme_months=1",
]
TINY_SET = '[set]\n"village.width" = 10\n"village.height" = 10\n'


def berdaya(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# The engine's heartbeat ("runs: 1 of 8 (12%) after 5 s"): progress on stderr, not part of an error.
PROGRESS = re.compile(r"[^:]+: \d+ of \d+ \(\d+%\) after \d+ s")


def one_line(err: str) -> str:
    """The error output must be exactly one line (besides heartbeat lines of a command that ran long
    enough to print them) and no traceback; returns it."""
    lines = [line for line in err.strip().splitlines() if not PROGRESS.fullmatch(line)]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- real small file systems ------------------------------------------------------


def _mount(point: Path, size: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; this test needs a real full or read-only file system")
    point.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)], check=False, capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()})")


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KiB tmpfs; ``fill(leave)`` fills it up to ``leave`` bytes."""
    point = tmp_path / "disk"
    _mount(point, "256k")

    def fill(leave: int = 0) -> None:
        descriptor = os.open(point / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(descriptor, b"\0" * 4096):
                pass
        except OSError as error:
            assert error.errno == errno.ENOSPC
        finally:
            os.close(descriptor)
        if leave:
            os.truncate(point / "filler", max(0, (point / "filler").stat().st_size - leave))

    yield point, fill
    subprocess.run(["umount", "-l", str(point)], check=False)


@pytest.fixture
def readonly_disk(tmp_path):
    point = tmp_path / "ro"
    _mount(point, "1m")
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)
    yield point
    subprocess.run(["umount", "-l", str(point)], check=False)


@pytest.fixture
def no_simulation(monkeypatch):
    """Fails the test if the run command starts computing: the check must come first."""

    def refuse(*args, **kwargs):
        raise AssertionError("simulated before checking that the output can be written")

    monkeypatch.setattr(run_command, "simulate", refuse)


def test_run_on_a_read_only_disk_is_one_line_before_computing(capsys, readonly_disk, no_simulation):
    code, _, err = berdaya(capsys, "run", "baseline", *TINY, "--out", readonly_disk / "run")
    assert code == 2 and "read-only" in one_line(err) and str(readonly_disk) in err


def test_run_on_a_full_disk_is_one_line_before_computing(capsys, small_disk, no_simulation):
    point, fill = small_disk
    fill()
    code, _, err = berdaya(capsys, "run", "baseline", *TINY, "--out", point / "run")
    assert code == 2 and "no space left" in one_line(err)
    assert sorted(p.name for p in point.iterdir()) == ["filler"]


def test_disk_filling_during_the_write_leaves_nothing(capsys, small_disk):
    """The probe fits, the network files do not: nothing half-written, no folder left behind."""
    point, fill = small_disk
    fill(leave=16384)
    code, _, err = berdaya(capsys, "run", "baseline", *TINY, "--network-months", "0,1,2", "--out", point / "run")
    assert code == 2 and "no space left" in one_line(err) and str(point / "run") in err
    assert sorted(p.name for p in point.iterdir()) == ["filler"]


def test_params_into_a_full_disk_keeps_the_file(capsys, small_disk):
    point, fill = small_disk
    doc = point / "ODD.md"
    head, start, rest = (ROOT / "docs" / "ODD.md").read_text().partition("<!-- params:start -->\n")
    doc.write_text(head + start + "stale\n" + rest[rest.index("<!-- params:end -->") :])
    before = doc.read_bytes()
    fill(leave=8192)  # the probe fits; a second copy of the file does not
    code, _, err = berdaya(capsys, "params", "--into", doc)
    assert code == 2 and "no space left" in one_line(err)
    assert doc.read_bytes() == before
    assert sorted(p.name for p in point.iterdir()) == ["ODD.md", "filler"]


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    """A small finished comparison (two strategies, two replicates, three months)."""
    out = tmp_path_factory.mktemp("compare") / "out"
    code = main(
        [
            "compare",
            "baseline",
            "hybrid",
            "--replicates",
            "2",
            "--serial",
            "--fixed-parameters",
            "--out",
            str(out),
            *TINY,
        ]
    )
    assert code == 0
    return out


def test_report_on_a_full_disk_leaves_no_truncated_figure(capsys, small_disk, comparison):
    point, _ = small_disk
    copy = point / "cmp"
    for folder in ("runs", "monthly"):
        shutil.copytree(comparison / folder, copy / folder)
    shutil.copy(comparison / MANIFEST, copy / MANIFEST)
    code, _, err = berdaya(capsys, "report", copy)
    assert code == 2 and "no space left" in one_line(err)
    assert not (copy / "report.md").exists()
    for figure in (copy / "figures").glob("*"):
        data = figure.read_bytes()
        assert not figure.name.startswith(".")
        assert data.endswith(b"IEND\xaeB`\x82") if figure.suffix == ".png" else data.rstrip().endswith(b"</svg>")


@pytest.mark.parametrize(
    "command",
    [
        ["run", "baseline", *TINY],
        ["compare", "baseline", "hybrid", "--replicates", "1", "--serial", *TINY],
        ["experiment", "EXP", "--serial"],
        ["sensitivity", "--params", "village.shock_rate", "--samples", "4", "--serial", *TINY],
        ["robustness", "--villages", "10", "--serial", "--months", "2", "--set", "programme.programme_months=1"],
    ],
)
def test_out_below_a_file_is_one_line(capsys, tmp_path, command):
    blocker = write(tmp_path / "file", "")
    experiment = write(
        tmp_path / "exp.toml", 'scenarios = ["baseline"]\nreplicates = 1\nseed = 1\nmonths = 2\n' + TINY_SET
    )
    argv = [str(experiment) if a == "EXP" else a for a in command]
    code, _, err = berdaya(capsys, *argv, "--out", blocker / "out")
    assert code == 2 and "not a folder" in one_line(err) and str(blocker) in err


def test_network_out_on_a_read_only_disk(capsys, readonly_disk):
    code, _, err = berdaya(
        capsys, "network", "baseline", "--month", "0", *TINY[2:], "--out", readonly_disk / "n.graphml"
    )
    assert code == 2 and "read-only" in one_line(err)


# --- one run folder, one run -------------------------------------------------------


def test_a_folder_claimed_by_one_run_cannot_be_taken_by_another(capsys, tmp_path, no_simulation):
    out = tmp_path / "run"
    out.mkdir()
    held = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        code, _, err = berdaya(capsys, "run", "baseline", *TINY, "--out", out)
    finally:
        os.close(held)
    assert code == 2 and "another `berdaya run`" in one_line(err)


def test_two_runs_into_one_new_folder_at_once(tmp_path):
    out = tmp_path / "run"
    command = [str(BIN / "berdaya"), "run", "baseline", *TINY, "--out", str(out)]
    first, second = (
        subprocess.Popen([*command, "--seed", str(s)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for s in (1, 2)
    )
    results = [(p.wait(timeout=120), p.stderr.read()) for p in (first, second)]
    assert sorted(code for code, _ in results) == [0, 2], results
    winner = 1 if results[0][0] == 0 else 2
    loser_err = next(err for code, err in results if code == 2)
    assert "another `berdaya run`" in loser_err or "already holds files" in loser_err
    assert json.loads((out / "manifest.json").read_text())["seed"] == winner
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_force_removes_the_old_runs_network_files(capsys, tmp_path):
    out = tmp_path / "run"
    assert berdaya(capsys, "run", "baseline", *TINY, "--network-months", "0,1", "--out", out)[0] == 0
    assert len(list((out / "networks").iterdir())) == 2
    assert berdaya(capsys, "run", "baseline", *TINY, "--seed", "2", "--force", "--out", out)[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "summary.json", "timeseries.parquet"]


def test_force_refuses_a_folder_holding_other_files(capsys, tmp_path, no_simulation):
    out = tmp_path / "run"
    out.mkdir()
    write(out / "notes.txt", "mine")
    code, _, err = berdaya(capsys, "run", "baseline", *TINY, "--force", "--out", out)
    assert code == 2 and "'notes.txt'" in one_line(err)
    assert (out / "notes.txt").read_text() == "mine"


# --- stored experiments: retry, damage, other code -----------------------------------


def marked_experiment(tmp_path: Path, marker: Path, replicates: int = 3):
    """Experiment whose point 0 fails while ``marker`` exists."""
    return make_experiment(
        ["baseline"],
        replicates=replicates,
        seed=3,
        runner="faulty:fail_while_marked",
        points=[{"marker": str(marker)}, {"marker": str(tmp_path / "never")}],
    )


def test_resume_retries_failed_runs_and_says_so(tmp_path, capsys, monkeypatch):
    marker = write(tmp_path / "marker", "")
    experiment = marked_experiment(tmp_path, marker)
    out = tmp_path / "out"
    # One batch holds failed and successful runs; the retry (within the same second, in this process) must
    # not overwrite it.
    first = run_experiment(experiment, out, EngineOptions(executor="serial", progress=False, batch_size=6))
    assert (first.runs["status"] == "failed").sum() == 3
    kept = run_experiment(
        experiment, out, EngineOptions(executor="serial", progress=False, resume=True, keep_failed=True)
    )
    assert (kept.runs["status"] == "failed").sum() == 3
    marker.unlink()
    from experiments.engine import execute

    outcome = execute(experiment, out, EngineOptions(executor="serial", progress=False, resume=True, batch_size=6))
    assert outcome.retried == 3 and outcome.ran == 3 and outcome.failed == 0
    assert "retried 3 that had failed" in outcome.report()
    runs = read_results(out).runs
    assert len(runs) == 6 and set(runs["status"]) == {"ok"} and not runs["run_id"].duplicated().any()
    clean = run_experiment(experiment, tmp_path / "clean", EngineOptions(executor="serial", progress=False)).runs
    cols = ["run_id", "seed", "y", "status"]
    pd.testing.assert_frame_equal(runs[cols], clean[cols])


def test_keep_failed_needs_resume(capsys, tmp_path):
    exp = write(tmp_path / "exp.toml", 'scenarios = ["baseline"]\nreplicates = 1\nseed = 1\n')
    code, _, err = berdaya(capsys, "experiment", exp, "--out", tmp_path / "out", "--keep-failed")
    assert code == 2 and "--resume" in one_line(err)


def test_a_damaged_part_is_named_moved_aside_and_its_runs_redone(tmp_path, capsys):
    exp = write(
        tmp_path / "exp.toml", 'scenarios = ["baseline", "hybrid"]\nreplicates = 3\nseed = 5\nmonths = 3\n' + TINY_SET
    )
    out = tmp_path / "out"
    assert berdaya(capsys, "experiment", exp, "--out", out, "--serial")[0] == 0
    clean = read_results(out)
    part = min((out / "runs").glob("part-*.parquet"))
    part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])
    code, _, err = berdaya(capsys, "report", out)
    assert code == 2 and part.name in one_line(err) and "--resume" in err
    code, _, err = berdaya(capsys, "experiment", exp, "--out", out, "--serial", "--resume")
    assert code == 0 and f"{part}: damaged; moved aside to {ASIDE}{part.name}{CORRUPT}" in err
    assert (part.parent / f"{ASIDE}{part.name}{CORRUPT}").exists() and not part.exists()
    again = read_results(out)
    pd.testing.assert_frame_equal(again.runs.drop(columns="wall_time"), clean.runs.drop(columns="wall_time"))
    pd.testing.assert_frame_equal(again.monthly, clean.monthly)
    # A researcher's scan of the folder skips the part moved aside (pyarrow and pandas skip names starting "_").
    assert len(pd.read_parquet(out / "runs")) == 6 and len(pd.read_parquet(out / "monthly")) == len(clean.monthly)


def test_a_report_while_a_damaged_part_waits_to_be_run_again_says_so(tmp_path, capsys, comparison):
    """The damaged part moved aside by a resume that stopped before running its runs again: the report refuses."""
    copy = tmp_path / "cmp"
    shutil.copytree(comparison, copy)
    part = min((copy / "runs").glob("part-*.parquet"))
    part.write_bytes(part.read_bytes()[:100])
    tidy(copy)
    code, _, err = berdaya(capsys, "report", copy)
    assert code == 2 and f"{ASIDE}{part.name}{CORRUPT}" in one_line(err) and "--resume" in err
    assert "3 of its 4 runs" in err


def test_a_damaged_experiment_json_is_refused_and_the_folder_left_as_is(tmp_path, capsys):
    exp = write(tmp_path / "exp.toml", 'scenarios = ["baseline"]\nreplicates = 2\nseed = 5\nmonths = 2\n' + TINY_SET)
    out = tmp_path / "out"
    assert berdaya(capsys, "experiment", exp, "--out", out, "--serial")[0] == 0
    (out / MANIFEST).write_text('{"name": "exp", "scen')
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    code, _, err = berdaya(capsys, "experiment", exp, "--out", out, "--serial", "--resume")
    assert code == 2 and f"{out / MANIFEST}: is damaged" in one_line(err)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_resume_refuses_other_code_unless_allowed(tmp_path, capsys):
    exp = write(tmp_path / "exp.toml", 'scenarios = ["baseline"]\nreplicates = 2\nseed = 5\nmonths = 2\n' + TINY_SET)
    out = tmp_path / "out"
    assert berdaya(capsys, "experiment", exp, "--out", out, "--serial")[0] == 0
    runs = pd.read_parquet(out / "runs")
    assert set(runs["code_fingerprint"]) == {code_fingerprint()}
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["code_fingerprint"] == code_fingerprint()
    manifest["code_fingerprint"] = "0.0.0+elsewhere"
    (out / MANIFEST).write_text(json.dumps(manifest))
    code, _, err = berdaya(capsys, "experiment", exp, "--out", out, "--serial", "--resume")
    assert code == 2 and "0.0.0+elsewhere" in one_line(err) and "--allow-code-change" in err
    code, _, _ = berdaya(capsys, "experiment", exp, "--out", out, "--serial", "--resume", "--allow-code-change")
    assert code == 0


def test_code_fingerprint_follows_the_source(tmp_path):
    """A copy of the code with one changed byte has another fingerprint (what a skewed worker reports)."""
    copy = skewed_copy(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(copy)}
    theirs = subprocess.run(
        [sys.executable, "-c", "from experiments.engine import code_fingerprint as f; print(f())"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    ).stdout.strip()
    assert theirs != code_fingerprint() and theirs.split("+")[0] == code_fingerprint().split("+")[0]


# --- inputs checked before any run ---------------------------------------------------


def test_a_broken_survey_stops_an_experiment_before_any_run(tmp_path, capsys):
    survey = tmp_path / "survey"
    shutil.copytree(ROOT / "scenarios" / "survey_example", survey)
    rows = (survey / "households.csv").read_text().splitlines()
    (survey / "households.csv").write_text("\n".join([rows[0], rows[1].replace(",0.3,", ",lots,"), *rows[2:]]) + "\n")
    exp = write(
        tmp_path / "exp.toml",
        f'scenarios = ["{survey / "survey_example.toml"}"]\nreplicates = 2\nseed = 1\nmonths = 2\n',
    )
    code, _, err = berdaya(capsys, "experiment", exp, "--out", tmp_path / "out", "--serial")
    assert code == 2 and "households.csv" in one_line(err)
    assert not list((tmp_path / "out").rglob("part-*"))


def test_compare_needs_two_scenarios_before_any_run(capsys, tmp_path):
    code, _, err = berdaya(capsys, "compare", "baseline", "--out", tmp_path / "out")
    assert code == 2 and "at least two scenarios" in one_line(err)
    assert not (tmp_path / "out").exists()


def test_report_with_one_strategy_left_is_one_line(tmp_path, capsys):
    experiment = make_experiment(
        ["baseline", "hybrid"],
        replicates=2,
        seed=1,
        months=2,
        overrides={"village.width": 10, "village.height": 10},
        runner="faulty:fail_hybrid",
        name="compare",
        paired=True,
    )
    run_experiment(experiment, tmp_path / "out", EngineOptions(executor="serial", progress=False))
    code, _, err = berdaya(capsys, "report", tmp_path / "out")
    assert code == 2 and "at least two strategies" in one_line(err) and "hybrid broke" in err


# Seven parameters with ten values each: ten million points, refused before one is built.
GRID_7x10 = '[sweep]\nmethod = "grid"\n[sweep.parameters]\n' + "".join(
    f'"{name}" = {[round(0.01 * (i + 1), 2) for i in range(10)]}\n'
    for name in (
        "village.shock_rate",
        "households.awareness_mean",
        "households.dependency_mean",
        "patrons.openness_mean",
        "patrons.extraction",
        "groups.dropout_rate",
        "households.skills_mean",
    )
)


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["run", "baseline", "--seed", "-1"], ["--seed", "'-1'"]),
        (["compare", "--replicates", "99999999999999999999"], ["--replicates", "1 to 100,000"]),
        (["compare", "--replicates", "1000000"], ["--replicates", "1 to 100,000"]),
        (["sensitivity", "--replicates", "100001"], ["--replicates", "1 to 100,000"]),
        (["sensitivity", "--params", ""], ["--params", "names no parameter"]),
        (["experiment", 'EXP:[set]\n"village.width" = 30.7\n'], ["set.village.width", "30.7", "whole number"]),
        (
            ["experiment", 'EXP:[sweep]\nmethod = "grid"\n[sweep.parameters]\n"facilitators.n_facilitators" = [2.5]\n'],
            ["facilitators.n_facilitators", "2.5", "whole number"],
        ),
        (["experiment", 'EXP:[set]\n"village.width" = nan\n'], ["village.width", "nan", "finite"]),
        (["experiment", 'EXP:[set]\n"facilitators.n_facilitators" = inf\n'], ["n_facilitators", "inf", "finite"]),
        (["experiment", "EXPreplicates = 99999999999\n"], ["replicates", "at most"]),
        (["experiment", "EXP:" + GRID_7x10], ["sweep.parameters", "10 x 10 x 10 x 10 x 10 x 10 x 10 grid", "at most"]),
    ],
)
def test_command_line_and_file_values_are_strict(capsys, tmp_path, argv, fragments):
    def expand(item: str) -> str:
        if not item.startswith("EXP"):
            return item
        tail = item.removeprefix("EXP").removeprefix(":")
        head = "seed = 1\n" + ("" if tail.startswith("replicates") else "replicates = 1\n")
        return str(write(tmp_path / "exp.toml", 'scenarios = ["baseline"]\n' + head + tail))

    argv = [expand(a) for a in argv]
    if argv[0] in ("run", "compare") or "--replicates" in argv:  # argparse refuses it: usage and one error line
        with pytest.raises(SystemExit):
            main([*argv, "--out", str(tmp_path / "out")])
        err = capsys.readouterr().err
        assert err.strip().splitlines()[-1].startswith(f"berdaya {argv[0]}: error: argument")
    else:
        code, _, err = berdaya(capsys, *argv, "--out", tmp_path / "out")
        assert code == 2 and one_line(err)
    for fragment in fragments:
        assert fragment in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["compare", "baseline", "hybrid"],
        ["sensitivity", "--params", "village.shock_rate", "--samples", "4"],
        ["robustness", "--villages", "10"],
        ["validate-patterns", "--replicates", "1"],
        ["calibrate", "--samples", "4"],
    ],
)
def test_every_study_refuses_a_horizon_before_the_programme_ends(capsys, tmp_path, argv):
    code, _, err = berdaya(capsys, *argv, "--months", "5", "--serial", "--out", tmp_path / "out")
    assert code == 2 and "--months" in one_line(err) and "stop at month 5" in err and "at least" in err
    assert not (tmp_path / "out").exists()


def test_robustness_with_no_conditions_names_the_option(capsys, tmp_path):
    code, _, err = berdaya(capsys, "robustness", "--conditions", "", "--out", tmp_path / "out")
    assert code == 2 and one_line(err).startswith("berdaya: error: --conditions: names no parameter")
    assert "sweep" not in err


def test_files_with_a_byte_order_mark_are_read(capsys, tmp_path):
    scenario = tmp_path / "bom.toml"
    scenario.write_bytes(b"\xef\xbb\xbf[village]\nwidth = 10\nheight = 10\nmonths = 2\n")
    assert berdaya(capsys, "validate", scenario)[0] == 0
    exp = tmp_path / "exp.toml"
    exp.write_bytes(f'\ufeffscenarios = ["{scenario}"]\nreplicates = 1\nseed = 1\n'.encode())
    assert berdaya(capsys, "experiment", exp, "--out", tmp_path / "out", "--serial")[0] == 0


# --- a real Dask cluster -------------------------------------------------------------


def skewed_copy(tmp_path: Path) -> Path:
    """A copy of the model, experiments and analysis code with one change (income x 1.02 in spirit)."""
    copy = tmp_path / "skewed"
    for package in ("sim", "experiments", "analysis"):
        shutil.copytree(ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__"))
    livelihood = copy / "sim" / "livelihood.py"
    livelihood.write_text(livelihood.read_text() + "\n# income x 1.02 on this worker\n")
    return copy


class Cluster:
    """A scheduler and workers as separate processes on 127.0.0.1; every process killed on close."""

    def __init__(self, tmp_path: Path):
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.processes: list[subprocess.Popen] = []
        # An orphaned scheduler (pytest itself killed) closes when idle; its workers follow (--death-timeout).
        self.env = {
            **os.environ,
            "PYTHONPATH": str(HERE),
            "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1",
            "DASK_DISTRIBUTED__SCHEDULER__IDLE_TIMEOUT": "300s",
        }
        self.logs = tmp_path
        self.scheduler = self._start(
            "scheduler",
            ["scheduler", "--host", "127.0.0.1", "--port", self.address.rsplit(":", 1)[1], "--no-dashboard"],
        )

    def _start(self, name: str, args: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(self.logs / f"{name}-{len(self.processes)}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [str(BIN / "dask"), *args], stdout=log, stderr=log, env=env or self.env, start_new_session=True
        )
        log.close()
        self.processes.append(process)
        return process

    def worker(self, pythonpath: str | None = None) -> subprocess.Popen:
        env = {**self.env, "PYTHONPATH": f"{pythonpath}:{HERE}"} if pythonpath else None
        return self._start(
            "worker",
            [
                "worker",
                self.address,
                "--nthreads",
                "1",
                "--host",
                "127.0.0.1",
                "--no-dashboard",
                "--death-timeout",
                "120",  # a worker restarted on a busy machine may take long to reach the scheduler
            ],
            env,
        )

    def wait_for(self, workers: int) -> list[str]:
        from dask.distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(workers, timeout=60)
            return list(client.scheduler_info()["workers"])

    def close(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def cluster(tmp_path):
    found = Cluster(tmp_path)
    try:
        found.worker()
        found.worker()
        found.wait_for(2)
        yield found
    finally:
        found.close()


def crash_file(tmp_path: Path, crash: bool = True, replicates: int = 3, sleep: float = 0.0) -> Path:
    values = "[false, true]" if crash else "[false]"
    return write(
        tmp_path / "crash.toml",
        f'scenarios = ["baseline"]\nreplicates = {replicates}\nseed = 1\n'
        f'runner = "faulty:crash_on"\n[sweep]\nmethod = "grid"\n[sweep.parameters]\ncrash = {values}\n'
        f"sleep = [{sleep}]\n",
    )


def berdaya_process(*argv, env_path: str = str(HERE), timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": env_path}
    return subprocess.run(
        [str(BIN / "berdaya"), *map(str, argv)], check=False, capture_output=True, text=True, env=env, timeout=timeout
    )


def first_part(out: Path, process: subprocess.Popen) -> None:
    """Wait until the experiment has stored its first batch."""
    deadline = time.monotonic() + 60
    while not list((out / "runs").glob("part-*.parquet")):
        assert time.monotonic() < deadline and process.poll() is None, "no batch finished in time"
        time.sleep(0.05)


@pytest.mark.slow
def test_dask_results_match_serial_and_a_run_that_kills_its_worker_is_stored_as_failed(cluster, tmp_path):
    """One batch of three runs, the middle one kills its worker: it is stored as failed, its batch-mates are not."""
    experiment = make_experiment(
        ["baseline"],
        replicates=1,
        seed=1,
        runner="faulty:crash_on",
        points=[{"crash": False}, {"crash": True}, {"crash": False}],
    )
    runs = run_experiment(
        experiment,
        tmp_path / "dask",
        # A generous deadline: on a busy machine each of the worker restarts this test causes may take a while.
        EngineOptions(executor="dask", dask_address=cluster.address, batch_size=3, progress=False, dask_deadline=120.0),
    ).runs.set_index("run_id")
    crashed = runs[runs["crash"]]
    assert list(crashed["status"]) == ["failed"] and crashed["error"].str.startswith("KilledWorker").all()
    fine = runs[~runs["crash"]]
    assert set(fine["status"]) == {"ok"} and list(fine["y"]) == [float(s % 1000) for s in fine["seed"]]
    assert set(runs["code_fingerprint"]) == {code_fingerprint()}
    harmless = make_experiment(
        ["baseline"], replicates=1, seed=1, runner="faulty:crash_on", points=[{"crash": False}] * 3
    )  # same run ids and seeds; a crash here would kill pytest
    serial = run_experiment(
        harmless, tmp_path / "serial", EngineOptions(executor="serial", progress=False)
    ).runs.set_index("run_id")
    pd.testing.assert_series_equal(fine["y"], serial.loc[fine.index, "y"])


@pytest.mark.slow
def test_a_cluster_left_without_workers_ends_at_the_deadline(cluster, tmp_path):
    """Every worker killed while runs are out and none comes back: one line within the deadline, no wait for ever."""
    file = crash_file(tmp_path, crash=False, replicates=8, sleep=1.0)
    out = tmp_path / "out"
    command = [str(BIN / "berdaya"), "experiment", str(file), "--out", str(out), "--dask", cluster.address]
    process = subprocess.Popen(
        [*command, "--dask-timeout", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(HERE)},
    )
    try:
        first_part(out, process)
        for worker in cluster.processes[1:]:
            os.killpg(worker.pid, signal.SIGKILL)
        began = time.monotonic()
        _, err = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 2 and "no worker has been connected for 5 s" in one_line(err), err
    assert "runs are stored" in err and "--resume" in err and time.monotonic() - began < 60


@pytest.mark.slow
def test_a_worker_with_other_code_is_refused(cluster, tmp_path):
    skewed = cluster.worker(str(skewed_copy(tmp_path)))
    cluster.wait_for(3)
    done = berdaya_process(
        "experiment", crash_file(tmp_path, crash=False), "--out", tmp_path / "out", "--dask", cluster.address
    )
    assert done.returncode == 2 and "run other code" in one_line(done.stderr), done.stderr
    assert not (tmp_path / "out").exists()
    os.killpg(skewed.pid, signal.SIGKILL)


@pytest.mark.slow
def test_a_killed_worker_is_replaced_and_the_results_complete(cluster, tmp_path):
    file = crash_file(tmp_path, crash=False, replicates=8, sleep=1.0)
    out = tmp_path / "out"
    command = [str(BIN / "berdaya"), "experiment", str(file), "--out", str(out), "--dask", cluster.address]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(HERE)}
    )
    try:
        first_part(out, process)
        os.killpg(cluster.processes[1].pid, signal.SIGKILL)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0 and "Traceback" not in err, err
    assert "8 runs" in out and "0 failed" in out


def test_a_port_that_is_not_a_scheduler_meets_the_deadline(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        start = time.monotonic()
        done = berdaya_process(
            "experiment",
            crash_file(tmp_path, crash=False),
            "--out",
            tmp_path / "out",
            "--dask",
            f"tcp://127.0.0.1:{server.server_address[1]}",
            "--dask-timeout",
            "2",
            timeout=60,
        )
        waited = time.monotonic() - start
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 2 and "Dask scheduler" in one_line(done.stderr), done.stderr
    assert waited < 45 and not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_lost_scheduler_is_one_line_and_resume_finishes(cluster, tmp_path, capsys):
    file = crash_file(tmp_path, crash=False, replicates=8, sleep=0.3)
    out = tmp_path / "out"
    command = [
        str(BIN / "berdaya"),
        "experiment",
        str(file),
        "--out",
        str(out),
        "--dask",
        cluster.address,
        "--dask-timeout",
        "5",
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(HERE)}
    )
    try:
        first_part(out, process)
        os.killpg(cluster.scheduler.pid, signal.SIGKILL)
        _, err = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 2 and "--resume" in one_line(err), err
    stored = len(pd.read_parquet(out / "runs"))
    assert 0 < stored < 8
    code, stdout, _ = berdaya(capsys, "experiment", file, "--out", out, "--serial", "--resume")
    assert code == 0 and f"{stored} already stored" in stdout
    assert len(read_results(out).runs) == 8 and pq.read_table(out / "runs").num_rows == 8


def test_a_run_that_kills_its_process_worker_is_stored_as_failed_and_the_others_complete(tmp_path):
    """Under the processes executor a dying worker breaks the whole pool without saying which run
    killed it: the runs left are run alone, so only the killer is stored as failed.
    Catches: the experiment stopping at the first dead worker, or every unfinished run blamed."""
    experiment = make_experiment(
        ["baseline"],
        replicates=2,
        seed=1,
        runner="faulty:crash_on",
        points=[{"crash": False}, {"crash": True}, {"crash": False}],
    )
    outcome = execute(experiment, tmp_path / "out", EngineOptions(executor="processes", workers=2, progress=False))
    runs = read_results(tmp_path / "out").runs.set_index("run_id")
    assert outcome.failed == 2 and len(runs) == 6
    crashed = runs[runs["crash"]]
    assert set(crashed["status"]) == {"failed"} and crashed["error"].str.startswith("BrokenProcessPool").all()
    fine = runs[~runs["crash"]]
    assert set(fine["status"]) == {"ok"} and list(fine["y"]) == [float(s % 1000) for s in fine["seed"]]


def test_network_of_a_run_with_a_damaged_series_names_the_file(capsys, tmp_path):
    out = tmp_path / "run"
    assert berdaya(capsys, "run", "baseline", *TINY, "--out", out)[0] == 0
    series = out / "timeseries.parquet"
    series.write_bytes(series.read_bytes()[:100])
    code, _, err = berdaya(capsys, "network", out, "--month", "1", "--out", tmp_path / "n.graphml")
    assert code == 2 and f"{series}: is damaged" in one_line(err)


def test_a_long_sweep_point_error_says_the_cause_first(capsys, tmp_path):
    exp = write(
        tmp_path / "exp.toml",
        'scenarios = ["baseline"]\nreplicates = 1\nseed = 1\n[set]\n'
        '"village.width" = 10\n"village.height" = 10\n[sweep]\nmethod = "grid"\n[sweep.parameters]\n'
        '"village.n_hamlets" = [15]\n"patrons.extraction" = [0.1]\n',
    )
    code, _, err = berdaya(capsys, "experiment", exp, "--out", tmp_path / "out")
    line = one_line(err)
    assert code == 2 and line.index("cannot exceed") < line.index("sweep point")


def test_a_disk_that_fills_during_the_runs_says_so_and_resume_finishes(capsys, small_disk, tmp_path):
    """Room for the first parts only: one line that the disk is full and what is stored; --resume then finishes."""
    point, fill = small_disk
    exp = write(tmp_path / "exp.toml", 'scenarios = ["baseline"]\nreplicates = 12\nseed = 2\nmonths = 2\n' + TINY_SET)
    fill(leave=70_000)
    out = point / "out"
    code, _, err = berdaya(capsys, "experiment", exp, "--out", out, "--serial")
    line = one_line(err)
    assert code == 2 and "no space left" in line and "runs are stored" in line and "--resume" in line
    (point / "filler").unlink()
    code, printed, err = berdaya(capsys, "experiment", exp, "--out", out, "--serial", "--resume")
    assert code == 0 and "already stored" in printed, err
    assert len(read_results(out).runs) == 12


def test_a_task_whose_end_never_arrives_is_given_back_once_every_worker_idles(monkeypatch):
    """The engine's wait on Dask ends even when a task's end never reaches the client (the scheduler holds it
    as erred, every worker idles): after the deadline it is given back as stalled, and the queue empties."""
    from experiments import engine

    class Queue:
        def __init__(self):
            self.futures = {"lost": 1}
            self.lock = threading.Lock()

        def is_empty(self):
            return not self.futures

        def has_ready(self):
            return False

    class Client:
        class scheduler:  # noqa: N801 - stands in for the client's scheduler handle
            ncores = None

        def sync(self, _call, callback_timeout):
            return {"worker": 1}

        def processing(self):
            return {"worker": []}

    clock = iter(float(s) for s in range(0, 1000, 2))
    monkeypatch.setattr(engine.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(engine.time, "sleep", lambda _s: None)
    given = list(engine._arrivals(Queue(), Client(), deadline=10.0))
    assert [f for f, _ in given] == ["lost"] and isinstance(given[0][1][1], engine.Stalled)
