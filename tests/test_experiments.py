"""Experiments engine (issue 5): same tables whatever the executor, kill-and-resume, failing runs, bad files."""

from __future__ import annotations

import fcntl
import hashlib
import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import mesa
import numpy as np
import pandas as pd
import psutil
import pytest
from pandas.testing import assert_frame_equal

from berdaya.cli import main
from experiments import load_experiment, make_experiment, read_results, run_experiment, sweep_points
from experiments.engine import Batch, EngineOptions, plan, run_batch, run_seed
from experiments.spec import DEFAULT_RUNNER
from sim.collect import COLUMNS, SUMMARY

SMALL = '[set]\n"village.width" = 20\n"village.height" = 20\n'
BERDAYA = str(Path(sys.executable).with_name("berdaya"))
EXAMPLES = Path(__file__).resolve().parent.parent / "experiments" / "examples"


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def same(a, b) -> None:
    """Stored tables equal row for row (wall time aside: it is a measurement, not a result)."""
    assert_frame_equal(a.runs.drop(columns="wall_time"), b.runs.drop(columns="wall_time"))
    assert_frame_equal(a.monthly, b.monthly)


def test_serial_processes_and_dask_give_the_same_tables(tmp_path):
    file = write(
        tmp_path / "exp.toml",
        f'scenarios = ["area_based", "enterprise_based"]\nreplicates = 3\nseed = 11\nmonths = 24\n{SMALL}',
    )
    experiment = load_experiment(file)
    serial = run_experiment(experiment, tmp_path / "serial", EngineOptions(executor="serial", progress=False))
    # One run per batch on two workers: batches finish in whatever order the machine decides.
    processes = run_experiment(
        experiment, tmp_path / "processes", EngineOptions(workers=2, batch_size=1, progress=False)
    )
    dask = run_experiment(
        experiment,
        tmp_path / "dask",
        EngineOptions(executor="dask", dask_address="local", workers=2, batch_size=2, progress=False),
    )
    same(serial, processes)
    same(serial, dask)

    runs = serial.runs
    assert list(runs["run_id"]) == sorted(runs["run_id"]) and len(runs) == 6
    assert set(runs["status"]) == {"ok"} and set(runs["error"]) == {""}
    assert runs["seed"].nunique() == 6
    assert set(SUMMARY) <= set(runs.columns)
    assert list(serial.monthly.columns) == ["run_id", *COLUMNS]
    assert serial.monthly.groupby("run_id")["month"].max().eq(24).all()
    # The folder is readable by plain pandas too, and says what ran.
    assert len(pd.read_parquet(tmp_path / "serial" / "runs")) == 6
    assert serial.experiment["scenarios"][0]["params"]["village.width"] == 20
    assert serial.experiment["versions"]["mesa"] and serial.experiment["n_runs"] == 6


def test_a_run_seed_depends_on_its_identity_only(tmp_path):
    def seeds(scenarios, replicates, root=5):
        runs, _ = plan(make_experiment(scenarios, replicates=replicates, seed=root))
        return {run.run_id: run.seed for run in runs}

    three = seeds(["area_based", "hybrid"], 3)
    assert {k: three[k] for k in seeds(["hybrid"], 2)} == seeds(["hybrid"], 2)
    assert seeds(["hybrid", "area_based"], 3) == three
    assert three["hybrid.p000.r001"] == run_seed(5, "hybrid", 0, 1)
    assert set(seeds(["area_based", "hybrid"], 3, root=6).values()).isdisjoint(three.values())


def formula_seed(root, *key):
    """Issue 5's derivation written out: the first 63 bits of SeedSequence(root, spawn_key=key)."""
    return int(np.random.SeedSequence(root, spawn_key=key).generate_state(1, np.uint64)[0] >> np.uint64(1))


def name_key(scenario):
    return int.from_bytes(hashlib.sha256(scenario.encode()).digest()[:8], "little")


def test_unpaired_seeds_follow_the_stored_formula_and_paired_ones_drop_the_scenario():
    """Unpaired (the default) keeps (scenario, point, replicate), so stored experiments still resume."""
    points = [{"patrons.extraction": 0.1}, {"patrons.extraction": 0.3}]
    for paired in (False, True):
        experiment = make_experiment(["area_based", "hybrid"], replicates=3, seed=77, points=points, paired=paired)
        runs, manifest = plan(experiment)
        assert manifest["paired"] is paired
        for run in runs:
            key = (run.point, run.replicate) if paired else (name_key(run.scenario), run.point, run.replicate)
            assert run.seed == formula_seed(77, *key)
        by_identity = pd.DataFrame([vars(r) for r in runs]).groupby(["point", "replicate"])["seed"].nunique()
        assert (by_identity == (1 if paired else 2)).all()
        assert len({run.seed for run in runs}) == (6 if paired else 12)
    assert make_experiment(["hybrid"]).paired is False


def test_paired_scenarios_start_from_the_same_village(tmp_path):
    """Month 0 is the village before any strategy acts: paired, it is the same under every strategy."""
    village = ["dependency", "awareness", "skills", "wealth_gini"]

    def month_zero(paired):
        experiment = make_experiment(
            ["area_based", "hybrid"],
            replicates=2,
            seed=8,
            months=2,
            paired=paired,
            overrides={"village.width": 20, "village.height": 20},
        )
        results = run_experiment(experiment, tmp_path / str(paired), EngineOptions(executor="serial", progress=False))
        start = results.monthly[results.monthly["month"] == 0].merge(results.runs, on="run_id")
        return start.set_index(["scenario", "replicate"]).sort_index(), results

    paired, results = month_zero(True)
    assert results.experiment["paired"] is True
    assert (paired.loc["area_based", "seed"] == paired.loc["hybrid", "seed"]).all()
    assert paired.loc["area_based", "seed"].nunique() == 2
    assert_frame_equal(paired.loc["area_based", village], paired.loc["hybrid", village])
    unpaired, _ = month_zero(False)
    assert (unpaired.loc["area_based", "seed"] != unpaired.loc["hybrid", "seed"]).all()
    assert (unpaired.loc["area_based", village] != unpaired.loc["hybrid", village]).any(axis=None)


def test_resume_refuses_to_mix_paired_and_unpaired(tmp_path, capsys):
    file = write(tmp_path / "exp.toml", f'scenarios = ["area_based"]\nreplicates = 1\nseed = 1\nmonths = 2\n{SMALL}')
    unpaired, paired = tmp_path / "unpaired", tmp_path / "paired"
    assert main(["experiment", str(file), "--out", str(unpaired), "--serial"]) == 0
    assert main(["experiment", str(file), "--out", str(paired), "--serial", "--paired"]) == 0
    capsys.readouterr()
    assert main(["experiment", str(file), "--out", str(unpaired), "--serial", "--resume", "--paired"]) == 2
    assert "run unpaired" in capsys.readouterr().err
    assert main(["experiment", str(file), "--out", str(paired), "--serial", "--resume"]) == 2
    assert "run paired" in capsys.readouterr().err
    write(file, file.read_text().replace("months = 2\n", "months = 2\npaired = true\n"))
    assert main(["experiment", str(file), "--out", str(paired), "--serial", "--resume"]) == 0
    assert "1 already stored" in capsys.readouterr().out
    # A folder written before pairing existed has no "paired" in experiment.json: it is unpaired.
    manifest = json.loads((unpaired / "experiment.json").read_text())
    del manifest["paired"]
    (unpaired / "experiment.json").write_text(json.dumps(manifest))
    write(file, file.read_text().replace("paired = true\n", ""))
    assert main(["experiment", str(file), "--out", str(unpaired), "--serial", "--resume"]) == 0
    assert "1 already stored" in capsys.readouterr().out


def test_a_batch_lets_its_models_go():
    """Mesa 3.3 keeps every model in ``Agent._ids``; a worker running thousands of runs must not."""
    runs, _ = plan(
        make_experiment(
            ["area_based"], replicates=3, seed=1, months=2, overrides={"village.width": 20, "village.height": 20}
        )
    )
    before = len(mesa.Agent._ids)
    table, _ = run_batch(Batch(DEFAULT_RUNNER, [], list(SUMMARY), runs))
    assert table.num_rows == 3 and set(table.column("status").to_pylist()) == {"ok"}
    assert len(mesa.Agent._ids) == before


def test_sweep_values_reach_the_model_and_the_runs_table(tmp_path):
    file = write(
        tmp_path / "exp.toml",
        f'scenarios = ["area_based"]\nreplicates = 2\nseed = 3\nmonths = 12\n{SMALL}'
        '[sweep]\nmethod = "grid"\n[sweep.parameters]\n"facilitators.n_facilitators" = [0, 4]\n'
        '"programme.exit_mode" = ["phased", "none"]\n',
    )
    results = run_experiment(load_experiment(file), tmp_path / "out", EngineOptions(executor="serial", progress=False))
    runs = results.runs
    assert len(runs) == 8
    assert list(runs["facilitators.n_facilitators"]) == [0, 0, 0, 0, 4, 4, 4, 4]
    assert list(runs["programme.exit_mode"]) == ["phased", "phased", "none", "none"] * 2
    cost = results.monthly.groupby("run_id")["facilitator_months"].max()
    idle = runs.loc[runs["facilitators.n_facilitators"] == 0, "run_id"]
    busy = runs.loc[runs["facilitators.n_facilitators"] == 4, "run_id"]
    assert (cost[idle] == 0).all() and (cost[busy] > 0).all()


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.stem)
def test_example_experiments_load(example):
    experiment = load_experiment(example)
    runs, _ = plan(experiment)
    assert len(runs) == experiment.n_runs == len({run.run_id for run in runs}) > 0


def test_latin_hypercube_is_stratified_seeded_and_inside_the_schema():
    parameters = {"patrons.extraction": [0.1, 0.5], "facilitators.n_facilitators": [2, 5]}
    points = sweep_points("lhs", parameters, samples=8, seed=9)
    bins = sorted(math.floor((p["patrons.extraction"] - 0.1) / 0.4 * 8) for p in points)
    assert bins == list(range(8))
    counts = pd.Series([p["facilitators.n_facilitators"] for p in points]).value_counts()
    assert counts.to_dict() == {2: 2, 3: 2, 4: 2, 5: 2}
    assert sweep_points("lhs", parameters, samples=8, seed=9) == points
    assert sweep_points("lhs", parameters, samples=8, seed=10) != points
    grid = sweep_points("grid", {"village.width": [20, 30], "patrons.extraction": [0.1, 0.2, 0.3]})
    assert grid[:2] == [
        {"village.width": 20, "patrons.extraction": 0.1},
        {"village.width": 20, "patrons.extraction": 0.2},
    ]
    assert len(grid) == 6


def fail_one(params, seed):
    """A custom runner that raises for exactly one run (the one whose seed the point names)."""
    if seed == params["fail_seed"]:
        raise RuntimeError("boom")
    return {"y": float(seed % 1000)}, pd.DataFrame({"month": [0, 1], "v": [1.0, 2.0]})


def test_a_failing_run_is_recorded_and_the_others_go_on(tmp_path):
    target = run_seed(4, "area_based", 0, 2)
    experiment = make_experiment(
        ["area_based"], replicates=5, seed=4, points=[{"fail_seed": target}], runner=f"{__name__}:fail_one"
    )
    results = run_experiment(experiment, tmp_path / "out", EngineOptions(workers=2, batch_size=2, progress=False))
    runs = results.runs.set_index("run_id")
    assert runs.loc["area_based.p000.r002", "status"] == "failed"
    assert runs.loc["area_based.p000.r002", "error"] == "RuntimeError: boom"
    assert math.isnan(runs.loc["area_based.p000.r002", "y"])
    ok = runs.drop(index="area_based.p000.r002")
    assert len(ok) == 4 and set(ok["status"]) == {"ok"}
    assert list(ok["y"]) == [float(s % 1000) for s in ok["seed"]]
    assert sorted(results.monthly["run_id"].unique()) == list(ok.index)


@pytest.mark.slow
def test_sigkill_then_resume_gives_the_tables_of_a_clean_run(tmp_path):
    file = write(
        tmp_path / "exp.toml", f'scenarios = ["area_based", "hybrid"]\nreplicates = 20\nseed = 21\nmonths = 60\n{SMALL}'
    )
    out = tmp_path / "killed"
    command = [BERDAYA, "experiment", str(file), "--out", str(out), "--workers", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not list((out / "runs").glob("part-*.parquet")) and process.poll() is None:
            assert time.monotonic() < deadline, "no batch finished in time"
            time.sleep(0.02)
        workers = psutil.Process(process.pid).children(recursive=True)
        process.send_signal(signal.SIGKILL)
        process.wait()
        # Workers notice their parent is gone and leave.
        _, alive = psutil.wait_procs(workers, timeout=20)
        assert not alive
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    stored = pd.read_parquet(out / "runs")
    assert 0 < len(stored) < 40, "the kill came too late to test anything"
    assert set(stored["run_id"]) <= set(pd.read_parquet(out / "monthly")["run_id"])

    resumed = subprocess.run([*command, "--resume"], check=False, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(stored)} already stored" in resumed.stdout
    clean = run_experiment(load_experiment(file), tmp_path / "clean", EngineOptions(executor="serial", progress=False))
    same(read_results(out), clean)
    assert len(read_results(out).experiment["sessions"]) == 2


HEAD = 'scenarios = ["area_based"]\nreplicates = 2\nseed = 1\n'
GRID = HEAD + '[sweep]\nmethod = "grid"\n[sweep.parameters]\n'
LHS = HEAD + '[sweep]\nmethod = "lhs"\nsamples = 4\n[sweep.parameters]\n'
BAD = {
    "unknown scenario": (HEAD.replace("area_based", "nowhere"), ["scenarios[0]", "'nowhere'", "area_based"]),
    "unknown swept parameter": (
        GRID + '"facilitators.n_facilitatorz" = [1, 2]\n',
        ["sweep.parameters.facilitators.n_facilitatorz", "did you mean", "facilitators.n_facilitators"],
    ),
    "grid value outside the schema": (
        GRID + '"facilitators.n_facilitators" = [2, 99]\n',
        ["sweep.parameters.facilitators.n_facilitators", "99", "[0, 64]"],
    ),
    "lhs range outside the schema": (
        LHS + '"patrons.extraction" = [0.1, 0.95]\n',
        ["sweep.parameters.patrons.extraction", "outside the schema", "[0, 0.8]"],
    ),
    "negative seed": (HEAD.replace("seed = 1", "seed = -1"), ["seed", "non-negative integer"]),
    "seed not an integer": (HEAD.replace("seed = 1", 'seed = "x"'), ["seed", "'x'"]),
    "no replicates": (HEAD.replace("replicates = 2", "replicates = 0"), ["replicates", "at least 1"]),
    "unknown method": (
        GRID.replace('"grid"', '"sobol"') + '"patrons.extraction" = [0.1, 0.2]\n',
        ["sweep.method", "'sobol'", "lhs"],
    ),
    "lhs without samples": (
        LHS.replace("samples = 4\n", "") + '"patrons.extraction" = [0.1, 0.2]\n',
        ["sweep.samples"],
    ),
    "unknown key": (HEAD.replace("replicates", "replicate"), ["'replicate'", "replicates"]),
    "TOML error": (HEAD.replace('"]', '"'), ["TOML syntax error"]),
    "paired not a boolean": (HEAD + 'paired = "yes"\n', ["paired", "'yes'", "true or false"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_experiment_files_exit_2_naming_file_and_field(case, tmp_path, capsys):
    text, fragments = BAD[case]
    file = write(tmp_path / "bad.toml", text)
    assert main(["experiment", str(file), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"berdaya: error: {file}")
    for fragment in fragments:
        assert fragment in error
    assert "Traceback" not in error and not (tmp_path / "out").exists()


def test_missing_file_and_occupied_folder_exit_2(tmp_path, capsys):
    assert main(["experiment", str(tmp_path / "none.toml"), "--out", str(tmp_path / "out")]) == 2
    assert "none.toml: experiment file not found" in capsys.readouterr().err
    file = write(tmp_path / "exp.toml", f'scenarios = ["area_based"]\nreplicates = 1\nseed = 1\nmonths = 2\n{SMALL}')
    assert main(["experiment", str(file), "--out", str(tmp_path / "out"), "--serial"]) == 0
    capsys.readouterr()
    assert main(["experiment", str(file), "--out", str(tmp_path / "out"), "--serial"]) == 2
    assert "not empty; pass --resume" in capsys.readouterr().err
    assert (
        main(
            [
                "experiment",
                str(file),
                "--out",
                str(tmp_path / "out"),
                "--serial",
                "--resume",
                "--set",
                "village.width=21",
            ]
        )
        == 2
    )
    assert "different experiment" in capsys.readouterr().err
    held = os.open(tmp_path / "out", os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert main(["experiment", str(file), "--out", str(tmp_path / "out"), "--serial", "--resume"]) == 2
        assert "another experiment is writing to this folder" in capsys.readouterr().err
    finally:
        os.close(held)
    assert main(["experiment", str(file), "--out", str(tmp_path / "out"), "--serial", "--resume"]) == 0
    assert "1 already stored" in capsys.readouterr().out


def test_a_runner_is_warmed_once_here_and_forked_workers_inherit_it(tmp_path):
    """The engine calls the runner module's ``warm()`` once in this process before forking its workers
    (the model's kernels are then loaded once, not in every worker); workers started otherwise warm nothing."""
    from experiments.engine import _context

    forked = _context().get_start_method() == "fork"
    for name in ("first", "second"):
        experiment = make_experiment(["baseline"], replicates=4, seed=1, runner="warmed:report_warm")
        runs = run_experiment(experiment, tmp_path / name, EngineOptions(workers=2, batch_size=1, progress=False)).runs
        assert (runs["status"] == "ok").all() and (runs["pid"] != os.getpid()).all()
        if forked:
            assert (runs["warmed_by"] == os.getpid()).all() and (runs["warm_calls"] == 1).all()
        else:
            assert runs["warmed_by"].isna().all()
