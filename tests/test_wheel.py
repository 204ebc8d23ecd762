"""The package as a user installs it: a wheel in a fresh virtual environment, run from another folder.

The scenarios ship inside the wheel (``sim.scenarios``), so ``berdaya compare`` finds them
with no checkout around it. Dependencies come from the configured package index or pip's
cache; nothing else is fetched.
"""

from __future__ import annotations

import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def run(command: list[str], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


# A data file of the source tree named in the documentation, e.g. experiments/examples/strategies.toml.
DATA_FILE = re.compile(r"\b(?:sim|scenarios|experiments|analysis|berdaya)/[\w/.-]+\.(?:toml|csv|json|css)\b")


def documented_data_files() -> set[str]:
    """Every data file of the packages the README and docs/ name, by its path inside the wheel."""
    named = {
        m for doc in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")] for m in DATA_FILE.findall(doc.read_text())
    }
    found = {name for name in named if (ROOT / name).is_file()}
    return {"sim/" + name if name.startswith("scenarios/") else name for name in found}


def test_a_built_wheel_runs_the_comparison_from_another_folder(tmp_path):
    dist = tmp_path / "dist"
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(dist), str(ROOT)], cwd=tmp_path)
    printed = built.stdout + built.stderr
    for warning in ("BuildBackendWarning", "SetuptoolsDeprecationWarning", "Package would be ignored"):
        assert warning not in printed, printed[-3000:]
    wheel = next(dist.glob("berdaya-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "sim/scenarios/baseline.toml" in names and "sim/scenarios/survey_example/households.csv" in names
    assert "sim/app.py" in names and "berdaya/viz/page.py" in names and "analysis/studies/sensitivity.py" in names
    assert "analysis/locale/id/LC_MESSAGES/berdaya.po" in names and "analysis/locale/berdaya.pot" in names
    documented = documented_data_files()
    assert "experiments/examples/facilitators_sweep.toml" in documented and "analysis/targets.toml" in documented
    assert documented <= set(names), sorted(documented - set(names))
    shipped = {
        f"sim/{p.relative_to(ROOT).as_posix()}"
        for p in (ROOT / "scenarios").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert shipped <= set(names), sorted(shipped - set(names))

    env = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env)
    run([str(env / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], cwd=tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    berdaya = str(env / "bin" / "berdaya")
    version = run([berdaya, "--version"], cwd=elsewhere).stdout
    assert version.startswith("berdaya 0.1.0 (installed package")
    run([berdaya, "compare", "--replicates", "2", "--out", "out"], cwd=elsewhere, timeout=600)
    report = elsewhere / "out" / "report.html"
    assert report.is_file() and "Enterprise-based" in report.read_text(encoding="utf-8")
    run([berdaya, "report", "out", "--lang", "id"], cwd=elsewhere)  # the catalogue, read from the package
    assert "Berbasis wirausaha" in (elsewhere / "out" / "report.id.html").read_text(encoding="utf-8")
    assert not (ROOT / "out").exists()
