"""The front door: `berdaya --help` and `--version` load none of the heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from berdaya import cli

HEAVY = ("numpy", "pandas", "mesa", "solara", "scipy", "matplotlib", "pyarrow", "numba", "pydantic")

LOADED = """
import contextlib, io, json, sys
from berdaya import cli
top = cli.parser({argv!r})
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    top.parse_args({argv!r})
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in {heavy!r})))
"""


def heavy_modules_after(argv: list[str]) -> list[str]:
    """The heavy modules a fresh interpreter holds after building the parser and parsing ``argv``."""
    script = LOADED.format(argv=argv, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(done.stdout)


@pytest.mark.parametrize("argv", [["--help"], ["--version"], []])
def test_help_and_version_import_no_heavy_library(argv):
    assert heavy_modules_after(argv) == []


def test_a_command_still_gets_its_options_and_the_model():
    """The check above can fail: naming a command loads its module, and `run` loads the model."""
    assert "numpy" in heavy_modules_after(["run", "--help"])


def test_every_command_is_listed_and_parses(capsys):
    with pytest.raises(SystemExit):
        cli.parser(["--help"]).parse_args(["--help"])
    listing = capsys.readouterr().out
    assert all(name in listing for name in cli.COMMANDS)
    for name in cli.available():
        with pytest.raises(SystemExit) as stop:
            cli.parser([name, "--help"]).parse_args([name, "--help"])
        assert stop.value.code == 0
        assert f"usage: berdaya {name}" in capsys.readouterr().out


def test_version_names_the_release(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert capsys.readouterr().out.startswith("berdaya ")
