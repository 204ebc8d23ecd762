"""The village's Mesa grid and agents: small views a student can read, built on request.

The model keeps every state variable in arrays (``sim/state.py``) and the arrays alone run
it; each agent here reads and writes its own row, so ``household.awareness`` or
``group.cohesion`` work as in any Mesa model while the monthly processes run over whole
arrays at once. An experiment never reads the agents, so they are built only the first
time something asks for them (``model.agents``, ``model.grid``, the visualizer, the
network export), as Covasim builds a person only on request; building them draws nothing
from ``model.rng``, so a run is the same whether or not they exist.
"""

from __future__ import annotations

from mesa import Agent
from mesa.discrete_space import CellAgent, FixedAgent, OrthogonalMooreGrid

from sim.extraction import extraction_rate
from sim.params import NETWORKS
from sim.state import FACILITATOR, GROUP, HOUSEHOLD, PATRON, GroupStage, OrganisingStage, State

MOORE = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)]


class VillageGrid(OrthogonalMooreGrid):
    """Mesa's Moore grid, connected in bulk.

    Mesa connects cell by cell and clears a neighbourhood cache each time; a new cell
    has no cache, so one dict per cell gives the same connections at a third of the cost.
    """

    def _connect_cells_2d(self) -> None:
        height, width = self.dimensions
        cells = self._cells
        for (i, j), cell in cells.items():
            cell.connections = {
                (di, dj): cells[i + di, j + dj] for di, dj in MOORE if 0 <= i + di < height and 0 <= j + dj < width
            }


class Row:
    """A descriptor: attribute ``name`` of an agent is row ``agent.index`` of a model array."""

    def __init__(self, store: str) -> None:
        self.store = store

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, agent, owner=None):
        if agent is None:
            return self
        return getattr(getattr(agent.model, self.store), self.name)[agent.index].item()

    def __set__(self, agent, value) -> None:
        getattr(getattr(agent.model, self.store), self.name)[agent.index] = value


def views(store: str, states: tuple[State, ...]):
    """Class decorator: every declared state marked ``agent`` becomes a ``Row`` attribute."""

    def decorate(cls):
        for s in states:
            if s.agent:
                row = Row(store)
                row.__set_name__(cls, s.name)
                setattr(cls, s.name, row)
        return cls

    return decorate


@views("households", HOUSEHOLD)
class Household(FixedAgent):
    """A household on its cell, client of one patron, perhaps a member of one KSM."""

    def __init__(self, model, index: int, cell) -> None:
        super().__init__(model)
        self.index = index
        self.cell = cell

    @property
    def patron(self) -> Patron:
        return self.model.patron_agents[self.model.households.patron[self.index]]

    @property
    def group(self) -> KSMGroup | None:
        g = self.model.households.group[self.index]
        return self.model.group_agents[g] if g >= 0 else None

    @property
    def network(self) -> str | None:
        k = self.model.households.network[self.index]
        return NETWORKS[k] if k >= 0 else None

    @property
    def self_reliant(self) -> bool:
        return self.self_reliance >= self.model.p.self_reliance_threshold


@views("patrons", PATRON)
class Patron(FixedAgent):
    """A local elite with clients: landowner, trader, lender or supplier (seed 002).

    ``openness`` runs from resistant (0: pressures clients not to organise) to
    cooperative (1: lowers extraction, lends to groups).
    """

    KINDS = ("landowner", "trader", "lender", "supplier")

    def __init__(self, model, index: int, cell) -> None:
        super().__init__(model)
        self.index = index
        self.cell = cell

    @property
    def kind(self) -> str:
        survey = self.model.survey
        return self.KINDS[self.index % len(self.KINDS)] if survey is None else survey.kind[self.index]

    @property
    def extraction(self) -> float:
        """What it takes of a client's dependent income (``sim.extraction.extraction_rate``)."""
        return float(extraction_rate(self.extraction_base, self.openness, self.model.p.openness_extraction_effect))

    @property
    def cooperative(self) -> bool:
        return self.openness >= self.model.p.cooperative_openness

    @property
    def clients(self) -> list[Household]:
        idx = (self.model.households.patron == self.index).nonzero()[0]
        return [self.model.household_agents[i] for i in idx]


@views("team", FACILITATOR)
class Facilitator(CellAgent):
    """A community facilitator (*pendamping*, seed 001), external (NGO) or internal.

    Its effort goes to the three roles of seed 001 (consultant, facilitator, trainer)
    plus networking with leaders and patrons (seed 002), on its beat: hamlets
    (area-based), enterprise networks (enterprise-based) or both (hybrid); ``beat`` is the
    place it mostly works, ``weights`` its share of effort on every place. An internal facilitator
    grows from a mature group and stays when the outside ones leave. Its state is a row
    of ``model.team``; its cell follows the household it visited last.
    """

    def __init__(self, model, index: int) -> None:
        super().__init__(model)
        self.index = index
        self.follow()

    @property
    def weights(self):
        """Share of effort on each place (outside facilitators; None for an internal one)."""
        w = self.model.beat_weights
        return w[self.index] if self.index < len(w) else None

    def follow(self) -> None:
        """Stand on the cell the arrays say (none before its first visit to an empty beat)."""
        x, y = int(self.model.team.x[self.index]), int(self.model.team.y[self.index])
        cell = self.model.grid[(x, y)] if x >= 0 else None
        if cell is not self.cell:
            self.cell = cell

    @property
    def beat_name(self) -> str:
        return self.model.place_names[self.beat]

    @property
    def stage(self) -> OrganisingStage:
        return OrganisingStage(int(self.model.places.stage[self.beat]))


@views("groups", GROUP)
class KSMGroup(Agent):
    """A self-help group (KSM, *Kelompok Swadaya Masyarakat*, seed 004).

    It pools savings into a fund that lends to members; it is *mandiri* (mature,
    self-reliant) when its own management, fund and members' skills pass thresholds.
    """

    def __init__(self, model, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def stage(self) -> GroupStage:
        return GroupStage(int(self.model.groups.stage[self.index]))

    @property
    def members(self) -> list[Household]:
        idx = (self.model.households.group == self.index).nonzero()[0]
        return [self.model.household_agents[i] for i in idx]

    @property
    def network(self) -> str | None:
        k = self.model.groups.network[self.index]
        return NETWORKS[k] if k >= 0 else None


class EnterpriseNetwork(Agent):
    """An enterprise network (seed 000): organic market, community radio, ecotourism or paralegal."""

    def __init__(self, model, kind: int) -> None:
        super().__init__(model)
        self.kind = kind

    @property
    def name(self) -> str:
        return NETWORKS[self.kind]

    @property
    def members(self) -> list[Household]:
        idx = (self.model.households.network == self.kind).nonzero()[0]
        return [self.model.household_agents[i] for i in idx]


def build_agents(model) -> None:
    """The grid and one view per household, patron, network, group and facilitator (on request)."""
    p, h, pt = model.p, model.households, model.patrons
    grid = VillageGrid((p.width, p.height), torus=False, capacity=None, random=model.random)
    model._views = {"grid": grid, "groups": [], "facilitators": []}
    model._views["households"] = [Household(model, i, grid[(int(x), int(y))]) for i, (x, y) in enumerate(zip(h.x, h.y))]
    model._views["patrons"] = [Patron(model, j, grid[(int(x), int(y))]) for j, (x, y) in enumerate(zip(pt.x, pt.y))]
    model._views["networks"] = [EnterpriseNetwork(model, NETWORKS.index(k)) for k in p.networks]
    sync_agents(model)


def sync_agents(model) -> None:
    """Views for groups founded and facilitators grown since the last call; facilitators follow their rows."""
    views = model._views
    views["groups"].extend(KSMGroup(model, i) for i in range(len(views["groups"]), model.groups.n))
    views["facilitators"].extend(Facilitator(model, i) for i in range(len(views["facilitators"]), model.team.n))
    for facilitator in views["facilitators"]:
        facilitator.follow()
