"""A stored experiment, read back for comparison: its runs, monthly tables and record.

Each *arm* of the comparison is one scenario (at one parameter point, when the experiment
swept parameters). Failed runs are kept apart so the report can say how many there were.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.engine import read_results
from experiments.store import moved_aside
from sim.errors import InputError


@dataclass
class Study:
    out: Path
    experiment: dict[str, Any]
    runs: pd.DataFrame  # successful runs, one row each, with an ``arm`` column
    monthly: pd.DataFrame  # their monthly rows, with ``arm``
    failed: pd.DataFrame  # failed runs (status != "ok")
    arms: list[str]  # in the experiment's scenario order
    arm_params: dict[str, dict[str, Any]]  # resolved dotted parameters of each arm

    @property
    def replicates(self) -> dict[str, int]:
        """Successful runs per arm."""
        return {arm: int((self.runs["arm"] == arm).sum()) for arm in self.arms}


def scenario_params(experiment: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each scenario's resolved dotted parameters, as the engine recorded them."""
    return {s["name"]: dict(s.get("params", {})) for s in experiment.get("scenarios", [])}


def _arm_label(scenario: str, point: dict[str, Any], many_points: bool) -> str:
    if not many_points:
        return scenario
    return f"{scenario} [" + ", ".join(f"{k}={v}" for k, v in point.items()) + "]"


def load(out: str | Path) -> Study:
    """Read ``out`` as the experiments engine wrote it; bad or missing results are an ``InputError``."""
    out = Path(out)
    if not out.is_dir():
        raise InputError("no such folder; give the output folder of `berdaya compare`", file=str(out))
    try:
        results = read_results(out)
    except FileNotFoundError:
        raise InputError(
            "experiment.json is missing; is this the output folder of `berdaya compare`?", file=str(out)
        ) from None
    except (ValueError, OSError) as error:
        raise InputError(f"cannot read the stored results: {error}", file=str(out)) from None
    experiment, runs, monthly = results.experiment, results.runs, results.monthly
    aside, planned = moved_aside(out), int(experiment.get("n_runs") or 0)
    stored = runs["run_id"].nunique() if len(runs) else 0
    if aside and stored < planned:
        raise InputError(
            f"holds {stored} of its {planned} runs: {aside[0].name} was "
            "damaged and moved aside, and its runs were not run again; run the command that made the folder "
            "again with --resume, then the report",
            file=str(out),
        )
    if runs.empty:
        raise InputError(
            "no runs stored yet; finish them: run the command that made the folder again with --resume", file=str(out)
        )
    if monthly.empty:
        raise InputError(
            "holds no monthly tables (its runner returned none); the comparison report needs them", file=str(out)
        )

    points = experiment.get("points") or [{}]
    many = len(points) > 1
    params = scenario_params(experiment)
    order = [s["name"] for s in experiment.get("scenarios", [])]
    order += [s for s in pd.unique(runs["scenario"]) if s not in order]
    arms: list[str] = []
    arm_params: dict[str, dict[str, Any]] = {}
    labels: dict[tuple[str, int], str] = {}
    for scenario in order:
        for index, point in enumerate(points):
            label = _arm_label(scenario, point, many)
            labels[(scenario, index)] = label
            if ((runs["scenario"] == scenario) & (runs["point"] == index)).any():
                arms.append(label)
                arm_params[label] = {**params.get(scenario, {}), **point}
    runs = runs.assign(arm=[labels[(s, int(p))] for s, p in zip(runs["scenario"], runs["point"], strict=True)])

    ok = runs["status"] == "ok"
    if not ok.any():
        first = runs["error"].iloc[0] if len(runs) else ""
        raise InputError(f"every run failed; the first error was: {first}", file=str(out))
    arm_of = runs.loc[ok].set_index("run_id")["arm"]
    compared = [a for a in arms if a in set(arm_of)]
    if len(compared) < 2:
        lost = sorted(set(arms) - set(compared))
        why = (
            f"; every run of {', '.join(lost)} failed, the first with: {runs.loc[~ok, 'error'].iloc[0]}" if lost else ""
        )
        raise InputError(
            f"a comparison needs successful runs of at least two strategies, and only "
            f"{', '.join(compared)} has them{why}",
            file=str(out),
        )
    monthly = monthly[monthly["run_id"].isin(arm_of.index)]
    monthly = monthly.assign(arm=monthly["run_id"].map(arm_of).to_numpy())
    return Study(
        out=out,
        experiment=experiment,
        runs=runs.loc[ok].reset_index(drop=True),
        monthly=monthly.reset_index(drop=True),
        failed=runs.loc[~ok].reset_index(drop=True),
        arms=compared,
        arm_params=arm_params,
    )
