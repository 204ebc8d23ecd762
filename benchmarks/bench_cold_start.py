"""A newcomer's first run: numba compiling every kernel, against the same run once the kernels are cached.

    .venv/bin/python benchmarks/bench_cold_start.py [--compare]

The kernels are compiled with ``cache=True``: the first process compiles them and writes
them to disk, every later process loads them. A fresh clone has no cache, so its first
``make compare`` pays the compile; here each command runs in a subprocess with
``NUMBA_CACHE_DIR`` pointing at an empty folder (cold), then again with the same folder
(warm). Prints wall seconds of each and what the compile adds: one default village
(``hybrid``, 120 months, imports included) and, with ``--compare``, the default
``berdaya compare`` (its workers each compile what they need when the cache is empty).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ONE_RUN = "from sim import VillageModel; VillageModel(seed=1, strategy='hybrid').run_model()"


def wall(command: list[str], cache: Path, cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=cwd, env={**os.environ, "NUMBA_CACHE_DIR": str(cache)})
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", action="store_true", help="also time the default berdaya compare")
    args = parser.parse_args()
    berdaya = str(Path(sys.executable).with_name("berdaya"))
    commands = {"one default village": [sys.executable, "-c", ONE_RUN]}
    if args.compare:
        commands["berdaya compare"] = [berdaya, "compare", "--out", "OUT"]
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
        cold, warm = times
        print(
            f"{name:22s} cold {cold:6.1f} s   warm {warm:6.1f} s   compile adds {cold - warm:5.1f} s   ({kernels} kernels)"
        )


if __name__ == "__main__":
    main()
