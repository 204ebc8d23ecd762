"""The front page's promises: the citation file is valid CFF 1.2.0 for this version, the README's example runs."""

from __future__ import annotations

import contextlib
import io
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_citation_file_is_cff_1_2_0_for_this_version():
    """The keys CFF 1.2.0 requires, of the right kinds (validated in full by hand: `cffconvert --validate`)."""
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert citation["cff-version"] == "1.2.0"
    assert citation["type"] == "software" and citation["message"] and citation["title"].startswith("berdaya")
    assert citation["authors"] and all(a.get("name") or a.get("family-names") for a in citation["authors"])
    assert str(citation["version"]) == project["version"]
    assert citation["license"] == project["license"]
    assert "[CITATION.cff](CITATION.cff)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_python_example_runs_and_prints_what_the_readme_shows():
    """Its columns and months, not its numbers (which move with the model and are refreshed by hand)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The model in Python", 1)[1]
    code, shown = re.findall(r"```(?:python)?\n(.*?)```", section, flags=re.S)[:2]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    printed = out.getvalue()
    assert words(printed) == words(shown)


def words(text: str) -> list[str]:
    """What a printed table says less its decimal numbers: names, column headings, months."""
    return [word for word in text.split() if not re.fullmatch(r"-?\d+\.\d+", word)]
