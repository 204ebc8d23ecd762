"""Where a run's compiled time goes, kernel by kernel, with Linux ``perf``.

    perf record -F 1999 -o /tmp/perf.data .venv/bin/python benchmarks/perf_kernels.py [--runs 500] [--burn-in-only]
    perf report -i /tmp/perf.data --no-children --sort dso            # the "[JIT] tid N" line
    perf report -i /tmp/perf.data --no-children --dsos '[JIT] tid N' --percentage relative --sort sym

numba's kernels live in memory that ``perf`` cannot name. This script compiles them afresh in
its own process (a new, empty numba cache folder: about 45 s), runs default villages
(``hybrid``, 960 households; with ``--burn-in-only`` only their construction, mostly the
burn-in), then writes ``/tmp/perf-<pid>.map``, the file ``perf report`` reads to name JIT code:
each compiled function's address (from numba's execution engine) and size (from the symbol table
of its object code, read with ``readelf``). A kernel LLVM inlined into its caller counts as the
caller. The shares are of sampled CPU; the first ``perf report`` line per DSO shows how much of the
process was compiling (``libllvmlite``) rather than running.

This is how the sorts of issue 26 were found (benchmarks/README.md, "Sorting without a quicksort").
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time

# A fresh cache folder: kernels loaded from a cache keep no LLVM module to list their functions.
os.environ["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="berdaya-perf-")

import numba  # noqa: E402

from sim.model import VillageModel  # noqa: E402


def function_sizes(libraries) -> dict[str, int]:
    """Each defined function's size in bytes, from the ELF symbol table of each library's object code."""
    sizes: dict[str, int] = {}
    for library in libraries:
        with tempfile.NamedTemporaryFile(suffix=".o") as handle:
            handle.write(library._get_compiled_object())
            handle.flush()
            table = subprocess.run(["readelf", "-sW", handle.name], capture_output=True, text=True, check=True).stdout
        for line in table.splitlines():
            fields = line.split()
            if len(fields) >= 8 and fields[3] == "FUNC" and fields[6] != "UND":
                sizes[fields[7]] = max(sizes.get(fields[7], 0), int(fields[2], 0))
    return sizes


def write_map(path: str) -> int:
    """``perf``'s map of JIT code (``start size name`` in hex) for every compiled function loaded; returns their number."""
    addresses, libraries = {}, {}
    for dispatcher in (o for o in gc.get_objects() if isinstance(o, numba.core.registry.CPUDispatcher)):
        for compiled in dispatcher.overloads.values():
            library = compiled.library
            if getattr(library, "_final_module", None) is None:
                continue
            libraries[id(library)] = library
            for function in library._final_module.functions:
                if not function.is_declaration:
                    address = library.get_pointer_to_function(function.name)
                    if address:
                        addresses[address] = function.name
    sizes = function_sizes(libraries.values())
    with open(path, "w") as out:
        for address, name in sorted(addresses.items()):
            out.write(f"{address:x} {sizes.get(name, 16):x} {name}\n")
    return len(addresses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500, help="default villages after the first (default 500)")
    parser.add_argument("--burn-in-only", action="store_true", help="build the villages, do not run their months")
    args = parser.parse_args()
    VillageModel(seed=0, strategy="hybrid").run_model()  # compiles every kernel a run calls
    start = time.process_time()
    for seed in range(1, args.runs + 1):
        model = VillageModel(seed=seed, strategy="hybrid")
        if not args.burn_in_only:
            model.run_model()
    each = (time.process_time() - start) / max(args.runs, 1)
    named = write_map(f"/tmp/perf-{os.getpid()}.map")
    shutil.rmtree(
        os.environ["NUMBA_CACHE_DIR"], ignore_errors=True
    )  # the kernels are loaded; their folder is of no more use
    print(f"{args.runs} villages, {1e3 * each:.1f} ms of CPU each; {named} compiled functions named", file=sys.stderr)


if __name__ == "__main__":
    main()
