"""Plain-language answers to the four questions a programme officer asks.

Effect (share self-reliant at programme end), cost (facilitator-months per self-reliant
household), lasting (share self-reliant at the horizon, and sustainability) and how sure
(replicates, interval widths). Each answer names the strategy with the best value of the
measure and, for every other strategy, says whether the difference is clear (its 95%
interval excludes zero) or "no clear difference". The direction of each measure is the
only thing fixed here; which strategy comes out ahead is read from the results.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import fmt
from analysis.i18n import LABELS, t
from analysis.measures import BY_KEY, COST, COST_RP, EFFECT, ICER, LASTING, PROGRAMME_COST, SPENT, SUSTAINABILITY
from analysis.stats import MIN_CLEAR

# A share at programme end below which a ratio of the later share to it says little (a few
# households either way move it far): "after the programme" names such strategies apart.
TINY_BASE = 0.02

QUESTIONS = ("effect", "cost", "lasting", "sure")


@dataclass
class Verdict:
    question: str
    headline: list[str]  # the answer, in a few sentences
    details: list[str] = field(default_factory=list)  # one line per comparison behind it
    short: str = ""  # the answer in one sentence, for the report's opening paragraph


def name(arm: str, lang: str) -> str:
    """A strategy's display name: the translated label of a shipped scenario, else its own name."""
    return t(arm, lang) if arm in LABELS else arm


def names(arms: list[str], lang: str) -> str:
    """ "A, B and C" in the reader's language."""
    shown = [name(a, lang) for a in arms]
    if len(shown) < 2:
        return "".join(shown)
    return ", ".join(shown[:-1]) + f" {t('report.and', lang)} " + shown[-1]


@dataclass(frozen=True)
class Pair:
    difference: float  # a - b
    low: float
    high: float
    p_higher: float  # P(a > b) in a replicate pair
    clear: bool


def pair(pairs: pd.DataFrame, measure: str, a: str, b: str) -> Pair:
    """The comparison ``a`` - ``b`` on ``measure``, whichever way round it was stored."""
    rows = pairs[pairs["measure"] == measure]
    row = rows[(rows["a"] == a) & (rows["b"] == b)]
    if len(row):
        r = row.iloc[0]
        return Pair(r["difference"], r["low"], r["high"], r["p_a_higher"], bool(r["clear"]))
    r = rows[(rows["a"] == b) & (rows["b"] == a)].iloc[0]
    return Pair(-r["difference"], -r["high"], -r["low"], 1.0 - r["p_a_higher"], bool(r["clear"]))


def estimate(summary: pd.DataFrame, arm: str, measure: str) -> pd.Series:
    rows = summary[(summary["arm"] == arm) & (summary["measure"] == measure)]
    return rows.iloc[0]


def _value_ci(summary: pd.DataFrame, arm: str, measure: str, lang: str) -> tuple[str, str]:
    e = estimate(summary, arm, measure)
    kind = BY_KEY[measure].kind
    return fmt.value(e["mean"], kind, lang), fmt.interval(e["low"], e["high"], kind, lang)


def ranked_arms(summary: pd.DataFrame, arms: list[str], measure: str, higher: bool) -> list[str]:
    means = {a: estimate(summary, a, measure)["mean"] for a in arms}
    known = [a for a in arms if math.isfinite(means[a])]
    return sorted(known, key=lambda a: -means[a] if higher else means[a])


def _rank_answer(question: str, measure: str, arms: list[str], summary, pairs, lang: str, higher: bool) -> Verdict:
    """Best arm on ``measure``, then which arms it clearly beats and which it does not."""
    ranked = ranked_arms(summary, arms, measure, higher)
    kind = BY_KEY[measure].kind
    if len(ranked) < 2:
        if not ranked:
            return Verdict(question, [t("report.no_values", lang)], short=t("report.no_values", lang))
        value, ci = _value_ci(summary, ranked[0], measure, lang)
        single = t("report.single", lang).format(
            measure=t(f"report.{measure}", lang), leader=name(ranked[0], lang), value=value, ci=ci
        )
        return Verdict(question, [single], short=single)
    leader, others = ranked[0], ranked[1:]
    comparisons = {b: pair(pairs, measure, leader, b) for b in others}
    clear = [b for b in others if comparisons[b].clear]
    unclear = [b for b in others if not comparisons[b].clear]
    top = [leader] + unclear
    if not clear:
        values = "; ".join(f"{name(a, lang)} {_value_ci(summary, a, measure, lang)[0]}" for a in ranked)
        headline = [t(f"report.{question}_none_clear", lang).format(values=values)]
        short = t(f"report.{question}_sum_none", lang)
    else:
        value, ci = _value_ci(summary, leader, measure, lang)
        headline = [t(f"report.{question}_best", lang).format(leader=name(leader, lang), value=value, ci=ci)]
        headline.append(t(f"report.{question}_clearly", lang).format(names=names(clear, lang)))
        if unclear:
            headline.append(t("report.no_clear_from", lang).format(names=names(unclear, lang)))
            leaders = [f"{name(a, lang)} ({_value_ci(summary, a, measure, lang)[0]})" for a in top]
            short = t(f"report.{question}_sum_tied", lang).format(leaders=names(leaders, lang))
        else:
            short = t(f"report.{question}_sum_one", lang).format(leader=name(leader, lang), value=value)
    details = []
    for b in others:
        c = comparisons[b]
        share = c.p_higher if higher else 1.0 - c.p_higher
        nothing = (
            kind == "share" and estimate(summary, b, measure)["mean"] == 0 == estimate(summary, b, measure)["high"]
        )
        if nothing:  # against a strategy at 0% in every run, winning a pair only means having anyone at all
            share = 2 * c.p_higher - 1  # b = 0 everywhere: P(a > b) + P(tie) / 2 = (1 + P(a > 0)) / 2
        details.append(
            t("report.detail_zero" if nothing else f"report.{question}_detail", lang).format(
                a=name(leader, lang),
                b=name(b, lang),
                difference=fmt.difference(c.difference, kind, lang),
                ci=fmt.interval(c.low, c.high, kind, lang, sign=True),
                share=fmt.percent(share, lang),
                verdict=t("report.clear" if c.clear else "report.not_clear", lang),
            )
        )
    return Verdict(question, headline, details, short)


def effect(summary, pairs, arms: list[str], lang: str) -> Verdict:
    return _rank_answer("effect", EFFECT, arms, summary, pairs, lang, higher=True)


def cost(summary, pairs, arms: list[str], lang: str, comparator: str | None = None) -> Verdict:
    """Only strategies that fielded facilitators have a cost to compare; in money, the cost per
    additional self-reliant household over ``comparator`` where the report computed it."""
    spending = [a for a in arms if estimate(summary, a, SPENT)["mean"] > 0]
    idle = [a for a in arms if a not in spending]
    if not spending:
        none = t("report.cost_no_facilitators", lang)
        return Verdict("cost", [none], short=none)
    verdict = _rank_answer("cost", COST, spending, summary, pairs, lang, higher=False)
    effort = [estimate(summary, a, SPENT)["mean"] for a in spending]
    same = len(spending) > 1 and max(effort) - min(effort) <= 1e-9 * max(effort)
    if same:  # facilitator-months per self-reliant household would only restate the effect
        said = t("report.same_effort", lang).format(months=fmt.number(effort[0], lang, 0))
        verdict.headline, verdict.details, verdict.short = [said], [], ""
    money = _in_rupiah(summary, spending, lang, comparator)
    if money:
        verdict.headline.append(money)
        measure = ICER if comparator else COST_RP
        cheapest = ranked_arms(summary, spending, measure, higher=False)[0]
        value = _value_ci(summary, cheapest, measure, lang)[0]
        key = "report.icer_short_when" if comparator else "report.cost_rp_short"
        verdict.short += " " + t(key, lang).format(
            leader=name(cheapest, lang), value=value, comparator=name(comparator or "", lang)
        )
    total = _total_cost(summary, spending, lang)
    if total:
        verdict.headline.append(total)
        verdict.short += " " + total
    verdict.short = verdict.short.strip()
    if idle:
        verdict.headline.append(t("report.cost_idle", lang).format(names=names(idle, lang)))
    return verdict


def _total_cost(summary: pd.DataFrame, arms: list[str], lang: str) -> str:
    """What each strategy spent in all, where the runs were priced: the cost a budget holder compares."""
    if not (summary["measure"] == PROGRAMME_COST).any():
        return ""
    parts = [
        t("report.cost_rp_other", lang).format(name=name(a, lang), value=_value_ci(summary, a, PROGRAMME_COST, lang)[0])
        for a in arms
    ]
    return t("report.total_cost", lang).format(parts=", ".join(parts))


def _in_rupiah(summary: pd.DataFrame, arms: list[str], lang: str, comparator: str | None = None) -> str:
    """Cost in rupiah, cheapest first, where the runs were priced: per additional self-reliant
    household over ``comparator`` where given, else per self-reliant household."""
    measure = ICER if comparator else COST_RP
    if not (summary["measure"] == measure).any():
        return ""
    ranked = ranked_arms(summary, arms, measure, higher=False)
    if not ranked:
        return ""
    value, ci = _value_ci(summary, ranked[0], measure, lang)
    others = ", ".join(
        t("report.cost_rp_other", lang).format(name=name(a, lang), value=_value_ci(summary, a, measure, lang)[0])
        for a in ranked[1:]
    )
    stem = "report.icer" if comparator else "report.cost_rp"
    return t(stem if others else f"{stem}_alone", lang).format(
        leader=name(ranked[0], lang), value=value, ci=ci, others=others, comparator=name(comparator or "", lang)
    )


def _after_programme(summary: pd.DataFrame, arms: list[str], lang: str) -> str:
    """Which strategies went on growing after the programme, held steady or fell back."""
    groups: dict[str, list[str]] = {"grew": [], "steady": [], "fell": [], "tiny": []}
    for arm in arms:
        e = estimate(summary, arm, SUSTAINABILITY)
        start, end = (estimate(summary, arm, m)["mean"] for m in (EFFECT, LASTING))
        if math.isfinite(start) and start < TINY_BASE:
            shares = " \u2192 ".join(fmt.value(v, "share", lang) for v in (start, end))
            groups["tiny"].append(f"{name(arm, lang)} ({shares})")
            continue
        if not math.isfinite(e["mean"]):
            continue
        label = f"{name(arm, lang)} (\u00d7{fmt.number(e['mean'], lang, 2)})"
        key = "grew" if e["low"] > 1 else "fell" if e["high"] < 1 else "steady"
        groups[key].append(label)
    parts = [t(f"report.after_{key}", lang).format(names=", ".join(items)) for key, items in groups.items() if items]
    return t("report.after_programme", lang).format(parts="; ".join(parts)) if parts else ""


def lasting(summary, pairs, arms: list[str], lang: str, horizon_after: int | None) -> Verdict:
    """``horizon_after``: months between programme end and horizon (None or <= 0: the runs stop at the end)."""
    verdict = _rank_answer("lasting", LASTING, arms, summary, pairs, lang, higher=True)
    if horizon_after is None or horizon_after <= 0:
        verdict.headline.append(t("report.lasting_no_after", lang))
        return verdict
    verdict.headline.append(t("report.lasting_when", lang).format(months=horizon_after))
    after = _after_programme(summary, arms, lang)
    if after:
        verdict.details.insert(0, after)
    return verdict


def sure(
    summary,
    pairs,
    arms: list[str],
    lang: str,
    replicates: dict[str, int],
    failed: int,
    worlds: tuple[list[str], list[str]] = ([], []),
    surveyed: bool = False,
) -> Verdict:
    """How many replicates, how wide the intervals, how many pairs differ clearly, what was left out;
    ``worlds``: sentences on the plausible worlds (``analysis.hinges``), headline and details;
    ``surveyed``: every run started from the same surveyed village, not a random one."""
    counts = sorted(set(replicates.values()))
    n = (
        fmt.number(counts[0], lang, 0)
        if len(counts) == 1
        else t("report.range", lang).format(low=counts[0], high=counts[-1])
    )
    headline = [t("report.sure_replicates_surveyed" if surveyed else "report.sure_replicates", lang).format(n=n)]
    rows = summary[(summary["measure"] == EFFECT) & summary["arm"].isin(arms)]
    half = ((rows["high"] - rows["low"]) / 2).to_numpy(dtype=float)
    if np.isfinite(half).any():
        widest = rows.iloc[int(np.nanargmax(half))]["arm"]
        headline.append(
            t("report.sure_width", lang).format(
                width=fmt.number(100 * float(np.nanmedian(half)), lang, 1),
                widest=name(widest, lang),
                widest_width=fmt.number(100 * float(np.nanmax(half)), lang, 1),
            )
        )
    effect_pairs = pairs[(pairs["measure"] == EFFECT) & pairs["a"].isin(arms) & pairs["b"].isin(arms)]
    unclear = int((~effect_pairs["clear"]).sum())
    headline.append(
        t("report.sure_pairs", lang).format(clear=int(effect_pairs["clear"].sum()), total=len(effect_pairs))
    )
    short = t("report.sure_sum", lang).format(n=n, clear=int(effect_pairs["clear"].sum()), total=len(effect_pairs))
    if min(counts) < MIN_CLEAR:
        headline.append(t("report.sure_min_clear", lang).format(min=MIN_CLEAR))
    if unclear:
        headline.append(t("report.sure_more", lang))
    headline += worlds[0]
    details = list(worlds[1])
    if failed:
        details.append(t("report.sure_failed", lang).format(failed=failed))
    missing = [
        t("report.sure_missing_part", lang).format(
            arm=name(r["arm"], lang),
            measure=t(f"report.{measure}", lang),
            missing=int(r["missing"]),
            total=int(r["n"] + r["missing"]),
        )
        for measure in (EFFECT, COST, LASTING, SUSTAINABILITY)
        for _, r in summary[(summary["measure"] == measure) & (summary["missing"] > 0)].iterrows()
    ]
    if missing:  # said once, not one line per strategy and measure
        details.append(t("report.sure_missing_all", lang).format(parts="; ".join(missing)))
    details.append(t("report.sure_model", lang))
    return Verdict("sure", headline, details, short)


def verdicts(
    summary: pd.DataFrame,
    pairs: pd.DataFrame,
    arms: list[str],
    lang: str,
    *,
    replicates: dict[str, int],
    failed: int,
    horizon_after: int | None,
    worlds: tuple[list[str], list[str]] = ([], []),
    surveyed: bool = False,
    comparator: str | None = None,
) -> dict[str, Verdict]:
    return {
        "effect": effect(summary, pairs, arms, lang),
        "cost": cost(summary, pairs, arms, lang, comparator),
        "lasting": lasting(summary, pairs, arms, lang, horizon_after),
        "sure": sure(summary, pairs, arms, lang, replicates, failed, worlds, surveyed),
    }
