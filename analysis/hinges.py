"""How sure across plausible worlds: how often a ranking holds, and which assumptions it hinges on.

When a comparison drew its assumed parameters per replicate (``experiments.worlds``), each
replicate is one plausible world. For the leader on a measure against each other
strategy, the share of worlds in which the leader came out ahead is the paired share of
replicates; the assumptions the lead hinges on are those whose drawn values correlate
with the paired difference, by partial rank correlation (each controlled for the others),
named only where the correlation is clear (p below ``ALPHA``). A partial correlation over
k inputs needs more than k replicates; with fewer than ``k + MARGIN`` the report says the
replicates are too few for it, and names only the assumptions whose plain rank
correlation is clear even after allowing for k tests (p below ``ALPHA / k``): the draws
are independent, so a plain correlation is honest, only noisier.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis import fmt
from analysis.i18n import LABELS, t
from analysis.stats import partial_rank_correlations, probability_higher_paired, rank_correlations
from analysis.verdict import name
from sim.params import Params, evidence

ALPHA = 0.01
MARGIN = 10


def drawn(experiment: dict, runs: pd.DataFrame) -> list[str]:
    """The parameters drawn per replicate that the runs table records and that vary."""
    names = list(experiment.get("worlds") or {})
    if (experiment.get("posterior") or {}).get("samples"):
        names += [
            c
            for c in runs.columns
            if "." in c
            and c.partition(".")[2] in Params.model_fields
            and evidence(c.partition(".")[2])["evidence"] == "calibrated"
        ]
    return [c for c in dict.fromkeys(names) if c in runs.columns and runs[c].nunique() > 1]


def label(dotted: str, lang: str, schema_name: bool = True) -> str:
    """A parameter's plain name where the labels have one (``method.<name>``, else ``param.<name>``),
    with its schema name for the researcher when ``schema_name``; else the schema name alone."""
    bare = dotted.partition(".")[2]
    for key in (f"method.{bare}", f"param.{bare}"):
        if key in LABELS:
            return f"{t(key, lang)} ({dotted})" if schema_name else t(key, lang)
    return dotted


def _paired(per_run: pd.DataFrame, runs: pd.DataFrame, a: str, b: str, measure: str, names: list[str]) -> pd.DataFrame:
    x = per_run.loc[per_run["arm"] == a, ["run_id", "seed", measure]].rename(columns={measure: "x"})
    y = per_run.loc[per_run["arm"] == b, ["seed", measure]].rename(columns={measure: "y"})
    both = x.merge(y, on="seed").merge(runs[["run_id", *names]], on="run_id")
    return both.dropna(subset=["x", "y"])


def sentences(
    experiment: dict,
    runs: pd.DataFrame,
    per_run: pd.DataFrame,
    leader: str | None,
    others: list[str],
    measure: str,
    lang: str,
) -> tuple[list[str], list[str]]:
    """(headline sentences, detail lines) on plausible worlds for the "how sure" answer."""
    names = drawn(experiment, runs)
    if not names:
        return [t("report.sure_fixed", lang)], []
    # A folder that drew worlds before their shape was recorded drew them uniformly.
    shape = experiment.get("worlds_shape", "uniform")
    key = {"uniform": "report.sure_worlds_uniform", "pert-log": "report.sure_worlds_log"}.get(
        shape, "report.sure_worlds"
    )
    headline = [t(key, lang).format(k=len(names))]
    samples = (experiment.get("posterior") or {}).get("samples")
    if samples:
        calibrated = [n for n in names if evidence(n.partition(".")[2])["evidence"] == "calibrated"]
        headline.append(t("report.sure_posterior", lang).format(k=len(calibrated), samples=samples))
    details = []
    if leader is None or not experiment.get("paired"):
        return headline, details
    too_few, named = False, False
    for other in others:
        both = _paired(per_run, runs, leader, other, measure, names)
        n = len(both)
        if n == 0:
            continue
        details.append(
            t("report.sure_holds", lang).format(
                a=name(leader, lang),
                b=name(other, lang),
                n=n,
                share=fmt.percent(probability_higher_paired(both["x"], both["y"]), lang),
            )
        )
        difference = both["x"] - both["y"]
        if n < len(names) + MARGIN:
            if not too_few:
                need = int(math.ceil((len(names) + MARGIN) / 10.0) * 10)
                headline.append(t("report.sure_too_few", lang).format(n=n, k=len(names), need=need))
            too_few = True
            table = rank_correlations(both[names], difference).rename(columns={"rho": "r"})
            clear, key = table[table["p_value"] < ALPHA / len(names)], "report.sure_hinge_rank"
            if clear.empty:
                continue
        else:
            table = partial_rank_correlations(both[names], difference).rename(columns={"prcc": "r"})
            clear, key = table[table["p_value"] < ALPHA], "report.sure_hinge"
            if clear.empty:
                details.append(
                    t("report.sure_no_hinge", lang).format(
                        a=name(leader, lang), b=name(other, lang), n=n, alpha=fmt.number(ALPHA, lang, 2)
                    )
                )
                continue
        found = [
            t(key, lang).format(
                name=label(r["input"], lang), rho=fmt.number(r["r"], lang, 2, sign=True), p=_p(r["p_value"], lang)
            )
            for _, r in clear.sort_values("p_value").head(3).iterrows()
        ]
        details.append(
            t("report.sure_hinges", lang).format(a=name(leader, lang), b=name(other, lang), names="; ".join(found))
        )
        named = True
    if too_few:  # what the plain correlations below name, or that they name none
        headline.append(
            t("report.sure_too_few_named" if named else "report.sure_too_few_none", lang).format(k=len(names))
        )
    return headline, details


def _p(p: float, lang: str) -> str:
    """A p-value with its relation, for "p {p}": "< 0.001" or "= 0.012"."""
    return "< " + fmt.number(0.001, lang, 3) if p < 0.001 else "= " + fmt.number(p, lang, 3)


__all__ = ["ALPHA", "MARGIN", "drawn", "label", "sentences"]
