"""berdaya's village model: households, patrons, facilitators and self-help groups on Mesa.

The names below load on first use (PEP 562), so importing a light submodule such as
``sim.errors`` does not load Mesa and numpy with the model.
"""

import hashlib
import importlib
import os
import shutil
import sys
from pathlib import Path


def kernel_cache(root: Path) -> Path:
    """Where numba keeps the model's compiled kernels: a folder named after a hash of every source
    file of ``root``, in its ``__pycache__`` (or the user's cache where that cannot be written).

    numba checks a cached kernel only against its own source file, so a kernel compiled with
    another module's (facilitation's with ``sim/sums.py``'s ``total``, say) would go on running the old
    code after that module changed; a change anywhere in the model gets a fresh folder instead.
    """
    digest = hashlib.sha256()
    for path in sorted(root.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    home = root / "__pycache__"
    if not os.access(home if home.exists() else root, os.W_OK):
        home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "berdaya"
    return home / f"kernels-{digest.hexdigest()[:16]}"


if "NUMBA_CACHE_DIR" not in os.environ:  # a user's own choice wins (benchmarks/bench_cold_start.py)
    _folder = kernel_cache(Path(__file__).resolve().parent)
    if not _folder.exists():  # the code changed: the kernels of earlier versions are of no more use
        for _old in _folder.parent.glob("kernels-*"):
            if _old != _folder:  # another process of this version may have made it since
                shutil.rmtree(_old, ignore_errors=True)
    os.environ["NUMBA_CACHE_DIR"] = str(_folder)
    if "numba" in sys.modules:  # imported before the model: its configuration is read already
        sys.modules["numba"].config.CACHE_DIR = os.environ["NUMBA_CACHE_DIR"]

_HOMES = {
    "EnterpriseNetwork": "sim.agents",
    "Facilitator": "sim.agents",
    "Household": "sim.agents",
    "KSMGroup": "sim.agents",
    "Patron": "sim.agents",
    "VillageModel": "sim.model",
    "Params": "sim.params",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
