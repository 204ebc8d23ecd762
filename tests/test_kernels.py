"""Compiled passes that replaced NumPy and SciPy glue (issue 26, item 2) against their definitions, and
the cache that keeps them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.credit import lenders_of
from sim.facilitation import organising_stage_of
from sim.group_life import dissolve
from sim.model import VillageModel
from sim.peer_influence import cells_in_reach
from sim.state import ACTION, DISSOLVED, IMMERSION, INVESTIGATION, ORGANISATION, PLANNING
from sim.sums import total


def brute_reach(x, y, source, reach):
    """The definition: per household, the distinct cells holding a source within Chebyshev distance ``reach``."""
    cells = {(int(x[s]), int(y[s])) for s in source}
    return np.array([sum(max(abs(a - x[i]), abs(b - y[i])) <= reach for a, b in cells) for i in range(len(x))])


@pytest.mark.parametrize(("width", "height", "reach"), [(12, 9, 0), (12, 9, 2), (7, 15, 4), (5, 5, 9), (1, 6, 1)])
def test_radio_reach_counts_the_cells_holding_a_member_within_reach(width, height, reach):
    """Two households may share a cell; a cell counts once however many members it holds, and the
    grid's edge cuts the square (the earlier ``uniform_filter`` padded with zeros)."""
    rng = np.random.default_rng(width * 100 + reach)
    n = 3 * width * height // 2
    x, y = rng.integers(0, width, n), rng.integers(0, height, n)
    source = np.flatnonzero(rng.random(n) < 0.2)
    got = cells_in_reach(x, y, source, width, height, reach)
    assert got.dtype == np.float64
    assert got.tolist() == brute_reach(x, y, source, reach).tolist()
    assert not cells_in_reach(x, y, source[:0], width, height, reach).any()


@pytest.mark.parametrize("strategy", ["baseline", "area_based", "enterprise_based", "hybrid"])
def test_joiners_are_gathered_by_place_then_row_then_column_of_the_places_in_force(strategy):
    """Group formation gathers joiners in ``formation_order`` instead of sorting them each month; the
    order must follow the places in force (hamlets in the burn-in, the strategy's places in the run)."""
    model = VillageModel(seed=3, strategy=strategy, width=20, height=20, months=6)
    h = model.households
    order = model.formation_order
    assert sorted(order.tolist()) == list(range(len(h)))
    key = (h.place[order].astype(np.int64) * model.p.height + h.y[order]) * model.p.width + h.x[order]
    assert (np.diff(key) > 0).all()  # one household per cell: the order is strict


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 15, 16, 127, 128, 129, 255, 256, 257, 960, 4097, 100_003])
def test_compiled_sum_is_numpys_to_the_last_bit(n):
    """A kernel that folds a sum NumPy made must keep NumPy's pairwise order: a left-to-right sum
    differs in the last bit for most lengths from 8 on, and the reference results would move."""
    rng = np.random.default_rng(n)
    values = rng.standard_normal(n) * 10.0 ** rng.uniform(-4, 4, n)
    assert total(values) == np.sum(values)
    assert total(values[::-1].copy()) == np.sum(values[::-1])


def lenders_by_definition(openness, n_hamlets, per_hamlet, n_places, group_place, cooperative):
    """The NumPy formula the kernel replaced (the most open patron of the hamlet, or of the village)."""
    best_in_hamlet = openness.reshape(n_hamlets, per_hamlet).argmax(axis=1) + np.arange(n_hamlets) * per_hamlet
    by_place = np.concatenate([best_in_hamlet, np.full(n_places - n_hamlets, openness.argmax())])
    return np.where(openness[by_place] >= cooperative, by_place, -1)[group_place]


@pytest.mark.parametrize("seed", range(6))
def test_each_group_borrows_from_the_most_open_patron_of_its_hamlet_or_village(seed):
    """Ties (rounded openness) go to the first patron, as ``argmax`` gives them; a network place
    (numbered after the hamlets) borrows from the village's most open patron."""
    rng = np.random.default_rng(seed)
    n_hamlets, per_hamlet, networks = 1 + seed, 1 + seed % 3, seed % 4
    openness = np.round(rng.random(n_hamlets * per_hamlet), 1)
    group_place = rng.integers(0, n_hamlets + networks, 40)
    got = lenders_of(openness, n_hamlets, per_hamlet, n_hamlets + networks, group_place, 0.5)
    expected = lenders_by_definition(openness, n_hamlets, per_hamlet, n_hamlets + networks, group_place, 0.5)
    assert got.tolist() == expected.tolist()
    assert (got >= 0).any() or (openness < 0.5).all()


def stage_by_definition(effort, staged, stage_months, rapid_formation_months):
    """The NumPy formula the kernel replaced."""
    if staged:
        return np.minimum((effort + 1e-9) // stage_months, ORGANISATION).astype(np.int64)
    after = np.maximum(effort + 1e-9 - rapid_formation_months, 0.0)
    formed = np.minimum(ACTION + after // stage_months, ORGANISATION).astype(np.int64)
    return np.where(effort <= 0, IMMERSION, np.where(effort + 1e-9 >= rapid_formation_months, formed, INVESTIGATION))


@pytest.mark.parametrize("staged", [True, False])
def test_organising_stage_follows_accumulated_effort(staged):
    """Staged: one stage per ``stage_months``; rapid: immersion with no effort, investigation until
    ``rapid_formation_months``, then action and, ``stage_months`` later, organisation; never past it.
    Effort a hair under a boundary (accumulated in floating point) counts as reaching it."""
    rng = np.random.default_rng(int(staged))
    effort = np.concatenate([[0.0, 2.9999999999, 3.0, 6.0, 100.0], rng.uniform(0, 20, 500), np.arange(0, 20, 0.5)])
    for stage_months, formation in ((3, 2.0), (6.0, 4.5), (1, 0.5)):
        stage = organising_stage_of(effort, staged, stage_months, formation)
        assert stage.tolist() == stage_by_definition(effort, staged, stage_months, formation).tolist()
    stage = organising_stage_of(effort[:5], staged, 3, 2.0).tolist()
    if staged:
        assert stage == [IMMERSION, INVESTIGATION, INVESTIGATION, PLANNING, ORGANISATION]
    else:
        assert stage == [IMMERSION, ACTION, ACTION, ORGANISATION, ORGANISATION]


def test_a_dissolving_group_settles_repays_its_patron_and_shares_the_rest():
    """Two of three groups dissolve: their members settle their group debt from their wealth (as far
    as it goes), the fund repays the lending patron first, the rest is shared over the members the
    group had; the third group and non-members are untouched."""
    group = np.array([0, 0, 1, 1, 2, -1])
    network = np.array([3, 3, -1, -1, 0, -1])
    wealth = np.array([5.0, 0.5, -1.0, 4.0, 2.0, 9.0])
    group_debt = np.array([1.0, 2.0, 1.0, 0.0, 1.0, 0.0])
    fund = np.array([3.0, 1.0, 8.0])
    size = np.array([2, 2, 1])
    patron_loan = np.array([2.0, 5.0, 1.0])
    lender = np.array([1, 0, 0])
    stage, support, dissolved = np.array([2, 1, 2]), np.ones(3), np.full(3, -1)
    capital = np.zeros(2)
    dissolve(
        np.array([0, 1]),
        group,
        network,
        wealth,
        group_debt,
        fund,
        size,
        patron_loan,
        lender,
        stage,
        support,
        dissolved,
        capital,
        7,
    )
    # Group 0: settles 1 + 0.5 -> fund 4.5, repays 2 to patron 1, shares 2.5 / 2; group 1: settles 0 + 0
    # -> fund 1, repays 1 to patron 0, shares nothing.
    assert capital.tolist() == [1.0, 2.0]
    assert wealth.tolist() == [4.0 + 1.25, 0.0 + 1.25, -1.0, 4.0, 2.0, 9.0]
    assert group.tolist() == [-1, -1, -1, -1, 2, -1]
    assert network.tolist() == [-1, -1, -1, -1, 0, -1]
    assert group_debt.tolist() == [0.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    assert fund.tolist() == [0.0, 0.0, 8.0] and patron_loan.tolist() == [0.0, 0.0, 1.0]
    assert size.tolist() == [0, 0, 1]
    assert stage.tolist() == [DISSOLVED, DISSOLVED, 2] and dissolved.tolist() == [7, 7, -1]
    assert support.tolist() == [0.0, 0.0, 1.0]


def test_the_kernel_cache_follows_every_source_file_of_the_model(tmp_path):
    """numba checks a cached kernel only against its own file: a change in any file of the model
    (a helper another module's kernel calls) must give a fresh cache folder."""
    root = Path(sim.__file__).parent
    for path in root.glob("*.py"):
        shutil.copy(path, tmp_path / path.name)
    before = sim.kernel_cache(tmp_path)
    assert before == sim.kernel_cache(tmp_path) and before.name.startswith("kernels-")
    sums = tmp_path / "sums.py"
    sums.write_text(sums.read_text().replace("return 0.0 + values[0]", "return values[0]"))
    assert sim.kernel_cache(tmp_path) != before


def test_a_users_numba_cache_dir_wins(tmp_path):
    code = "import numba, sim.model; print(numba.config.CACHE_DIR)"
    mine = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert mine.stdout.strip() == str(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    ours = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert Path(ours.stdout.strip()) == sim.kernel_cache(Path(sim.__file__).parent)
