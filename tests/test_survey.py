"""The household survey: what it sets in the model, where it places households, what it refuses."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from berdaya.cli import main
from sim import VillageModel
from sim.errors import InputError
from sim.params import STRATEGIES
from sim.scenario import load_scenario
from sim.survey import PATRON_FILE, read_survey

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "survey_example"

# A 10 x 10 village of two hamlets (strips x 0-4 and x 5-9) with two patrons each.
GRID = {"width": 10, "height": 10, "n_hamlets": 2, "patrons_per_hamlet": 2}

HOUSEHOLDS = """household_id,hamlet,wealth,income,debt,patron_id,awareness
H1,1,2.0,1.1,0.5,A,0.10
H2,1,0.5,0.9,3.0,B,0.05
H3,1,4.25,1.3,0.0,A,0.20
H4,2,1.0,1.0,1.5,C,0.15
H5,2,0.0,0.8,2.0,D,0.00
H6,2,3.0,1.2,0.0,C,0.30
"""

PATRONS = """patron_id,kind,capital,extraction,interest,openness
A,landowner,80,0.3,0.15,0.2
B,lender,40,0.2,0.3,0.1
C,trader,60,0.25,0.2,0.6
D,supplier,30,0.15,0.1,0.4
"""

NAMED = """household_id,hamlet,wealth,income,debt,patron_id,awareness
H1,Krajan,2.0,1.1,0.5,A,0.10
H2,Krajan,0.5,0.9,3.0,B,0.05
H3,Krajan,4.25,1.3,0.0,A,0.20
H4,Sumbersari,1.0,1.0,1.5,C,0.15
H5,Sumbersari,0.0,0.8,2.0,D,0.00
H6,Tegal,3.0,1.2,0.0,C,0.30
"""

# B has no clients in Sumbersari but is placed there by its hamlet cell; C serves Krajan.
PATRONS_PLACED = """patron_id,kind,capital,extraction,interest,openness,hamlet
A,landowner,80,0.3,0.15,0.2,
B,lender,40,0.2,0.3,0.1,sumbersari
C,trader,60,0.25,0.2,0.6,KRAJAN
D,supplier,30,0.15,0.1,0.4,
"""


def write(folder: Path, households: str = HOUSEHOLDS, patrons: str = PATRONS, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "households.csv").write_bytes(households.encode(encoding))
    (folder / PATRON_FILE).write_bytes(patrons.encode(encoding))
    return folder / "households.csv"


def model_from(path: Path, seed: int = 1, **overrides) -> VillageModel:
    return VillageModel(seed=seed, survey=str(path), **{**GRID, **overrides})


def test_survey_values_reach_the_model(tmp_path):
    model = model_from(write(tmp_path))
    h, pt = model.households, model.patrons
    assert model.n_households == 6
    np.testing.assert_array_equal(h.hamlet, [0, 0, 0, 1, 1, 1])
    np.testing.assert_allclose(h.wealth, [2.0, 0.5, 4.25, 1.0, 0.0, 3.0])
    np.testing.assert_allclose(h.income_base, [1.1, 0.9, 1.3, 1.0, 0.8, 1.2])
    np.testing.assert_allclose(h.debt, [0.5, 3.0, 0.0, 1.5, 2.0, 0.0])
    np.testing.assert_allclose(h.awareness, [0.1, 0.05, 0.2, 0.15, 0.0, 0.3])
    ids = model.survey.patron_id
    assert [ids[j] for j in h.patron] == ["A", "B", "A", "C", "D", "C"]
    kinds = {ids[j]: agent.kind for j, agent in enumerate(model.patron_agents)}
    assert kinds == {"A": "landowner", "B": "lender", "C": "trader", "D": "supplier"}
    np.testing.assert_allclose(pt.capital[[ids.index(k) for k in "ABCD"]], [80, 40, 60, 30])
    np.testing.assert_allclose(pt.interest[[ids.index(k) for k in "ABCD"]], [0.15, 0.3, 0.2, 0.1])
    np.testing.assert_allclose(pt.openness[[ids.index(k) for k in "ABCD"]], [0.2, 0.1, 0.6, 0.4])
    np.testing.assert_allclose(pt.extraction_base[[ids.index(k) for k in "ABCD"]], [0.3, 0.2, 0.25, 0.15])
    # A patron's hamlet is where its clients live, and the model keeps patrons grouped by hamlet.
    assert list(pt.hamlet) == sorted(pt.hamlet)
    assert {ids[j]: int(pt.hamlet[j]) for j in range(4)} == {"A": 0, "B": 0, "C": 1, "D": 1}
    # Agents are views onto the same rows.
    assert model.household_agents[1].patron.kind == "lender"


def test_households_are_placed_inside_their_hamlet_with_the_model_generator(tmp_path):
    path = write(tmp_path, HOUSEHOLDS + "".join(f"K{i},{1 + i % 2},1,1,0,{'AC'[i % 2]},0.1\n" for i in range(60)))
    first, again, other = model_from(path, seed=5), model_from(path, seed=5), model_from(path, seed=6)
    h = first.households
    np.testing.assert_array_equal(h.x * 2 // 10, h.hamlet)
    assert len(set(zip(h.x.tolist(), h.y.tolist()))) == first.n_households
    np.testing.assert_array_equal(again.households.x, h.x)
    np.testing.assert_array_equal(again.households.y, h.y)
    assert (other.households.x != h.x).any() or (other.households.y != h.y).any()
    for i, agent in enumerate(first.household_agents):
        assert agent.cell.coordinate == (h.x[i], h.y[i])


def test_optional_columns_override_only_where_given(tmp_path):
    rows = HOUSEHOLDS.splitlines()
    header = rows[0] + ",dependency,skills,trust,x,y"
    extra = ["0.9,0.5,0.7,0,0", ",,,,", "0.1,,,4,9", ",0.2,,9,9", ",,0.4,,", ",,,5,3"]
    path = write(tmp_path, "\n".join([header] + [r + "," + e for r, e in zip(rows[1:], extra)]) + "\n")
    model = model_from(path, seed=3)
    h = model.households
    assert h.dependency[0] == 0.9 and h.dependency[2] == 0.1
    assert h.skills[0] == 0.5 and h.skills[3] == 0.2
    assert h.trust[0] == 0.7 and h.trust[4] == 0.4
    assert h.trust[1] == model.p.trust_initial
    # Blank cells are drawn from the scenario (beta draws: strictly inside (0, 1)).
    assert 0.0 < h.dependency[1] < 1.0 and h.dependency[1] not in (0.9, 0.1)
    assert 0.0 < h.skills[1] < 1.0 and h.skills[1] not in (0.5, 0.2)
    assert [(int(h.x[i]), int(h.y[i])) for i in (0, 2, 3, 5)] == [(0, 0), (4, 9), (9, 9), (5, 3)]
    np.testing.assert_array_equal(h.x * 2 // 10, h.hamlet)


def test_semicolons_decimal_commas_and_byte_order_mark_read_as_the_comma_file(tmp_path):
    comma = read_survey(write(tmp_path / "comma"), VillageModel(seed=1, **GRID).p)
    semicolon_rows = HOUSEHOLDS.replace(",", ";")
    semicolon_rows = semicolon_rows.replace("4.25", "4,25").replace("0.05", "0,05").replace("1.1;", "1,1;")
    patrons = PATRONS.replace(",", ";").replace("0.25", "0,25")
    path = write(tmp_path / "semicolon", semicolon_rows, patrons, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    semicolon = read_survey(path, VillageModel(seed=1, **GRID).p)
    for name in ("hamlet", "wealth", "income", "debt", "awareness", "patron", "capital", "extraction", "openness"):
        np.testing.assert_array_equal(getattr(semicolon, name), getattr(comma, name))
    assert semicolon.household_id == comma.household_id and semicolon.kind == comma.kind


def test_hamlet_names_map_to_strips_in_order_of_first_appearance(tmp_path):
    named = replace_line(NAMED, 7, "H6,Sumbersari,3.0,1.2,0.0,D,0.30")
    named = replace_line(named, 3, "H2,Krajan,0.5,0.9,3.0,C,0.05")
    model = model_from(write(tmp_path, named, PATRONS_PLACED))
    assert model.survey.hamlet_names == ("Krajan", "Sumbersari")
    np.testing.assert_array_equal(model.households.hamlet, [0, 0, 0, 1, 1, 1])
    ids = model.survey.patron_id
    assert {ids[j]: int(model.patrons.hamlet[j]) for j in range(4)} == {"A": 0, "B": 1, "C": 0, "D": 1}


def replace_line(text: str, number: int, new: str) -> str:
    lines = text.splitlines()
    lines[number - 1] = new
    return "\n".join(lines) + "\n"


def with_cells(cells: list[str]) -> str:
    """The households file with x and y columns holding ``cells`` ("x,y" per household)."""
    lines = HOUSEHOLDS.splitlines()
    return "\n".join([lines[0] + ",x,y"] + [f"{line},{cell}" for line, cell in zip(lines[1:], cells)]) + "\n"


# (households text, patrons text, file, line, column, words in the message)
BAD = {
    "missing column": (
        HOUSEHOLDS.replace(",awareness", ",aware"),
        PATRONS,
        "households.csv",
        1,
        "awareness",
        "missing required column",
    ),
    "missing patron column": (
        HOUSEHOLDS,
        PATRONS.replace(",openness", ""),
        PATRON_FILE,
        1,
        "openness",
        "missing required column",
    ),
    "unknown hamlet number": (
        replace_line(HOUSEHOLDS, 5, "H4,3,1.0,1.0,1.5,C,0.15"),
        PATRONS,
        "households.csv",
        5,
        "hamlet",
        "unknown hamlet 3",
    ),
    "unknown hamlet zero": (
        replace_line(HOUSEHOLDS, 2, "H1,0,2.0,1.1,0.5,A,0.10"),
        PATRONS,
        "households.csv",
        2,
        "hamlet",
        "unknown hamlet 0",
    ),
    "third hamlet name": (NAMED, PATRONS, "households.csv", 7, "hamlet", "unknown hamlet 'Tegal'"),
    "hamlet without households": (
        HOUSEHOLDS.replace(",2,", ",1,"),
        PATRONS,
        "households.csv",
        None,
        "hamlet",
        "no household lives in hamlet 2",
    ),
    "unknown patron hamlet": (
        HOUSEHOLDS,
        replace_line(PATRONS_PLACED, 2, "A,landowner,80,0.3,0.15,0.2,7"),
        PATRON_FILE,
        2,
        "hamlet",
        "unknown hamlet '7'",
    ),
    "patron without clients or hamlet": (
        HOUSEHOLDS.replace(",B,", ",A,"),
        PATRONS,
        PATRON_FILE,
        3,
        "hamlet",
        "no clients",
    ),
    "patron not in patron file": (
        replace_line(HOUSEHOLDS, 3, "H2,1,0.5,0.9,3.0,Z,0.05"),
        PATRONS,
        "households.csv",
        3,
        "patron_id",
        "patron 'Z' is not in patrons.csv",
    ),
    "negative wealth": (
        replace_line(HOUSEHOLDS, 4, "H3,1,-1,1.3,0.0,A,0.20"),
        PATRONS,
        "households.csv",
        4,
        "wealth",
        "wealth = -1 is negative",
    ),
    "negative debt": (
        replace_line(HOUSEHOLDS, 6, "H5,2,0.0,0.8,-2,D,0.00"),
        PATRONS,
        "households.csv",
        6,
        "debt",
        "debt = -2 is negative",
    ),
    "awareness above one": (
        replace_line(HOUSEHOLDS, 2, "H1,1,2.0,1.1,0.5,A,1.5"),
        PATRONS,
        "households.csv",
        2,
        "awareness",
        "out of range",
    ),
    "debt above the default limit": (
        replace_line(HOUSEHOLDS, 2, "H1,1,2.0,1.1,7,A,0.1"),
        PATRONS,
        "households.csv",
        2,
        "debt",
        "households.default_limit",
    ),
    "income in rupiah": (
        replace_line(HOUSEHOLDS, 2, "H1,1,2.0,2500000,0.5,A,0.1"),
        PATRONS,
        "households.csv",
        2,
        "income",
        "out of range",
    ),
    "zero income": (
        replace_line(HOUSEHOLDS, 2, "H1,1,2.0,0,0.5,A,0.1"),
        PATRONS,
        "households.csv",
        2,
        "income",
        "(0, 50]",
    ),
    "openness out of range": (
        HOUSEHOLDS,
        replace_line(PATRONS, 3, "B,lender,40,0.2,0.3,1.2"),
        PATRON_FILE,
        3,
        "openness",
        "out of range",
    ),
    "extraction out of range": (
        HOUSEHOLDS,
        replace_line(PATRONS, 3, "B,lender,40,0.95,0.3,0.1"),
        PATRON_FILE,
        3,
        "extraction",
        "out of range",
    ),
    "unknown kind": (
        HOUSEHOLDS,
        replace_line(PATRONS, 4, "C,tengkulak,60,0.25,0.2,0.6"),
        PATRON_FILE,
        4,
        "kind",
        "unknown kind 'tengkulak'",
    ),
    "not a number": (
        replace_line(HOUSEHOLDS, 3, "H2,1,poor,0.9,3.0,B,0.05"),
        PATRONS,
        "households.csv",
        3,
        "wealth",
        "'poor' is not a number",
    ),
    "missing value": (
        replace_line(HOUSEHOLDS, 3, "H2,1,,0.9,3.0,B,0.05"),
        PATRONS,
        "households.csv",
        3,
        "wealth",
        "missing value",
    ),
    "duplicate household id": (
        replace_line(HOUSEHOLDS, 4, "H1,1,4.25,1.3,0.0,A,0.20"),
        PATRONS,
        "households.csv",
        4,
        "household_id",
        "duplicate id 'H1' (also on line 2)",
    ),
    "duplicate patron id": (
        HOUSEHOLDS,
        PATRONS + "A,trader,10,0.1,0.1,0.1\n",
        PATRON_FILE,
        6,
        "patron_id",
        "duplicate id 'A'",
    ),
    "empty households file": ("", PATRONS, "households.csv", None, None, "the file is empty"),
    "blank patrons file": (HOUSEHOLDS, "\n \n", PATRON_FILE, None, None, "the file is empty"),
    "header only": (HOUSEHOLDS.splitlines()[0] + "\n", PATRONS, "households.csv", 1, None, "no rows"),
    "tab delimiter": (HOUSEHOLDS.replace(",", "\t"), PATRONS, "households.csv", 1, None, "separated by tabs"),
    "decimal commas in a comma file": (
        replace_line(HOUSEHOLDS, 2, "H1,1,2,5,1.1,0.5,A,0.10"),
        PATRONS,
        "households.csv",
        2,
        None,
        "has 8 fields but the header has 7",
    ),
    "thousands separators": (
        HOUSEHOLDS.replace(",", ";").replace("4.25", "1.234,5"),
        PATRONS,
        "households.csv",
        4,
        "wealth",
        "thousands separators",
    ),
    "typo in an optional column": (
        HOUSEHOLDS.replace("awareness\n", "awareness,dependancy\n").replace("\nH", ",\nH"),
        PATRONS,
        "households.csv",
        1,
        "dependancy",
        "did you mean 'dependency'",
    ),
    "uneven patrons per hamlet": (
        HOUSEHOLDS,
        replace_line(PATRONS_PLACED, 5, "D,supplier,30,0.15,0.1,0.4,1").replace("sumbersari", "").replace("KRAJAN", ""),
        PATRON_FILE,
        None,
        "hamlet",
        "hamlet 1 has 3 patrons (A, B, D) but patrons.patrons_per_hamlet = 2",
    ),
    "x outside its hamlet": (
        with_cells(["7,1", ",", ",", ",", ",", ","]),
        PATRONS,
        "households.csv",
        2,
        "x",
        "lies in hamlet 2's strip",
    ),
    "two households on one cell": (
        with_cells(["1,1", ",", "1,1", ",", ",", ","]),
        PATRONS,
        "households.csv",
        4,
        "x",
        "already taken by line 2",
    ),
    "x without y": (
        with_cells(["1,", ",", ",", ",", ",", ","]),
        PATRONS,
        "households.csv",
        2,
        "y",
        "give both or leave both blank",
    ),
    "x off the grid": (
        with_cells(["10,1", ",", ",", ",", ",", ","]),
        PATRONS,
        "households.csv",
        2,
        "x",
        "out of range",
    ),
    "stray quote": (
        replace_line(HOUSEHOLDS, 3, 'H2,1,"0.5,0.9,3.0,B,0.05'),
        PATRONS,
        "households.csv",
        3,
        None,
        'a quote (") opens a field here that runs on to line 7',
    ),
    "underscore in a number": (
        replace_line(HOUSEHOLDS, 2, "H1,1,1_0,1.1,0.5,A,0.10"),
        PATRONS,
        "households.csv",
        2,
        "wealth",
        "'1_0' is not a number; write it with the digits 0-9",
    ),
    "another script's digit in a number": (
        replace_line(HOUSEHOLDS, 4, "H3,1,\u0663,1.3,0.0,A,0.20"),
        PATRONS,
        "households.csv",
        4,
        "wealth",
        "is not a number",
    ),
    "a superscript hamlet": (
        replace_line(HOUSEHOLDS, 5, "H4,\u00b2,1.0,1.0,1.5,C,0.15"),
        PATRONS,
        "households.csv",
        5,
        "hamlet",
        "has a digit other than 0-9",
    ),
    "a hamlet of 5,000 digits": (
        replace_line(HOUSEHOLDS, 5, "H4," + "9" * 5000 + ",1.0,1.0,1.5,C,0.15"),
        PATRONS,
        "households.csv",
        5,
        "hamlet",
        "too long a number",
    ),
    "a number of 5,000 digits": (
        replace_line(HOUSEHOLDS, 5, "H4,2," + "1" * 5000 + ",1.0,1.5,C,0.15"),
        PATRONS,
        "households.csv",
        5,
        "wealth",
        "(5,000 characters)",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_survey_gets_the_file_line_and_column(tmp_path, case):
    households, patrons, file, line, column, words = BAD[case]
    path = write(tmp_path, households, patrons)
    with pytest.raises(InputError) as caught:
        model_from(path)
    error = caught.value
    message = str(error)
    assert Path(error.file).name == file, message
    assert error.line == line, message
    assert error.field == column, message
    assert words in message
    assert message.startswith(str(tmp_path / file)), message


def test_wrong_encoding_is_refused_with_the_line(tmp_path):
    text = HOUSEHOLDS.replace("H5", "Hé5")
    path = write(tmp_path, text, PATRONS, encoding="latin-1")
    with pytest.raises(InputError, match="not UTF-8") as caught:
        model_from(path)
    assert caught.value.line == 6
    write(tmp_path / "utf16", HOUSEHOLDS, PATRONS, encoding="utf-16")
    with pytest.raises(InputError, match="UTF-16"):
        model_from(tmp_path / "utf16" / "households.csv")


def test_missing_patron_file_and_a_village_too_small_are_refused(tmp_path):
    path = write(tmp_path)
    (tmp_path / PATRON_FILE).unlink()
    with pytest.raises(InputError, match="patron file not found") as caught:
        model_from(path)
    assert caught.value.file == str(tmp_path / PATRON_FILE)
    crowded = HOUSEHOLDS + "".join(f"K{i},1,1,1,0,A,0.1\n" for i in range(30))
    with pytest.raises(InputError, match="hamlet 1 has 33 households but its strip of the 10 x 5 grid holds only 25"):
        model_from(write(tmp_path / "crowded", crowded), height=5)


def test_command_line_exits_2_with_the_message(tmp_path, capsys):
    write(tmp_path, replace_line(HOUSEHOLDS, 4, "H3,1,-1,1.3,0.0,A,0.20"))
    scenario = tmp_path / "village.toml"
    scenario.write_text(
        '[village]\nsurvey = "households.csv"\nwidth = 10\nheight = 10\nn_hamlets = 2\n', encoding="utf-8"
    )
    assert main(["validate", str(scenario)]) == 2
    err = capsys.readouterr().err
    assert "households.csv, line 4" in err and "wealth = -1 is negative" in err
    assert "Traceback" not in err


def test_example_is_what_its_script_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_survey", EXAMPLE / "make_survey.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    script.main(tmp_path)
    for name in ("households.csv", PATRON_FILE):
        assert (tmp_path / name).read_bytes() == (EXAMPLE / name).read_bytes(), name


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_example_survey_runs_under_every_strategy(strategy, violations):
    scenario = load_scenario(EXAMPLE / "survey_example.toml", {"programme.strategy": strategy, "village.months": 18})
    model = VillageModel(scenario.params, seed=11)
    survey = model.survey
    assert model.n_households == len(survey.household_id) == 220
    assert len(model.patrons) == 8 and len(survey.hamlet_names) == 4
    np.testing.assert_array_equal(model.households.wealth, survey.wealth)
    assert violations(model) == []
    model.run_model()
    assert model.month == 18
    assert violations(model) == []
    assert len(model.timeseries()) == 19
