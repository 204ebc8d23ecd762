"""Agent state as arrays (Starsim's way): one NumPy array per state variable.

The arrays are the truth; the Mesa agents in ``agents.py`` are small views onto one row.
Each monthly submodel is one function over these arrays.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from enum import IntEnum

import numpy as np


class GroupStage(IntEnum):
    """Life of a KSM: forming -> active -> mature (mandiri), or dissolved."""

    FORMING = 0
    ACTIVE = 1
    MATURE = 2
    DISSOLVED = 3


# "Not yet" for a month stamp. Not -1: the burn-in's months run up to 0, so a group can mature or
# dissolve in month -1 (and the check "matured >= 0" would miss one that matured in the burn-in).
NEVER = int(np.iinfo(np.int64).min)


class OrganisingStage(IntEnum):
    """Hartini's stages of community organising (seed 003) a place goes through.

    Animation (seed 004) runs through investigation and planning; facilitation through
    action and organisation; the exit follows the programme's end.
    """

    IMMERSION = 0
    INVESTIGATION = 1
    PLANNING = 2
    ACTION = 3
    ORGANISATION = 4


@dataclass(frozen=True)
class State:
    """One declared state variable: the single home of its name, type, default, range and meaning.

    The arrays (``Store.declared``), the agents' attributes (``sim/agents.py``) and the
    state tables of docs/ODD.md (``berdaya params --into``) are all built from these.
    """

    name: str
    dtype: type
    default: float | int | bool
    range: str
    unit: str
    label: str
    agent: bool = True  # whether the Mesa view exposes it as an attribute


HOUSEHOLD = (
    State("x", np.int64, 0, "grid", "cell", "column of its cell (fixed)", agent=False),
    State("y", np.int64, 0, "grid", "cell", "row of its cell (fixed)", agent=False),
    State("hamlet", np.int64, 0, "hamlet index", "-", "its hamlet (dusun), a vertical strip of the grid (fixed)"),
    State("patron", np.int64, 0, "patron index", "-", "its patron, one of its hamlet's patrons (fixed)", agent=False),
    State(
        "place",
        np.int64,
        0,
        "place index",
        "-",
        "the place through which the programme organises it: its hamlet, or its enterprise network (fixed once the strategy is known)",
        agent=False,
    ),
    State(
        "network_affinity",
        np.int64,
        -1,
        "network index or -1",
        "-",
        "the enterprise network it would trade through (fixed; -1 where no network exists)",
        agent=False,
    ),
    State("group", np.int64, -1, "group index or -1", "-", "its KSM, or none", agent=False),
    State(
        "network",
        np.int64,
        -1,
        "network index or -1",
        "-",
        "the network of its group (-1 when not in a network group)",
        agent=False,
    ),
    State(
        "waiting",
        bool,
        False,
        "bool",
        "-",
        "registered with its place to found a group, waiting until enough have registered (§7.6)",
        agent=False,
    ),
    State(
        "land",
        float,
        0.0,
        ">= 0",
        "land units (1 = a landholder's mean plot)",
        "land or productive assets it owns (fixed, but may be pawned)",
    ),
    State(
        "pawned",
        float,
        0.0,
        "[0, 1]",
        "share of land",
        "share of its land pawned to its patron after a default (gadai); returns over time",
    ),
    State(
        "income_base",
        float,
        1.0,
        "> 0",
        "months of subsistence / month",
        "income from labour and trade, before season and boosts (fixed)",
    ),
    State("income", float, 1.0, "> 0", "months of subsistence / month", "this month's income, land included"),
    State(
        "consumption",
        float,
        1.0,
        "> 0",
        "months of subsistence / month",
        "what it consumed this month (buffer-stock rule)",
    ),
    State("wealth", float, 0.0, ">= 0 after each month", "months of subsistence", "cash and liquid assets"),
    State("debt", float, 0.0, "[0, default_limit] after each month", "months of subsistence", "debt to its patron"),
    State(
        "patron_borrowed",
        float,
        0.0,
        ">= 0",
        "months of subsistence",
        "what it borrowed from its patron this month (new loans, not interest)",
        agent=False,
    ),
    State("group_debt", float, 0.0, "[0, group_credit_limit]", "months of subsistence", "debt to its group's fund"),
    State(
        "assets",
        float,
        0.0,
        ">= 0",
        "months of subsistence",
        "productive assets that yield (livestock, stock-in-trade, tools, farm inputs), bought from savings or productive loans (§7.10)",
    ),
    State(
        "assets_growing",
        float,
        0.0,
        ">= 0",
        "months of subsistence",
        "productive assets bought but not yet yielding (a calf, a crop in the ground); they join assets after asset_gestation months on average",
    ),
    State(
        "usual_income",
        float,
        0.0,
        "any real",
        "months of subsistence / month",
        "its usual net income this month: no season, no shock, after rent, asset yield net of depreciation (§7.1)",
        agent=False,
    ),
    State(
        "dependency",
        float,
        0.0,
        "[0, 1]",
        "share",
        "share of its livelihood (credit, inputs, sales, land) that runs through its patron",
    ),
    State(
        "dependency_base",
        float,
        0.0,
        "[0, 1]",
        "share",
        "the dependency its position brings when it owes nothing and has no alternative channel (fixed)",
        agent=False,
    ),
    State(
        "awareness",
        float,
        0.0,
        "[0, 1]",
        "share",
        "critical awareness of the patron-client asymmetry and of its own potential",
    ),
    State(
        "awareness_base",
        float,
        0.0,
        "[0, 1]",
        "share",
        "the awareness its own life keeps without organising; what is learned decays towards it (fixed)",
        agent=False,
    ),
    State("skills", float, 0.0, "[0, 1]", "share", "knowledge and technical skill (intellectual self-reliance)"),
    State(
        "skills_base",
        float,
        0.0,
        "[0, 1]",
        "share",
        "the skills its own work keeps without training; training decays towards it (fixed)",
        agent=False,
    ),
    State(
        "management",
        float,
        0.0,
        "[0, 1]",
        "share",
        "the household's own capacity to plan and manage (managerial self-reliance outside a group)",
    ),
    State(
        "management_base",
        float,
        0.0,
        "[0, 1]",
        "share",
        "the managerial capacity it started with; what it learned in a group decays towards it (fixed)",
        agent=False,
    ),
    State("trust", float, 0.0, "[0, 1]", "share", "trust in the outside facilitator (NGO)"),
    State("self_reliance", float, 0.0, "[0, 1]", "index", "derived each month from the three dimensions of seed 004"),
    State(
        "last_contact",
        np.int64,
        -10_000,
        "month",
        "month",
        "last month an external facilitator met it or tended its group (for coverage)",
        agent=False,
    ),
)

PATRON = (
    State("hamlet", np.int64, 0, "hamlet index", "-", "its hamlet (fixed)"),
    State(
        "extraction_base", float, 0.2, "[0, 0.8]", "share of dependent income", "extraction before openness lowers it"
    ),
    State(
        "interest",
        float,
        0.2,
        "[0, 0.5]",
        "per month",
        "the rate it charges this month (falls as its clients find group credit)",
    ),
    State(
        "interest_base",
        float,
        0.2,
        "[0, 0.5]",
        "per month",
        "its rate before competition from group funds (fixed)",
        agent=False,
    ),
    State(
        "openness", float, 0.3, "[0, 1]", "share", "0 resistant (an obstacle) ... 1 cooperative (a driver), seed 002"
    ),
    State(
        "capital",
        float,
        0.0,
        "any real",
        "months of subsistence",
        "an account of what it receives, lends and insures; it constrains nothing",
    ),
    State("rent", float, 0.0, ">= 0", "months of subsistence", "what it took from its clients this month", agent=False),
    State("x", np.int64, 0, "grid", "cell", "column of its cell: a random client's (fixed)", agent=False),
    State("y", np.int64, 0, "grid", "cell", "row of its cell (fixed)", agent=False),
)

GROUP = (
    State("place", np.int64, -1, "place index", "-", "the place it was founded in"),
    State("network", np.int64, -1, "network index or -1", "-", "its enterprise network (network groups)", agent=False),
    State("stage", np.int64, 0, "0-3", "-", "0 forming, 1 active, 2 mature (mandiri), 3 dissolved", agent=False),
    State("size", np.int64, 0, ">= 0", "members", "number of members", agent=False),
    State("cohesion", float, 0.5, "[0, 1]", "share", "starts at 0.5"),
    State("management", float, 0.0, "[0, 1]", "share", "its own management capacity"),
    State("fund", float, 0.0, ">= 0", "months of subsistence", "pooled savings that lend to members"),
    State(
        "patron_loan",
        float,
        0.0,
        ">= 0",
        "months of subsistence",
        "what the fund owes a cooperative patron",
        agent=False,
    ),
    State("lender", np.int64, -1, "patron index or -1", "-", "the patron that last lent to the fund", agent=False),
    State(
        "support",
        float,
        0.0,
        "[0, 1]",
        "share",
        "outside support: 1 while fully facilitated, falling to 0 through the exit",
    ),
    State(
        "market_access",
        float,
        0.0,
        "[0, 1]",
        "share",
        "links to markets and resources built by the facilitator role; fade without upkeep",
    ),
    State(
        "low_months",
        np.int64,
        0,
        ">= 0",
        "months",
        "consecutive months of cohesion below dissolve_cohesion",
        agent=False,
    ),
    State("founded", np.int64, 0, "month", "month", "when it was founded"),
    State("matured", np.int64, NEVER, "month or NEVER", "month", "when it matured", agent=False),
    State("dissolved", np.int64, NEVER, "month or NEVER", "month", "when it dissolved", agent=False),
    State("internal", bool, False, "bool", "-", "whether it has grown an internal facilitator", agent=False),
    State(
        "organised_by",
        np.int64,
        0,
        "0-2",
        "-",
        "who founded it: 0 a facilitator, 1 neighbours copying a working group, 2 aware households on their own",
        agent=False,
    ),
)

FACILITATOR = (
    State(
        "beat",
        np.int64,
        -1,
        "place index",
        "-",
        "the place it mostly works (an outside one's effort is spread by its weights)",
    ),
    State("capacity", np.int64, 0, ">= 0", "contacts / month", "contacts it makes in a month at full effort"),
    State("internal", bool, False, "bool", "-", "grown from a mature group (else from the NGO)"),
    State("home_group", np.int64, -1, "group index or -1", "-", "the group an internal facilitator grew from"),
    State("effort", float, 1.0, "[0, 1]", "share", "its effort this month (tapers in a phased exit)"),
    State("in_field", bool, True, "bool", "-", "whether it works this month"),
    State("months_worked", float, 0.0, ">= 0", "facilitator-months", "effort spent so far"),
    State("x", np.int64, -1, "grid or -1", "cell", "column of the household it visited last", agent=False),
    State("y", np.int64, -1, "grid or -1", "cell", "row of the household it visited last", agent=False),
)


# The declared states as named tuples of arrays, for compiled kernels (``Store.arrays``).
Households = namedtuple("Households", [s.name for s in HOUSEHOLD])
Groups = namedtuple("Groups", [s.name for s in GROUP])
Patrons = namedtuple("Patrons", [s.name for s in PATRON])
Facilitators = namedtuple("Facilitators", [s.name for s in FACILITATOR])
# A place's organising stage, accumulated effort, share worked this month, whether it has an organiser
# this month, and whether it keeps the initiative to found a group on its own (initialisation, ``places``).
Places = namedtuple("Places", "stage effort worked organiser initiative")


def state_table(states: tuple[State, ...]) -> str:
    """A markdown table of declared states, for docs/ODD.md."""
    rows = ["| variable | range | unit | meaning |", "|---|---|---|---|"]
    rows += [f"| `{s.name}` | {s.range} | {s.unit} | {s.label} |" for s in states]
    return "\n".join(rows)


class Store:
    """A set of equal-length arrays registered by name, so they all grow together."""

    def __init__(self, **arrays: np.ndarray) -> None:
        self._names = tuple(arrays)
        for name, array in arrays.items():
            setattr(self, name, array)

    @classmethod
    def declared(cls, states: tuple[State, ...], n: int, **values: np.ndarray) -> Store:
        """Arrays for ``n`` rows of the declared ``states``; ``values`` replace the defaults."""
        unknown = set(values) - {s.name for s in states}
        if unknown:
            raise KeyError(f"undeclared state {sorted(unknown)}")
        arrays = {}
        for s in states:
            given = values.get(s.name)
            arrays[s.name] = np.full(n, s.default, dtype=s.dtype) if given is None else np.asarray(given, dtype=s.dtype)
        return cls(**arrays)

    @property
    def names(self) -> tuple[str, ...]:
        return self._names

    def arrays(self, kind: type) -> tuple:
        """The arrays as the named tuple ``kind`` (``Households``, ``Groups``, ``Patrons``), which a
        compiled kernel reads by name, as Python code reads the store."""
        return kind(*(getattr(self, name) for name in kind._fields))

    def __len__(self) -> int:
        return len(getattr(self, self._names[0]))


class GrowingStore(Store):
    """A store whose rows are added over time (groups): capacity doubles, ``n`` rows are live."""

    def __init__(self, capacity: int, states: tuple[State, ...]) -> None:
        arrays = {s.name: np.full(capacity, s.default, dtype=s.dtype) for s in states}
        super().__init__(**arrays)
        self._fill = {s.name: (s.dtype, s.default) for s in states}
        self.n = 0

    def __len__(self) -> int:
        return self.n

    def add(self, k: int) -> np.ndarray:
        """Reserve ``k`` new rows (filled with defaults) and return their indices."""
        capacity = len(getattr(self, self._names[0]))
        if self.n + k > capacity:
            new_capacity = max(2 * capacity, self.n + k)
            for name in self._names:
                dtype, fill = self._fill[name]
                grown = np.full(new_capacity, fill, dtype=dtype)
                grown[: self.n] = getattr(self, name)[: self.n]
                setattr(self, name, grown)
        rows = np.arange(self.n, self.n + k)
        self.n += k
        return rows

    def live(self, name: str) -> np.ndarray:
        """A view of the rows in use."""
        return getattr(self, name)[: self.n]


# Plain ints for hot paths: IntEnum attribute access costs more than the arithmetic it guards.
FORMING, ACTIVE, MATURE, DISSOLVED = (int(s) for s in GroupStage)
IMMERSION, INVESTIGATION, PLANNING, ACTION, ORGANISATION = (int(s) for s in OrganisingStage)
