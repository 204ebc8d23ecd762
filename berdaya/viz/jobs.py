"""Comparisons started from the browser, run by ``berdaya compare`` in a process of their own.

The page must survive a closed tab or a closed laptop lid, so nothing lives in the
page: each comparison is a folder in the store, and everything the page shows is read
back from it. A folder holds

- ``job.json``: what was asked (village, strategies, facilitators, runs, language) and
  the ``berdaya compare`` arguments that answer it;
- ``village/``: the uploaded survey (``households.csv``, ``patrons.csv``), if any;
- ``scenarios/``: one scenario file per strategy, extending the shipped one with the
  village and the number of facilitators (scenarios are data);
- ``result/``: the ``--out`` folder of ``berdaya compare`` (runs, ``report.html`` and the
  report in the other language);
- ``compare.log``: what the command printed; ``exit.json``: its exit status and time;
  ``process.json``: the id of the process running it (its process group: stop it with
  ``kill -- -PID``);
- ``job.lock``: locked (``flock``) by the process that runs the comparison. The kernel
  drops the lock when that process ends, however it ends, so a held lock means running,
  and no lock without ``exit.json`` means interrupted (resumable with ``--resume``).

Run as ``python -m berdaya.viz.jobs FOLDER --lock-fd N [--resume]``: the page starts it in
its own session, so stopping the server or closing the browser does not stop it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from analysis.i18n import LANGUAGES
from analysis.report import RECORD
from berdaya.commands.compare import DECOMPOSITION_REPLICATES, REPLICATES
from experiments.store import MANIFEST, RUNS
from sim.errors import InputError
from sim.files import check_writable, fault, read_text, write_json, write_text
from sim.params import STRATEGIES, Params, bounds, explain, fields, group_of
from sim.scenario import load_scenario, resolve_scenario, shipped
from sim.survey import (
    HOUSEHOLD_OPTIONAL,
    HOUSEHOLD_REQUIRED,
    PATRON_FILE,
    Table,
    check_hamlets,
    hamlet_key,
    numbered,
    read_survey,
)

try:
    import fcntl
except ImportError:  # Windows has no flock: there a running comparison cannot be told from an interrupted one
    fcntl = None

STORE_VARIABLE = "BERDAYA_STORE"  # how `berdaya viz --store` tells the page where comparisons live
DEFAULT_STORE = "comparisons"  # in the folder `berdaya viz` was started from
JOB, LOCK, LOG, EXIT, PROCESS = "job.json", "job.lock", "compare.log", "exit.json", "process.json"
VILLAGE, SCENARIOS, RESULT = "village", "scenarios", "result"
HOUSEHOLDS_FILE = "households.csv"
RUNNING, FINISHED, INTERRUPTED, FAILED = "running", "finished", "interrupted", "failed"
# Exit statuses that mean "stopped from outside" rather than "refused": Ctrl+C, SIGTERM, SIGKILL.
STOPPED = {130, -2, -15, -9, 143, 137}

# Time estimate: the fixed cost of a comparison (starting Python and the workers, both reports) and
# the wall seconds per run on 2 cores, both measured on the 2-core development machine: `berdaya
# compare` (4 strategies x 30 runs + 168 decomposition runs) took 14.2 s with its report, and the
# report in the second language 7.1 s; 288 runs ran in 7.2 s. The page uses the seconds per run
# measured by the latest finished comparison in the store instead, once there is one.
OVERHEAD_S = 14.0
SECONDS_PER_RUN = 0.025
# The decomposition plans at most this many new cells per programme strategy other than the best
# (the factorial of three switches, less the cell that is the strategy itself).
DECOMPOSITION_CELLS = 7
# Choices of runs per strategy offered in the page: a quick look, the command's default, careful.
RUN_CHOICES = (10, REPLICATES, 100)


def facilitator_range() -> tuple[int, int]:
    """What the page offers: from one facilitator up to the schema's upper bound."""
    return 1, int(bounds("n_facilitators")[1])


def default_facilitators() -> int:
    return int(fields()["n_facilitators"].default)


def store_folder(given: str | Path | None = None) -> Path:
    """The store: ``given``, else ``$BERDAYA_STORE``, else ``comparisons`` in the current folder; checked writable."""
    folder = Path(given or os.environ.get(STORE_VARIABLE) or DEFAULT_STORE).expanduser().resolve()
    return check_writable(folder, what="--store")


def strategy_choices() -> list[str]:
    """Shipped scenarios that change the programme, not the village (the village is the survey's, or the
    typical one): the four strategies first, then their variants."""
    village_groups = {"village", "patrons", "households"}
    names = [
        name
        for name in shipped()
        if not any(key.split(".")[0] in village_groups for key in load_scenario(resolve_scenario(name)).values)
    ]
    return [s for s in STRATEGIES if s in names] + sorted(s for s in names if s not in STRATEGIES)


def fields_with_facilitators(name: str) -> bool:
    """Whether a shipped scenario fields outside facilitators (baseline does not)."""
    return load_scenario(resolve_scenario(name)).params.n_facilitators > 0


def scenario_params(name: str) -> dict[str, Any]:
    """A shipped scenario's parameters by dotted name (what the report's strategy sentences read)."""
    params = load_scenario(resolve_scenario(name)).params
    return {f"{group_of(k)}.{k}": v for k, v in params.model_dump().items()}


@dataclass(frozen=True)
class Village:
    """A checked survey and the village shape the model needs for it."""

    folder: Path
    n_households: int
    hamlet_names: tuple[str, ...]
    patrons_per_hamlet: int
    width: int
    height: int

    @property
    def households_file(self) -> Path:
        return self.folder / HOUSEHOLDS_FILE

    def settings(self) -> dict[str, dict[str, Any]]:
        return {
            "village": {"n_hamlets": len(self.hamlet_names), "width": self.width, "height": self.height},
            "patrons": {"patrons_per_hamlet": self.patrons_per_hamlet},
        }


def read_village(folder: str | Path) -> Village:
    """Check ``households.csv`` and ``patrons.csv`` in ``folder`` as ``berdaya run`` does and size the village.

    The number of hamlets and of patrons per hamlet come from the survey; the grid is the
    smallest whose hamlet strips hold every hamlet at the schema's default density (and every
    surveyed x, y). ``sim.survey.read_survey`` then checks everything; its first error is raised.
    """
    folder = Path(folder)
    households = folder / HOUSEHOLDS_FILE
    if not households.is_file():
        raise InputError("not uploaded yet", file=HOUSEHOLDS_FILE)
    homes = Table(households, HOUSEHOLD_REQUIRED, HOUSEHOLD_OPTIONAL)
    values = check_hamlets(homes)
    keys = [hamlet_key(v) for v in values]
    n_hamlets = max(max(int(k) for k in keys), 1) if all(map(numbered, values)) else len(set(keys))
    lo, hi = bounds("n_hamlets")
    if not lo <= n_hamlets <= hi:
        raise homes.error(f"the survey names {n_hamlets} hamlets; the model takes {lo:g} to {hi:g}", column="hamlet")
    patrons = folder / PATRON_FILE
    n_patrons = len(Table(patrons, ("patron_id",), ()).cells) if patrons.is_file() else n_hamlets
    per_hamlet = max(1, round(n_patrons / n_hamlets))
    density = fields()["density"].default
    most = max(keys.count(k) for k in set(keys))
    height = max(int(bounds("height")[0]), math.ceil(math.sqrt(len(keys) / density)))
    strip = math.ceil(most / density / height)
    width = max(int(bounds("width")[0]), strip * n_hamlets)
    if homes.has("x"):  # the grid must hold every surveyed cell; a bad value is read_survey's to name
        width = max(width, math.ceil((_largest(homes.raw("x")) + 1) / n_hamlets) * n_hamlets)
        height = max(height, _largest(homes.raw("y")) + 1)
    try:
        p = Params(n_hamlets=n_hamlets, patrons_per_hamlet=per_hamlet, width=width, height=height)
    except ValueError as error:
        raise InputError(explain(error), file=str(households)) from None
    survey = read_survey(households, p)
    return Village(
        folder=folder,
        n_households=survey.n_households,
        hamlet_names=survey.hamlet_names,
        patrons_per_hamlet=per_hamlet,
        width=width,
        height=height,
    )


def _largest(cells: list[str]) -> int:
    found = [int(c.strip()) for c in cells if numbered(c.strip())]
    return max(found, default=0)


def short_error(error: InputError, folder: Path) -> str:
    """The message with the upload folder taken out: the officer knows the files by their names."""
    return str(error).replace(str(folder) + os.sep, "")


def estimate_runs(strategies: list[str], replicates: int, decompose: bool) -> int:
    """Runs a comparison will make: every strategy's, and at most the decomposition's."""
    programmes = sum(fields_with_facilitators(s) for s in strategies)
    cells = DECOMPOSITION_CELLS * (programmes - 1) if decompose and programmes > 1 else 0
    return replicates * len(strategies) + cells * min(DECOMPOSITION_REPLICATES, replicates)


def seconds_per_run(store: Path) -> float:
    """The wall seconds per run measured by the latest finished comparison here, else the built-in figure."""
    for job in comparisons(store):
        measured = job.exit or {}
        if job.state == FINISHED and measured.get("runs") and not measured.get("resumed"):
            return max((measured["seconds"] - OVERHEAD_S) / measured["runs"], SECONDS_PER_RUN / 10)
    return SECONDS_PER_RUN


def estimate_seconds(store: Path, strategies: list[str], replicates: int, decompose: bool) -> float:
    return OVERHEAD_S + estimate_runs(strategies, replicates, decompose) * seconds_per_run(store)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "village"


def _scenario_text(name: str, village: Village | None, facilitators: int) -> str:
    """A scenario file that extends the shipped one with this village and this many facilitators."""
    tables: dict[str, dict[str, Any]] = village.settings() if village else {}
    if village:
        tables["village"]["survey"] = f"../{VILLAGE}/{HOUSEHOLDS_FILE}"
    if fields_with_facilitators(name):
        tables["facilitators"] = {"n_facilitators": facilitators}
    lines = [
        f"# Written by the comparison page: the shipped {name}.toml on this village.",
        f"extends = {json.dumps(str(resolve_scenario(name)))}",
    ]
    for group, values in tables.items():
        lines += ["", f"[{group}]"] + [f"{key} = {json.dumps(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def create(
    store: Path,
    *,
    strategies: list[str],
    facilitators: int,
    replicates: int,
    decompose: bool,
    lang: str,
    village: Village | None,
    village_name: str,
) -> Path:
    """Write a new comparison folder (survey copied in, one scenario per strategy) and return it; nothing runs."""
    offered = strategy_choices()
    if len(strategies) < 2 or any(s not in offered for s in strategies):
        raise InputError(f"choose two or more of {', '.join(offered)}", field="strategies")
    lo, hi = facilitator_range()
    if not lo <= facilitators <= hi:
        raise InputError(f"{facilitators} facilitators; allowed: {lo} to {hi}", field="facilitators")
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}; allowed: {', '.join(LANGUAGES)}", field="lang")
    check_writable(store, what="--store")
    now = datetime.now()
    name = village_name.strip() or (", ".join(village.hamlet_names) if village else "")
    folder = store / f"{now:%Y%m%d-%H%M%S}-{_slug(name)}"
    while folder.exists():
        folder = folder.with_name(folder.name + "-x")
    try:
        (folder / SCENARIOS).mkdir(parents=True)
        if village:
            (folder / VILLAGE).mkdir()
            for file in (HOUSEHOLDS_FILE, PATRON_FILE):
                write_text(folder / VILLAGE / file, read_text(village.folder / file))
    except OSError as error:
        raise fault(error, folder) from None
    paths = [write_text(folder / SCENARIOS / f"{s}.toml", _scenario_text(s, village, facilitators)) for s in strategies]
    command = [
        "compare",
        *map(str, paths),
        "--out",
        str(folder / RESULT),
        "--replicates",
        str(replicates),
        "--lang",
        lang,
    ] + ([] if decompose else ["--no-decompose"])
    runs = estimate_runs(strategies, replicates, decompose)
    write_json(
        folder / JOB,
        {
            "created": now.isoformat(timespec="seconds"),
            "village": name,
            "survey": village is not None,
            "households": village.n_households if village else None,
            "strategies": strategies,
            "facilitators": facilitators,
            "replicates": replicates,
            "decompose": decompose,
            "lang": lang,
            "runs_planned": runs,
            "estimate_s": round(estimate_seconds(store, strategies, replicates, decompose)),
            "command": command,
        },
    )
    return folder


def _held(path: Path) -> bool:
    """Whether another process holds the lock on ``path`` (taking and dropping it at once if not)."""
    if fcntl is None or not path.exists():
        return False
    descriptor = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


def start(folder: Path, resume: bool = False) -> int:
    """Start (or with ``resume`` go on with) the comparison in ``folder`` in a detached process; its pid.

    The lock is taken here and handed to the child, so there is no moment in which the
    comparison looks interrupted; a second start while one runs is refused.
    """
    descriptor = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise InputError("this comparison is running already", file=str(folder)) from None
        (folder / EXIT).unlink(missing_ok=True)
        command = [sys.executable, "-m", "berdaya.viz.jobs", str(folder), "--lock-fd", str(descriptor)]
        with open(folder / LOG, "a") as log:
            process = subprocess.Popen(
                command + ["--resume"] * resume,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                pass_fds=(descriptor,),
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
    except OSError as error:
        raise fault(error, folder) from None
    finally:
        os.close(descriptor)
    return process.pid


@dataclass
class Comparison:
    """One comparison folder as the page lists it."""

    folder: Path
    job: dict[str, Any]
    state: str
    exit: dict[str, Any] | None

    @property
    def name(self) -> str:
        return self.folder.name

    def report(self, lang: str) -> Path | None:
        """The report in ``lang``: ``report.html`` for the comparison's first language, else ``report.<lang>.html``."""
        result = self.folder / RESULT
        try:
            first = json.loads(read_text(result / RECORD)).get("lang")
        except (OSError, ValueError):
            return None
        path = result / ("report.html" if first == lang else f"report.{lang}.html")
        return path if path.is_file() else None

    def error(self) -> str:
        """The command's own one-line message ("berdaya: error: ..."), or the log's last line."""
        try:
            lines = [line for line in read_text(self.folder / LOG).splitlines() if line.strip()]
        except OSError:
            return ""
        errors = [line.removeprefix("berdaya: error: ") for line in lines if line.startswith("berdaya: error:")]
        return errors[-1] if errors else (lines[-1] if lines else "")


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        found = json.loads(read_text(path))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def state_of(folder: Path) -> tuple[str, dict[str, Any] | None]:
    """running / finished / failed / interrupted, read from the lock and ``exit.json``."""
    if _held(folder / LOCK):
        return RUNNING, None
    ended = _read_json(folder / EXIT)
    if ended is None:
        return INTERRUPTED, None
    status = ended.get("status")
    if status == 0:
        return FINISHED, ended
    return (INTERRUPTED if status in STOPPED else FAILED), ended


def comparisons(store: Path) -> list[Comparison]:
    """Every comparison folder in the store, newest first; folders without a readable job.json are skipped."""
    found = []
    for folder in sorted((p for p in Path(store).iterdir() if p.is_dir()), reverse=True) if store.is_dir() else []:
        job = _read_json(folder / JOB)
        if job is None:
            continue
        state, ended = state_of(folder)
        found.append(Comparison(folder=folder, job=job, state=state, exit=ended))
    return found


def _stored(out: Path) -> tuple[int, int] | None:
    """(runs stored, runs planned) of one experiment folder, or None before it has begun."""
    manifest = _read_json(out / MANIFEST)
    if manifest is None:
        return None
    done = 0
    for part in sorted((out / RUNS).glob("part-*.parquet")):
        try:
            done += pq.read_metadata(part).num_rows
        except OSError:
            continue
    return min(done, int(manifest.get("n_runs", 0))), int(manifest.get("n_runs", 0))


@dataclass(frozen=True)
class Progress:
    """How far a comparison is: its step (runs, decomposition, report), runs done and planned."""

    step: str
    done: int
    total: int

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0


def progress(folder: Path) -> Progress:
    """Read from what the engine stores: the strategies' runs, then the decomposition's, then the report."""
    job = _read_json(folder / JOB) or {}
    result = folder / RESULT
    main = _stored(result) or (0, job.get("replicates", 0) * len(job.get("strategies", [])))
    planned = job.get("runs_planned", main[1])
    decomposition = _stored(result / "decomposition" / "runs")
    if decomposition is None:
        step = "runs" if main[0] < main[1] else ("decomposition" if job.get("decompose") else "report")
        return Progress(step, main[0], max(planned, main[1]))
    done, total = main[0] + decomposition[0], main[1] + decomposition[1]
    return Progress("decomposition" if decomposition[0] < decomposition[1] else "report", done, total)


def failed_runs(folder: Path) -> tuple[int, int]:
    """(runs stored as failed, runs stored) of a comparison's strategies, as its report leaves them out."""
    failed = total = 0
    for part in sorted((folder / RESULT / RUNS).glob("part-*.parquet")):
        status = pq.read_table(part, columns=["status"]).column("status").to_pylist()
        failed, total = failed + status.count("failed"), total + len(status)
    return failed, total


def _count_runs(result: Path) -> int:
    return sum(found[0] for found in (_stored(result), _stored(result / "decomposition" / "runs")) if found)


def main(argv: list[str] | None = None) -> int:
    """Run a comparison folder's ``berdaya compare``, then its report in the other language; record how it ended."""
    from berdaya import cli

    parser = argparse.ArgumentParser(prog="python -m berdaya.viz.jobs")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--lock-fd", type=int, help="the inherited descriptor whose lock marks this comparison running")
    parser.add_argument("--resume", action="store_true")
    args = parser.parse_args(argv)
    job = _read_json(args.folder / JOB)
    if job is None:
        print(
            f"berdaya: error: {args.folder / JOB}: missing or damaged; this is not a comparison folder", file=sys.stderr
        )
        return 2
    began = time.perf_counter()
    write_json(args.folder / PROCESS, {"pid": os.getpid(), "started": datetime.now().isoformat(timespec="seconds")})
    print(
        f"{datetime.now():%Y-%m-%d %H:%M:%S} berdaya {' '.join(job['command'])}" + " --resume" * args.resume, flush=True
    )
    status = cli.main(job["command"] + ["--resume"] * args.resume)
    if status == 0:
        result = args.folder / RESULT
        for lang in LANGUAGES:
            if lang != job["lang"]:
                status = status or cli.main(["report", str(result), "--lang", lang])
    write_json(
        args.folder / EXIT,
        {
            "status": status,
            "seconds": round(time.perf_counter() - began, 1),
            "runs": _count_runs(args.folder / RESULT),
            "resumed": args.resume,
            "ended": datetime.now().isoformat(timespec="seconds"),
        },
    )
    return status


if __name__ == "__main__":
    sys.exit(main())
