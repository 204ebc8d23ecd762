"""A newcomer's first run: numba compiling every kernel, against the same run once the kernels are cached.

    .venv/bin/python benchmarks/bench_cold_start.py [--compare]

The kernels are compiled with ``cache=True``: the first process compiles them and writes
them to disk, every later process loads them. A fresh clone has no cache, so its first
``make compare`` pays the compile; here each command runs in a subprocess with
``NUMBA_CACHE_DIR`` pointing at an empty folder (cold), then again with the same folder
(warm). Prints wall seconds of each and what the compile adds: one default village
(``hybrid``, 120 months, imports included) and, with ``--compare``, the default
``berdaya compare`` twice: as it is (the engine warms the runner once before it forks its
workers, so the kernels are compiled once, in the parent) and as before (``_warm`` swapped
out: every worker compiles what it needs when the cache is empty), with the CPU seconds of
each command and its workers.
"""

from __future__ import annotations

import argparse
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


if __name__ == "__main__":
    main()
