"""`berdaya params`, `validate` and `run`: outputs, reproducibility, and what bad input gets."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from rich.console import Console

from berdaya.cli import main
from berdaya.commands import params as params_command
from berdaya.commands import run as run_command
from sim.collect import COLUMNS, SUMMARY
from sim.params import NETWORKS, STRATEGIES, Params, dotted
from sim.scenario import SCENARIO_DIR, load_scenario, shipped

ROOT = Path(__file__).resolve().parent.parent
SMALL = ["--set", "village.width=20", "--set", "village.height=20", "--months", "24"]
HEARTBEAT = re.compile(r"hybrid, seed 5: months: \d+ of 24 \(\d+%\) after \d+ s")


def berdaya(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- params -------------------------------------------------------------------------


def test_params_json_lists_every_parameter_with_its_metadata(capsys):
    code, out, _ = berdaya(capsys, "params", "--format", "json")
    rows = json.loads(out)
    assert code == 0
    assert {row["name"] for row in rows} == {dotted(n) for n in Params.model_fields}
    width = next(row for row in rows if row["name"] == "village.width")
    field = Params.model_fields["width"]
    assert (width["group"], width["default"], width["unit"], width["description"]) == (
        "village",
        field.default,
        field.json_schema_extra["unit"],
        field.description,
    )
    assert width["allowed"] == "an integer in [5, 1500]"


@pytest.mark.parametrize("width", [60, 80, 119, 120, 400])
def test_params_table_shows_every_full_name_at_any_width(capsys, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, _ = berdaya(capsys, "params")
    assert code == 0
    assert max(len(line.rstrip()) for line in out.splitlines()) <= width
    for name in Params.model_fields:
        assert re.search(rf"(?<![\w.]){re.escape(dotted(name))}(?![\w.…])", out), dotted(name)
    assert "…" not in out


def test_params_csv_has_a_row_per_parameter_with_its_full_name(capsys):
    code, out, _ = berdaya(capsys, "params", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and list(rows[0]) == list(params_command.HEADERS)
    assert [row["Parameter"] for row in rows] == [dotted(n) for n in Params.model_fields]
    width = next(row for row in rows if row["Parameter"] == "village.width")
    assert width["Allowed"] == "an integer in [5, 1500]" and width["Unit"] == "cells"


def test_odd_parameter_block_is_the_generated_markdown(capsys):
    text = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    block = text.split("<!-- params:start -->\n", 1)[1].split("<!-- params:end -->", 1)[0]
    code, out, _ = berdaya(capsys, "params", "--format", "markdown")
    assert code == 0 and out == params_command.markdown()
    assert block == out, "docs/ODD.md's parameter table is stale: run `berdaya params --into docs/ODD.md`"


def test_params_into_rewrites_only_the_marked_block(capsys, tmp_path):
    path = write(tmp_path / "doc.md", "# Doc\n\n<!-- params:start -->\nold table\n<!-- params:end -->\n\nAfter.\n")
    code, _, _ = berdaya(capsys, "params", "--into", path)
    assert code == 0
    expected = "# Doc\n\n<!-- params:start -->\n" + params_command.markdown() + "<!-- params:end -->\n\nAfter.\n"
    assert path.read_text() == expected


def test_params_into_a_file_without_markers_exits_2(capsys, tmp_path):
    path = write(tmp_path / "doc.md", "# Doc\n")
    code, _, err = berdaya(capsys, "params", "--into", path)
    assert code == 2 and str(path) in err and "<!-- params:start -->" in err
    assert path.read_text() == "# Doc\n"


def test_markdown_has_one_row_per_parameter():
    from sim.params import EVIDENCE

    rows = params_command.markdown().splitlines()[2:]
    assert len(rows) == len(Params.model_fields)
    assert all(row.count(" | ") == len(params_command.HEADERS) - 1 for row in rows)
    assert all(row.rstrip(" |").split(" | ")[-1].split(",")[0].split(":")[0] in EVIDENCE for row in rows)


# --- validate -----------------------------------------------------------------------


def test_validate_accepts_every_shipped_scenario(capsys):
    code, out, err = berdaya(capsys, "validate", *sorted(SCENARIO_DIR.glob("*.toml")))
    assert code == 0 and err == ""
    assert out.count("ok  ") == len(shipped())


def test_validate_reports_every_bad_file_and_exits_2(capsys, tmp_path):
    bad_a = write(tmp_path / "a.toml", "[village]\nwidth = 1\n")
    bad_b = write(tmp_path / "b.toml", '[programme]\nstrategy = "area"\n')
    code, out, err = berdaya(capsys, "validate", bad_a, "hybrid", bad_b)
    assert code == 2
    assert "ok  hybrid" in out
    assert str(bad_a) in err and str(bad_b) in err


def test_validate_catches_a_setting_the_model_refuses_when_building(capsys, tmp_path):
    path = write(tmp_path / "s.toml", '[programme]\nstrategy = "enterprise_based"\n\n[networks]\nnetworks = []\n')
    code, _, err = berdaya(capsys, "validate", path)
    assert code == 2 and str(path) in err and "networks" in err


# --- run ----------------------------------------------------------------------------


def test_run_writes_the_three_outputs(capsys, tmp_path):
    out_dir = tmp_path / "run"
    code, out, err = berdaya(capsys, "run", "hybrid", "--seed", 5, *SMALL, "--out", out_dir)
    # Nothing on stderr but the heartbeat, which a first, uncompiled run on a busy machine can reach.
    assert code == 0 and all(HEARTBEAT.fullmatch(line) for line in err.splitlines())
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(run_command.OUTPUTS)

    frame = pd.read_parquet(out_dir / "timeseries.parquet")
    assert list(frame.columns) == COLUMNS
    assert frame["month"].tolist() == list(range(25))

    summary = json.loads((out_dir / "summary.json").read_text())
    assert list(summary) == SUMMARY
    for key, value in summary.items():
        assert value is None or isinstance(value, (int, float))
        assert key in out

    manifest = json.loads((out_dir / "manifest.json").read_text())
    assert manifest["seed"] == 5
    assert manifest["scenario"]["file"] == str(SCENARIO_DIR / "hybrid.toml")
    assert manifest["scenario"]["sha256"] == hashlib.sha256((SCENARIO_DIR / "hybrid.toml").read_bytes()).hexdigest()
    assert set(manifest["params"]) == {dotted(n) for n in Params.model_fields}
    assert manifest["params"]["village.width"] == 20 and manifest["params"]["village.months"] == 24
    assert manifest["params"]["networks.networks"] == list(NETWORKS)
    assert manifest["overrides"] == {"village.width": 20, "village.height": 20, "village.months": 24}
    assert manifest["packages"]["mesa"] == "3.3.1"
    assert manifest["started"] <= manifest["finished"]
    if (ROOT / ".git").exists():
        assert len(manifest["git"]["commit"]) == 40


def test_summary_writes_undefined_metrics_as_null(capsys, tmp_path, monkeypatch):
    undefined = dict.fromkeys(SUMMARY, 0.5) | {"sustainability": math.nan}
    monkeypatch.setattr(run_command.VillageModel, "summary", lambda self: undefined)
    out_dir = tmp_path / "run"
    code, out, _ = berdaya(capsys, "run", "baseline", "--months", 3, "--set", "village.width=10", "--out", out_dir)
    text = (out_dir / "summary.json").read_text()
    assert code == 0 and "NaN" not in text
    assert json.loads(text) == dict.fromkeys(SUMMARY, 0.5) | {"sustainability": None}
    assert "undefined" in out


def test_same_seed_gives_byte_identical_timeseries(capsys, tmp_path):
    for name in ("a", "b", "c"):
        seed = 11 if name != "c" else 12
        assert berdaya(capsys, "run", "area_based", "--seed", seed, *SMALL, "--out", tmp_path / name)[0] == 0
    first, second, other = ((tmp_path / n / "timeseries.parquet").read_bytes() for n in "abc")
    assert first == second
    assert first != other
    assert pq.read_metadata(tmp_path / "a" / "timeseries.parquet").num_rows == 25


@pytest.mark.parametrize("name", sorted(p.stem for p in SCENARIO_DIR.glob("*.toml")))
def test_every_shipped_scenario_runs(capsys, tmp_path, name):
    code, _, err = berdaya(capsys, "run", name, "--seed", 2, *SMALL, "--out", tmp_path / name)
    assert code == 0, err
    manifest = json.loads((tmp_path / name / "manifest.json").read_text())
    assert manifest["scenario"]["name"] == name
    assert manifest["params"]["programme.strategy"] in STRATEGIES
    parents = load_scenario(SCENARIO_DIR / f"{name}.toml").chain[1:]
    assert manifest["scenario"]["extends"] == [
        {"file": str(p), "sha256": hashlib.sha256(p.read_bytes()).hexdigest()} for p in parents
    ]


def test_default_out_is_a_new_folder_under_runs(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        assert berdaya(capsys, "run", "baseline", "--seed", 4, "--months", 2, "--set", "village.width=10")[0] == 0
    folders = sorted((tmp_path / "runs").iterdir())
    assert len(folders) == 2
    assert all(f.name.startswith("baseline-seed4-") for f in folders)
    assert all((f / "manifest.json").is_file() for f in folders)


def test_existing_run_is_never_overwritten_without_force(capsys, tmp_path):
    out_dir = tmp_path / "run"
    args = ["run", "baseline", "--months", 2, "--set", "village.width=10", "--out", out_dir]
    assert berdaya(capsys, *args, "--seed", 1)[0] == 0
    before = (out_dir / "manifest.json").read_bytes()
    code, _, err = berdaya(capsys, *args, "--seed", 2)
    assert code == 2 and str(out_dir) in err and "--force" in err
    assert (out_dir / "manifest.json").read_bytes() == before
    assert berdaya(capsys, *args, "--seed", 2, "--force")[0] == 0
    assert json.loads((out_dir / "manifest.json").read_text())["seed"] == 2


def test_failed_force_keeps_the_old_run_whole(capsys, tmp_path, monkeypatch):
    """--force replaces a run only once the new one is complete: a write that fails keeps the old one."""
    out_dir = tmp_path / "run"
    args = ["run", "baseline", "--months", 2, "--set", "village.width=10", "--out", out_dir]
    assert berdaya(capsys, *args)[0] == 0
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}

    def broken(table, path):
        Path(path).write_bytes(b"PAR1 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq, "write_table", broken)
    code, _, err = berdaya(capsys, *args, "--seed", 2, "--force")
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "no space left" in err and str(out_dir) in err
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_progress_bar_only_on_a_terminal(capsys, tmp_path, monkeypatch):
    assert (
        berdaya(capsys, "run", "baseline", "--months", 2, "--set", "village.width=10", "--out", tmp_path / "a")[2] == ""
    )
    monkeypatch.setattr(Console, "is_terminal", property(lambda self: True))
    _, _, err = berdaya(capsys, "run", "baseline", "--months", 2, "--set", "village.width=10", "--out", tmp_path / "b")
    assert "baseline, seed 1" in err


def test_a_long_run_without_a_terminal_says_how_far_it_is(capsys, tmp_path, monkeypatch):
    """A log or a pipe gets a plain line now and then (here at once and every month: a long run's pace)."""
    monkeypatch.setattr(run_command, "Heartbeat", functools.partial(run_command.Heartbeat, first=0, every=0))
    _, _, err = berdaya(capsys, "run", "baseline", "--months", 3, "--set", "village.width=10", "--out", tmp_path / "a")
    lines = err.strip().splitlines()
    assert [line.split(" after ")[0] for line in lines] == [
        f"baseline, seed 1: months: {m} of 3 ({m / 3:.0%})" for m in (1, 2, 3)
    ], err
    monkeypatch.setattr(run_command, "LARGE", 50)
    _, _, err = berdaya(capsys, "run", "baseline", "--months", 1, "--set", "village.width=10", "--out", tmp_path / "b")
    assert err.startswith("baseline, seed 1: building a village of about 240 households\n"), err


# --- bad input: exit 2, one message naming file, line, field and what is allowed -----


def bad_files(tmp_path: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Each case: the arguments after the subcommand, and what the message must name."""
    t = tmp_path
    write(t / "syntax.toml", "[village]\nwidth = 20\nheight = \n")
    write(t / "unknown.toml", "# typo\n[village]\nwidht = 20\n")
    write(t / "range.toml", "[village]\nwidth = 20\n\n[groups]\njoin_rate = 1.5\n")
    write(t / "type.toml", '[village]\nwidth = "wide"\n')
    write(t / "strategy.toml", '[programme]\nstrategy = "area-based"\n')
    write(t / "exit.toml", '[programme]\nexit_mode = "gradual"\n')
    write(t / "network.toml", '[networks]\nnetworks = ["organic_market", "radio"]\n')
    write(t / "cycle_a.toml", 'extends = "cycle_b.toml"\n')
    write(t / "cycle_b.toml", '# b\nextends = "cycle_a.toml"\n')
    write(t / "orphan.toml", '# child\nextends = "missing_parent.toml"\n')
    p = str(t)
    return {
        "missing file": ([f"{p}/nowhere.toml"], ["nowhere.toml", "area_based", "hybrid"]),
        "toml syntax": ([f"{p}/syntax.toml"], ["syntax.toml", "line 3", "TOML"]),
        "unknown parameter": ([f"{p}/unknown.toml"], ["unknown.toml", "line 3", "village.widht", "village.width"]),
        "out of range": ([f"{p}/range.toml"], ["range.toml", "line 5", "groups.join_rate", "[0, 1]"]),
        "wrong type": ([f"{p}/type.toml"], ["type.toml", "line 2", "village.width", "an integer in [5, 1500]"]),
        "unknown strategy": ([f"{p}/strategy.toml"], ["strategy.toml", "line 2", "programme.strategy", *STRATEGIES]),
        "unknown exit mode": ([f"{p}/exit.toml"], ["exit.toml", "line 2", "exit_mode", "phased, abrupt, none"]),
        "unknown network": ([f"{p}/network.toml"], ["network.toml", "line 2", "'radio'", *NETWORKS]),
        "extends cycle": ([f"{p}/cycle_a.toml"], ["cycle_b.toml", "line 2", "extends", "cycle"]),
        "missing parent": ([f"{p}/orphan.toml"], ["orphan.toml", "line 2", "extends", "missing_parent.toml"]),
    }


CASES = [
    "missing file",
    "toml syntax",
    "unknown parameter",
    "out of range",
    "wrong type",
    "unknown strategy",
    "unknown exit mode",
    "unknown network",
    "extends cycle",
    "missing parent",
]


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize("case", CASES)
def test_bad_file_exits_2_with_one_clear_message(capsys, tmp_path, command, case):
    args, expected = bad_files(tmp_path)[case]
    extra = ["--out", str(tmp_path / "out")] if command == "run" else []
    code, out, err = berdaya(capsys, command, *args, *extra)
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    for text in expected:
        assert text in err, f"{text!r} missing from {err!r}"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("village.width", ["'village.width'", "group.name=value"]),
        ("width=20", ["'width=20'", "group.name=value"]),
        ("village.widht=20", ["--set", "village.widht", "village.width"]),
        ("village.width=wide", ["--set", "village.width", "an integer in [5, 1500]"]),
        ("village.width=2000", ["--set", "village.width", "[5, 1500]"]),
        ("households.width=20", ["--set", "households.width", "village.width"]),
        ('networks.networks=["radio"]', ["--set", "networks.networks", *NETWORKS]),
    ],
)
def test_bad_set_exits_2_naming_the_item(capsys, tmp_path, item, expected):
    code, _, err = berdaya(capsys, "run", "baseline", "--set", item, "--out", tmp_path / "out")
    assert code == 2 and "Traceback" not in err
    for text in expected:
        assert text in err, f"{text!r} missing from {err!r}"
    assert not (tmp_path / "out").exists()


def test_console_script_reports_bad_input_without_traceback(tmp_path):
    path = write(tmp_path / "s.toml", "[village]\nwidth = 1\n")
    script = Path(sys.executable).with_name("berdaya")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "berdaya"]
    result = subprocess.run(
        [*command, "run", str(path), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("berdaya: error: ") and "Traceback" not in result.stderr
    assert str(path) in result.stderr and "line 2" in result.stderr and "[5, 1500]" in result.stderr
