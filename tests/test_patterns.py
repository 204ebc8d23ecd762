"""Pattern measures on constructed states and runs with known answers; validate-patterns end to end."""

from __future__ import annotations

import json
import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis.studies.patterns import (
    COLUMNS,
    DROPPED,
    NOT_MODELLED,
    Measured,
    count_line,
    counts,
    listing_markdown,
    markdown,
    observe,
    targets_markdown,
)
from analysis.targets import SHIPPED, Target, load_targets
from berdaya.cli import main
from experiments.pattern_runner import (
    CATALOGUE,
    EFFECTS,
    METRICS,
    MIN_BASE,
    MONTH,
    RUN,
    Trace,
    after_exit,
    catalogue_text,
    dropped_out,
    effects,
    live_group_sizes,
    parse_metric,
    relative_effect,
    simulate,
    windowed,
)
from sim.model import VillageModel
from sim.state import ACTIVE, DISSOLVED, FORMING, MATURE

SMALL = {"width": 20, "height": 20}
SMALL_SET = ["--set", "village.width=20", "--set", "village.height=20"]


def target(**fields) -> Target:
    base = {
        "name": "t",
        "metric": "group_size_mean",
        "low": 10.0,
        "high": 20.0,
        "pattern": "",
        "source": "src",
        "kind": "validation",
    }
    return Target.model_validate({**base, **fields})


def test_dropout_counts_leaving_a_standing_group_only():
    before = np.array([-1, 0, 0, 1, 1])
    after = np.array([-1, 0, -1, -1, -1])
    stage = np.array([ACTIVE, DISSOLVED])
    assert dropped_out(before, after, stage).tolist() == [False, False, True, False, False]


def test_live_group_sizes_skip_dissolved_and_empty_groups():
    sizes = live_group_sizes(np.array([12, 0, 18, 5, 9]), np.array([ACTIVE, ACTIVE, DISSOLVED, MATURE, FORMING]))
    assert sizes.tolist() == [12, 5, 9]


def test_relative_effect():
    assert relative_effect(1.2, 1.0) == pytest.approx(0.2)
    assert math.isnan(relative_effect(1.0, 0.0))
    assert math.isnan(relative_effect(math.nan, 1.0))
    assert np.isnan(relative_effect(np.array([1.0, 2.0]), np.array([0.0, 1.0]))).tolist() == [True, False]
    # over a twin holding less than MIN_BASE per household the ratio measures rounding: undefined
    assert math.isnan(relative_effect(1.0, 1e-17, 1))
    assert math.isnan(relative_effect(5.0, 0.9 * MIN_BASE * 10, 10))
    assert relative_effect(5.0, 2 * MIN_BASE * 10, 10) == pytest.approx(5.0 / (2 * MIN_BASE * 10) - 1)


def test_members_savings_effect_over_an_empty_twin_is_undefined_not_huge():
    """One village's members' savings over a twin of 1e-17 once gave an effect of 1.9e16."""
    months, n = 3, 4
    zeros = np.zeros((months + 1, n))
    member = np.zeros((months + 1, n), dtype=bool)
    member[1:, :2] = True

    def trace(savings):
        return SimpleNamespace(
            member=member,
            income=zeros + 1,
            consumption=zeros + 1,
            poorest40=np.ones(months + 1),
            savings=savings,
            patron_debt=zeros + 1,
            interest=zeros,
            balance=zeros + 1,
            self_reliant=zeros,
        )

    treated, twin = zeros.copy(), zeros.copy()
    treated[:, :2] = 0.5  # members save half a month each in the programme
    twin[:, :2] = 1e-17  # and next to nothing in the twin
    twin[:, 2:] = 3.0  # non-members hold savings in both
    treated[:, 2:] = 3.0
    out = effects(trace(treated), trace(twin))
    assert np.isnan(out["savings_effect_members"][1:]).all()
    assert np.isfinite(out["savings_effect"]).all()  # the village's base is not empty


def test_windowed_sums_the_months_to_m_and_skips_the_initial_state():
    values = np.arange(30.0)  # row 0 is the initial state and must not count
    got = windowed(values, window=12)
    assert got[0] == 0 and got[5] == sum(range(1, 6))
    assert got[12] == sum(range(1, 13)) and got[29] == sum(range(18, 30))


def test_after_exit_splits_dissolution_by_maturity_at_exit():
    at_exit = np.array([MATURE, MATURE, ACTIVE, ACTIVE, ACTIVE, ACTIVE, DISSOLVED])
    later = np.array([MATURE, DISSOLVED, DISSOLVED, DISSOLVED, DISSOLVED, ACTIVE, DISSOLVED, FORMING])
    out = after_exit(SimpleNamespace(stage_at_exit=at_exit, stage_after_exit=later))
    assert out["dissolved_after_exit_matured"] == pytest.approx(0.5)
    assert out["dissolved_after_exit_unmatured"] == pytest.approx(0.75)
    assert out["maturity_protection"] == pytest.approx(0.25)


def constructed(months: int, n: int, **arrays) -> SimpleNamespace:
    shape = (months + 1, n)
    base = {
        name: np.zeros(shape) for name in ("income", "consumption", "savings", "patron_debt", "interest", "balance")
    }
    base["poorest40"] = np.ones(months + 1)
    base.update(member=np.zeros(shape, dtype=bool), self_reliant=np.zeros(shape, dtype=bool))
    base.update(arrays)
    return SimpleNamespace(**base)


def test_effects_compare_with_the_twin_over_the_village_and_the_ever_members():
    months = 30
    member = np.zeros((months + 1, 2), dtype=bool)
    member[20, 0] = True  # household 0 joins at month 20 and leaves: still an ever-member from then on
    treated = constructed(
        months,
        2,
        income=np.tile([1.5, 1.0], (months + 1, 1)),
        interest=np.tile([0.15, 0.2], (months + 1, 1)),
        balance=np.ones((months + 1, 2)),
        patron_debt=np.tile([0.5, 1.0], (months + 1, 1)),
        member=member,
    )
    twin = constructed(
        months,
        2,
        income=np.ones((months + 1, 2)),
        interest=np.full((months + 1, 2), 0.2),
        balance=np.ones((months + 1, 2)),
        patron_debt=np.ones((months + 1, 2)),
        consumption=np.ones((months + 1, 2)),
    )
    treated.consumption = np.tile([1.2, 0.9], (months + 1, 1))
    treated.poorest40 = np.full(months + 1, 1.1)
    treated.self_reliant[25:, 0] = True
    out = effects(treated, twin)
    assert set(out) == set(EFFECTS)
    assert out["income_effect"][30] == pytest.approx(0.25)  # (1.5 + 1) / 2 - 1
    assert math.isnan(out["income_effect_members"][19])  # no member yet: 0 / 0
    assert out["income_effect_members"][30] == pytest.approx(0.5)
    assert out["consumption_effect"][30] == pytest.approx(0.05)
    assert out["consumption_effect_members"][30] == pytest.approx(0.2)
    assert out["consumption_effect_poorest40"][30] == pytest.approx(0.1)
    assert out["patron_borrowing_effect"][30] == pytest.approx(-0.25)
    assert out["patron_borrowing_effect_members"][30] == pytest.approx(-0.5)
    assert out["patron_rate_effect"][30] == pytest.approx(0.175 / 0.2 - 1)
    assert out["patron_rate_effect_members"][30] == pytest.approx(-0.25)
    assert out["self_reliant_effect"][30] == pytest.approx(0.5)
    assert out["self_reliant_effect_members"][30] == pytest.approx(1.0)
    assert out["self_reliant_effect"][24] == 0


def test_trace_reads_the_configured_rates_and_no_dropout_when_nobody_may_leave():
    model = VillageModel(
        seed=3,
        months=72,
        dropout_rate=0.0,
        patron_interest=0.23,
        group_interest=0.017,
        cohesion_noise=0.0,
        dissolve_cohesion=0.0,
        rate_competition=0.0,
        contestability=0.0,
        organised_rate_penalty=0.0,
        **SMALL,
    )
    trace = Trace.record(model)
    m = trace.metrics(model)
    assert m["patron_rate_charged"] == pytest.approx(0.23)
    assert m["group_rate_charged"] == pytest.approx(0.017)
    assert m["rate_ratio"] == pytest.approx(0.23 / 0.017)
    assert m["groups_founded_programme"] > 0
    assert m["member_dropout_share"] == 0.0
    assert m["groups_dissolved_share_programme"] == 0.0
    assert model.p.group_min_size / 2 <= m["group_size_mean"] <= model.p.group_max_size
    survival = trace.monthly()["group_survival_after_exit"]
    assert np.isnan(survival[: trace.end]).all() and survival[trace.end] == 1.0
    land = model.households.land
    assert m["landless_share"] == pytest.approx(np.mean(land == 0)) and 0 < m["land_gini"] < 1


def test_patron_borrowing_share_spans_nobody_to_everybody():
    rich = VillageModel(
        seed=1, months=12, income_mean=3.0, shock_rate=0.0, season_amplitude=0.0, interlinked_share=0.0, **SMALL
    )
    tied = VillageModel(seed=1, months=12, landless_share=0.0, interlinked_share=1.0, **SMALL)  # inputs on credit
    assert Trace.record(rich).monthly()["patron_borrower_share"][12] == 0.0
    assert Trace.record(tied).monthly()["patron_borrower_share"][12] == 1.0


def test_runner_measures_every_family_and_no_effects_without_programme():
    no_groups = {  # no programme, and no group started on its own (docs/ODD.md §7.6)
        "village.width": 20,
        "village.height": 20,
        "village.months": 40,
        "programme.strategy": "baseline",
        "groups.spontaneous_founding": 0.0,
    }
    metrics, monthly = simulate(no_groups, seed=5)
    assert {m.name for m in METRICS if m.index == RUN} <= set(metrics)
    assert {m.name for m in METRICS if m.index == MONTH} <= set(monthly.columns)
    assert len(monthly) == 41
    assert monthly[EFFECTS].isna().all().all() and math.isnan(metrics["group_size_mean"])
    _, with_programme = simulate({"village.width": 20, "village.height": 20, "village.months": 30}, seed=5)
    assert with_programme[EFFECTS].iloc[12:].notna().all().all()


def test_the_catalogue_parses_families_by_suffix_and_lists_every_metric():
    assert parse_metric("rate_ratio") == (CATALOGUE["rate_ratio"], None)
    assert parse_metric("savings_effect_members_30") == (CATALOGUE["savings_effect_members"], 30)
    assert parse_metric("group_survival_after_exit_24") == (CATALOGUE["group_survival_after_exit"], 24)
    for bad in ("rate_ratio_3", "income_effect", "nonsense_12", "group_size_mean_x"):
        with pytest.raises(KeyError):
            parse_metric(bad)
    text = catalogue_text()
    assert all(m.label in text and m.definition in text for m in METRICS)


def test_measured_reads_run_month_and_after_exit_metrics():
    runs = pd.DataFrame(
        {
            "run_id": ["a", "b"],
            "scenario": ["x", "x"],
            "status": ["ok", "ok"],
            "rate_ratio": [9.0, 11.0],
            "programme_end": [2.0, 1.0],
        }
    )
    monthly = pd.DataFrame(
        {
            "run_id": ["a"] * 5 + ["b"] * 5,
            "month": list(range(5)) * 2,
            "income_effect": [0.0, 0.1, 0.2, 0.3, 0.4, 1.0, 1.1, 1.2, 1.3, 1.4],
            "self_reliant_effect": [0.0, 0.0, 0.1, 0.15, 0.2, 0.0, 0.0, 0.0, 0.3, 0.3],
            "consumption_effect_members": [0.0, 0.0, 0.1, 0.2, 0.35, 0.0, 0.05, 0.1, 0.1, 0.1],
            "group_survival_after_exit": [math.nan, math.nan, 1.0, 0.8, 0.5, math.nan, 1.0, 0.9, 0.6, 0.3],
        }
    )
    measured = Measured(runs, monthly)
    assert measured.values("rate_ratio").tolist() == [9.0, 11.0]
    assert measured.values("income_effect_3").tolist() == pytest.approx([0.3, 1.3])
    assert measured.values("group_survival_after_exit_2").tolist() == pytest.approx([0.5, 0.6])
    assert measured.values("self_reliant_effect_after_exit_0").tolist() == pytest.approx([0.1, 0.0])
    persistence = measured.values("gain_persistence_2")
    assert persistence[0] == pytest.approx(2.0) and math.isnan(persistence[1])  # no gain at exit in b
    assert measured.values("consumption_growth_after_exit_2").tolist() == pytest.approx([0.25, 0.05])
    assert measured.values("consumption_effect_members_after_exit_1").tolist() == pytest.approx([0.2, 0.1])
    assert np.isnan(measured.values("income_effect_9")).all()  # beyond the stored months
    assert np.isnan(measured.values("wealth_gini_1")).all()  # a column not stored


def test_observe_gives_mean_range_share_in_band_and_met():
    runs = pd.DataFrame(
        {
            "run_id": [f"r{i}" for i in range(23)],
            "scenario": ["x"] * 21 + ["y"] * 2,
            "group_size_mean": list(np.arange(10.0, 31.0)) + [math.nan, math.nan],
            "status": ["ok"] * 23,
        }
    )
    pairs = [(target(), "x"), (target(), "y"), (target(), "z")]
    table = observe(Measured(runs, pd.DataFrame()), pairs).set_index("scenario")
    assert table.loc["x", "mean"] == pytest.approx(20.0)
    assert table.loc["x", "p05"] == pytest.approx(11.0) and table.loc["x", "p95"] == pytest.approx(29.0)
    assert table.loc["x", "share_in_band"] == pytest.approx(11 / 21)
    assert table.loc["x", "met"]
    assert not table.loc["y", "met"] and table.loc["y", "share_in_band"] == 0 and math.isnan(table.loc["y", "mean"])
    assert math.isnan(table.loc["z", "share_in_band"])
    runs.loc[:20, "group_size_mean"] += 5.0  # the mean, 25, leaves the band
    assert not observe(Measured(runs, pd.DataFrame()), pairs[:1])["met"].iloc[0]


def test_input_rows_are_shown_but_never_counted():
    table = pd.DataFrame(
        {
            "target": ["a", "b", "c", "d"],
            "kind": ["calibration", "validation", "input", "input"],
            "met": [True, False, True, True],
        }
    )
    assert counts(table) == {"calibration": (1, 1), "validation": (0, 1)}
    line = count_line(table)
    assert "calibration rows met: 1 of 1" in line and "validation rows met: 0 of 1" in line
    assert "input rows (shown, not counted): 2" in line


def test_shipped_targets_load_with_sources_and_every_kind_honest():
    targets = load_targets()
    assert len({t.name for t in targets}) == len(targets)
    for t in targets:
        assert t.source and t.reading and t.pattern and t.file == str(SHIPPED)
    kinds = {t.name: t.kind for t in targets}
    for built_in in ("group_size", "patron_rate", "rate_gap", "savings_keep_groups"):
        assert kinds[built_in] == "input"
    assert "no_quick_transformation" not in kinds
    assert {"calibration", "validation", "input"} <= set(kinds.values())


def run_validation_cli(out: Path, *extra: str) -> int:
    return main(["validate-patterns", "--replicates", "1", "--serial", "--out", str(out), *SMALL_SET, *extra])


def test_validate_patterns_writes_every_target_row_with_exact_columns(tmp_path, capsys):
    out = tmp_path / "v"
    assert run_validation_cli(out) == 0
    printed = capsys.readouterr().out
    table = pd.read_csv(out / "patterns.csv")
    assert list(table.columns) == COLUMNS
    assert list(pd.read_parquet(out / "patterns.parquet").columns) == COLUMNS
    programmes = {"area_based", "enterprise_based", "hybrid"}
    expected = set()
    for t in load_targets():
        names = (
            programmes
            if t.scenarios is None
            else {"baseline", *programmes}
            if t.scenarios == ["all"]
            else set(t.scenarios)
        )
        expected |= {(t.name, s) for s in names}
    assert set(zip(table["target"], table["scenario"], strict=True)) == expected and len(table) == len(expected)
    text = (out / "patterns.md").read_text()
    assert "Calibration rows:" in text and "Validation rows:" in text and "never counted" in text
    assert "calibration rows met:" in printed and "validation rows met:" in printed
    assert (out / "patterns.png").stat().st_size > 0
    record = json.loads((out / "validation.json").read_text())  # what the comparison report opens with
    validation = table[table["kind"] == "validation"]
    assert (record["validation_met"], record["validation_rows"]) == (int(validation["met"].sum()), len(validation))
    assert set(record["validation_failed"]) == set(validation.loc[~validation["met"], "target"])
    assert set(record["validation_met_targets"]) == set(validation["target"]) - set(record["validation_failed"])
    assert f"validation rows met: {record['validation_met']} of {record['validation_rows']}" in printed


def test_list_metrics_prints_the_catalogue(capsys):
    assert main(["validate-patterns", "--list-metrics"]) == 0
    printed = capsys.readouterr().out
    assert all(m.label in printed for m in METRICS)


def write_targets(path: Path, body: str) -> Path:
    path.write_text(body)
    return path


def test_targets_file_adds_and_replaces_by_name_and_scenario_files_run_by_stem(tmp_path):
    village = tmp_path / "my_village.toml"
    village.write_text('extends = "' + str(Path("scenarios/hybrid.toml").resolve()) + '"\n')
    mine = write_targets(
        tmp_path / "mine.toml",
        """
[[target]]
name = "group_size"
metric = "group_size_median"
low = 1
high = 3
scenarios = ["my_village"]
pattern = "Our groups are tiny."
source = "own survey, 2026"
kind = "validation"

[[target]]
name = "survival"
metric = "group_survival_after_exit_12"
low = 0.5
pattern = "Half the groups outlive the programme by a year."
source = "own survey, 2026"
kind = "calibration"
""",
    )
    out = tmp_path / "v"
    assert run_validation_cli(out, "--targets", str(mine), "--scenario", str(village)) == 0
    table = pd.read_csv(out / "patterns.csv")
    assert set(table["scenario"]) == {"my_village"}
    row = table.set_index("target").loc["group_size"]
    assert (row["metric"], row["low"], row["high"], row["kind"]) == ("group_size_median", 1, 3, "validation")
    assert not row["met"]  # a median of 1-3 members cannot come from groups founded with 10 or more
    assert table.set_index("target").loc["survival", "kind"] == "calibration"
    assert len(table) == table["target"].nunique()  # one scenario: one row per target


BAD_TARGETS = {
    "malformed": ("[[target]\nname = 'x'", "is not valid TOML"),
    "unknown metric": (
        "[[target]]\nname = 'x'\nmetric = 'income_effekt_30'\nlow = 0\npattern = ''\nsource = 's'\nkind = 'validation'",
        "target 'x', field metric",
    ),
    "unknown scenario": (
        "[[target]]\nname = 'x'\nmetric = 'income_effect_30'\nlow = 0\nscenarios = ['hybird']\n"
        "pattern = ''\nsource = 's'\nkind = 'validation'",
        "target 'x', field scenarios",
    ),
    "low above high": (
        "[[target]]\nname = 'x'\nmetric = 'income_effect_30'\nlow = 0.5\nhigh = 0.1\n"
        "pattern = ''\nsource = 's'\nkind = 'validation'",
        "target 'x', field low",
    ),
    "no band": (
        "[[target]]\nname = 'x'\nmetric = 'income_effect_30'\npattern = ''\nsource = 's'\nkind = 'validation'",
        "target 'x', field low",
    ),
    "bad kind": (
        "[[target]]\nname = 'x'\nmetric = 'income_effect_30'\nlow = 0\npattern = ''\nsource = 's'\nkind = 'hold-out'",
        "target 'x', field kind",
    ),
    "missing source": (
        "[[target]]\nname = 'x'\nmetric = 'income_effect_30'\nlow = 0\npattern = ''\nkind = 'validation'",
        "target 'x', field source",
    ),
    "unknown field": (
        "[[target]]\nname = 'x'\nmetric = 'income_effect_30'\nlow = 0\npattern = ''\nsource = 's'\n"
        "kind = 'validation'\nsenarios = ['hybrid']",
        "target 'x', field senarios",
    ),
    "beyond the run": (
        "[[target]]\nname = 'x'\nmetric = 'income_effect_121'\nlow = 0\npattern = ''\nsource = 's'\n"
        "kind = 'validation'",
        "target 'x', field metric",
    ),
    "twice in one file": (
        "[[target]]\nname = 'x'\nmetric = 'rate_ratio'\nlow = 0\npattern = ''\nsource = 's'\nkind = 'input'\n" * 2,
        "target 'x', field name",
    ),
    "no target": ("title = 'mine'", "unknown key 'title'"),
}


@pytest.mark.parametrize("case", sorted(BAD_TARGETS))
def test_a_bad_targets_file_exits_2_naming_file_target_and_field(tmp_path, capsys, case):
    body, expected = BAD_TARGETS[case]
    path = write_targets(tmp_path / "bad.toml", body)
    assert run_validation_cli(tmp_path / "out", "--targets", str(path)) == 2
    err = capsys.readouterr().err
    assert str(path) in err and expected in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists()  # refused before any run


def test_validate_patterns_refuses_a_bad_override(tmp_path, capsys):
    assert main(["validate-patterns", "--out", str(tmp_path / "x"), "--set", "village.widht=20"]) == 2
    assert "village.width" in capsys.readouterr().err


def test_markdown_counts_kinds_apart():
    rows = pd.DataFrame(
        [
            {
                "target": "a",
                "kind": "calibration",
                "metric": "m",
                "scenario": "s",
                "low": 0.0,
                "high": 1.0,
                "mean": 0.5,
                "p05": 0.4,
                "p95": 0.6,
                "share_in_band": 1.0,
                "met": True,
            },
            {
                "target": "b",
                "kind": "input",
                "metric": "m",
                "scenario": "s",
                "low": 0.0,
                "high": math.nan,
                "mean": 0.5,
                "p05": 0.4,
                "p95": 0.6,
                "share_in_band": 1.0,
                "met": True,
            },
        ]
    )
    text = markdown(rows)
    assert "Calibration rows: 1 of 1 met" in text and "Input rows (1; shown, never counted)" in text
    assert "Validation rows" not in text and "validation rows met: 0 of 0" in text


def test_docs_validation_shows_the_targets_as_the_data_defines_them():
    text = (Path(__file__).resolve().parent.parent / "docs" / "validation.md").read_text()
    between = {
        name: text.split(f"<!-- {name}:start -->\n")[1].split(f"<!-- {name}:end -->")[0]
        for name in ("targets", "not-modelled", "dropped")
    }
    assert between["targets"] == targets_markdown(load_targets())
    assert between["not-modelled"] == listing_markdown(NOT_MODELLED)
    assert between["dropped"] == listing_markdown(DROPPED)
