"""What a run cost in rupiah: the counts a run records, priced with the cost table of the schema.

Six items (group ``costs`` in ``sim/params.py``, each with its evidence): outside
facilitator-months, training modules a knowledge-manager NGO writes, stimulant paid into
group funds (in months of subsistence, priced at a household's month of subsistence),
networks set up (each network a strategy organises through, once), internal
facilitators' honoraria (their months in the field) and the community radio's running
cost for the programme's months, whichever strategy runs a radio (after exit its members
pay it, and it may close: sim/exit.py). Cost per self-reliant household
divides by the households self-reliant at the horizon, as facilitator-months per
self-reliant household does, so the two can be read side by side; unlike that one it
moves with what a strategy spends on top of facilitators. Prices are read from each arm's
resolved parameters, so ``--set costs.facilitator_month_rp=...`` reprices a comparison.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.params import Params, dotted

COUNTS = ("n_households", "modules_written", "stimulant_paid")
NETWORK_MODES = ("enterprise_based", "hybrid")
PRICES = (
    "facilitator_month_rp",
    "module_rp",
    "subsistence_month_rp",
    "network_setup_rp",
    "internal_honorarium_rp",
    "radio_month_rp",
)


def _setting(params: dict, name: str):
    return params.get(dotted(name), Params.model_fields[name].default)


def _price(params: dict, name: str) -> float:
    return float(_setting(params, name))


def networks_set_up(params: dict) -> int:
    """Networks a strategy organises through (and so pays to set up) when it fields facilitators."""
    fielded = params.get("facilitators.n_facilitators", 0) > 0
    organises = fielded and params.get("programme.strategy") in NETWORK_MODES
    return len(params.get("networks.networks") or []) if organises else 0


def radio_months(params: dict) -> int:
    """Months the programme pays the community radio's running cost: its months within the horizon,
    where a strategy that organises through networks runs a radio."""
    if networks_set_up(params) == 0 or "community_radio" not in params.get("networks.networks", []):
        return 0
    return min(_setting(params, "programme_months"), _setting(params, "months"))


def costs(
    runs: pd.DataFrame, monthly: pd.DataFrame, table: pd.DataFrame, arm_params: dict[str, dict]
) -> pd.DataFrame | None:
    """``programme_cost_rp``, ``cost_per_self_reliant_rp`` and ``self_reliant_households`` (at the
    horizon) per run (rows as ``table``), or None
    where the runs did not record the counts (an experiment stored by an older version)."""
    if not set(COUNTS) <= set(runs.columns) or "internal_facilitators" not in monthly:
        return None
    counted = runs.set_index("run_id").loc[table["run_id"]]
    internal = monthly[monthly["month"] > 0].groupby("run_id")["internal_facilitators"].sum()
    prices = {arm: {name: _price(p, name) for name in PRICES} for arm, p in arm_params.items()}
    price = pd.DataFrame([prices[arm] for arm in table["arm"]])
    networks = np.array([networks_set_up(arm_params[arm]) for arm in table["arm"]], dtype=float)
    radio = np.array([radio_months(arm_params[arm]) for arm in table["arm"]], dtype=float)
    months = table["facilitator_months_total"].to_numpy(dtype=float)
    total = (
        months * price["facilitator_month_rp"].to_numpy()
        + counted["modules_written"].to_numpy(dtype=float) * price["module_rp"].to_numpy()
        + counted["stimulant_paid"].to_numpy(dtype=float) * price["subsistence_month_rp"].to_numpy()
        + networks * price["network_setup_rp"].to_numpy()
        + radio * price["radio_month_rp"].to_numpy()
        + table["run_id"].map(internal).fillna(0).to_numpy(dtype=float) * price["internal_honorarium_rp"].to_numpy()
    )
    households = counted["n_households"].to_numpy(dtype=float)
    self_reliant = table["self_reliant_share_horizon"].to_numpy(dtype=float) * households
    with np.errstate(divide="ignore", invalid="ignore"):
        per = np.where(self_reliant > 0, total / self_reliant, np.where(total == 0, 0.0, np.nan))
    return pd.DataFrame(
        {"programme_cost_rp": total, "cost_per_self_reliant_rp": per, "self_reliant_households": self_reliant}
    )


CURVE_COLUMNS = ["strategy", "n_facilitators", "measure", "mean", "low", "high"]


def curve(per_run: pd.DataFrame, runs: pd.DataFrame, measures: list[str], seed: int) -> pd.DataFrame:
    """``cost_curve.csv``: each measure's mean and 95% interval per strategy and number of facilitators
    (a ratio, such as the cost per self-reliant household, as a ratio of means)."""
    from analysis.measures import RATIOS
    from analysis.stats import generator, mean_interval, ratio_interval

    table = per_run.assign(
        strategy=per_run["run_id"].map(runs.set_index("run_id")["scenario"]),
        n_facilitators=per_run["run_id"].map(runs.set_index("run_id")["facilitators.n_facilitators"]).astype(int),
    )
    rows = []
    for i, ((strategy, n), group) in enumerate(table.groupby(["strategy", "n_facilitators"], sort=False)):
        for j, measure in enumerate(m for m in measures if m in group):
            rng = generator(seed, 5, i, j)
            num, den = RATIOS.get(measure, (None, None))
            ratio = num in group and den in group
            e = ratio_interval(group[num], group[den], rng) if ratio else mean_interval(group[measure], rng)
            rows.append(
                {
                    "strategy": strategy,
                    "n_facilitators": int(n),
                    "measure": measure,
                    "mean": e.value,
                    "low": e.low,
                    "high": e.high,
                }
            )
    return pd.DataFrame(rows, columns=CURVE_COLUMNS)


__all__ = ["CURVE_COLUMNS", "costs", "curve", "networks_set_up", "radio_months"]
