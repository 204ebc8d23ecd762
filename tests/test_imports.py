"""Import direction, read from the source with the AST (nothing is imported).

analysis -> experiments -> sim; the model imports no presentation; only the studies run
the engine; only the visualizer's entry point and its command import the visualizer
(tests and benchmarks, which look at its parts, aside).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUN_ENTRY_POINTS = {"execute", "run_experiment"}


def imports(path: Path) -> dict[str, set[str]]:
    """Each module a file imports, as written, with what it reaches (``from X import Y``: X and X.Y)."""
    found: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.setdefault(alias.name, set()).add(alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            reached = found.setdefault(node.module, set())
            reached.add(node.module)
            reached.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def breaking(path: Path, packages: tuple[str, ...]) -> list[str]:
    """The modules a file imports, as written, that reach into any of ``packages``."""
    return sorted(m for m, reached in imports(path).items() if any(under(r, packages) for r in reached))


def engine_runs(path: Path) -> set[str]:
    """The engine's run entry points a file imports or calls as ``engine.execute``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("experiments"):
            found.update(alias.name for alias in node.names if alias.name in RUN_ENTRY_POINTS)
        elif isinstance(node, ast.Attribute) and node.attr in RUN_ENTRY_POINTS:
            if isinstance(node.value, ast.Name) and node.value.id == "engine":
                found.add(node.attr)
    return found


def under(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def files(root: Path, folder: str) -> list[Path]:
    return sorted(p for p in (root / folder).rglob("*.py") if "__pycache__" not in p.parts)


def violations(root: Path = ROOT) -> list[str]:
    """Every import against the layout's direction, as 'file: imports module'."""
    found = []

    def forbid(folder: str, packages: tuple[str, ...], allowed: tuple[str, ...] = ()) -> None:
        for path in files(root, folder):
            name = path.relative_to(root).as_posix()
            if name in allowed:
                continue
            found.extend(f"{name}: imports {m}" for m in breaking(path, packages))

    forbid("sim", ("experiments", "analysis", "berdaya", "solara", "matplotlib"), allowed=("sim/app.py",))
    forbid("experiments", ("analysis", "berdaya"))
    forbid("analysis", ("berdaya",))
    for path in files(root, "analysis"):
        if "studies" not in path.relative_to(root / "analysis").parts:
            name = path.relative_to(root).as_posix()
            found.extend(f"{name}: imports the engine's {f}" for f in sorted(engine_runs(path)))
    viz_allowed = ("sim/app.py", "berdaya/commands/viz.py")
    for folder in ("sim", "experiments", "analysis", "berdaya", "scenarios"):
        for path in files(root, folder):
            name = path.relative_to(root).as_posix()
            if name in viz_allowed or name.startswith("berdaya/viz/"):
                continue
            found.extend(f"{name}: imports {m}" for m in breaking(path, ("berdaya.viz",)))
    return found


def test_imports_flow_one_way():
    assert violations() == []


def test_the_visualizer_is_reached_through_its_entry_point():
    """sim/app.py is the one model-side module that imports the visualizer; it must keep doing so."""
    assert breaking(ROOT / "sim" / "app.py", ("berdaya.viz",))


@pytest.mark.parametrize(
    ("file", "source", "expected"),
    [
        ("sim/credit.py", "import matplotlib.pyplot as plt\n", "sim/credit.py: imports matplotlib.pyplot"),
        ("sim/model.py", "from analysis.i18n import t\n", "sim/model.py: imports analysis.i18n"),
        ("experiments/runner.py", "from analysis import stats\n", "experiments/runner.py: imports analysis"),
        ("analysis/report.py", "import berdaya.cli\n", "analysis/report.py: imports berdaya.cli"),
        (
            "analysis/hinges.py",
            "from experiments.engine import execute\n",
            "analysis/hinges.py: imports the engine's execute",
        ),
        (
            "analysis/fmt.py",
            "from experiments import engine\nengine.run_experiment(1, 2)\n",
            "analysis/fmt.py: imports the engine's run_experiment",
        ),
        ("berdaya/commands/run.py", "from berdaya.viz import draw\n", "berdaya/commands/run.py: imports berdaya.viz"),
    ],
)
def test_a_planted_violation_is_found(tmp_path, file, source, expected):
    """The check itself can fail: a copy of the tree with one bad import is caught."""
    for folder in ("sim", "experiments", "analysis", "berdaya"):
        for path in files(ROOT, folder):
            target = tmp_path / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / file).write_text(source + (tmp_path / file).read_text(encoding="utf-8"), encoding="utf-8")
    assert expected in violations(tmp_path)
    assert violations(tmp_path) == [expected]
