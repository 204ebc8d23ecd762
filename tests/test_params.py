"""The parameter schema: bad input is refused with a clear message, presets, overrides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from sim import Params, VillageModel
from sim.params import (
    NETWORKS,
    STRATEGIES,
    STRATEGY_PRESETS,
    bounds,
    dotted,
    explain,
    make_params,
    numeric_parameters,
    suggest,
    table,
)

SMALL = {"width": 20, "height": 20}


@pytest.mark.parametrize(
    ("given", "closest"),
    [({"widht": 20}, "width"), ({"shock_rte": 0.1}, "shock_rate"), ({"n_facilitator": 2}, "n_facilitators")],
)
def test_unknown_keyword_suggests_the_closest_name(given, closest):
    with pytest.raises(ValueError, match=rf"unknown parameter '{next(iter(given))}'; did you mean '{closest}'\?"):
        VillageModel(seed=1, **given)


def test_unknown_dotted_name_suggests_the_dotted_name():
    with pytest.raises(ValueError, match=r"'village\.widht'; did you mean 'village\.width'\?"):
        VillageModel({"village.widht": 20}, seed=1)
    with pytest.raises(ValueError, match=r"unknown parameter 'patrons\.width'; did you mean '(village\.)?width'\?"):
        VillageModel({"patrons.width": 20}, seed=1)
    assert suggest("village.shock_rte") == "village.shock_rate"


def test_unknown_name_given_to_params_is_refused_and_explained():
    with pytest.raises(ValidationError) as error:
        Params(widht=20)
    assert explain(error.value) == "unknown parameter 'widht'; did you mean 'width'?"


@pytest.mark.parametrize(
    ("name", "value", "bound"),
    [
        ("density", 1.5, "less than or equal to 1"),
        ("capacity", -3, "greater than or equal to 1"),
        ("shock_rate", 0.25, "less than or equal to 0.2"),
        ("months", 0, "greater than or equal to 1"),
    ],
)
def test_out_of_range_names_parameter_value_and_range(name, value, bound):
    """pydantic's ValueError names the parameter, the value and the bound broken;
    explain() (what the command line prints) adds the whole allowed range."""
    with pytest.raises(ValueError) as error:
        VillageModel(seed=1, **{name: value})
    assert isinstance(error.value, ValidationError)
    text = str(error.value)
    assert name in text and f"input_value={value!r}" in text and bound in text
    lo, hi = bounds(name)
    kind = "an integer" if isinstance(value, int) else "a number"
    assert explain(error.value) == (
        f"{dotted(name)} = {value!r}: Input should be {bound}; allowed: {kind} in [{lo:g}, {hi:g}]"
    )


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        ("width", "wide", "an integer in [5, 1500]"),
        ("width", 20.5, "an integer in [5, 1500]"),
        ("strategy", "top_down", "one of baseline, area_based, enterprise_based, hybrid"),
        ("exit_mode", "gradual", "one of phased, abrupt, none"),
        ("mobilisation", "fast", "one of staged, rapid"),
        ("networks", ["radio"], "a list drawn from organic_market, community_radio, ecotourism, paralegal"),
        ("patron_engagement", "maybe", "true or false"),
    ],
)
def test_wrong_type_names_parameter_value_and_what_is_allowed(name, value, allowed):
    with pytest.raises(ValueError) as error:
        VillageModel(seed=1, **{name: value})
    assert isinstance(error.value, ValidationError)
    assert name in str(error.value)
    shown = value[0] if isinstance(value, list) else value
    message = explain(error.value)
    assert message.startswith(f"{dotted(name)} = {shown!r}: ")
    assert message.endswith(f"allowed: {allowed}")


def test_no_value_is_silently_clamped():
    for name in numeric_parameters():
        lo, hi = bounds(name)
        integer = Params.model_fields[name].annotation is int
        for outside in (lo - 1 if lo is not None else None, hi + (1 if integer else 0.5) if hi is not None else None):
            if outside is None:
                continue
            with pytest.raises(ValidationError):
                Params(**{name: outside})


@pytest.mark.parametrize(
    ("given", "fragment"),
    [
        ({"group_min_size": 15, "group_max_size": 12}, "group_max_size (12) must be at least group_min_size (15)"),
        ({"strategy": "enterprise_based", "networks": []}, "networks must name at least one"),
        ({"networks": ["paralegal", "paralegal"]}, "networks lists a network twice"),
        ({"width": 5, "height": 5, "density": 0.1, "n_hamlets": 4}, "too few for 4 hamlets"),
        ({"width": 6, "n_hamlets": 8}, "n_hamlets (8) cannot exceed width (6)"),
    ],
)
def test_inconsistent_parameters_are_refused(given, fragment):
    with pytest.raises(ValueError) as error:
        VillageModel(seed=1, **given)
    assert fragment in str(error.value)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_strategy_preset_fills_the_switches_it_does_not_name(strategy):
    p = Params(strategy=strategy)
    for switch, value in STRATEGY_PRESETS[strategy].items():
        assert getattr(p, switch) == value
    assert p.given() == {"strategy": strategy}


def test_an_explicit_switch_wins_over_the_preset():
    p = Params(strategy="enterprise_based", project_management="ngo", networks=["paralegal"])
    assert p.project_management == "ngo" and p.networks == ["paralegal"]
    assert p.knowledge_manager is STRATEGY_PRESETS["enterprise_based"]["knowledge_manager"]
    model = VillageModel(seed=1, strategy="hybrid", knowledge_manager=False, **SMALL)
    assert model.p.knowledge_manager is False
    assert model.p.networks == list(NETWORKS) and model.p.project_management == "community"


def test_changing_the_strategy_reapplies_its_preset_but_keeps_given_switches():
    base = Params(strategy="hybrid", exit_mode="abrupt")
    moved = make_params(base, strategy="area_based")
    assert moved.networks == [] and moved.project_management == "ngo" and moved.exit_mode == "abrupt"
    kept = make_params(Params(strategy="hybrid", networks=["ecotourism"]), strategy="enterprise_based")
    assert kept.networks == ["ecotourism"] and kept.knowledge_manager is True


def test_keyword_overrides_build_the_village():
    model = VillageModel(seed=1, strategy="hybrid", width=30, height=24)
    assert (model.p.strategy, model.p.width, model.p.height) == ("hybrid", 30, 24)
    assert model.grid.width == 30 and model.grid.height == 24
    assert model.n_households == round(30 * 24 * model.p.density) == len(model.household_agents)
    assert model.households.x.max() < 30 and model.households.y.max() < 24


def test_dict_params_with_dotted_names_and_overrides_on_top():
    model = VillageModel({"village.width": 22, "height": 21, "programme.exit_mode": "none"}, seed=2, height=26)
    assert (model.p.width, model.p.height, model.p.exit_mode) == (22, 26, "none")
    same = VillageModel(Params(width=22, height=26, exit_mode="none"), seed=2)
    same.run_model()
    model.run_model()
    assert model.timeseries().equals(same.timeseries())


def test_params_object_and_overrides_do_not_mutate_the_given_object():
    p = Params(width=20, height=20, capacity=10)
    model = VillageModel(p, seed=3, capacity=40)
    assert model.p.capacity == 40 and p.capacity == 10


def test_every_parameter_has_group_unit_description_and_range():
    rows = {row["name"]: row for row in table()}
    assert len(rows) == len(Params.model_fields)
    for name, field in Params.model_fields.items():
        assert dotted(name) in rows
        assert field.description and field.json_schema_extra["unit"]
        if name in numeric_parameters():
            lo, hi = bounds(name)
            assert lo is not None and hi is not None and lo <= field.default <= hi, name


def test_assignment_is_validated():
    p = Params()
    with pytest.raises(ValidationError):
        p.density = 3.0
    assert p.density == Params.model_fields["density"].default


def test_defaults_named_in_the_odd_are_the_schemas():
    """docs/ODD.md names key defaults as `name` [value] in prose and `# name = value` in
    formulas; each must be the schema's default (the generated table aside)."""
    text = (Path(__file__).parents[1] / "docs" / "ODD.md").read_text(encoding="utf-8")
    prose = text.split("<!-- params:start -->")[0]
    named = re.findall(r"`([a-z_]+)`\s*\[([^\]\s/]+)", prose)
    for comment in re.findall(r"# ([a-z_]+ = [^\n]+)", prose):
        named += re.findall(r"([a-z_]+) = ([0-9.]+|true|false)", comment)
    checked = 0
    for name, value in named:
        if name not in Params.model_fields:
            continue
        default = Params.model_fields[name].default
        if isinstance(default, bool):
            assert value == str(default).lower(), name
        else:
            assert float(value) == pytest.approx(default), f"docs/ODD.md says {name} = {value}, the schema {default}"
        checked += 1
    assert checked >= 40


def test_every_effect_parameter_says_how_it_is_known():
    """Field and calibrated values name a source; an assumed one has a plausible range strictly
    inside its allowed range that holds its default, and a reason."""
    from sim.params import EVIDENCE, bounds, evidence, numeric_parameters

    prices = {n for n, f in Params.model_fields.items() if f.json_schema_extra["group"] == "costs"}
    numeric = set(numeric_parameters()) | prices
    for name in sorted(numeric):
        mark = evidence(name)
        assert mark["evidence"] in EVIDENCE, name
        if mark["evidence"] == "design":
            assert mark["plausible"] is None, name
            continue
        assert mark["source"].strip(), f"{name} ({mark['evidence']}) names no source"
        if mark["evidence"] != "assumed":
            assert mark["plausible"] is None, name
            continue
        lo, hi = mark["plausible"]
        allowed_lo, allowed_hi = bounds(name)
        default = Params.model_fields[name].default
        assert allowed_lo <= lo <= default <= hi <= allowed_hi, name
        assert lo < hi and (lo, hi) != (allowed_lo, allowed_hi), f"{name}: plausible range no narrower than allowed"
    assert any(evidence(n)["evidence"] == "assumed" for n in numeric)
    assert any(evidence(n)["evidence"] == "calibrated" for n in numeric)
