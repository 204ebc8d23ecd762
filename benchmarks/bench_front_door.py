"""How quickly `berdaya` answers: `--version`, `--help`, and `berdaya viz` until its page answers HTTP.

    .venv/bin/python benchmarks/bench_front_door.py [--before DIR] [--repeat 3]

Target (issue 30): `--version` and `--help` in well under a second of CPU; `berdaya viz`
answering HTTP within a few seconds. CPU seconds are the child processes' user + system
time (what other users' load does not inflate); wall seconds are printed beside them.
``--before DIR`` also times another checkout (e.g. ``git archive <commit> | tar -x -C DIR``)
with this interpreter, alternating with this one, and prints the ratios measured in this run.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def env_for(tree: Path) -> dict[str, str]:
    """The environment that makes this interpreter import ``tree``'s packages first (run from ``tree``)."""
    return {**os.environ, "PYTHONPATH": str(tree)}


def command_time(tree: Path, *args: str) -> tuple[float, float]:
    """(wall s, CPU s) of ``python -m berdaya ARGS`` from ``tree``."""
    cpu, start = child_cpu(), time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "berdaya", *args], env=env_for(tree), cwd=tree, capture_output=True, check=True
    )
    return time.perf_counter() - start, child_cpu() - cpu


def process_cpu(pid: int) -> float:
    """User + system seconds of a running process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def viz_time(tree: Path) -> tuple[float, float]:
    """(wall s, CPU s of the server) from starting `berdaya viz` until its page answers HTTP 200."""
    port = free_port()
    with tempfile.TemporaryDirectory() as store:
        start = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "berdaya", "viz", "--port", str(port), "--store", store],
            env=env_for(tree),
            cwd=tree,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    if server.poll() is not None:
                        raise SystemExit(f"berdaya viz from {tree} stopped before serving") from None
                    time.sleep(0.05)
            return time.perf_counter() - start, process_cpu(server.pid)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


CASES = {
    "berdaya --version": lambda tree: command_time(tree, "--version"),
    "berdaya --help": lambda tree: command_time(tree, "--help"),
    "berdaya viz until HTTP 200": viz_time,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="another checkout to time against this one")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    trees = {"after": HERE} if args.before is None else {"before": args.before.resolve(), "after": HERE}
    print(f"load average at start: {os.getloadavg()[0]:.1f}; {args.repeat} runs each, alternating")
    for case, measure in CASES.items():
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
        for _ in range(args.repeat):
            for name, tree in trees.items():
                times[name].append(measure(tree))
        line = []
        for name, runs in times.items():
            wall = statistics.median(w for w, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            line.append(f"{name} {wall:.2f} s wall, {cpu:.2f} s CPU")
        if "before" in times:
            ratio = statistics.median(c for _, c in times["before"]) / statistics.median(c for _, c in times["after"])
            line.append(f"CPU ratio {ratio:.1f}x")
        print(f"{case}: " + "; ".join(line))


if __name__ == "__main__":
    main()
