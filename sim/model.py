"""VillageModel: the Mesa model that owns the state arrays, the schedule and the data.

Each month runs the ten processes of the ODD in order (docs/ODD.md, Process overview);
each is one function over the state arrays, in a module named after its submodel. The
Mesa grid and agents are views onto the arrays, built the first time they are asked for
(``sim/agents.py``): a run in an experiment never builds them.
"""

from __future__ import annotations

import copy
import random
from collections import OrderedDict
from typing import Any

import mesa
import numpy as np
import pandas as pd

from sim.agents import build_agents, sync_agents
from sim.assets import productive_assets
from sim.collect import COLUMNS, INTEGER_COLUMNS, collect, summary
from sim.credit import credit
from sim.exit import exit_and_succession
from sim.extraction import patron_extraction
from sim.facilitation import facilitation
from sim.group_formation import group_formation
from sim.group_life import group_life
from sim.initialisation import initialise_programme, initialise_village
from sim.livelihood import livelihood
from sim.params import Params, burn_in_key, make_params
from sim.peer_influence import peer_influence
from sim.schedule import run_months

# The burned-in villages this process keeps (``VillageModel.burned_in``): runs that share a village
# come one after another (the engine hands out the runs of a replicate together), so a few
# suffice; a large village is not kept, so memory stays that of one run.
CACHED_VILLAGES = 4
CACHED_HOUSEHOLDS = 100_000
_VILLAGES: OrderedDict[tuple, VillageModel] = OrderedDict()


class VillageModel(mesa.Model):
    """A village of households, patrons, facilitators and self-help groups.

    ``VillageModel(params, seed=1)`` or ``VillageModel(seed=1, strategy="hybrid", width=200)``:
    parameters come from the schema in ``sim/params.py`` (bare names here, ``group.name``
    in files); an unknown name or an out-of-range value raises pydantic's ``ValueError``.
    """

    def __init__(self, params: Params | dict[str, Any] | None = None, seed: int | None = None, **overrides: Any):
        super().__init__(seed=seed)
        self.p = make_params(params, **overrides)
        self.month = 0
        self.consumption_poorest40 = float("nan")
        initialise_village(self)
        self._start()

    def _start(self) -> None:
        """The rest of the construction after the village: places, facilitators, month 0."""
        initialise_programme(self)
        self.records = np.full((self.p.months + 1, len(COLUMNS)), np.nan)
        self.usual_income = None  # the village's mean usual income, fixed through a run (sim/collect.py)
        collect(self)
        self.running = self.p.months > 0
        self._burned_in = False

    @classmethod
    def burned_in(cls, params: Params | dict[str, Any] | None, seed: int) -> VillageModel:
        """The drawn village of ``seed`` after its burn-in, not yet started: ``.fork(params)`` starts a run.

        Computed once per seed and parameters the burn-in reads (``BURN_IN_PARAMETERS``) and
        kept in a small cache of this process, so the strategies, factorial cells and sweep
        points of one replicate share it. A surveyed village has no burn-in to share.
        """
        p = make_params(params)
        if p.survey:
            raise ValueError("a surveyed village has no burn-in to share; build it with VillageModel(params, seed)")
        key = (seed, burn_in_key(p))
        village = _VILLAGES.get(key)
        if village is None:
            village = cls.__new__(cls)
            mesa.Model.__init__(village, seed=seed)
            village.p, village.month, village.consumption_poorest40 = p, 0, float("nan")
            initialise_village(village)
            village._burned_in = True
            if len(village.households) <= CACHED_HOUSEHOLDS:
                _VILLAGES[key] = village
                while len(_VILLAGES) > CACHED_VILLAGES:
                    _VILLAGES.popitem(last=False)
        else:
            _VILLAGES.move_to_end(key)
        return village

    @classmethod
    def shared(cls, params: Params | dict[str, Any] | None, seed: int) -> VillageModel:
        """``VillageModel(params, seed=seed)``, forked from the cached burned-in village (a surveyed one built whole)."""
        p = make_params(params)
        return cls(p, seed=seed) if p.survey else cls.burned_in(p, seed).fork(p)

    def fork(self, params: Params | dict[str, Any] | None = None, **overrides: Any) -> VillageModel:
        """A new run from this burned-in village under ``params``, bit-identical to ``VillageModel(params, seed)``.

        Every attribute is copied whole (state arrays, both generators' states, scalars), so state
        added to the model later is forked without naming it here. ``params`` must agree with
        the village on every parameter the burn-in reads.
        """
        if not self._burned_in:
            raise ValueError("only a village from VillageModel.burned_in can be forked, not a started run")
        p = make_params(params, **overrides)
        if burn_in_key(p) != burn_in_key(self.p):
            raise ValueError("these parameters change the burn-in; build this run's own village (burned_in)")
        # Python's Random, deep-copied, is copied a word of its state at a time (650 calls, about
        # 0.3 ms, half the copy); a new Random set to its state is the same generator, not shared.
        twin = random.Random()
        twin.setstate(self.random.getstate())
        model = copy.deepcopy(self, {id(self.p): p, id(self.random): twin})
        model._start()
        return model

    def step(self) -> None:
        self.month = self.steps
        livelihood(self)
        patron_extraction(self)
        productive_assets(self)
        credit(self)
        facilitation(self)
        peer_influence(self)
        group_formation(self)
        group_life(self)
        exit_and_succession(self)
        collect(self)
        if self._views is not None:
            sync_agents(self)
        if self.month >= self.p.months:
            self.running = False

    def run_model(self) -> None:
        """The remaining months: one compiled loop (``sim.schedule.run_months``), bit for bit what ``step``
        does month by month; with the Mesa views built, ``step`` by ``step`` to keep them in step."""
        if self._views is not None:
            super().run_model()
        else:
            run_months(self)

    def _view(self, name: str):
        if self._views is None:
            build_agents(self)
        return self._views[name]

    @property
    def agents(self) -> mesa.agent.AgentSet:
        """Mesa's set of every agent (building the views on first use)."""
        self._view("grid")
        return super().agents

    @property
    def agents_by_type(self) -> dict[type[mesa.Agent], mesa.agent.AgentSet]:
        self._view("grid")
        return super().agents_by_type

    @property
    def agent_types(self) -> list[type]:
        self._view("grid")
        return super().agent_types

    @property
    def grid(self):
        """The Mesa grid (an ``OrthogonalMooreGrid``) with households and patrons on their cells."""
        return self._view("grid")

    @property
    def household_agents(self) -> list:
        return self._view("households")

    @property
    def patron_agents(self) -> list:
        return self._view("patrons")

    @property
    def network_agents(self) -> list:
        return self._view("networks")

    @property
    def group_agents(self) -> list:
        return self._view("groups")

    @property
    def facilitators(self) -> list:
        """Facilitator agents (views onto ``self.team``, the arrays the model runs on)."""
        return self._view("facilitators")

    @property
    def n_households(self) -> int:
        return len(self.households)

    def timeseries(self) -> pd.DataFrame:
        """One row per month collected so far (month 0 is the initial state)."""
        records = self.records[: self.month + 1]
        return pd.DataFrame(
            {
                c: records[:, k].astype(np.int64) if c in INTEGER_COLUMNS else records[:, k]
                for k, c in enumerate(COLUMNS)
            }
        )

    def summary(self) -> dict[str, float]:
        """End-of-run metrics (MODEL.md §6; definitions in docs/ODD.md, Outputs)."""
        return summary(self.records[: self.month + 1], self.p, self.n_households, self.consumption_poorest40)
