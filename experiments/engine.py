"""Many runs: plan them, cut them into batches, run the batches on an executor, store each as it ends.

The parent process resolves every run's parameters (so a bad value stops the experiment
before anything runs) and derives every run's seed from the root seed and the run's
identity, never from the order runs are handed out or finish in: serial, process and
Dask executors give the same tables. Workers get plain dicts and return Arrow tables;
only the parent writes, one part file per finished batch (``experiments.store``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib
import json
import logging
import math
import multiprocessing
import os
import platform
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Self

import mesa
import numpy as np
import pandas as pd
import pyarrow as pa
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from experiments.spec import DEFAULT_RUNNER, Experiment
from experiments.store import (
    MANIFEST,
    Results,
    prepare,
    read_manifest,
    read_results,
    stored_ids,
    tidy,
    write_manifest,
    write_part,
)
from sim.collect import SUMMARY
from sim.errors import InputError
from sim.params import dotted
from sim.scenario import load_scenario

try:
    import fcntl
except ImportError:  # Windows: no advisory lock on the output folder
    fcntl = None

EXECUTORS = ("serial", "processes", "dask")
# Batches are sized from the time of a first run (adaptive): long enough that sending a batch and
# writing its Parquet parts (a few ms each) stay a small share of its time, at least this many per
# worker so that the load balances and the bar moves.
BATCH_SECONDS = 2.0
BATCHES_PER_WORKER = 4
# Resuming with the other pairing would mix two seed schemes in one folder; the message, by what is stored.
PAIRING_CLASH = {
    True: "holds an experiment run paired (one seed per point and replicate, shared by every scenario) and this "
          "one is unpaired: resume it paired (berdaya experiment --paired or paired = true in the file; berdaya "
          "compare without --unpaired)",
    False: "holds an experiment run unpaired (each scenario its own seeds) and this one is paired: resume it "
           "unpaired (berdaya experiment without --paired; berdaya compare --unpaired)",
}
PACKAGES = ("berdaya", "mesa", "numpy", "scipy", "pandas", "pyarrow", "pydantic", "dask", "distributed")


@dataclass(frozen=True)
class Run:
    """One run: its identity, its seed and its fully resolved parameters (dotted names)."""

    run_id: str
    scenario: str
    point: int
    replicate: int
    seed: int
    params: dict[str, Any]


@dataclass(frozen=True)
class Batch:
    """Runs a worker does in one task, with what it needs to shape their rows."""

    runner: str
    swept: list[str]
    metrics: list[str]
    runs: list[Run]


@dataclass
class Outcome:
    """What one call of the engine did (the command line prints it)."""

    out: Path
    total: int
    skipped: int
    ran: int
    failed: int
    seconds: float
    errors: list[str]


def _seed(root: int, key: tuple[int, ...]) -> int:
    """The first 63 bits of ``SeedSequence(root, spawn_key=key)`` (fits Parquet's int64)."""
    state = np.random.SeedSequence(root, spawn_key=key).generate_state(1, np.uint64)[0]
    return int(state >> np.uint64(1))


def run_seed(root: int, scenario: str, point: int, replicate: int, *, paired: bool = False) -> int:
    """A run's seed from the root seed and the run's identity alone.

    Unpaired, the identity is (scenario, point, replicate). Paired, it is (point, replicate):
    replicate r meets the same village under every scenario (the model draws the village
    before any strategy-dependent draw), so scenarios can be compared replicate by replicate.
    The keys differ in length (two entries, three unpaired, one for a Latin hypercube), so
    the streams are apart.
    """
    if paired:
        return _seed(root, (point, replicate))
    name_key = int.from_bytes(hashlib.sha256(scenario.encode()).digest()[:8], "little")
    return _seed(root, (name_key, point, replicate))


def _resolved(path: Path, overrides: dict[str, Any]) -> dict[str, Any]:
    scenario = load_scenario(path, overrides=overrides)
    return {dotted(k): v for k, v in scenario.params.model_dump().items()}


def plan(experiment: Experiment) -> tuple[list[Run], dict[str, Any]]:
    """Every run of the experiment, in run-id order, and the resolved experiment for experiment.json.

    With the default runner each (scenario, point) is validated by ``load_scenario``;
    a custom runner gets the scenario's values with the overrides and point laid on top.
    """
    schema = experiment.runner == DEFAULT_RUNNER
    months = {"village.months": experiment.months} if experiment.months is not None else {}
    fixed = {**experiment.overrides, **months}
    point_width = max(3, len(str(len(experiment.points) - 1)))
    replicate_width = max(3, len(str(experiment.replicates - 1)))
    source = str(experiment.source) if experiment.source else None
    runs: list[Run] = []
    scenarios = []
    for path in experiment.scenarios:
        stem = path.stem
        base = _resolved(path, fixed) if schema else {**_resolved(path, {}), **fixed}
        scenarios.append({"name": stem, "path": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                          "params": base})
        for index, point in enumerate(experiment.points):
            if not point:
                params = base
            elif schema:
                try:
                    params = _resolved(path, {**experiment.overrides, **point, **months})
                except InputError as error:
                    raise InputError(f"sweep point {index} {point} with scenario {stem!r}: {error}",
                                     file=source) from None
            else:
                params = {**base, **point, **months}
            for replicate in range(experiment.replicates):
                runs.append(Run(
                    run_id=f"{stem}.p{index:0{point_width}d}.r{replicate:0{replicate_width}d}",
                    scenario=stem,
                    point=index,
                    replicate=replicate,
                    seed=run_seed(experiment.seed, stem, index, replicate, paired=experiment.paired),
                    params=params,
                ))
    resolved = {
        "runner": experiment.runner,
        "replicates": experiment.replicates,
        "seed": experiment.seed,
        "swept": experiment.swept,
        "points": experiment.points,
        "scenarios": [{"name": s["name"], "params": s["params"]} for s in scenarios],
    }
    if experiment.paired:  # only when set, so experiments stored before pairing existed keep their fingerprint
        resolved["paired"] = True
    fingerprint = hashlib.sha256(json.dumps(resolved, sort_keys=True, default=str).encode()).hexdigest()
    manifest = {
        "name": experiment.name,
        "source": source,
        "runner": experiment.runner,
        "replicates": experiment.replicates,
        "seed": experiment.seed,
        "paired": experiment.paired,
        "months": experiment.months,
        "overrides": experiment.overrides,
        "sweep": experiment.sweep,
        "swept": experiment.swept,
        "points": experiment.points,
        "scenarios": scenarios,
        "n_runs": len(runs),
        "fingerprint": fingerprint,
    }
    return runs, manifest


def load_runner(name: str) -> Callable:
    """``"module:function"`` -> the function."""
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)


def _mesa_models() -> dict:
    """Mesa 3.3's ``Agent._ids``: a class-level dict keyed by model that keeps every model ever
    built alive (mesa issue #3179, fixed after 3.3.1); empty on a Mesa without it."""
    return getattr(mesa.Agent, "_ids", {})


def run_batch(batch: Batch) -> tuple[pa.Table, pa.Table | None]:
    """Run a batch in this process; a run that raises becomes a failed row, the others go on."""
    runner = load_runner(batch.runner)
    rows, frames, ids = [], [], []
    for run in batch.runs:
        start = time.perf_counter()
        known = set(_mesa_models())
        try:
            metrics, monthly = runner(dict(run.params), run.seed)
            metrics = dict(metrics)
            if monthly is not None and not isinstance(monthly, pd.DataFrame):
                raise TypeError(f"runner returned {type(monthly).__name__} for the monthly table, not a DataFrame")
            status, error = "ok", ""
        except Exception as exc:  # noqa: BLE001 - a failing run is data, not a crash of the experiment
            metrics, monthly, status, error = {}, None, "failed", f"{type(exc).__name__}: {exc}"
        for model in set(_mesa_models()) - known:  # else a worker's memory grows ~3 MB a run
            del _mesa_models()[model]
        rows.append({
            "run_id": run.run_id,
            "scenario": run.scenario,
            **{name: run.params.get(name) for name in batch.swept},
            "point": run.point,
            "replicate": run.replicate,
            "seed": run.seed,
            **{name: math.nan for name in batch.metrics},
            **metrics,
            "wall_time": time.perf_counter() - start,
            "status": status,
            "error": error,
        })
        if monthly is not None:
            frames.append(monthly)
            ids.append(pa.repeat(run.run_id, len(monthly)))
    runs = pd.DataFrame(rows)
    tail = ["wall_time", "status", "error"]
    runs = runs[[c for c in runs.columns if c not in tail] + tail]
    monthly = None
    if frames:  # one conversion per batch, not per run
        monthly = pa.Table.from_pandas(pd.concat(frames, ignore_index=True), preserve_index=False)
        monthly = monthly.add_column(0, "run_id", pa.concat_arrays(ids))
    return pa.Table.from_pandas(runs, preserve_index=False), monthly


class Feed:
    """Hands out batches as workers free up, sized adaptively unless a size is given.

    The first batch of each worker holds one run; after that a batch holds about
    ``BATCH_SECONDS`` of runs at the mean run time seen so far, but no more than leaves
    ``BATCHES_PER_WORKER`` batches per worker, so that sending batches and writing their
    Parquet parts stay a small share of the time whether a run takes 5 ms or a minute.
    """

    def __init__(self, shape: Batch, runs: list[Run], workers: int, size: int | None) -> None:
        self.shape, self.todo, self.workers, self.size = shape, runs, workers, size
        self.handed = 0
        self.seconds, self.timed = 0.0, 0

    def __bool__(self) -> bool:
        return bool(self.todo)

    def next(self) -> Batch:
        size = self.size or self.adaptive()
        batch, self.todo = self.todo[:size], self.todo[size:]
        self.handed += 1
        return dataclasses.replace(self.shape, runs=batch)

    def adaptive(self) -> int:
        if self.handed < self.workers or not self.timed:
            return 1
        by_time = math.ceil(BATCH_SECONDS / max(self.seconds / self.timed, 1e-6))
        by_balance = math.ceil(len(self.todo) / (self.workers * BATCHES_PER_WORKER))
        return max(1, min(by_time, by_balance))

    def record(self, runs: pa.Table) -> None:
        """Learn the run time from a finished batch."""
        self.seconds += sum(runs.column("wall_time").to_pylist())
        self.timed += runs.num_rows


def cpu_count() -> int:
    """Cores this process may use (respects CPU affinity where the platform reports it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _exit_with_parent(alive: Connection, keep_alive: Connection) -> None:
    """Worker initializer: leave when the parent's end of ``alive`` closes, i.e. when the parent
    is gone (a SIGKILLed experiment leaves no orphans; pool workers would otherwise wait forever).
    A worker's own copy of the parent's end (inherited by fork) is closed first."""
    keep_alive.close()

    def watch() -> None:
        try:
            alive.recv()
        except (EOFError, OSError):
            pass
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _serial(feed: Feed, workers: int, client: Any, done: Callable) -> None:
    while feed:
        done(run_batch(feed.next()))


def _processes(feed: Feed, workers: int, client: Any, done: Callable) -> None:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        # Workers start at once with everything this process has imported (safe with no other thread).
        context = multiprocessing.get_context("fork")
    elif "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        # Import the engine and the runner once in the fork server; workers fork with them loaded.
        context.set_forkserver_preload(["experiments.engine", feed.shape.runner.partition(":")[0]])
    else:
        context = multiprocessing.get_context("spawn")
    alive, keep_alive = context.Pipe(duplex=False)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_exit_with_parent,
                               initargs=(alive, keep_alive))
    finished = False
    try:
        running: set = set()
        while feed or running:
            while feed and len(running) < 2 * workers:  # one batch queued behind each running one
                running.add(pool.submit(run_batch, feed.next()))
            ended, running = wait(running, return_when=FIRST_COMPLETED)
            for future in ended:
                done(future.result())
        finished = True
    finally:
        pool.shutdown(wait=finished, cancel_futures=True)
        keep_alive.close()
        alive.close()


def connect(address: str) -> Any:
    """A client of a running Dask scheduler; InputError (before anything is written) when unreachable."""
    from dask.distributed import Client

    try:
        return Client(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as error:
        raise InputError(f"cannot reach the Dask scheduler at {address!r}: {error}", field="--dask") from None


def _dask(feed: Feed, workers: int, client: Any, done: Callable) -> None:
    """On the cluster behind ``client``, or on a LocalCluster started here and closed after."""
    import dask
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    with contextlib.ExitStack() as stack:
        if client is None:
            if "forkserver" in multiprocessing.get_all_start_methods():
                # Workers fork from a server that has the engine and the runner imported already.
                multiprocessing.get_context("forkserver").set_forkserver_preload(
                    ["experiments.engine", feed.shape.runner.partition(":")[0]])
                stack.enter_context(dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}))
            cluster = stack.enter_context(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                       dashboard_address=None, silence_logs=logging.CRITICAL))
            client = stack.enter_context(Client(cluster))
        futures = dask_completed([client.submit(run_batch, feed.next(), pure=False)
                                  for _ in range(2 * workers) if feed])
        for future in futures:
            done(future.result())
            future.release()
            if feed:
                futures.add(client.submit(run_batch, feed.next(), pure=False))


RUN_ON = {"serial": _serial, "processes": _processes, "dask": _dask}


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def git_state() -> tuple[str | None, bool | None]:
    """Commit of the code that ran and whether tracked files differed from it (None outside git)."""
    root = Path(__file__).resolve().parent.parent
    try:
        def git(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(["git", *args], check=False, cwd=root, capture_output=True, text=True, timeout=20)

        head = git("rev-parse", "HEAD")
        if head.returncode != 0:
            return None, None
        status = git("status", "--porcelain", "--untracked-files=no")
        return head.stdout.strip(), bool(status.stdout.strip())
    except (OSError, subprocess.TimeoutExpired):
        return None, None


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold an advisory lock on the folder while writing to it: two experiments writing into one
    folder would each run everything. The kernel drops the lock when the process dies."""
    if out.exists() and not out.is_dir():
        raise InputError("exists and is not a folder", file=str(out), field="--out")
    out.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    descriptor = os.open(out, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError("another experiment is writing to this folder right now; let it finish (then "
                             "--resume if needed) or choose another --out", file=str(out), field="--out") from None
        yield
    finally:
        os.close(descriptor)


def _claim(out: Path, manifest: dict[str, Any], resume: bool) -> None:
    """Refuse to mix experiments in one folder; write (or extend) experiment.json."""
    filled = any(out.iterdir())
    if filled and not resume:
        raise InputError("the folder is not empty; pass --resume to finish the experiment stored there, "
                         "or choose another --out", file=str(out), field="--out")
    if filled:
        if not (out / MANIFEST).is_file():
            raise InputError(f"holds no {MANIFEST}, so it is not an experiment folder to resume", file=str(out),
                             field="--out")
        stored = read_manifest(out)
        if bool(stored.get("paired", False)) != manifest["paired"]:
            raise InputError(PAIRING_CLASH[bool(stored.get("paired", False))] + ", or choose another --out",
                             file=str(out), field="--out")
        if stored.get("fingerprint") != manifest["fingerprint"]:
            raise InputError("holds a different experiment (scenarios, points, seed, replicates or parameters "
                             "differ); resume with the same experiment file and --set values, or choose another "
                             "--out", file=str(out), field="--out")
        manifest.update({k: stored[k] for k in ("created", "versions", "git_commit", "git_dirty") if k in stored})
        manifest["sessions"] = stored.get("sessions", []) + manifest["sessions"]
    prepare(out)
    write_manifest(out, manifest)


class _Bar:
    """Runs done, failed, runs per second and time left; silent when stderr is not a terminal."""

    def __init__(self, total: int, skipped: int, enabled: bool):
        console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("runs"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TextColumn("{task.fields[rate]} runs/s"),
            TimeRemainingColumn(),
            console=console,
            disable=not (enabled and console.is_terminal),
            # Redrawn as batches finish, not by a thread: workers can then fork from this process.
            auto_refresh=False,
        )
        self.task = self.progress.add_task("runs", total=total, completed=skipped, failed=0, rate="-")
        self.start = time.perf_counter()
        self.ran = self.failed = 0

    def __enter__(self) -> Self:
        self.progress.start()
        self.progress.refresh()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def advance(self, ran: int, failed: int) -> None:
        self.ran += ran
        self.failed += failed
        rate = self.ran / max(time.perf_counter() - self.start, 1e-9)
        self.progress.update(self.task, advance=ran, failed=self.failed, rate=f"{rate:.1f}")
        self.progress.refresh()


def execute(
    experiment: Experiment,
    out: str | Path,
    *,
    executor: str = "processes",
    workers: int | None = None,
    dask_address: str | None = None,
    resume: bool = False,
    progress: bool = True,
    batch_size: int | None = None,
) -> Outcome:
    """Run what is missing under ``out`` and store it; the work of ``run_experiment`` without reading back."""
    if executor not in EXECUTORS:
        raise ValueError(f"executor must be one of {', '.join(EXECUTORS)}, not {executor!r}")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise InputError(f"{workers!r}: the number of workers must be a positive integer", field="--workers")
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(f"batch_size must be a positive integer, not {batch_size!r}")
    try:
        load_runner(experiment.runner)
    except (ImportError, AttributeError) as error:
        raise InputError(f"cannot import runner {experiment.runner!r}: {error}", field="runner") from None
    out = Path(out)
    runs, manifest = plan(experiment)
    remote = executor == "dask" and dask_address not in (None, "local")
    commit, dirty = git_state()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    manifest.update(created=now, versions=versions(), git_commit=commit, git_dirty=dirty)
    with contextlib.ExitStack() as stack:
        client = stack.enter_context(connect(dask_address)) if remote else None
        if remote:
            workers = max(1, sum(client.nthreads().values()))
        else:
            workers = 1 if executor == "serial" else workers or cpu_count()
        manifest["sessions"] = [{"started": now, "executor": executor, "workers": workers, "dask": dask_address,
                                 "batch_size": batch_size or "adaptive", "versions": manifest["versions"],
                                 "git_commit": commit, "git_dirty": dirty}]
        stack.enter_context(_locked(out))
        _claim(out, manifest, resume)
        return _execute(experiment, out, runs, executor, workers, client, progress, batch_size)


def _execute(experiment: Experiment, out: Path, runs: list[Run], executor: str, workers: int, client: Any,
             progress: bool, size: int | None) -> Outcome:
    """Run what is missing, in batches of ``size`` runs or sized adaptively (``Feed``)."""
    tidy(out)
    done = stored_ids(out)
    missing = [run for run in runs if run.run_id not in done]
    metrics = SUMMARY if experiment.runner == DEFAULT_RUNNER else []
    feed = Feed(Batch(experiment.runner, experiment.swept, metrics, []), missing, workers, size)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"
    errors: list[str] = []
    start = time.perf_counter()
    with _Bar(len(runs), len(runs) - len(missing), progress) as bar:

        def finished(result: tuple[pa.Table, pa.Table | None]) -> None:
            table, monthly = result
            feed.record(table)
            first = table.column("run_id")[0].as_py()
            write_part(out, f"part-{stamp}-{first}.parquet", table, monthly)
            status = table.column("status").to_pylist()
            failed = [f"{rid}: {err}" for rid, s, err in zip(table.column("run_id").to_pylist(), status,
                                                             table.column("error").to_pylist()) if s == "failed"]
            errors.extend(failed)
            bar.advance(table.num_rows, len(failed))

        try:
            if feed:
                RUN_ON[executor](feed, workers, client, finished)
        except BaseException as error:  # say what is safe on disk, then let it propagate
            what = "interrupted" if isinstance(error, KeyboardInterrupt) else f"stopped ({type(error).__name__})"
            print(f"{what}: {len(done) + bar.ran} of {len(runs)} runs are stored under {out}; "
                  "run the same command with --resume to finish", file=sys.stderr)
            raise
    return Outcome(out=out, total=len(runs), skipped=len(runs) - len(missing), ran=bar.ran, failed=bar.failed,
                   seconds=time.perf_counter() - start, errors=errors)


def run_experiment(
    experiment: Experiment,
    out: str | Path,
    *,
    executor: str = "processes",
    workers: int | None = None,
    dask_address: str | None = None,
    resume: bool = False,
    progress: bool = True,
    batch_size: int | None = None,
) -> Results:
    """Run an experiment (or what ``out`` still lacks, with ``resume``) and return its tables."""
    execute(experiment, out, executor=executor, workers=workers, dask_address=dask_address, resume=resume,
            progress=progress, batch_size=batch_size)
    return read_results(out)


__all__ = ["EXECUTORS", "Results", "Run", "execute", "plan", "read_results", "run_batch", "run_experiment", "run_seed"]
