"""The village's Mesa agents: small views a student can read.

The model keeps every state variable in arrays (``sim/state.py``); each agent here reads
and writes its own row, so ``household.awareness`` or ``group.cohesion`` work as in any
Mesa model while the monthly processes run over whole arrays at once.
"""

from __future__ import annotations

from mesa import Agent
from mesa.discrete_space import CellAgent, FixedAgent

from sim.params import NETWORKS
from sim.state import GROUP, HOUSEHOLD, PATRON, GroupStage, OrganisingStage, State


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


    def __init__(self, model, index: int, cell, kind: str) -> None:
        super().__init__(model)
        self.index = index
        self.cell = cell
        self.kind = kind

    @property
    def extraction(self) -> float:
        """Openness lowers extraction: e = e0 x (1 - effect x openness)."""
        return self.extraction_base * (1 - self.model.p.openness_extraction_effect * self.openness)

    @property
    def cooperative(self) -> bool:
        return self.openness >= self.model.p.cooperative_openness

    @property
    def clients(self) -> list[Household]:
        idx = (self.model.households.patron == self.index).nonzero()[0]
        return [self.model.household_agents[i] for i in idx]


class Facilitator(CellAgent):
    """A community facilitator (*pendamping*, seed 001), external (NGO) or internal.

    Its effort goes to the three roles of seed 001 (consultant, facilitator, trainer)
    plus networking with leaders and patrons (seed 002), on its beat: hamlets
    (area-based), enterprise networks (enterprise-based) or both (hybrid); ``beat`` is the
    place it mostly works, ``weights`` its share of effort on every place. An internal facilitator
    grows from a mature group and stays when the outside ones leave.
    """

    def __init__(
        self, model, beat: int, capacity: int, internal: bool = False, home_group: int = -1, weights=None
    ) -> None:
        super().__init__(model)
        self.beat = beat
        self.weights = weights  # share of effort on each place (external facilitators)
        self.capacity = capacity
        self.internal = internal
        self.home_group = home_group
        self.effort = 1.0
        self.in_field = True
        self.months_worked = 0.0

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
