"""The cost table prices what a run used: here the community radio's running cost."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.costs import costs, radio_months

NETWORKED = {
    "facilitators.n_facilitators": 2,
    "programme.strategy": "enterprise_based",
    "networks.networks": ["community_radio", "paralegal"],
    "programme.programme_months": 60,
    "village.months": 120,
}


@pytest.mark.parametrize(
    ("change", "months"),
    [
        ({}, 60),
        ({"programme.strategy": "hybrid"}, 60),
        ({"village.months": 36}, 36),
        ({"networks.networks": ["paralegal"]}, 0),
        ({"programme.strategy": "area_based"}, 0),
        ({"facilitators.n_facilitators": 0}, 0),
    ],
)
def test_the_programme_pays_the_radio_for_its_months_wherever_a_strategy_runs_one(change, months):
    assert radio_months({**NETWORKED, **change}) == months


def test_the_radio_month_price_adds_to_the_programme_cost():
    """Two arms alike but for the radio's price: their costs differ by price x months.
    Catches: a radio priced nowhere, or priced for the wrong months."""
    runs = pd.DataFrame(
        {"run_id": [1, 2], "n_households": [100, 100], "modules_written": [0.0, 0.0], "stimulant_paid": [0.0, 0.0]}
    )
    monthly = pd.DataFrame({"run_id": [1, 2], "month": [1, 1], "internal_facilitators": [0, 0]})
    table = pd.DataFrame(
        {
            "run_id": [1, 2],
            "arm": ["a", "b"],
            "facilitator_months_total": [0.0, 0.0],
            "self_reliant_share_horizon": [0.1, 0.1],
        }
    )
    arms = {"a": {**NETWORKED, "costs.radio_month_rp": 0.0}, "b": {**NETWORKED, "costs.radio_month_rp": 1_000_000.0}}
    cost = costs(runs, monthly, table, arms)["programme_cost_rp"].to_numpy()
    assert cost[1] - cost[0] == pytest.approx(60 * 1_000_000.0)
