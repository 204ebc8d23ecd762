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
  and no lock without ``exit.json`` means interrupted (resumable with ``--resume``);
- ``waiting.json``: while the process waits its turn (at most ``--max-running`` comparisons
  compute at once: each holds one of the store's ``.slots/slot-K.lock``; the others wait in
  the order they were started); ``cancelled.json``: cancelled from the page (resumable);
- ``seen/``: one empty file per browser (the hash of its ``berdaya_owner`` cookie) that
  opened the comparison from a link; ``job.json`` names the browser that started it.

Run as ``python -m berdaya.viz.jobs FOLDER --lock-fd N [--resume]``: the page starts it in
its own session, so stopping the server or closing the browser does not stop it.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from analysis.i18n import LANGUAGES
from analysis.report import DEFAULT_VILLAGE, RECORD, SWITCH_POINTS
from berdaya.commands.compare import (
    DECOMPOSITION_REPLICATES,
    DEFAULT_VILLAGE_REPLICATES,
    REPLICATES,
    SWITCH_GRID,
    SWITCH_PARAMETERS,
    SWITCH_REPLICATES,
)
from berdaya.viz.gate import TOKEN_VARIABLE
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
SHARED_VARIABLE = "BERDAYA_SHARED"  # "1": every browser sees every comparison (`berdaya viz --shared`)
RUNNING_VARIABLE = "BERDAYA_MAX_RUNNING"  # `berdaya viz --max-running N`
UPLOAD_VARIABLE = "BERDAYA_MAX_UPLOAD_MB"  # `berdaya viz --max-upload-mb MB`
DEFAULT_STORE = "comparisons"  # in the folder `berdaya viz` was started from
JOB, LOCK, LOG, EXIT, PROCESS = "job.json", "job.lock", "compare.log", "exit.json", "process.json"
WAITING, CANCELLED, SEEN, SLOTS = "waiting.json", "cancelled.json", "seen", ".slots"
VILLAGE, SCENARIOS, RESULT = "village", "scenarios", "result"
HOUSEHOLDS_FILE = "households.csv"
RUNNING, FINISHED, INTERRUPTED, FAILED = "running", "finished", "interrupted", "failed"
WAITING_STATE, CANCELLED_STATE = "waiting", "cancelled"
# Limits of what the page takes: an upload is refused above MAX_UPLOAD_MB before it is read, a survey above
# MAX_HOUSEHOLDS (a run of 50,000 households takes about 10 s and 100 MB; of a million, 24 s and 1.6 GB).
MAX_UPLOAD_MB = 20
MAX_HOUSEHOLDS = 50_000
VILLAGE_NAME_CHARACTERS = 80
SESSION_KEPT = "1h"  # how long the server keeps the session (and the upload) of a browser that went away
# Disk a comparison needs: its stored runs (about 30 KB each, with their monthly rows) and its reports.
BYTES_PER_RUN = 40_000
BYTES_REPORTS = 20_000_000
QUEUE_POLL_S = 0.5
# Exit statuses that mean "stopped from outside" rather than "refused": Ctrl+C, SIGTERM, SIGKILL.
STOPPED = {130, -2, -15, -9, 143, 137}

# Time estimate: the fixed cost of a comparison (starting Python and the workers, both reports), measured
# on the 2-core development machine (`berdaya compare` took 14.2 s with its report, the report in the second
# language 7.1 s, of which the 288 runs 7.2 s), plus its runs at the seconds per household-month this
# machine takes: measured by the latest finished comparison in the store, else by timing one run of the
# typical village here (``machine_speed``), shared by the cores.
OVERHEAD_S = 14.0
# The decomposition plans at most this many new cells per programme strategy other than the best
# (the factorial of three switches, less the cell that is the strategy itself).
DECOMPOSITION_CELLS = 7
# Where each part of a comparison stores its runs, in the order `berdaya compare` makes them.
PARTS = {
    "runs": ".",
    "decomposition": "decomposition/runs",
    SWITCH_POINTS: f"{SWITCH_POINTS}/runs",
    DEFAULT_VILLAGE: DEFAULT_VILLAGE,
}
# Choices of runs per strategy offered in the page: a quick look, the command's default, careful.
RUN_CHOICES = (10, REPLICATES, 100)


def facilitator_range() -> tuple[int, int]:
    """What the page offers: from one facilitator up to the schema's upper bound."""
    return 1, int(bounds("n_facilitators")[1])


def default_facilitators() -> int:
    return int(fields()["n_facilitators"].default)


def store_folder(given: str | Path | None = None) -> Path:
    """The store: ``given``, else ``$BERDAYA_STORE``, else ``comparisons`` in the current folder; checked writable."""
    return check_writable(store_path(given), what="--store")


def store_path(given: str | Path | None = None) -> Path:
    """Where the store is (``store_folder`` without the check)."""
    return Path(given or os.environ.get(STORE_VARIABLE) or DEFAULT_STORE).expanduser().resolve()


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
    if len(homes) > MAX_HOUSEHOLDS:
        raise homes.error(
            f"has {len(homes):,} households; the comparison page takes at most {MAX_HOUSEHOLDS:,} (a larger village "
            "takes hours: compare it on the command line, `berdaya compare`)"
        )
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
    least = int(fields()["group_min_size"].default)
    for h, name in enumerate(survey.hamlet_names):
        living = int((survey.hamlet == h).sum())
        if living < least:
            raise homes.error(
                f"hamlet {name} has {plural(living, 'household')}, too few to organise: a self-help group needs at "
                f"least {least} households of one hamlet (groups.group_min_size); upload the survey of every "
                "household",
                column="hamlet",
            )
    return Village(
        folder=folder,
        n_households=survey.n_households,
        hamlet_names=survey.hamlet_names,
        patrons_per_hamlet=per_hamlet,
        width=width,
        height=height,
    )


def plural(n: int, word: str) -> str:
    """``1 household``, ``2 households``: counts in the messages of this module (English, as the model's)."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _largest(cells: list[str]) -> int:
    found = [int(c.strip()) for c in cells if numbered(c.strip())]
    return max(found, default=0)


def short_error(error: InputError, folder: Path) -> str:
    """The message with the upload folder taken out: the officer knows the files by their names."""
    return str(error).replace(str(folder) + os.sep, "")


def planned_parts(strategies: list[str], replicates: int, decompose: bool) -> dict[str, int]:
    """Runs of each part of a comparison, in the order ``berdaya compare`` makes them: every strategy's,
    at most the decomposition's, at most the switch points' (the leader and the runner-up along the
    assumptions and the cut-off; a whole-number parameter may take fewer values) and the default village's."""
    programmes = sum(fields_with_facilitators(s) for s in strategies)
    cells = DECOMPOSITION_CELLS * (programmes - 1) if decompose and programmes > 1 else 0
    return {
        "runs": replicates * len(strategies),
        "decomposition": cells * min(DECOMPOSITION_REPLICATES, replicates),
        SWITCH_POINTS: 2 * (SWITCH_PARAMETERS + 1) * SWITCH_GRID * min(SWITCH_REPLICATES, replicates),
        DEFAULT_VILLAGE: len(strategies) * min(DEFAULT_VILLAGE_REPLICATES, replicates),
    }


def estimate_runs(strategies: list[str], replicates: int, decompose: bool) -> int:
    """Runs a comparison will make, at most (``planned_parts``)."""
    return sum(planned_parts(strategies, replicates, decompose).values())


def typical_households() -> int:
    """Households of the typical village (the schema's grid at its density)."""
    f = fields()
    return round(f["width"].default * f["height"].default * f["density"].default)


def household_months(village: Village | None) -> int:
    """What a run's time grows with: its households times its months."""
    households = village.n_households if village else typical_households()
    return households * int(fields()["months"].default)


@functools.cache
def machine_speed() -> float:
    """Wall seconds per household-month of a comparison on this machine, timed here: one run of the typical
    village (after one that compiles the model), shared by the cores the engine uses."""
    from experiments.engine import cpu_count
    from sim.model import VillageModel

    months = 24
    VillageModel(Params(months=2), seed=0).run_model()
    began = time.perf_counter()
    VillageModel(Params(months=months), seed=0).run_model()
    return (time.perf_counter() - began) / (typical_households() * months) / cpu_count()


def seconds_per_household_month(store: Path) -> float:
    """Measured by the latest finished comparison here (not a resumed one: it ran only its rest), else
    timed on this machine."""
    for job in comparisons(store):
        measured = job.exit or {}
        size = job.job.get("household_months")
        if job.state == FINISHED and measured.get("runs") and size and not measured.get("resumed"):
            return max((measured["seconds"] - OVERHEAD_S) / measured["runs"] / size, 1e-9)
    return machine_speed()


def estimate_seconds(
    store: Path, strategies: list[str], replicates: int, decompose: bool, village: Village | None = None
) -> float:
    runs = estimate_runs(strategies, replicates, decompose)
    return OVERHEAD_S + runs * household_months(village) * seconds_per_household_month(store)


def free_disk_check(store: Path, runs: int) -> None:
    """Refuse a comparison the store's disk cannot hold, before it starts."""
    needed = runs * BYTES_PER_RUN + BYTES_REPORTS
    free = shutil.disk_usage(store).free
    if free < needed:
        raise InputError(
            f"not enough free disk for this comparison: it needs about {needed / 1e6:,.0f} MB and "
            f"{free / 1e6:,.0f} MB are free; free some space, or choose fewer runs or strategies",
            field="--store",
        )


def check_request(
    strategies: Any, facilitators: Any, replicates: Any, decompose: Any, lang: Any, village_name: Any
) -> None:
    """Every field the page sends, checked here against what the command line allows (the browser is not trusted)."""
    offered = strategy_choices()
    if (
        not isinstance(strategies, list)
        or len(strategies) < 2
        or len(set(strategies)) != len(strategies)
        or any(s not in offered for s in strategies)
    ):
        raise InputError(f"choose two or more of {', '.join(offered)}", field="strategies")
    lo, hi = facilitator_range()
    if isinstance(facilitators, bool) or not isinstance(facilitators, int) or not lo <= facilitators <= hi:
        raise InputError(f"{facilitators!r} facilitators; allowed: {lo} to {hi}", field="facilitators")
    most = max(RUN_CHOICES)  # the page offers no more; the command line takes more, for hours of computing
    if isinstance(replicates, bool) or not isinstance(replicates, int) or not 1 <= replicates <= most:
        raise InputError(f"{replicates!r} runs per strategy; allowed: 1 to {most}", field="replicates")
    if not isinstance(decompose, bool):
        raise InputError(f"{decompose!r}; allowed: true or false", field="decompose")
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}; allowed: {', '.join(LANGUAGES)}", field="lang")
    if (
        not isinstance(village_name, str)
        or len(village_name) > VILLAGE_NAME_CHARACTERS
        or not village_name.isprintable()
    ):
        raise InputError(f"allowed: at most {VILLAGE_NAME_CHARACTERS} printable characters", field="village_name")


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
    owner: str = "",
) -> Path:
    """Write a new comparison folder (survey copied in, one scenario per strategy) and return it; nothing runs.

    Every field is checked as the command line would (``check_request``), and the disk must hold the
    comparison; ``owner`` is the hash of the starting browser's cookie (``berdaya.viz.gate.owner_key``).
    The folder's name ends in random letters: a link to it cannot be guessed from the time and the village.
    """
    check_request(strategies, facilitators, replicates, decompose, lang, village_name)
    check_writable(store, what="--store")
    runs = estimate_runs(strategies, replicates, decompose)
    free_disk_check(store, runs)
    now = datetime.now()
    name = village_name.strip() or (", ".join(village.hamlet_names) if village else "")
    folder = store / f"{now:%Y%m%d-%H%M%S}-{_slug(name)}-{secrets.token_hex(4)}"
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
    write_json(
        folder / JOB,
        {
            "created": now.isoformat(timespec="seconds"),
            "owner": owner,
            "village": name,
            "survey": village is not None,
            "households": village.n_households if village else None,
            "strategies": strategies,
            "facilitators": facilitators,
            "replicates": replicates,
            "decompose": decompose,
            "lang": lang,
            "runs_planned": runs,
            "household_months": household_months(village),
            "estimate_s": round(estimate_seconds(store, strategies, replicates, decompose, village)),
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


def _take(descriptor: int, tries: int = 20) -> bool:
    """Lock ``descriptor``; a few tries, since a page or a waiting comparison may look at the lock (``_held``)
    for an instant."""
    for _ in range(tries):
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            time.sleep(0.05)
    return False


def start(folder: Path, resume: bool = False, max_running: int | None = None) -> int:
    """Start (or with ``resume`` go on with) the comparison in ``folder`` in a detached process; its pid.

    The lock is taken here and handed to the child, so there is no moment in which the
    comparison looks interrupted; a second start while one runs is refused. The child waits
    its turn among the store's comparisons (``max_running`` at once, default ``max_running()``).
    """
    descriptor = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT)
    try:
        if fcntl is not None and not _take(descriptor):
            raise InputError("this comparison is running already", file=str(folder.name))
        for marker in (EXIT, CANCELLED):
            (folder / marker).unlink(missing_ok=True)
        write_json(folder / WAITING, {"since": time.time()})  # in line from now, before the child starts
        limit = str(max_running or running_limit())
        command = [
            sys.executable,
            "-m",
            "berdaya.viz.jobs",
            str(folder),
            "--lock-fd",
            str(descriptor),
            "--max-running",
            limit,
        ]
        with open(folder / LOG, "a") as log:
            process = subprocess.Popen(
                command + ["--resume"] * resume,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                pass_fds=(descriptor,),
                env={k: v for k, v in os.environ.items() if k != TOKEN_VARIABLE} | {"PYTHONUNBUFFERED": "1"},
            )
        # Known at once, so the comparison can be cancelled before its process has even started Python.
        write_json(folder / PROCESS, {"pid": process.pid, "started": datetime.now().isoformat(timespec="seconds")})
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
    """waiting / running / finished / failed / interrupted / cancelled, read from the lock and the markers."""
    if _held(folder / LOCK):
        return (WAITING_STATE if (folder / WAITING).exists() else RUNNING), None
    ended = _read_json(folder / EXIT)
    if ended is None:
        return (CANCELLED_STATE if (folder / CANCELLED).exists() else INTERRUPTED), None
    status = ended.get("status")
    if status == 0:
        return FINISHED, ended
    return (INTERRUPTED if status in STOPPED else FAILED), ended


def comparisons(store: Path, owner: str | None = None) -> list[Comparison]:
    """The comparison folders in the store, newest first (folders without a readable job.json are skipped):
    every one, or with ``owner`` those that browser started or opened from a link (``seen``)."""
    found = []
    for folder in sorted((p for p in Path(store).iterdir() if p.is_dir()), reverse=True) if store.is_dir() else []:
        job = _read_json(folder / JOB)
        if job is None or (owner is not None and not (job.get("owner") == owner or (folder / SEEN / owner).exists())):
            continue
        state, ended = state_of(folder)
        found.append(Comparison(folder=folder, job=job, state=state, exit=ended))
    return found


def seen(folder: Path, owner: str) -> None:
    """Record that the browser ``owner`` opened this comparison from a link: it is on its list from now on."""
    if owner and re.fullmatch(r"[0-9a-f]+", owner):
        try:
            (folder / SEEN).mkdir(exist_ok=True)
            (folder / SEEN / owner).touch()
        except OSError as error:
            raise fault(error, folder) from None


def _since(folder: Path) -> tuple[float, str]:
    return float((_read_json(folder / WAITING) or {}).get("since", 0.0)), folder.name


def ahead(folder: Path) -> int:
    """How many comparisons of the store wait before this one (those started earlier, still alive)."""
    mine = _since(folder)
    return sum(
        1
        for other in folder.parent.iterdir()
        if other != folder and (other / WAITING).exists() and _since(other) < mine and _held(other / LOCK)
    )


def computing(store: Path) -> int:
    """How many comparisons of the store compute now (hold a slot)."""
    slots = Path(store) / SLOTS
    return sum(_held(slot) for slot in slots.glob("slot-*.lock")) if slots.is_dir() else 0


def running_limit() -> int:
    """At most this many comparisons compute at once: ``berdaya viz --max-running``, else one per two cores."""
    from experiments.engine import cpu_count

    given = os.environ.get(RUNNING_VARIABLE, "")
    return int(given) if given.isdigit() and int(given) > 0 else max(1, cpu_count() // 2)


def take_turn(folder: Path, limit: int) -> int | None:
    """Wait until this comparison is first in line and one of the store's ``limit`` slots is free; hold that
    slot (its descriptor, locked until this process ends) and leave the line."""
    if fcntl is None:  # no flock: no queue (each comparison runs at once)
        (folder / WAITING).unlink(missing_ok=True)
        return None
    slots = folder.parent / SLOTS
    slots.mkdir(exist_ok=True)
    if not (folder / WAITING).exists():
        write_json(folder / WAITING, {"since": time.time()})
    while True:
        if ahead(folder) == 0:
            for k in range(limit):
                descriptor = os.open(slots / f"slot-{k}.lock", os.O_RDWR | os.O_CREAT)
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(descriptor)
                    continue
                (folder / WAITING).unlink(missing_ok=True)
                return descriptor
        time.sleep(QUEUE_POLL_S)


def cancel(folder: Path) -> None:
    """Stop a waiting or running comparison (its whole process group); it can be resumed later."""
    if not _held(folder / LOCK):
        raise InputError("this comparison is not running", file=folder.name)
    found = _read_json(folder / PROCESS) or {}
    pid = found.get("pid")
    if not isinstance(pid, int) or pid <= 1:
        raise InputError("this comparison has not started its process yet; try again in a moment", file=folder.name)
    write_json(folder / CANCELLED, {"cancelled": datetime.now().isoformat(timespec="seconds")})
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass


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
    """Read from what the engine stores, part by part (``planned_parts``), then the report: a part begun
    counts its own runs, one not begun yet its planned runs, and one not begun when a later part has
    (the command found nothing for it to run) none."""
    job = _read_json(folder / JOB) or {}
    result = folder / RESULT
    planned = planned_parts(job.get("strategies", []), job.get("replicates", 0), bool(job.get("decompose")))
    stored = {step: _stored(result / path) for step, path in PARTS.items()}
    begun = [step for step, found in stored.items() if found is not None]
    skipped = set(list(stored)[: list(stored).index(begun[-1])]) - set(begun) if begun else set()
    counts = {s: found or (0, 0 if s in skipped else planned[s]) for s, found in stored.items()}
    done, total = (sum(c[i] for c in counts.values()) for i in (0, 1))
    step = next((s for s, (made, ahead) in counts.items() if made < ahead), "report")
    return Progress(step, done, total)


def failed_runs(folder: Path) -> tuple[int, int]:
    """(runs stored as failed, runs stored) of a comparison's strategies, as its report leaves them out."""
    failed = total = 0
    for part in sorted((folder / RESULT / RUNS).glob("part-*.parquet")):
        status = pq.read_table(part, columns=["status"]).column("status").to_pylist()
        failed, total = failed + status.count("failed"), total + len(status)
    return failed, total


def _count_runs(result: Path) -> int:
    return sum(found[0] for found in (_stored(result / path) for path in PARTS.values()) if found)


def main(argv: list[str] | None = None) -> int:
    """Run a comparison folder's ``berdaya compare``, then its report in the other language; record how it ended."""
    from berdaya import cli

    parser = argparse.ArgumentParser(prog="python -m berdaya.viz.jobs")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--lock-fd", type=int, help="the inherited descriptor whose lock marks this comparison running")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--max-running", type=int, default=0, help="comparisons of the store computing at once")
    args = parser.parse_args(argv)
    job = _read_json(args.folder / JOB)
    if job is None:
        print(
            f"berdaya: error: {args.folder / JOB}: missing or damaged; this is not a comparison folder", file=sys.stderr
        )
        return 2
    write_json(args.folder / PROCESS, {"pid": os.getpid(), "started": datetime.now().isoformat(timespec="seconds")})
    take_turn(args.folder, args.max_running or running_limit())  # the slot stays held until this process ends
    began, turn = time.perf_counter(), datetime.now().isoformat(timespec="milliseconds")
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
            "began": turn,
            "ended": datetime.now().isoformat(timespec="milliseconds"),
        },
    )
    return status


if __name__ == "__main__":
    sys.exit(main())
