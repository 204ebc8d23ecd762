"""The patron-client network export: GraphML that NetworkX reads back as the model's state."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from berdaya.cli import main
from sim import VillageModel
from sim.errors import InputError
from sim.network import NetworkRecorder, network_path, record_networks, write_network
from sim.scenario import load_scenario, resolve_scenario
from sim.state import GroupStage

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "survey_example" / "survey_example.toml"
VILLAGE = {"width": 20, "height": 20, "months": 36, "strategy": "area_based"}


@pytest.fixture(scope="module")
def organised():
    """A small village 30 months into an area-based programme: groups have formed."""
    model = VillageModel(seed=2, **VILLAGE)
    for _ in range(30):
        model.step()
    assert model.groups.n > 0 and (model.households.group >= 0).any()
    return model


def test_graphml_has_the_model_nodes_and_edges(organised, tmp_path):
    model = organised
    h, g = model.households, model.groups
    graph = nx.read_graphml(write_network(model, tmp_path / "village.graphml"))
    live_groups = int((g.stage[: g.n] != GroupStage.DISSOLVED).sum())
    members = int((h.group >= 0).sum())
    assert graph.number_of_nodes() == len(h) + len(model.patrons) + live_groups
    assert graph.number_of_edges() == len(h) + members
    assert Counter(kind for _, kind in graph.nodes(data="kind")) == {
        "household": len(h),
        "patron": len(model.patrons),
        "group": live_groups,
    }
    assert Counter(r for _, _, r in graph.edges(data="relation")) == {"client": len(h), "member": members}
    assert graph.graph["month"] == 30


def test_edges_follow_patrons_and_groups(organised, tmp_path):
    model = organised
    h = model.households
    graph = nx.read_graphml(write_network(model, tmp_path / "village.graphml"))
    for i in range(len(h)):
        ties = {
            graph.nodes[target]["kind"]: (target, data)
            for _, target, data in graph.out_edges(f"household:{i}", data=True)
        }
        patron, client = ties["patron"]
        assert patron == f"patron:{h.patron[i]}"
        assert client["debt"] == pytest.approx(h.debt[i]) and client["dependency"] == pytest.approx(h.dependency[i])
        if h.group[i] >= 0:
            assert ties["group"][0] == f"group:{h.group[i] + 1}"
        else:
            assert "group" not in ties
    for j in range(len(model.patrons)):
        node = graph.nodes[f"patron:{j}"]
        assert graph.in_degree(f"patron:{j}") == node["clients"] == int((h.patron == j).sum())
        assert node["openness"] == pytest.approx(model.patrons.openness[j])
    member = int(np.nonzero(h.group >= 0)[0][0])
    assert graph.nodes[f"household:{member}"]["awareness"] == pytest.approx(h.awareness[member])


def test_survey_village_uses_the_survey_ids(tmp_path):
    scenario = load_scenario(EXAMPLE, {"village.months": 3})
    model = VillageModel(scenario.params, seed=1)
    graph = nx.read_graphml(write_network(model, tmp_path / "survey.graphml"))
    survey = model.survey
    assert f"household:{survey.household_id[0]}" in graph
    assert {graph.nodes[n]["patron_kind"] for n in graph if n.startswith("patron:")} == {
        "landowner",
        "trader",
        "lender",
        "supplier",
    }
    first = survey.household_id[0]
    assert [t for _, t in graph.out_edges(f"household:{first}")] == [f"patron:{survey.patron_id[survey.patron[0]]}"]
    assert graph.nodes[f"household:{first}"]["hamlet_name"] == survey.hamlet_names[survey.hamlet[0]]


def test_recording_writes_the_chosen_months_and_leaves_the_run_alone(tmp_path):
    recorded = VillageModel(seed=4, **VILLAGE)
    written = record_networks(recorded, [12, 0, 24, 12], tmp_path)
    assert written == [network_path(tmp_path, m) for m in (0, 12, 24)]
    assert recorded.month == 24
    assert [nx.read_graphml(p).graph["month"] for p in written] == [0, 12, 24]
    recorded.run_model()
    plain = VillageModel(seed=4, **VILLAGE)
    plain.run_model()
    pd.testing.assert_frame_equal(recorded.timeseries(), plain.timeseries())


def test_recorder_refuses_months_outside_the_run(tmp_path):
    model = VillageModel(seed=1, **VILLAGE)
    with pytest.raises(InputError, match="month 37 is outside the run; allowed: 0 to 36"):
        NetworkRecorder(model, [12, 37], tmp_path)
    model.step()
    with pytest.raises(InputError, match="month 0 is outside the run"):
        record_networks(model, [0], tmp_path)


def sets(values: dict) -> list[str]:
    return [arg for key, value in values.items() for arg in ("--set", f"{key}={value}")]


def test_run_folder_replays_to_the_same_network_as_the_scenario(tmp_path, capsys):
    overrides = {"village.width": 20, "village.height": 20}
    run_dir = tmp_path / "run"
    assert main(["run", "area_based", "--seed", "3", "--months", "30", "--out", str(run_dir), *sets(overrides)]) == 0
    assert main(["network", str(run_dir), "--month", "24", "--out", str(tmp_path / "replayed.graphml")]) == 0
    printed = capsys.readouterr().out
    scenario_args = ["--seed", "3", *sets({**overrides, "village.months": 30})]
    assert (
        main(["network", "area_based", "--month", "24", "--out", str(tmp_path / "fresh.graphml"), *scenario_args]) == 0
    )
    assert (tmp_path / "replayed.graphml").read_bytes() == (tmp_path / "fresh.graphml").read_bytes()
    graph = nx.read_graphml(tmp_path / "replayed.graphml")
    kinds = Counter(kind for _, kind in graph.nodes(data="kind"))
    assert f"{kinds['household']} households, {kinds['patron']} patrons, {kinds['group']} groups" in printed


def test_a_run_that_no_longer_replays_is_refused(tmp_path, capsys):
    run_dir = tmp_path / "run"
    args = ["--seed", "5", "--months", "12", "--out", str(run_dir), *sets({"village.width": 20, "village.height": 20})]
    assert main(["run", "baseline", *args]) == 0
    series = pd.read_parquet(run_dir / "timeseries.parquet")
    series.loc[6, "awareness"] += 0.01
    series.to_parquet(run_dir / "timeseries.parquet", index=False)
    out = tmp_path / "net.graphml"
    assert main(["network", str(run_dir), "--month", "10", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "timeseries.parquet" in err and "from month 6 on" in err
    assert not out.exists()
    assert main(["network", str(run_dir), "--month", "5", "--out", str(out)]) == 0


@pytest.mark.parametrize(
    "args, words",
    [
        (["--month", "13"], "--month: month 13 is outside the run; allowed: 0 to 12"),
        (["--month", "3", "--seed", "2"], "a run folder replays its own seed"),
    ],
)
def test_bad_network_requests_exit_2(tmp_path, capsys, args, words):
    run_dir = tmp_path / "run"
    assert (
        main(
            [
                "run",
                "baseline",
                "--months",
                "12",
                "--out",
                str(run_dir),
                *sets({"village.width": 10, "village.height": 10}),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["network", str(run_dir), *args, "--out", str(tmp_path / "n.graphml")]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_folder_without_manifest_exits_2(tmp_path, capsys):
    assert main(["network", str(tmp_path), "--month", "1", "--out", str(tmp_path / "n.graphml")]) == 2
    assert "without manifest.json" in capsys.readouterr().err


def test_run_records_networks_at_chosen_months(tmp_path, capsys):
    out = tmp_path / "run"
    small = ["--set", "village.width=20", "--set", "village.height=20", "--months", "24"]
    assert main(["run", "area_based", "--seed", "3", "--out", str(out), "--network-months", "0,12,24", *small]) == 0
    written = sorted(p.name for p in (out / "networks").glob("*.graphml"))
    assert written == [network_path(out, m).name for m in (0, 12, 24)]
    model = VillageModel(
        load_scenario(
            resolve_scenario("area_based"), {"village.width": 20, "village.height": 20, "village.months": 12}
        ).params,
        seed=3,
    )
    model.run_model()
    graph = nx.read_graphml(out / "networks" / network_path(out, 12).name)
    assert sum(1 for _, d in graph.nodes(data=True) if d.get("kind") == "household") == model.n_households
    assert main(["run", "area_based", "--out", str(tmp_path / "bad"), "--network-months", "0,x", *small]) == 2
    assert "--network-months" in capsys.readouterr().err
