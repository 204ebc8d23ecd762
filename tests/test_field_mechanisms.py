"""Issue 25's mechanisms, read from model state: rapid against staged mobilisation, patrons who
answer the threat of an alternative lender, and groups that start without a programme."""

from __future__ import annotations

import numpy as np

from sim import VillageModel
from sim.group_formation import BY_THEMSELVES, joining_awareness
from sim.params import make_params
from sim.state import ACTION, DISSOLVED, IMMERSION, INVESTIGATION

SMALL = {"width": 20, "height": 20, "burn_in_months": 12}


def stages_by_month(mobilisation: str, months: int) -> np.ndarray:
    """The hamlets' organising stages at the end of each month of an area-based run."""
    model = VillageModel(seed=5, strategy="area_based", mobilisation=mobilisation, months=months, **SMALL)
    seen = []
    while model.running:
        model.step()
        seen.append(model.places.stage[: model.p.n_hamlets].copy())
    return np.array(seen)


def test_rapid_mobilisation_forms_groups_months_before_the_staged_stages():
    """With 4 facilitators on 4 hamlets every hamlet gains a facilitator-month a month: staged reaches
    the action stage (groups may form) after 3 stages of 3 months, rapid after rapid_formation_months,
    with animation (investigation) from its second month. Catches: a rapid design that is the staged
    one, or one that skips the animation alongside (facilitation, organising_stage)."""
    p = make_params()
    staged, rapid = stages_by_month("staged", 12), stages_by_month("rapid", 12)
    action_staged = int(np.argmax((staged >= ACTION).all(axis=1))) + 1
    action_rapid = int(np.argmax((rapid >= ACTION).all(axis=1))) + 1
    assert action_staged == 3 * p.stage_months
    assert action_rapid == p.rapid_formation_months
    assert (rapid[1] == INVESTIGATION).all() and (staged[1] == IMMERSION).all()


def test_rapid_mobilisation_lowers_the_awareness_to_join_only_where_it_forms_groups():
    """The joining threshold per place: rapid_join_awareness on places a rapid programme brought to
    the action stage, join_awareness elsewhere and under staged mobilisation."""
    stage = np.array([ACTION, INVESTIGATION, ACTION + 1])
    none = np.zeros(3, dtype=bool)
    rapid = joining_awareness(stage, none, make_params(mobilisation="rapid"))
    staged = joining_awareness(stage, none, make_params(mobilisation="staged"))
    p = make_params()
    assert list(rapid) == [p.rapid_join_awareness, p.join_awareness, p.rapid_join_awareness]
    assert list(staged) == [p.join_awareness] * 3


def test_patrons_cut_their_rate_for_a_programme_that_arrives_before_any_client_joins():
    """In month 2 of an area-based run facilitators work every hamlet and no household is yet in a
    group (none starts on its own here): every patron's rate is interest_base (1 - contestability); with contestability 0 it is the
    base rate. Catches: rates that answer only realised membership (credit, threat)."""
    for contestability in (0.2, 0.0):
        model = VillageModel(
            seed=2, strategy="area_based", contestability=contestability, spontaneous_founding=0.0, months=2, **SMALL
        )
        model.step()
        model.step()
        pt = model.patrons
        assert (model.households.group < 0).all()
        np.testing.assert_allclose(pt.interest, pt.interest_base * (1.0 - contestability))


def test_a_village_without_a_programme_starts_groups_on_its_own():
    """No programme, prompts frequent: groups founded by households on their own appear, with
    members, and some later dissolve (no facilitator keeps them). Catches: a prompt that opens
    no place, an initiative that never gathers enough joiners (group formation)."""
    model = VillageModel(seed=3, strategy="baseline", spontaneous_founding=0.05, months=120, **SMALL)
    model.run_model()
    g = model.groups
    assert g.n > 0 and (g.organised_by[: g.n] == BY_THEMSELVES).all()
    assert model.timeseries().in_group_share.max() > 0
    assert (g.stage[: g.n] == DISSOLVED).any()


def test_groups_a_rapid_programme_formed_hold_less_cohesion():
    """Two runs equal but for rapid_cohesion_cost (0.1 against 0): in the first month a group lives,
    each group the programme formed has its cohesion lower by cohesion_rate x 0.1 (its target is lower
    by the cost); under staged mobilisation the cost changes nothing. Catches: a rapid design with no
    cost in the groups it forms (group_life, rushed_cost)."""

    def first_groups(**values):
        model = VillageModel(seed=4, strategy="area_based", spontaneous_founding=0.0, months=24, **SMALL, **values)
        while model.groups.n == 0:
            model.step()
        g = model.groups
        return g.cohesion[: g.n].copy(), g.organised_by[: g.n].copy()

    costly, organised_by = first_groups(rapid_cohesion_cost=0.1)
    free, _ = first_groups(rapid_cohesion_cost=0.0)
    p = make_params()
    assert (organised_by == 0).all()
    np.testing.assert_allclose(free - costly, p.cohesion_rate * 0.1)
    staged_costly, _ = first_groups(mobilisation="staged", rapid_cohesion_cost=0.1)
    staged_free, _ = first_groups(mobilisation="staged", rapid_cohesion_cost=0.0)
    np.testing.assert_array_equal(staged_costly, staged_free)
