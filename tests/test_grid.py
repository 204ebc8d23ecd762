"""The village grid connects cells in bulk; it must give exactly Mesa's Moore connections."""

import random

import pytest
from mesa.discrete_space import OrthogonalMooreGrid

from sim.agents import VillageGrid


@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (7, 5), (12, 12)])
def test_village_grid_has_mesas_connections(shape):
    ours = VillageGrid(shape, random=random.Random(1))
    mesa = OrthogonalMooreGrid(shape, random=random.Random(1))
    for coordinate, cell in mesa._cells.items():
        expected = {key: other.coordinate for key, other in cell.connections.items()}
        got = {key: other.coordinate for key, other in ours[coordinate].connections.items()}
        assert got == expected
        assert {c.coordinate for c in ours[coordinate].neighborhood} == {c.coordinate for c in cell.neighborhood}


def test_one_seed_gives_the_same_village_under_every_strategy():
    """Strategy-dependent draws come after the village, so strategies can be compared on the same villages."""
    from sim import VillageModel

    villages = [
        VillageModel(seed=11, strategy=s, width=20, height=20)
        for s in ("baseline", "area_based", "enterprise_based", "hybrid")
    ]
    first = villages[0]
    for other in villages[1:]:
        for name in ("x", "y", "hamlet", "patron", "income_base", "wealth", "dependency", "awareness", "skills"):
            assert (getattr(other.households, name) == getattr(first.households, name)).all(), name
        assert (other.patrons.openness == first.patrons.openness).all()
        assert [a.cell.coordinate for a in other.patron_agents] == [a.cell.coordinate for a in first.patron_agents]
