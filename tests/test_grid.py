"""The village grid connects cells in bulk; it must give exactly Mesa's Moore connections."""

import random

import pytest
from mesa.discrete_space import OrthogonalMooreGrid

from sim.initialisation import VillageGrid


@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (7, 5), (12, 12)])
def test_village_grid_has_mesas_connections(shape):
    ours = VillageGrid(shape, random=random.Random(1))
    mesa = OrthogonalMooreGrid(shape, random=random.Random(1))
    for coordinate, cell in mesa._cells.items():
        expected = {key: other.coordinate for key, other in cell.connections.items()}
        got = {key: other.coordinate for key, other in ours[coordinate].connections.items()}
        assert got == expected
        assert {c.coordinate for c in ours[coordinate].neighborhood} == {c.coordinate for c in cell.neighborhood}
