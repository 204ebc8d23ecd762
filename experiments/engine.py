"""Many runs: plan them, cut them into batches, run the batches on an executor, store each as it ends.

The parent process resolves every run's parameters (so a bad value stops the experiment
before anything runs) and derives every run's seed from the root seed and the run's
identity, never from the order runs are handed out or finish in: serial, process and
Dask executors give the same tables. Workers get plain dicts and return Arrow tables;
only the parent writes, one part file per finished batch (``experiments.store``).

One code per experiment: every run row carries the ``code_fingerprint`` of the code that
ran it (version and a hash of the installed ``sim``, ``experiments`` and ``analysis``
sources); a worker whose code differs from this process's is refused, and ``--resume``
refuses a folder written by other code unless asked to mix them. A Dask scheduler gets a
deadline to answer, and so does every wait for a worker or a result (a busy machine cannot
hang the engine); a lost scheduler or worker is one line with what is stored; a run that
kills its worker twice is stored as failed, its batch-mates run on their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import hashlib
import importlib
import json
import logging
import math
import multiprocessing
import os
import platform
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
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

from experiments.provenance import git_state
from experiments.spec import DEFAULT_RUNNER, Experiment
from experiments.store import (
    ASIDE,
    CORRUPT,
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
from experiments.worlds import draw, surveyed
from sim.collect import SUMMARY
from sim.errors import InputError
from sim.files import FileFault, check_writable, locked
from sim.params import dotted
from sim.scenario import load_scenario
from sim.survey import read_survey

EXECUTORS = ("serial", "processes", "dask")
# Batches per worker to aim for: enough to balance the load, few enough to keep overhead small.
BATCHES_PER_WORKER = 8
MAX_BATCH = 32
# Resuming with the other pairing would mix two seed schemes in one folder; the message, by what is stored.
PAIRING_CLASH = {
    True: "holds an experiment run paired (one seed per point and replicate, shared by every scenario) and this "
    "one is unpaired: resume it paired (berdaya experiment --paired or paired = true in the file; berdaya "
    "compare without --unpaired)",
    False: "holds an experiment run unpaired (each scenario its own seeds) and this one is paired: resume it "
    "unpaired (berdaya experiment without --paired; berdaya compare --unpaired)",
}
# Two experiments writing into one folder would each run everything: the folder is locked while written.
BUSY = (
    "another experiment is writing to this folder right now; let it finish (then --resume if needed) or "
    "choose another --out"
)
# Seconds a Dask scheduler gets to answer before the engine gives up (dask/distributed#8071: a port that is
# not a scheduler, an HTTP server say, would otherwise hang the client for ever).
DASK_DEADLINE = 20.0
# The code a run's results depend on: hashed into every row's code_fingerprint.
FINGERPRINTED = ("sim", "experiments", "analysis")
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
    """Runs a worker does in one task, with what it needs to shape their rows, and the code
    fingerprint the worker must have (empty: any)."""

    runner: str
    swept: list[str]
    metrics: list[str]
    runs: list[Run]
    fingerprint: str = ""
    drawn: tuple[str, ...] = ()  # parameters drawn per replicate (plausible worlds), recorded like swept ones


class CodeMismatch(Exception):
    """A worker runs other code than the process that planned the experiment."""


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
    retried: int = 0
    moved: list[str] = field(default_factory=list)

    def report(self) -> str:
        """What this call did, for the command line: ran, kept, retried, failed, files moved aside."""
        rate = self.ran / self.seconds if self.seconds > 0 else 0.0
        kept = f", {self.skipped} already stored" if self.skipped else ""
        retried = f", retried {self.retried} that had failed" if self.retried else ""
        return (
            f"{self.total} runs in {self.out}: ran {self.ran} in {self.seconds:.1f} s ({rate:.1f} runs/s)"
            f"{kept}{retried}, {self.failed} failed"
        )


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


def _resolved(path: Path, overrides: dict[str, Any], overrides_from: str = "--set") -> dict[str, Any]:
    """A scenario's parameters with ``overrides``; its survey is read and checked here, once,
    so a broken survey stops the experiment before any run instead of failing every run."""
    scenario = load_scenario(path, overrides=overrides, overrides_from=overrides_from)
    if scenario.params.survey:
        read_survey(scenario.params.survey, scenario.params)
    return {dotted(k): v for k, v in scenario.params.model_dump().items()}


def check_horizon(experiment: Experiment, field: str = "--months", schema: bool = False) -> None:
    """A horizon before the programme's end would give verdicts about an end that never came: refused for
    every scenario that fields facilitators (at its own values, before any sweep point), before any run.
    ``schema``: the runner is another than the default one but reads the same scenarios (the patterns')."""
    if experiment.runner != DEFAULT_RUNNER and not schema:
        return
    months = {"village.months": experiment.months} if experiment.months is not None else {}
    for path in experiment.scenarios:
        p = load_scenario(path, overrides={**experiment.overrides, **months}).params
        if p.n_facilitators > 0 and p.months < p.programme_months:
            raise InputError(
                f"the runs would stop at month {p.months}, before the programme of scenario {path.stem!r} ends "
                f"at month {p.programme_months}; give at least {p.programme_months}",
                field=field,
            )


@functools.cache
def code_fingerprint() -> str:
    """``version+hash`` of the model, experiments and analysis code installed in this process."""
    digest = hashlib.sha256()
    for package in FINGERPRINTED:
        root = Path(importlib.import_module(package).__file__).resolve().parent
        for path in sorted(root.rglob("*.py")):
            digest.update(path.relative_to(root.parent).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    try:
        release = version("berdaya")
    except PackageNotFoundError:
        release = "unknown"
    return f"{release}+{digest.hexdigest()[:16]}"


def _named(path: Path) -> set[str]:
    """Dotted names a scenario file (or a parent) sets explicitly: those are never drawn."""
    return set(load_scenario(path).values)


def drawn_names(experiment: Experiment) -> list[str]:
    """Every parameter a replicate's world may set, in a fixed order."""
    names = list(experiment.worlds) + [k for row in experiment.posterior[:1] for k in row]
    return list(dict.fromkeys(names))


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
    given = f"{source} ([set], months or --set)" if source else "--set"
    runs: list[Run] = []
    scenarios = []
    ranges = surveyed(experiment.worlds, experiment.scenarios, fixed, given) if schema else experiment.worlds
    worlds = [
        draw(experiment.seed, r, ranges, experiment.posterior, experiment.worlds_shape) if schema else {}
        for r in range(experiment.replicates)
    ]
    for path in experiment.scenarios:
        stem = path.stem
        base = _resolved(path, fixed, given) if schema else {**_resolved(path, {}), **fixed}
        named = (_named(path) | set(fixed)) if schema else set()
        scenarios.append(
            {"name": stem, "path": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "params": base}
        )
        for index, point in enumerate(experiment.points):
            if not point:
                params = base
            elif schema:
                try:
                    params = _resolved(path, {**experiment.overrides, **point, **months}, given)
                except InputError as error:  # the cause first; a point of many parameters can be long
                    shown = str(point) if len(str(point)) <= 200 else str(point)[:200] + "...}"
                    raise InputError(
                        f"{error} (at sweep point {index} {shown} with scenario {stem!r})", file=source
                    ) from None
            else:
                params = {**base, **point, **months}
            for replicate in range(experiment.replicates):
                world = {k: v for k, v in worlds[replicate].items() if k not in named and k not in point}
                runs.append(
                    Run(
                        run_id=f"{stem}.p{index:0{point_width}d}.r{replicate:0{replicate_width}d}",
                        scenario=stem,
                        point=index,
                        replicate=replicate,
                        seed=run_seed(experiment.seed, stem, index, replicate, paired=experiment.paired),
                        params={**params, **world} if world else params,
                    )
                )
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
    if experiment.worlds or experiment.posterior:  # likewise
        resolved["worlds"] = {k: list(v) for k, v in ranges.items()}
        resolved["posterior"] = experiment.posterior
        resolved["worlds_shape"] = experiment.worlds_shape  # a folder drawn another way is not resumed
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
    if experiment.worlds or experiment.posterior:
        manifest["worlds"] = {k: list(v) for k, v in ranges.items()}
        manifest["posterior"] = {"source": experiment.posterior_source, "samples": len(experiment.posterior)}
        manifest["worlds_shape"] = experiment.worlds_shape
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
    mine = code_fingerprint()
    if batch.fingerprint and mine != batch.fingerprint:
        raise CodeMismatch(f"{mine} (expected {batch.fingerprint})")
    runner = load_runner(batch.runner)
    rows, frames = [], []
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
        rows.append(_row(batch, run, metrics, mine, time.perf_counter() - start, status, error))
        if monthly is not None:
            frame = monthly.reset_index(drop=True)
            frame.insert(0, "run_id", run.run_id)
            frames.append(frame)
    monthly = pa.Table.from_pandas(pd.concat(frames, ignore_index=True), preserve_index=False) if frames else None
    return _runs_table(rows), monthly


def _row(
    batch: Batch, run: Run, metrics: dict[str, Any], fingerprint: str, seconds: float, status: str, error: str
) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "scenario": run.scenario,
        **{name: run.params.get(name) for name in dict.fromkeys([*batch.swept, *batch.drawn])},
        "point": run.point,
        "replicate": run.replicate,
        "seed": run.seed,
        **{name: math.nan for name in batch.metrics},
        **metrics,
        "code_fingerprint": fingerprint,
        "wall_time": seconds,
        "status": status,
        "error": error,
    }


def _runs_table(rows: list[dict[str, Any]]) -> pa.Table:
    runs = pd.DataFrame(rows)
    tail = ["code_fingerprint", "wall_time", "status", "error"]
    return pa.Table.from_pandas(runs[[c for c in runs.columns if c not in tail] + tail], preserve_index=False)


def crashed(batch: Batch, error: str) -> tuple[pa.Table, None]:
    """Failed rows for runs whose worker died under them (the run itself never returned)."""
    return _runs_table([_row(batch, run, {}, batch.fingerprint, math.nan, "failed", error) for run in batch.runs]), None


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


def _serial(batches: list[Batch], workers: int, client: Any, done: Callable) -> None:
    for batch in batches:
        done(run_batch(batch))


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        # Workers start at once with everything this process has imported (safe with no other thread).
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


@functools.cache
def _warm(runner: str) -> None:
    """Call the runner module's ``warm()``, if it has one, once in this process: forked workers then
    start with what it loaded (the model's compiled kernels) instead of each loading it again. A warm-up
    that fails is left to the runs, which fail the same way and are stored as failed (a failing run is
    data, not a crash of the experiment)."""
    warm = getattr(importlib.import_module(runner.partition(":")[0]), "warm", None)
    if warm is not None:
        with contextlib.suppress(Exception):
            warm()


def _pool_run(context: Any, batches: list[Batch], workers: int, done: Callable) -> list[Batch]:
    """Run ``batches`` in a pool of ``workers`` processes; the batches left unfinished when a worker died."""
    if context.get_start_method() == "fork":
        _warm(batches[0].runner)
    if context.get_start_method() == "forkserver":
        # Import the engine and the runner once in the fork server; workers fork with them loaded.
        context.set_forkserver_preload(["experiments.engine", batches[0].runner.partition(":")[0]])
    alive, keep_alive = context.Pipe(duplex=False)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_exit_with_parent, initargs=(alive, keep_alive))
    finished = False
    futures = {pool.submit(run_batch, batch): batch for batch in batches}
    try:
        try:
            for future in as_completed(futures):
                done(future.result())
                del futures[future]
        except BrokenProcessPool:
            left = []
            for future, batch in futures.items():
                if future.done() and not future.cancelled() and future.exception() is None:
                    done(future.result())  # finished before the pool broke, not yet collected
                else:
                    left.append(batch)
            return left
        finished = True
        return []
    finally:
        pool.shutdown(wait=finished, cancel_futures=True)
        keep_alive.close()
        alive.close()


def _processes(batches: list[Batch], workers: int, client: Any, done: Callable) -> None:
    """A worker that dies (out of memory, a crash in a library) breaks the whole pool and does not
    say which run killed it; the runs left are then run one at a time, each in a pool of its
    own, so only a run that kills its worker alone is stored as failed."""
    context = _context()
    left = _pool_run(context, batches, workers, done)
    for batch in left:
        for run in batch.runs:
            single = dataclasses.replace(batch, runs=[run])
            if _pool_run(context, [single], 1, done):
                done(
                    crashed(
                        single,
                        "BrokenProcessPool: the run killed its worker process (out of memory, or a crash in a "
                        "library); it is stored as failed",
                    )
                )


class ClusterLost(Exception):
    """The Dask scheduler or the connection to it went away while runs were out."""


class Stalled(Exception):
    """A Dask task whose end never reached the client while every worker idled (see ``_arrivals``)."""


async def _identify(address: str, deadline: float) -> Any:
    from distributed.comm import connect as open_comm

    comm = await open_comm(address, timeout=deadline)
    try:
        await comm.write({"op": "identity", "reply": True})
        return await comm.read()
    finally:
        comm.abort()


def probe(address: str, deadline: float = DASK_DEADLINE) -> dict[str, Any]:
    """What answers at ``address``, within ``deadline`` seconds: it must be a Dask scheduler."""
    hint = "give the scheduler's address (tcp://host:8786 by default; 8787 is its dashboard)"
    try:
        reply = asyncio.run(asyncio.wait_for(_identify(address, deadline), deadline))
    except TimeoutError:
        raise InputError(
            f"no Dask scheduler answered at {address!r} within {deadline:g} s; {hint}", field="--dask"
        ) from None
    except (OSError, ValueError, TypeError, EOFError) as error:
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(f"cannot reach a Dask scheduler at {address!r} ({detail}); {hint}", field="--dask") from None
    if not isinstance(reply, dict) or reply.get("type") != "Scheduler":
        kind = reply.get("type") if isinstance(reply, dict) else type(reply).__name__
        raise InputError(f"{address!r} answers as {kind!r}, not as a Dask scheduler; {hint}", field="--dask")
    return reply


def connect(address: str, deadline: float = DASK_DEADLINE) -> Any:
    """A client of a running Dask scheduler whose workers all run this code; InputError (before anything
    is written) when it does not answer in time, has no workers or has workers with other code."""
    from dask.distributed import Client

    probe(address, deadline)
    try:
        client = Client(address, timeout=f"{deadline}s")
    except (OSError, TimeoutError, ValueError) as error:
        raise InputError(f"cannot reach the Dask scheduler at {address!r}: {error}", field="--dask") from None
    try:
        check_workers(client, address)
    except BaseException:
        _close(client)
        raise
    return client


def check_workers(client: Any, address: str) -> None:
    """Every worker must run the code this process runs (results from two codes would mix silently)."""
    found = client.run(code_fingerprint, on_error="return")
    if not found:
        raise InputError(
            f"the Dask scheduler at {address!r} has no workers; start some (dask worker {address}) and run again",
            field="--dask",
        )
    mine = code_fingerprint()
    other = {worker: fp for worker, fp in found.items() if fp != mine}
    if other:
        worker, theirs = min(other.items())
        theirs = theirs if isinstance(theirs, str) else f"cannot load the code: {theirs!r}"
        raise InputError(
            f"{len(other)} of {len(found)} Dask workers run other code than this machine (e.g. "
            f"{worker}: {theirs}; here: {mine}); install the same berdaya on every worker, or stop "
            "those workers",
            field="--dask",
        )


def _close(client: Any) -> None:
    """Close a client without waiting long or raising: its scheduler may be gone."""
    with contextlib.suppress(Exception):
        client.close(timeout=5)


@contextlib.contextmanager
def _quiet_dask() -> Iterator[None]:
    """Dask logs every lost connection and retry with a traceback; the engine says it in one line."""
    import distributed  # noqa: F401 - sets its loggers' levels on import; they are overridden after

    names = [name for name in logging.root.manager.loggerDict if name.split(".")[0] in ("distributed", "tornado")]
    loggers = [logging.getLogger(name) for name in ("distributed", "tornado", *names)]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def _arrivals(queue: Any, client: Any, deadline: float) -> Iterator[tuple[Any, Any]]:
    """Each (future, result) of a Dask ``as_completed`` queue as it arrives, with a deadline on every wait: a
    scheduler that does not answer within ``deadline`` seconds, or a cluster left without a worker that long
    (all killed, none restarted: a machine under heavy load), is ``ClusterLost``, never a wait for ever.

    A task whose end never reaches this client (seen after a worker it killed was restarted: the scheduler
    holds it as erred, every worker idles, and no result arrives) is given back, after ``deadline`` seconds
    of such silence, as if it had killed its worker (``Stalled``), so the caller retries or stores it.
    """
    alone, asked, heard = None, time.monotonic(), time.monotonic()
    while not queue.is_empty():
        if queue.has_ready():
            alone, heard = None, time.monotonic()
            yield next(queue)
            continue
        time.sleep(0.05)
        now = time.monotonic()
        if now - asked < 1.0:
            continue
        asked = now
        try:
            workers = client.sync(client.scheduler.ncores, callback_timeout=deadline)
            busy = any(client.processing().values()) if workers else False
        except Exception as error:  # noqa: BLE001 - a timeout or a closed connection: the scheduler is gone
            raise ClusterLost(f"the scheduler did not answer within {deadline:g} s ({_first_line(error)})") from None
        if workers:
            alone = None
        elif alone is None:
            alone = now
        elif now - alone > deadline:
            raise ClusterLost(f"no worker has been connected for {deadline:g} s")
        if busy:
            heard = now
        elif workers and now - heard > deadline:
            with queue.lock:
                stalled = list(queue.futures)
                queue.futures.clear()
            for future in stalled:
                yield future, (None, Stalled(f"no word of this task for {deadline:g} s while every worker was idle"))
            heard = now


def _dask(batches: list[Batch], workers: int, client: Any, done: Callable, deadline: float = DASK_DEADLINE) -> None:
    """On the cluster behind ``client``, or on a LocalCluster started here and closed after.

    Results are written as they arrive (gathered in the background, so one stuck on a lost
    worker holds back no other). A batch that killed its worker (twice, by the scheduler's
    ``allowed-failures``; 1 on a LocalCluster) is split into single runs; a single run
    blamed again is tried alone ``SINGLE_TRIES`` more times (a run queued on a worker that
    another run killed is blamed too), then stored as failed.
    """
    import dask
    from dask.distributed import Client, KilledWorker, LocalCluster
    from dask.distributed import as_completed as dask_completed

    with contextlib.ExitStack() as stack:
        if client is None:
            if "forkserver" in multiprocessing.get_all_start_methods():
                # Workers fork from a server that has the engine and the runner imported already.
                multiprocessing.get_context("forkserver").set_forkserver_preload(
                    ["experiments.engine", batches[0].runner.partition(":")[0]]
                )
                stack.enter_context(dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}))
            stack.enter_context(dask.config.set({"distributed.scheduler.allowed-failures": 1}))
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.CRITICAL,
                )
            )
            client = Client(cluster)
            stack.callback(_close, client)
        try:
            futures = client.map(run_batch, batches, pure=False)
            batch_of = dict(zip(futures, batches))
            single_tries: dict[Any, int] = {}
            queue = dask_completed(futures, with_results=True, raise_errors=False)
            for future, result in _arrivals(queue, client, deadline):
                batch = batch_of.pop(future, None)
                if batch is None:  # a stalled task's late word: it was already given back
                    continue
                # A batch's own result, whatever the future's status says by now: a worker killed by another
                # batch after this one's result arrived leaves its future "lost" though the result is here.
                if isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], pa.Table):
                    done(result)
                elif isinstance(result, tuple) and isinstance(result[1], (KilledWorker, Stalled)):
                    if len(batch.runs) == 1 and single_tries.get(batch.runs[0].run_id, 0) < SINGLE_TRIES:
                        # A run queued on a worker another run killed is blamed too: try it alone again.
                        single_tries[batch.runs[0].run_id] = single_tries.get(batch.runs[0].run_id, 0) + 1
                        again = client.submit(run_batch, batch, pure=False)
                        batch_of[again] = batch
                        queue.add(again)
                    elif len(batch.runs) == 1:
                        done(
                            crashed(
                                batch,
                                "KilledWorker: the run killed its worker each time it ran (out of "
                                "memory, or a crash in a library)",
                            )
                        )
                    else:
                        singles = [dataclasses.replace(batch, runs=[run]) for run in batch.runs]
                        more = client.map(run_batch, singles, pure=False)
                        batch_of.update(zip(more, singles))
                        queue.update(more)
                elif isinstance(result, tuple) and isinstance(result[1], CodeMismatch):
                    raise result[1]
                else:  # a task error the runs did not catch, or a future cancelled with the scheduler gone
                    raise ClusterLost(_first_line(result[1] if isinstance(result, tuple) else result))
                future.release()
        except (CodeMismatch, ClusterLost, KeyboardInterrupt):
            raise
        except Exception as error:  # noqa: BLE001 - comm errors, timeouts: the scheduler is gone
            raise ClusterLost(_first_line(error)) from None


# How often a single run blamed for killing its worker is tried again before it is stored as failed.
SINGLE_TRIES = 2


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0]}" if text else type(error).__name__


RUN_ON = {"serial": _serial, "processes": _processes, "dask": _dask}


def versions(packages: tuple[str, ...] = PACKAGES) -> dict[str, str | None]:
    """Python's version and each installed package's (None where it is not installed)."""
    found: dict[str, str | None] = {"python": platform.python_version()}
    for package in packages:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def _claim(out: Path, manifest: dict[str, Any], resume: bool, allow_code_change: bool = False) -> None:
    """Refuse to mix experiments, or results of two codes, in one folder; write (or extend) experiment.json."""
    filled = any(out.iterdir())
    if filled and not resume:
        raise InputError(
            "the folder is not empty; pass --resume to finish the experiment stored there, or choose another --out",
            file=str(out),
            field="--out",
        )
    if filled:
        if not (out / MANIFEST).is_file():
            raise InputError(
                f"holds no {MANIFEST}, so it is not an experiment folder to resume", file=str(out), field="--out"
            )
        stored = read_manifest(out)
        if bool(stored.get("paired", False)) != manifest["paired"]:
            raise InputError(
                PAIRING_CLASH[bool(stored.get("paired", False))] + ", or choose another --out",
                file=str(out),
                field="--out",
            )
        if stored.get("fingerprint") != manifest["fingerprint"]:
            raise InputError(
                "holds a different experiment (scenarios, points, seed, replicates or parameters "
                "differ); resume with the same experiment file and --set values, or choose another "
                "--out",
                file=str(out),
                field="--out",
            )
        theirs = stored.get("code_fingerprint")
        if theirs != manifest["code_fingerprint"] and not allow_code_change:
            was = f"code {theirs}" if theirs else "code that recorded no fingerprint"
            raise InputError(
                f"holds runs made by {was}, and this is code {manifest['code_fingerprint']}: finish it "
                "with that code, or add --allow-code-change to mix them (each run's code_fingerprint "
                "column tells them apart), or choose another --out",
                file=str(out),
                field="--out",
            )
        keep = ("created", "versions", "git_commit", "git_dirty", "code_fingerprint")
        manifest.update({k: stored[k] for k in keep if k in stored})
        manifest["sessions"] = stored.get("sessions", []) + manifest["sessions"]
    prepare(out)
    write_manifest(out, manifest)


class Heartbeat:
    """Progress where no bar can be drawn (stderr is a file or a pipe: a log, a job of the comparison page):
    one plain line after ``first`` seconds and then every ``every`` seconds, so a long command never sits
    silent; nothing for a command that ends sooner."""

    def __init__(self, what: str, total: int, first: float = 5.0, every: float = 15.0):
        self.what, self.total, self.every = what, total, every
        self.start = time.perf_counter()
        self.next = self.start + first

    def __call__(self, done: int) -> None:
        now = time.perf_counter()
        if now >= self.next:
            self.next = now + self.every
            share = done / self.total if self.total else 0.0
            print(f"{self.what}: {done} of {self.total} ({share:.0%}) after {now - self.start:.0f} s", file=sys.stderr)


class _Bar:
    """Runs done, failed, runs per second and time left; a plain line now and then (``Heartbeat``) when
    stderr is not a terminal."""

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
        self.skipped = skipped
        self.beat = Heartbeat("runs", total) if enabled and not console.is_terminal else None

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
        if self.beat:
            self.beat(self.skipped + self.ran)


@dataclass(frozen=True)
class EngineOptions:
    """How the engine runs an experiment, built once (``berdaya.commands.options.engine_options`` from the
    command line) and passed whole through every study: where the runs go (``executor``: serial, a process
    pool or Dask, ``workers``, ``dask_address`` and how long a scheduler gets to answer), whether to go on in
    a used folder (``resume``; runs stored as failed are run again unless ``keep_failed``; a folder written
    by other code only with ``allow_code_change``), the progress bar and the batch size."""

    executor: str = "processes"
    workers: int | None = None
    dask_address: str | None = None
    resume: bool = False
    progress: bool = True
    batch_size: int | None = None
    keep_failed: bool = False
    allow_code_change: bool = False
    dask_deadline: float = DASK_DEADLINE

    def __post_init__(self) -> None:
        if self.executor not in EXECUTORS:
            raise ValueError(f"executor must be one of {', '.join(EXECUTORS)}, not {self.executor!r}")
        workers = self.workers
        if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
            raise InputError(f"{workers!r}: the number of workers must be a positive integer", field="--workers")
        size = self.batch_size
        if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
            raise ValueError(f"batch_size must be a positive integer, not {size!r}")

    def but(self, **changes: Any) -> EngineOptions:
        """The same options with some changed (e.g. ``resume=True`` for a follow-up folder)."""
        return dataclasses.replace(self, **changes)


def execute(experiment: Experiment, out: str | Path, options: EngineOptions = EngineOptions()) -> Outcome:
    """Run what is missing under ``out`` and store it (``run_experiment`` also reads the tables back)."""
    try:
        load_runner(experiment.runner)
    except (ImportError, AttributeError) as error:
        raise InputError(f"cannot import runner {experiment.runner!r}: {error}", field="runner") from None
    out = Path(out)
    runs, manifest = plan(experiment)
    executor, dask_address = options.executor, options.dask_address
    remote = executor == "dask" and dask_address not in (None, "local")
    commit, dirty = git_state()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    code = code_fingerprint()
    manifest.update(created=now, versions=versions(), git_commit=commit, git_dirty=dirty, code_fingerprint=code)
    with contextlib.ExitStack() as stack:
        if executor == "dask":  # from here until the client is closed: it logs from its own thread
            stack.enter_context(_quiet_dask())
        client = connect(dask_address, options.dask_deadline) if remote else None
        if remote:
            stack.callback(_close, client)
            workers = max(1, sum(client.nthreads().values()))
        else:
            workers = 1 if executor == "serial" else options.workers or cpu_count()
        size = options.batch_size or max(1, min(MAX_BATCH, math.ceil(len(runs) / (workers * BATCHES_PER_WORKER))))
        manifest["sessions"] = [
            {
                "started": now,
                "executor": executor,
                "workers": workers,
                "dask": dask_address,
                "batch_size": size,
                "versions": manifest["versions"],
                "git_commit": commit,
                "git_dirty": dirty,
                "code_fingerprint": code,
            }
        ]
        stack.enter_context(locked(out, BUSY))
        check_writable(out)
        _claim(out, manifest, options.resume, options.allow_code_change)
        return _execute(
            experiment,
            out,
            runs,
            executor,
            workers,
            client,
            options.progress,
            size,
            options.keep_failed,
            options.dask_deadline,
        )


def _execute(
    experiment: Experiment,
    out: Path,
    runs: list[Run],
    executor: str,
    workers: int,
    client: Any,
    progress: bool,
    size: int,
    keep_failed: bool = False,
    dask_deadline: float = DASK_DEADLINE,
) -> Outcome:
    moved = tidy(out)
    for path in moved:  # every command that resumes says so, whatever else it prints
        print(
            f"warning: {path.with_name(path.name.removeprefix(ASIDE).removesuffix(CORRUPT))}: damaged; moved aside "
            f"to {path.name}, its runs are run again",
            file=sys.stderr,
        )
    done = stored_ids(out, keep_failed)
    missing = [run for run in runs if run.run_id not in done]
    retried = len(stored_ids(out, keep_failed=True) & {run.run_id for run in missing})
    metrics = SUMMARY if experiment.runner == DEFAULT_RUNNER else []
    drawn = tuple(drawn_names(experiment))
    # Runs that share a seed (the scenarios and points of a paired replicate) go to a worker together,
    # so they share one burned-in village (``VillageModel.burned_in``); seeds never depend on this order.
    missing.sort(key=lambda run: run.seed)
    batches = [
        Batch(experiment.runner, experiment.swept, metrics, missing[i : i + size], code_fingerprint(), drawn)
        for i in range(0, len(missing), size)
    ]
    # Unique per session (a resume in the same second must not overwrite a part it retries) and in time order.
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f") + f"-{os.getpid()}"
    errors: list[str] = []
    start = time.perf_counter()
    with _Bar(len(runs), len(runs) - len(missing), progress) as bar:

        def finished(result: tuple[pa.Table, pa.Table | None]) -> None:
            table, monthly = result
            first = table.column("run_id")[0].as_py()
            write_part(out, f"part-{stamp}-{first}.parquet", table, monthly)
            status = table.column("status").to_pylist()
            failed = [
                f"{rid}: {err}"
                for rid, s, err in zip(table.column("run_id").to_pylist(), status, table.column("error").to_pylist())
                if s == "failed"
            ]
            errors.extend(failed)
            bar.advance(table.num_rows, len(failed))

        def stored() -> str:
            return (
                f"{len(runs) - len(missing) + bar.ran} of {len(runs)} runs are stored under {out}; run the same "
                "command with --resume to finish"
            )

        try:
            if batches:
                deadline = {"deadline": dask_deadline} if executor == "dask" else {}
                RUN_ON[executor](batches, workers, client, finished, **deadline)
        except CodeMismatch as error:
            raise InputError(
                f"a worker joined that runs other code ({error}); install the same berdaya on every worker; {stored()}",
                field="--dask",
            ) from None
        except ClusterLost as error:
            raise InputError(f"the Dask cluster failed ({error}); {stored()}", field="--dask") from None
        except BrokenProcessPool:
            raise InputError(
                f"a worker process died (out of memory, or a crash in a library); {stored()}, or "
                "with --serial to find the run that crashes",
                field="--workers",
            ) from None
        except FileFault as error:  # a full or failing disk: what happened and what is safe, in one line
            raise FileFault(f"{error}; {stored()}") from None
        except BaseException as error:  # say what is safe on disk, then let it propagate
            what = "interrupted" if isinstance(error, KeyboardInterrupt) else f"stopped ({type(error).__name__})"
            print(f"{what}: {stored()}", file=sys.stderr)
            raise
    return Outcome(
        out=out,
        total=len(runs),
        skipped=len(runs) - len(missing),
        ran=bar.ran,
        failed=bar.failed,
        seconds=time.perf_counter() - start,
        errors=errors,
        retried=retried,
        moved=[str(path) for path in moved],
    )


def run_experiment(experiment: Experiment, out: str | Path, options: EngineOptions = EngineOptions()) -> Results:
    """Run an experiment (or what ``out`` still lacks, with ``options.resume``) and return its tables."""
    execute(experiment, out, options)
    return read_results(out)


__all__ = [
    "EXECUTORS",
    "check_horizon",
    "EngineOptions",
    "Heartbeat",
    "Results",
    "Run",
    "code_fingerprint",
    "execute",
    "plan",
    "read_results",
    "run_batch",
    "run_experiment",
    "run_seed",
]
