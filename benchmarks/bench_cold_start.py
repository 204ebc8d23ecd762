"""A newcomer's first run: numba compiling every kernel, against the same run once the kernels are cached.

    .venv/bin/python benchmarks/bench_cold_start.py [--compare] [--kernels]

The kernels are compiled with ``cache=True``: the first process compiles them and writes
them to disk, every later process loads them. A fresh clone has no cache, so its first
``make compare`` pays the compile; here each command runs in a subprocess with
``NUMBA_CACHE_DIR`` pointing at an empty folder (cold), then again with the same folder
(warm). Prints wall seconds of each and what the compile adds: one default village
(``hybrid``, 120 months, imports included) and, with ``--compare``, the default
``berdaya compare`` twice: as it is (the engine warms the runner once before it forks its
workers, so the kernels are compiled once, in the parent) and as before (``_warm`` swapped
out: every worker compiles what it needs when the cache is empty), with the CPU seconds of
each command and its workers. With ``--kernels``, where the compile goes: one cold default
village with numba's compile events recorded (``numba.core.event``), each function's own
compile seconds (those of the functions it calls, compiled inside it, taken out) and with them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ONE_RUN = "from sim import VillageModel; VillageModel(seed=1, strategy='hybrid').run_model()"
COMPARE_BEFORE = (
    "import sys; from experiments import engine; engine._warm = lambda runner: None; "
    "from berdaya.cli import main; sys.exit(main(sys.argv[1:]))"
)

# Run in a subprocess with an empty cache: each compiled function's compile seconds, nested
# compiles (a kernel compiling the functions it calls) counted in their own rows, not their caller's.
KERNELS = (
    "import json, time\n"
    "from numba.core import event\n"
    "rec = event.RecordingListener()\n"
    "event.register('numba:compile', rec)\n" + ONE_RUN.replace("; ", "\n") + "\nstack, own, whole = [], {}, {}\n"
    "for ts, ev in rec.buffer:\n"
    "    name = ev.data['dispatcher'].py_func.__qualname__\n"
    "    if ev.is_start:\n"
    "        stack.append([name, ts, 0.0])\n"
    "    else:\n"
    "        name, start, inner = stack.pop()\n"
    "        whole[name] = whole.get(name, 0.0) + ts - start\n"
    "        own[name] = own.get(name, 0.0) + ts - start - inner\n"
    "        if stack:\n"
    "            stack[-1][2] += ts - start\n"
    "print(json.dumps({'own': own, 'whole': whole}))\n"
)


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def wall(command: list[str], cache: Path, cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``command`` (with its own children) under ``NUMBA_CACHE_DIR=cache``."""
    start, cpu = time.perf_counter(), children_cpu()
    subprocess.run(command, check=True, capture_output=True, cwd=cwd, env={**os.environ, "NUMBA_CACHE_DIR": str(cache)})
    return time.perf_counter() - start, children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", action="store_true", help="also time the default berdaya compare")
    parser.add_argument("--kernels", action="store_true", help="also list each compiled function's compile time")
    args = parser.parse_args()
    berdaya = str(Path(sys.executable).with_name("berdaya"))
    commands = {"one default village": [sys.executable, "-c", ONE_RUN]}
    if args.compare:
        commands["berdaya compare"] = [berdaya, "compare", "--out", "OUT"]
        commands["compare, before"] = [sys.executable, "-c", COMPARE_BEFORE, "compare", "--out", "OUT"]
    print(f"load {os.getloadavg()[0]:.1f}")
    for name, command in commands.items():
        with tempfile.TemporaryDirectory() as folder:
            cache, root = Path(folder) / "numba", Path(folder)
            cache.mkdir()
            times = []
            for k in ("cold", "warm"):
                run = [part.replace("OUT", str(root / f"out-{k}")) for part in command]
                times.append(wall(run, cache, Path(__file__).resolve().parents[1]))
            kernels = sum(1 for _ in cache.rglob("*.nbi"))
        (cold, cold_cpu), (warm, warm_cpu) = times
        print(
            f"{name:22s} cold {cold:6.1f} s ({cold_cpu:5.1f} s CPU)   warm {warm:6.1f} s ({warm_cpu:5.1f} s CPU)   "
            f"compile adds {cold - warm:5.1f} s ({cold_cpu - warm_cpu:5.1f} s CPU)   ({kernels} kernels)"
        )
    if args.kernels:
        compile_times()


def compile_times() -> None:
    """Each compiled function's compile seconds in one cold default village, longest first."""
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [sys.executable, "-c", KERNELS],
            check=True,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[1],
            env={**os.environ, "NUMBA_CACHE_DIR": folder},
        )
    times = json.loads(done.stdout.strip().splitlines()[-1])
    own, whole = times["own"], times["whole"]
    print(f"compile seconds, {len(own)} functions ({sum(own.values()):.1f} s in all): own (with what it calls)")
    for name in sorted(own, key=own.get, reverse=True):
        print(f"  {own[name]:5.2f} ({whole[name]:5.2f})  {name}")


if __name__ == "__main__":
    main()
