"""Where a difference between two strategies comes from: a factorial over their switches, Shapley values.

A strategy preset bundles switches (MODEL.md §5): enterprise-based and hybrid come with
community management, the knowledge manager and the enterprise networks; area-based with
none. To say how much of a difference each switch makes, every combination of the
switches in which two scenarios differ is run (a full factorial, 2^k cells) with paired
replicates: replicate r of every cell has the same village seed and the same plausible
world as replicate r of the comparison. The difference ``v(strategy) - v(against)`` is
then shared out among the switches by Shapley values: a switch's share is its effect
averaged over every order in which the switches could be turned on. Shapley values add
up to the difference exactly; with no interaction each is the switch's own effect. Being
linear in the cell values, they are computed per replicate and bootstrapped over replicates.

Switches grouped because they must go together:

- ``mode`` (who the outside facilitators work with: hamlets, networks or both) is the
  strategy itself;
- ``networks``: the enterprise networks and the bonuses membership brings. An
  enterprise-based or hybrid programme organises through its networks, so they cannot be
  removed from it; for such a mode, "no networks" keeps the networks as places to
  organise and sets their bonuses (``NETWORK_BONUSES``) to zero.
- every other differing parameter (a user's own scenario files) is one factor, ``other``.

Two strategies that both organise through the same networks and differ only in whom the
facilitators organise (enterprise-based against the hybrid) differ in mode alone, yet much
of that difference is what the networks' bonuses bring to the households organised through
them. Such a pair is split in two, in order: ``mode``, the difference with the bonuses
set to zero in both, and ``networks``, what the bonuses add to one beyond what they add to
the other (their reach). The two add up to the difference exactly. Two more cells are run
for it: each strategy without the bonuses.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import stats
from sim.files import write_text

# factor -> the dotted parameters it switches (order: how they are listed)
FACTORS: dict[str, tuple[str, ...]] = {
    "mode": ("programme.strategy",),
    "management": ("programme.project_management",),
    "knowledge_manager": ("programme.knowledge_manager",),
    "networks": ("networks.networks",),
    "internal_facilitators": ("facilitators.internal_facilitators",),
}
OTHER = "other"
NETWORK_MODES = ("enterprise_based", "hybrid")
NETWORK_BONUSES: dict[str, float] = {
    "networks.organic_premium": 0.0,
    "networks.organic_release": 0.0,
    "networks.radio_gain": 0.0,
    "networks.ecotourism_income": 0.0,
    "networks.ecotourism_cohesion": 0.0,
    "networks.paralegal_protection": 0.0,
}
# Prices change no run, so they are never a factor.
IGNORED_GROUPS = ("costs.",)
COLUMNS = ["measure", "strategy", "against", "factor", "contribution", "low", "high"]
INTERACTION = " \u00d7 "
ROUTE = "mode"  # the factor that is whom the facilitators organise (the organising route itself)
MATERIAL = 0.1  # an interaction smaller than this share of the whole difference is not reported


def _other_keys(strategy: dict[str, Any], against: dict[str, Any]) -> list[str]:
    """Differing parameters that no named factor switches (prices left out: they change no run)."""
    owned = {key for keys in FACTORS.values() for key in keys}
    return [
        k
        for k in sorted(set(strategy) | set(against))
        if k not in owned and not k.startswith(IGNORED_GROUPS) and strategy.get(k) != against.get(k)
    ]


def splits_reach(strategy: dict[str, Any], against: dict[str, Any], factors: list[str]) -> bool:
    """Whether a pair differing in mode alone organises through the same networks (split in two, above)."""
    modes = (strategy.get("programme.strategy"), against.get("programme.strategy"))
    networks = strategy.get("networks.networks")
    return (
        factors == ["mode"]
        and all(m in NETWORK_MODES for m in modes)
        and bool(networks)
        and networks == against.get("networks.networks")
    )


def factors_between(strategy: dict[str, Any], against: dict[str, Any]) -> list[str]:
    """The factors in which two resolved parameter sets differ, in ``FACTORS`` order, then ``other``."""
    found = [f for f, keys in FACTORS.items() if any(strategy.get(k) != against.get(k) for k in keys)]
    return found + ([OTHER] if _other_keys(strategy, against) else [])


def cell_values(
    strategy: dict[str, Any], against: dict[str, Any], switched: frozenset[str], reach: bool = False
) -> dict[str, Any]:
    """The explicit values of one cell: ``against`` with the ``switched`` factors set as in ``strategy``.

    Every factor's parameters are written out (switched or not), so no strategy preset
    fills them in behind the cell's back. With ``reach`` (a pair split as above), ``networks``
    unswitched means both strategies' networks without their bonuses.
    """
    values: dict[str, Any] = {}
    for factor, keys in FACTORS.items():
        side = strategy if factor in switched else against
        values.update({k: side[k] for k in keys if k in side})
    side = strategy if OTHER in switched else against
    values.update({k: side[k] for k in _other_keys(strategy, against) if k in side})
    if values.get("programme.strategy") in NETWORK_MODES and not values.get("networks.networks"):
        # the mode organises through networks: keep them as places, without their bonuses
        values["networks.networks"] = strategy.get("networks.networks") or against.get("networks.networks")
        values.update(NETWORK_BONUSES)
    if reach and "networks" not in switched:
        values.update(NETWORK_BONUSES)
    return values


def subsets(factors: list[str]) -> list[frozenset[str]]:
    return [frozenset(c) for n in range(len(factors) + 1) for c in itertools.combinations(factors, n)]


def shapley(values: dict[frozenset[str], np.ndarray], factors: list[str]) -> dict[str, np.ndarray]:
    """Shapley value of each factor from the value of every subset (arrays: one entry per replicate).

    phi_i = sum over S not holding i of |S|! (k - |S| - 1)! / k! * (v(S + i) - v(S)).
    """
    k = len(factors)
    result = {}
    for factor in factors:
        total = 0.0
        for subset in subsets([f for f in factors if f != factor]):
            weight = math.factorial(len(subset)) * math.factorial(k - len(subset) - 1) / math.factorial(k)
            total = total + weight * (values[subset | {factor}] - values[subset])
        result[factor] = total
    return result


def interactions(values: dict[frozenset[str], np.ndarray], factors: list[str]) -> dict[tuple[str, str], np.ndarray]:
    """Two-way interaction of each pair of factors, averaged over the settings of the others."""
    result = {}
    for a, b in itertools.combinations(factors, 2):
        rest = subsets([f for f in factors if f not in (a, b)])
        result[(a, b)] = sum(values[s | {a, b}] - values[s | {a}] - values[s | {b}] + values[s] for s in rest) / len(
            rest
        )
    return result


@dataclass(frozen=True)
class Cell:
    """One cell of one factorial: the pair it belongs to and the factors switched on."""

    strategy: str
    against: str
    switched: frozenset[str]
    values: dict[str, Any]
    reach: bool = False

    @property
    def name(self) -> str:
        """A file stem that names the cell by its content (equal cells of two factorials share it)."""
        digest = hashlib.sha256(json.dumps(self.values, sort_keys=True, default=str).encode()).hexdigest()[:10]
        return f"cell-{digest}"


def plan_cells(arm_params: dict[str, dict[str, Any]], best: str, others: list[str]) -> list[Cell]:
    """Every cell of the factorial of ``best`` against each of ``others``."""
    cells = []
    for other in others:
        strategy, against = arm_params[best], arm_params[other]
        factors = factors_between(strategy, against)
        reach = splits_reach(strategy, against, factors)
        for subset in subsets(factors + ["networks"] if reach else factors):
            cells.append(Cell(best, other, subset, cell_values(strategy, against, subset, reach), reach))
    return cells


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, str)):
        return json.dumps(value)
    return repr(value)


def write_cell(folder: Path, cell: Cell, extends: Path) -> Path:
    """``folder/<cell name>.toml``: the ``against`` scenario file with the cell's values on top."""
    folder.mkdir(parents=True, exist_ok=True)
    by_group: dict[str, list[str]] = {}
    for key, value in sorted(cell.values.items()):
        group, _, name = key.partition(".")
        by_group.setdefault(group, []).append(f"{name} = {_toml_value(value)}")
    switched = ", ".join(sorted(cell.switched)) or "none"
    lines = [
        f"# Factorial cell: {cell.against} with these switches as in {cell.strategy}: {switched}.",
        f"extends = {json.dumps(str(extends))}",
        "",
    ]
    for group, items in by_group.items():
        lines += [f"[{group}]", *items, ""]
    path = folder / f"{cell.name}.toml"
    write_text(path, "\n".join(lines))
    return path


def split_reach(values: dict[frozenset[str], np.ndarray]) -> dict[str, np.ndarray]:
    """A reach pair's two parts: mode without the bonuses, and what the bonuses add beyond (see above)."""
    empty, mode, both = frozenset(), frozenset({"mode"}), frozenset({"mode", "networks"})
    without = values[mode] - values[empty]
    return {"mode": without, "networks": values[both] - values[frozenset({"networks"})] - without}


def decompose(
    per_cell: dict[frozenset[str], pd.Series],
    factors: list[str],
    seed: int,
    key: tuple[int, ...],
    clear,
    reach: bool = False,
) -> list[dict[str, Any]]:
    """Shapley rows, and the interactions that matter, for one measure and pair.

    ``per_cell``: the measure per replicate (index) in each cell; a replicate missing or
    undefined in any cell is dropped. ``clear(low, high)`` says whether an interval, as shown,
    excludes zero. An interaction matters when it is clear and at least ``MATERIAL`` of the
    whole difference.
    """
    frame = pd.DataFrame({s: v for s, v in per_cell.items()}).dropna()
    if len(frame) == 0:
        return []
    values = {s: frame[s].to_numpy(dtype=float) for s in per_cell}
    rows = []
    parts = split_reach(values) if reach else shapley(values, factors)
    for i, (factor, contribution) in enumerate(parts.items()):
        e = stats.mean_interval(contribution, stats.generator(seed, 3, *key, i))
        rows.append({"factor": factor, "contribution": e.value, "low": e.low, "high": e.high})
    if reach:
        return rows
    total = abs(sum(r["contribution"] for r in rows))
    for j, ((a, b), effect) in enumerate(interactions(values, factors).items()):
        e = stats.mean_interval(effect, stats.generator(seed, 4, *key, j))
        if math.isfinite(e.low) and clear(e.low, e.high) and abs(e.value) >= MATERIAL * total:
            rows.append({"factor": f"{a}{INTERACTION}{b}", "contribution": e.value, "low": e.low, "high": e.high})
    return rows


def _cells_of(record: dict[str, Any]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for cell in record["cells"]:
        pairs.setdefault((cell["strategy"], cell["against"]), []).append(cell)
    return pairs


def _per_cell(
    members: list[dict[str, Any]], main: pd.DataFrame, cells: pd.DataFrame | None, replicates: int, measure: str
) -> dict[frozenset[str], pd.Series] | None:
    """The measure per replicate in each cell of one pair's factorial; None where a cell has no runs."""
    per_cell = {}
    for cell in members:
        source = (
            main[main["arm"] == cell["comparison_arm"]]
            if cell["comparison_arm"]
            else cells[cells["arm"] == cell["name"]]
            if cells is not None
            else main.iloc[0:0]
        )
        source = source[source["replicate"] < replicates]
        if measure not in source or source.empty:
            return None
        per_cell[frozenset(cell["switched"])] = source.set_index("replicate")[measure]
    return per_cell


def level_field(
    record: dict[str, Any], main: pd.DataFrame, cells: pd.DataFrame | None, measure: str, seed: int
) -> pd.DataFrame:
    """Each pair compared on a level field: ``against`` with only the strategy's own factor (the one
    that switches ``programme.strategy``) set as in ``strategy``, every other switch as in ``against``,
    minus ``against`` itself; read from the factorial's cells, paired by replicate."""
    route = next(f for f, keys in FACTORS.items() if "programme.strategy" in keys)
    rows = []
    for p, ((strategy, against), members) in enumerate(_cells_of(record).items()):
        if not any(set(c["switched"]) == {route} for c in members):
            continue
        per_cell = _per_cell(members, main, cells, int(record["replicates"]), measure)
        if per_cell is None:
            continue
        both = pd.DataFrame({"alone": per_cell[frozenset({route})], "none": per_cell[frozenset()]}).dropna()
        e = stats.paired_difference_interval(both["alone"], both["none"], stats.generator(seed, 6, p))
        rows.append(
            {"strategy": strategy, "against": against, "difference": e.value, "low": e.low, "high": e.high, "n": e.n}
        )
    return pd.DataFrame(rows, columns=["strategy", "against", "difference", "low", "high", "n"])


def analyse(
    record: dict[str, Any],
    main: pd.DataFrame,
    cells: pd.DataFrame | None,
    measures: list[str],
    kinds: dict[str, str],
    seed: int,
    clear,
) -> pd.DataFrame:
    """``decomposition.csv``'s rows from the plan record, the comparison's per-run outcomes and the cells'.

    A cell that equals one of the comparison's strategies was not run again: its values are
    that strategy's first ``replicates`` replicates (the same seeds and worlds).
    """
    replicates = int(record["replicates"])
    order = [*FACTORS, OTHER]
    rows = []
    for p, ((strategy, against), members) in enumerate(_cells_of(record).items()):
        factors = sorted({f for c in members for f in c["switched"]}, key=order.index)
        for m, measure in enumerate(measures):
            per_cell = _per_cell(members, main, cells, replicates, measure)
            if per_cell is not None:
                reach = any(c.get("reach", False) for c in members)
                for row in decompose(
                    per_cell, factors, seed, (p, m), lambda lo, hi, kind=kinds[measure]: clear(lo, hi, kind), reach
                ):
                    rows.append({"measure": measure, "strategy": strategy, "against": against, **row})
    return pd.DataFrame(rows, columns=COLUMNS)


__all__ = [
    "COLUMNS",
    "FACTORS",
    "NETWORK_BONUSES",
    "Cell",
    "analyse",
    "cell_values",
    "decompose",
    "factors_between",
    "interactions",
    "level_field",
    "plan_cells",
    "shapley",
    "split_reach",
    "splits_reach",
    "subsets",
    "write_cell",
]
