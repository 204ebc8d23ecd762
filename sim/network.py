"""The patron-client and group-membership network of a village at one month, as a graph.

Seed 002 asks organisers to trace who depends on whom before they organise; this module
turns the model's state into that map, for NetworkX or Gephi. Nodes are households,
patrons and the KSM groups not dissolved; directed edges run client -> patron (every
household has one patron) and member -> group. Everything is written as GraphML, whose
typed attributes both tools read.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import numpy as np

from sim.errors import InputError
from sim.extraction import effective_extraction
from sim.files import write_atomic
from sim.params import NETWORKS
from sim.state import GroupStage, OrganisingStage


def household_node(label: str) -> str:
    return f"household:{label}"


def patron_node(label: str) -> str:
    return f"patron:{label}"


def group_node(index: int) -> str:
    return f"group:{index + 1}"


def labels(model) -> tuple[list[str], list[str], list[str]]:
    """Household labels, patron labels and hamlet names: the survey's where the village came from one."""
    survey, p = model.survey, model.p
    if survey is not None:
        return list(survey.household_id), list(survey.patron_id), list(survey.hamlet_names)
    hamlets = [str(h + 1) for h in range(p.n_hamlets)]
    return [str(i) for i in range(len(model.households))], [str(j) for j in range(len(model.patrons))], hamlets


def network_graph(model) -> nx.DiGraph:
    """The network at the model's current month (attributes in docs/survey.md, 'The network')."""
    p, h, pt, g = model.p, model.households, model.patrons, model.groups
    homes, lenders, hamlets = labels(model)
    graph = nx.DiGraph(
        month=int(model.month),
        strategy=p.strategy,
        village=str(model.survey.households_file) if model.survey is not None else "random",
    )
    hamlet_stage = model.places.stage[: p.n_hamlets]
    live = np.nonzero(g.stage[: g.n] != GroupStage.DISSOLVED)[0]
    for i in range(len(h)):
        k = int(h.group[i])
        graph.add_node(
            household_node(homes[i]),
            kind="household",
            label=homes[i],
            hamlet=int(h.hamlet[i]) + 1,
            hamlet_name=hamlets[h.hamlet[i]],
            x=int(h.x[i]),
            y=int(h.y[i]),
            stage=OrganisingStage(int(hamlet_stage[h.hamlet[i]])).name.lower(),
            group=group_node(k) if k >= 0 else "",
            network=NETWORKS[h.network[i]] if h.network[i] >= 0 else "",
            wealth=float(h.wealth[i]),
            income=float(h.income[i]),
            debt=float(h.debt[i]),
            group_debt=float(h.group_debt[i]),
            dependency=float(h.dependency[i]),
            awareness=float(h.awareness[i]),
            skills=float(h.skills[i]),
            trust=float(h.trust[i]),
            self_reliance=float(h.self_reliance[i]),
            self_reliant=bool(h.self_reliance[i] >= p.self_reliance_threshold),
        )
    extraction = effective_extraction(model)
    clients = np.bincount(h.patron, minlength=len(pt))
    for j, agent in enumerate(model.patron_agents):
        x, y = agent.cell.coordinate
        graph.add_node(
            patron_node(lenders[j]),
            kind="patron",
            label=lenders[j],
            patron_kind=agent.kind,
            hamlet=int(pt.hamlet[j]) + 1,
            hamlet_name=hamlets[pt.hamlet[j]],
            x=int(x),
            y=int(y),
            capital=float(pt.capital[j]),
            extraction=float(extraction[j]),
            extraction_base=float(pt.extraction_base[j]),
            interest=float(pt.interest[j]),
            openness=float(pt.openness[j]),
            cooperative=bool(pt.openness[j] >= p.cooperative_openness),
            clients=int(clients[j]),
            rent=float(pt.rent[j]),
        )
    members = np.bincount(h.group[h.group >= 0], minlength=g.n)
    for k in live:
        place = int(g.place[k])
        graph.add_node(
            group_node(k),
            kind="group",
            label=f"KSM {k + 1}",
            hamlet=place + 1 if 0 <= place < p.n_hamlets else 0,
            hamlet_name=hamlets[place] if 0 <= place < p.n_hamlets else "",
            place=model.place_names[place] if place >= 0 else "",
            stage=GroupStage(int(g.stage[k])).name.lower(),
            network=NETWORKS[g.network[k]] if g.network[k] >= 0 else "",
            members=int(members[k]),
            cohesion=float(g.cohesion[k]),
            management=float(g.management[k]),
            fund=float(g.fund[k]),
            support=float(g.support[k]),
            market_access=float(g.market_access[k]),
            founded=int(g.founded[k]),
            internal_facilitator=bool(g.internal[k]),
        )
    for i in range(len(h)):
        graph.add_edge(
            household_node(homes[i]),
            patron_node(lenders[h.patron[i]]),
            relation="client",
            debt=float(h.debt[i]),
            dependency=float(h.dependency[i]),
        )
        if h.group[i] >= 0:
            graph.add_edge(
                household_node(homes[i]),
                group_node(int(h.group[i])),
                relation="member",
                group_debt=float(h.group_debt[i]),
            )
    return graph


def write_graphml(graph: nx.DiGraph, path: str | Path) -> Path:
    """GraphML written under a temporary name and renamed, so a failure never leaves half a file."""
    return write_atomic(path, lambda temporary: nx.write_graphml(graph, temporary))


def write_network(model, path: str | Path) -> Path:
    """The network at the model's current month as GraphML."""
    return write_graphml(network_graph(model), path)


def network_path(out_dir: str | Path, month: int) -> Path:
    return Path(out_dir) / f"network_month_{month:03d}.graphml"


def check_months(model, months: Iterable[int], field: str = "months") -> list[int]:
    """Sorted distinct months between the model's current month and its horizon."""
    wanted = sorted({int(m) for m in months})
    for month in wanted:
        if not model.month <= month <= model.p.months:
            raise InputError(
                f"month {month} is outside the run; allowed: {model.month} to {model.p.months} (village.months)",
                field=field,
            )
    return wanted


class NetworkRecorder:
    """Writes the network at chosen months; call it once after building the model and after each step.

    Any run loop can carry it (``recorder(model)`` next to ``model.step()``), so recording
    does not change the run: it only reads the state.
    """

    def __init__(self, model, months: Iterable[int], out_dir: str | Path) -> None:
        self.months = set(check_months(model, months))
        self.out_dir = Path(out_dir)
        self.written: list[Path] = []

    def __call__(self, model) -> Path | None:
        if model.month not in self.months:
            return None
        path = write_network(model, network_path(self.out_dir, model.month))
        self.written.append(path)
        return path


def record_networks(model, months: Iterable[int], out_dir: str | Path) -> list[Path]:
    """Step the model on to the last of ``months``, writing ``network_month_NNN.graphml`` at each."""
    recorder = NetworkRecorder(model, months, out_dir)
    last = max(recorder.months, default=model.month)
    recorder(model)
    while model.month < last:
        model.step()
        recorder(model)
    return recorder.written


__all__ = ["NetworkRecorder", "network_graph", "network_path", "record_networks", "write_graphml", "write_network"]
