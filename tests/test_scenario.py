"""The scenario loader: extends chains, overrides, --set parsing, and where errors point."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from sim.errors import InputError
from sim.params import EXIT_MODES, STRATEGY_PRESETS
from sim.scenario import SCENARIO_DIR, load_scenario, parse_set, resolve_scenario, shipped

PRESETS = ("baseline", "area_based", "enterprise_based", "hybrid")
VARIANTS = (
    "exit_abrupt",
    "exit_phased",
    "exit_none",
    "ngo_managed",
    "community_managed",
    "patrons_engaged",
    "patrons_ignored",
    "patrons_resistant",
    "patrons_cooperative",
    "high_shock",
    "large_village",
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_preset_and_variant_is_shipped_and_loads():
    assert set(PRESETS + VARIANTS) <= set(shipped())
    for name in shipped():
        scenario = load_scenario(resolve_scenario(name))
        assert scenario.name == name
        assert scenario.path == SCENARIO_DIR / f"{name}.toml"


@pytest.mark.parametrize("name", PRESETS + VARIANTS)
def test_shipped_file_opens_with_a_comment_naming_its_source_text(name):
    lines = (SCENARIO_DIR / f"{name}.toml").read_text(encoding="utf-8").splitlines()
    comment = []
    for line in lines:
        if not line.startswith("#"):
            break
        comment.append(line.lstrip("# "))
    assert len(comment) >= 2
    assert re.search(r"seed 00[0-4] \(00[0-4]_[0-9a-f]{16}\.txt", " ".join(comment), re.IGNORECASE), comment


def test_presets_follow_model_section_5():
    baseline = load_scenario(resolve_scenario("baseline")).params
    assert baseline.strategy == "baseline" and baseline.n_facilitators == 0
    for name in ("area_based", "enterprise_based", "hybrid"):
        params = load_scenario(resolve_scenario(name)).params
        assert params.strategy == name
        for switch, value in STRATEGY_PRESETS[name].items():
            assert getattr(params, switch) == value


@pytest.mark.parametrize(
    ("name", "switch", "value"),
    [
        ("exit_abrupt", "exit_mode", "abrupt"),
        ("exit_phased", "exit_mode", "phased"),
        ("exit_none", "exit_mode", "none"),
        ("ngo_managed", "project_management", "ngo"),
        ("community_managed", "project_management", "community"),
        ("patrons_engaged", "patron_engagement", True),
        ("patrons_ignored", "patron_engagement", False),
    ],
)
def test_variant_sets_its_switch_and_inherits_the_rest(name, switch, value):
    scenario = load_scenario(resolve_scenario(name))
    parent = load_scenario(scenario.chain[1])
    assert getattr(scenario.params, switch) == value
    assert len(scenario.chain) == 2 and scenario.chain[0] == scenario.path
    differing = {k for k in scenario.values if scenario.values[k] != parent.values.get(k)}
    assert differing <= {next(k for k in scenario.values if k.endswith("." + switch))}


def test_paired_variants_differ_in_the_direction_they_name():
    resistant = load_scenario(resolve_scenario("patrons_resistant")).params
    cooperative = load_scenario(resolve_scenario("patrons_cooperative")).params
    assert resistant.openness_mean < cooperative.cooperative_openness < cooperative.openness_mean
    shock = load_scenario(resolve_scenario("high_shock")).params
    area = load_scenario(resolve_scenario("area_based")).params
    assert shock.shock_rate > area.shock_rate
    large = load_scenario(resolve_scenario("large_village")).params
    assert large.width * large.height > area.width * area.height


def test_extends_chain_merges_child_over_parent_over_grandparent(tmp_path):
    write(tmp_path / "base" / "grand.toml", "[village]\nwidth = 30\nheight = 30\nmonths = 48\n")
    write(tmp_path / "base" / "parent.toml", 'extends = "grand.toml"\n[village]\nwidth = 25\n')
    child = write(tmp_path / "runs" / "child.toml", 'extends = "../base/parent.toml"\n[village]\nmonths = 12\n')
    scenario = load_scenario(child)
    assert scenario.values == {"village.width": 25, "village.height": 30, "village.months": 12}
    assert (scenario.params.width, scenario.params.height, scenario.params.months) == (25, 30, 12)
    assert scenario.chain == (
        child.resolve(),
        (tmp_path / "base" / "parent.toml").resolve(),
        (tmp_path / "base" / "grand.toml").resolve(),
    )
    assert scenario.sha256 == hashlib.sha256(child.read_bytes()).hexdigest()
    assert scenario.name == "child"


def test_overrides_win_over_the_file_and_are_validated(tmp_path):
    path = write(tmp_path / "s.toml", "[village]\nwidth = 30\n")
    scenario = load_scenario(path, {"village.width": 22, "programme.exit_mode": "abrupt"})
    assert scenario.params.width == 22 and scenario.params.exit_mode == "abrupt"
    assert scenario.values["village.width"] == 22
    with pytest.raises(InputError) as caught:
        load_scenario(path, {"village.width": 2000})
    assert caught.value.file == "--set" and "[5, 1500]" in str(caught.value)


def test_explicit_switch_beats_the_strategy_preset(tmp_path):
    path = write(tmp_path / "s.toml", '[programme]\nstrategy = "enterprise_based"\nproject_management = "ngo"\n')
    params = load_scenario(path).params
    assert params.project_management == "ngo"
    assert params.knowledge_manager is STRATEGY_PRESETS["enterprise_based"]["knowledge_manager"]


def test_survey_path_is_relative_to_the_file_that_names_it(tmp_path):
    survey = write(tmp_path / "data" / "village.csv", "x\n")
    write(tmp_path / "data" / "parent.toml", '[village]\nsurvey = "village.csv"\n')
    child = write(tmp_path / "child.toml", 'extends = "data/parent.toml"\n')
    assert load_scenario(child).params.survey == str(survey.resolve())


def test_parse_set_reads_values_as_toml():
    values = parse_set(
        [
            "village.width=60",
            "village.density=0.5",
            'networks.networks=["paralegal"]',
            "programme.patron_engagement=false",
            "programme.exit_mode=abrupt",
            'programme.strategy="hybrid"',
        ]
    )
    assert values == {
        "village.width": 60,
        "village.density": 0.5,
        "networks.networks": ["paralegal"],
        "programme.patron_engagement": False,
        "programme.exit_mode": "abrupt",
        "programme.strategy": "hybrid",
    }


@pytest.mark.parametrize("item", ["village.width", "width=3", "=3", "village.width.x=3", "village width=3"])
def test_parse_set_refuses_a_malformed_item(item):
    with pytest.raises(InputError) as caught:
        parse_set([item])
    assert repr(item) in str(caught.value) and "group.name=value" in str(caught.value)


def test_resolve_scenario_finds_shipped_names_and_keeps_real_paths(tmp_path):
    assert resolve_scenario("hybrid") == SCENARIO_DIR / "hybrid.toml"
    assert resolve_scenario("hybrid.toml") == SCENARIO_DIR / "hybrid.toml"
    own = write(tmp_path / "hybrid.toml", "")
    assert resolve_scenario(own) == own
    with pytest.raises(InputError) as caught:
        resolve_scenario("hybird")
    assert "hybrid" in str(caught.value) and "baseline" in str(caught.value)


def test_error_in_a_parent_points_at_the_parent_file_and_line(tmp_path):
    parent = write(tmp_path / "parent.toml", '# parent\n\n[programme]\nexit_mode = "gradual"\n')
    child = write(tmp_path / "child.toml", 'extends = "parent.toml"\n[village]\nwidth = 20\n')
    with pytest.raises(InputError) as caught:
        load_scenario(child)
    error = caught.value
    assert (error.file, error.line, error.field) == (str(parent), 4, "programme.exit_mode")
    assert all(mode in str(error) for mode in EXIT_MODES)


def test_key_in_the_wrong_group_names_its_group(tmp_path):
    path = write(tmp_path / "s.toml", "[village]\nwidth = 20\n\n[households]\nshock_rate = 0.1\n")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert caught.value.line == 5 and "[village]" in str(caught.value)


def test_parameter_outside_any_table_names_its_table(tmp_path):
    path = write(tmp_path / "s.toml", "width = 20\n")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert caught.value.line == 1 and "[village]" in str(caught.value)


def test_unknown_table_suggests_the_closest_group(tmp_path):
    path = write(tmp_path / "s.toml", "[vilage]\nwidth = 20\n")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert caught.value.line == 1 and "did you mean [village]" in str(caught.value)


@pytest.mark.parametrize(
    "text", ["[village]\nwidth = true\n", '[village]\nwidth = "40"\n', "[programme]\nknowledge_manager = 1\n"]
)
def test_wrong_type_is_refused_not_coerced(tmp_path, text):
    path = write(tmp_path / "s.toml", text)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert caught.value.line == 2 and "wrong type" in str(caught.value)


def test_inconsistent_pair_points_at_the_field_it_names(tmp_path):
    path = write(tmp_path / "s.toml", "[groups]\ngroup_min_size = 12\ngroup_max_size = 8\n")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert caught.value.field in ("groups.group_max_size", "groups.group_min_size")
    assert caught.value.line in (2, 3)


def test_extends_that_is_not_a_string_is_refused(tmp_path):
    path = write(tmp_path / "s.toml", "extends = 3\n")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert caught.value.field == "extends" and caught.value.line == 1


def test_self_extension_is_a_cycle(tmp_path):
    path = write(tmp_path / "s.toml", 'extends = "s.toml"\n')
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert "cycle" in str(caught.value)
