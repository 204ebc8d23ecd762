"""The strategy comparison report: ``DIR/report.html`` (one self-contained file) and ``DIR/report.md``.

Built only from what the experiments engine stored in DIR, so ``berdaya report DIR``
rebuilds it at any time, in either language. The HTML opens with the answer (a summary
paragraph, a table and four short verdicts), then the figures, then the method; it embeds
its figures and styles, loads nothing from the network and reflows to a phone's width.
Extra sections written by other commands (``DIR/sections/NAME.html``, or
``NAME.<lang>.html`` for one language) are included before the method.

Every language is a file of its own: the language ``berdaya compare`` wrote first is
``report.html`` with ``figures/``; any other is ``report.<lang>.html`` with
``figures.<lang>/`` (``report.json`` records which is which), so no language overwrites
another. Where ``berdaya compare`` ran a factorial (``DIR/decomposition``) or a cost curve
(``DIR/cost_curve``), the report says where each difference comes from and what more
facilitators buy, and writes ``decomposition.csv`` and ``cost_curve.csv``. Of a paired
comparison it also says what to choose and what to measure first (``analysis.decision``):
``cost_effectiveness.csv``, ``acceptability.csv``, ``regret.csv``, ``value_of_information.csv``
and, from the runs in ``DIR/switch_points``, ``switch_points.csv``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import costs, decision, decomposition, fmt, hinges
from analysis.figures import (
    GROUP_LIFE,
    TRAJECTORIES,
    Markers,
    asides,
    colours,
    draw,
    draw_all,
    markers,
    monthly_title,
)
from analysis.figures import acceptability as acceptability_figure
from analysis.figures import cost_curve as cost_curve_figure
from analysis.figures import decomposition as decomposition_figure
from analysis.html import escape, svg_data_uri, table
from analysis.i18n import LABELS, LANGUAGES, t
from analysis.measures import (
    BY_KEY,
    COST,
    COST_RP,
    EFFECT,
    HEADLINE,
    ICER,
    LASTING,
    RATIOS,
    SPENT,
    SUSTAINABILITY,
    Measure,
    outcomes,
    present,
)
from analysis.stats import (
    CONFIDENCE,
    RESAMPLES,
    Estimate,
    compare_pairs,
    difference_interval,
    generator,
    paired_difference_interval,
    summarise,
)
from analysis.study import Study, load
from analysis.targets import load_targets
from analysis.verdict import QUESTIONS, TINY_BASE, Verdict, estimate, name, names, pair, ranked_arms, verdicts
from experiments.engine import cpu_count
from experiments.pattern_runner import AFTER_EXIT, parse_metric
from experiments.worlds import plausible_ranges
from sim.errors import InputError
from sim.files import check_writable, read_text, write_text
from sim.params import STRATEGIES, STRATEGY_PRESETS
from sim.params import dotted as dotted_name

# The opening table: self-reliance, its cost, and the economy's outcomes where stored (the rest under "All measures").
KEY_COLUMNS = (
    EFFECT,
    LASTING,
    "self_reliance_horizon",
    ICER,
    COST,
    "consumption_poorest40_horizon",
    "poverty_share_horizon",
)
PAIR_MEASURES = (EFFECT, LASTING, COST, COST_RP, "consumption_poorest40_horizon", "poverty_share_horizon")
DECOMPOSITION = "decomposition"  # DIR/decomposition: plan.json, cells/, and the factorial's runs in runs/
COST_CURVE = "cost_curve"  # DIR/cost_curve: the runs at each number of facilitators
SWITCH_POINTS = "switch_points"  # DIR/switch_points: plan.json and the runs along each parameter in runs/
DEFAULT_VILLAGE = "default_village"  # DIR/default_village: every parameter at its stated value
DEFAULT_VILLAGE_MEASURES = (EFFECT, LASTING)
# At most this many processes draw the figures beside the statistics (one per core, fewer on a small machine).
FIGURE_PROCESSES = 4
SWITCH_COLUMNS = [
    "parameter",
    "measure",
    "leader",
    "challenger",
    "switch_value",
    "plausible_low",
    "plausible_high",
    "within_plausible",
    "switch_low",
    "switch_high",
]
PLAN = "plan.json"
RECORD = "report.json"  # which language report.html holds
CURVE_MEASURES = (LASTING, "consumption_poorest40_horizon", COST_RP)
EXTRA_TRAJECTORIES = ("consumption", "poverty_share", "patron_debt", "coverage")  # drawn where the runs hold them
# Parameters the method table shows in words, with how to say their values.
SWITCHES = (
    "programme.strategy",
    "facilitators.n_facilitators",
    "programme.project_management",
    "programme.knowledge_manager",
    "networks.networks",
    "programme.exit_mode",
    "programme.patron_engagement",
    "facilitators.internal_facilitators",
)


@dataclass
class Figure:
    stem: str
    title: str
    caption: str  # "" where the group's note says how to read it
    files: dict[str, Path]


@dataclass
class FigureGroup:
    heading: str
    note: str  # how to read every figure of the group ("" where each has its own caption)
    figures: list[Figure]


@dataclass
class Content:
    """Everything the HTML and Markdown renderers show, computed once."""

    lang: str
    study: Study
    title: str
    subtitle: str
    summary: str
    verdicts: dict[str, Verdict]
    table: pd.DataFrame  # per (arm, measure) estimates
    pairs: pd.DataFrame
    figures: list[FigureGroup]
    sections: list[tuple[str, str]] = field(default_factory=list)  # (file name, HTML fragment)
    measures: list[Measure] = field(default_factory=list)  # the measures the runs hold
    about: list[str] = field(default_factory=list)  # one plain sentence per arm
    decomposition: pd.DataFrame | None = None  # decomposition.csv's rows
    decomposition_text: list[str] = field(default_factory=list)
    decomposition_replicates: int = 0
    level: pd.DataFrame | None = None  # level_field.csv's rows
    reach: frozenset[tuple[str, str]] = frozenset()  # pairs split by the networks' reach (decomposition.py)
    cost_curve: pd.DataFrame | None = None  # cost_curve.csv's rows
    cost_curve_note: str = ""
    figures_dir: str = "figures"
    fitness: str = ""  # the opening sentence on how far to trust the model
    decision: dict[str, Any] | None = None  # ``analysis.decision.analyse``'s tables
    decision_text: list[str] = field(default_factory=list)


def _common(study: Study, key: str) -> Any:
    """The value of a parameter shared by every arm, else None."""
    values = {repr(study.arm_params.get(a, {}).get(key)) for a in study.arms}
    return study.arm_params[study.arms[0]].get(key) if len(values) == 1 else None


def _fielding(study: Study, table: pd.DataFrame) -> list[str]:
    return [a for a in study.arms if estimate(table, a, SPENT)["mean"] > 0]


def _horizon_after(study: Study, m: Markers) -> int | None:
    """Months from the (latest) programme end to the (earliest) horizon, if any arm fields facilitators."""
    if not m.programme_end:
        return None
    return int(study.monthly["month"].max()) - max(m.programme_end)


def _surveyed_households(path: Path) -> int | None:
    """The households of a surveyed village (one per data row); None when the file is no longer there."""
    try:
        return len(pd.read_csv(path, encoding="utf-8-sig"))
    except (OSError, ValueError):
        return None


def _setting(study: Study, lang: str) -> list[str]:
    """What was simulated, in short phrases: strategies and runs, village, months."""
    counts = sorted(set(study.replicates.values()))
    n = (
        fmt.number(counts[0], lang, 0)
        if len(counts) == 1
        else t("report.range", lang).format(low=counts[0], high=counts[-1])
    )
    parts = [t("report.intro", lang).format(k=len(study.arms), n=n)]
    width, height, density = (_common(study, f"village.{k}") for k in ("width", "height", "density"))
    months, programme = _common(study, "village.months"), _common(study, "programme.programme_months")
    survey = _common(study, "village.survey")
    if survey:
        households = _surveyed_households(Path(survey))
        if households is not None:
            parts.append(
                t("report.intro_survey", lang).format(
                    households=fmt.number(households, lang, 0), file=Path(survey).name
                )
            )
    elif width and height and density:
        parts.append(
            t("report.intro_village", lang).format(
                households=fmt.number(round(width * height * density), lang, 0), width=width, height=height
            )
        )
    if months and programme:
        parts.append(t("report.intro_months", lang).format(months=months, programme=programme))
    return parts


def _extra_sections(out: Path, lang: str) -> list[tuple[str, str]]:
    """``sections/NAME.<lang>.html`` where it exists, else ``sections/NAME.html``, in name order."""
    folder = out / "sections"
    if not folder.is_dir():
        return []
    chosen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.html")):
        stem = path.name.removesuffix(".html")
        base, _, suffix = stem.rpartition(".")
        if base and suffix in LANGUAGES:
            if suffix == lang:
                chosen[base] = path
        else:
            chosen.setdefault(stem, path)
    return [(path.name, read_text(path)) for _, path in sorted(chosen.items())]


def _figures(files: dict[str, dict[str, Path]], lang: str, extra: list[str]) -> list[FigureGroup]:
    def fig(stem: str, title: str, caption: str = "") -> Figure:
        return Figure(stem, title, caption, files[stem])

    over_time = t("report.caption_over_time", lang)
    return [
        FigureGroup(
            t("report.fig_over_time", lang),
            over_time,
            [fig(f"trajectory_{c}", t(c, lang)) for c in TRAJECTORIES]
            + [fig(f"trajectory_{c}", monthly_title(c, lang)) for c in extra],
        ),
        FigureGroup(
            t("report.fig_outcome", lang),
            "",
            [
                fig("distribution", t("report.fig_distribution", lang), t("report.caption_distribution", lang)),
                fig("cost_lasting", t("report.fig_cost_lasting", lang), t("report.caption_cost_lasting", lang)),
            ],
        ),
        FigureGroup(
            t("report.fig_groups", lang),
            over_time,
            [fig(c, t("groups_dissolved_total", lang) if c == "groups_dissolved" else t(c, lang)) for c in GROUP_LIFE],
        ),
    ]


def _value_words(key: str, value: Any, lang: str) -> str:
    """A switch's value as a reader says it."""
    if isinstance(value, bool):
        return t("report.yes" if value else "report.no", lang)
    if key == "networks.networks":
        return ", ".join(t(f"network.{n}", lang) for n in value) or t("report.about_none", lang)
    if key == "programme.strategy":
        return name(str(value), lang)
    if key == "programme.project_management":
        return t(f"management.{value}", lang)
    if key == "programme.exit_mode":
        return t(f"exit_mode.{value}", lang)
    return fmt.number(value, lang, 0) if isinstance(value, int) else str(value)


def about(arm: str, params: dict[str, Any], lang: str) -> str:
    """One plain sentence saying what a strategy is: the shipped wording where the arm is a
    shipped strategy with its preset switches, else one built from its switches."""
    strategy = params.get("programme.strategy", arm)
    preset = STRATEGY_PRESETS.get(str(strategy), {})
    as_shipped = (
        arm in STRATEGIES and strategy == arm and all(params.get(dotted_name(k)) == v for k, v in preset.items())
    )
    if as_shipped:
        text = t(f"report.about_{arm}", lang)
    else:
        text = t("report.about_other", lang).format(
            facilitators=params.get("facilitators.n_facilitators", 0),
            mode=t(f"report.mode.{strategy}", lang) if f"report.mode.{strategy}" in LABELS else str(strategy),
            management=_value_words("programme.project_management", params.get("programme.project_management"), lang),
            modules=t(
                "report.about_modules_yes" if params.get("programme.knowledge_manager") else "report.about_modules_no",
                lang,
            ),
            networks=_value_words("networks.networks", params.get("networks.networks") or [], lang),
        )
    return f"{name(arm, lang)}: {text}"


def factor_label(factor: str, lang: str, short: bool = False) -> str:
    """A decomposition factor (or an interaction a × b) in words; ``short`` for a figure's axis."""
    parts = factor.split(decomposition.INTERACTION)
    return " \u00d7 ".join(t(f"factor_short.{p}" if short else f"factor.{p}", lang) for p in parts)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _decomposition_text(
    rows: pd.DataFrame,
    lang: str,
    replicates: int = 0,
    pairs: pd.DataFrame | None = None,
    level: pd.DataFrame | None = None,
    reach: frozenset[tuple[str, str]] = frozenset(),
) -> tuple[list[str], list[str]]:
    """(one paragraph per pair on the effect measure, one short sentence per pair for the summary);
    where the factorial's total, as printed, differs from the comparison's difference over all its
    runs (``pairs``), the paragraph says both and why. Where the pair shows no clear difference on a
    level field (``level``), the summary says plainly that the lead comes from the settings made equal;
    for a pair in ``reach`` (both organise through the same networks), from what their bonuses add."""
    paragraphs, short = [], []
    effect = rows[rows["measure"] == EFFECT]
    kind = BY_KEY[EFFECT].kind
    for (strategy, against), group in effect.groupby(["strategy", "against"], sort=False):
        shares = group[~group["factor"].str.contains(decomposition.INTERACTION, regex=False)]
        together = group[group["factor"].str.contains(decomposition.INTERACTION, regex=False)]
        shares = shares.reindex(shares["contribution"].abs().sort_values(ascending=False).index)
        parts = []
        for _, r in shares.iterrows():
            value = fmt.difference(r["contribution"], kind, lang)
            clear = fmt.excludes_zero(r["low"], r["high"], kind)
            key = "report.decomposition_part" if clear else "report.decomposition_part_unclear"
            ci = fmt.interval(r["low"], r["high"], kind, lang, sign=True)
            parts.append(t(key, lang).format(contribution=f"{value} [{ci}]", factor=factor_label(r["factor"], lang)))
        total = float(shares["contribution"].sum())
        text = t("report.decomposition_lead", lang).format(
            strategy=name(strategy, lang),
            against=name(against, lang),
            difference=fmt.difference(total, kind, lang),
            measure=t(f"report.{EFFECT}", lang).lower(),
            parts="; ".join(parts),
            replicates=replicates,
        )
        if pairs is not None and len(pairs):
            whole = pair(pairs, EFFECT, strategy, against)
            row = pairs[
                (pairs["measure"] == EFFECT)
                & pairs["a"].isin([strategy, against])
                & pairs["b"].isin([strategy, against])
            ]
            full = fmt.difference(whole.difference, kind, lang)
            if full != fmt.difference(total, kind, lang):
                text += " " + t("report.decomposition_all", lang).format(
                    n=int(row["n_pairs"].iloc[0]) if row["n_pairs"].notna().all() else int(row["n_a"].iloc[0]),
                    full=full,
                    replicates=replicates,
                )
        for _, r in together.iterrows():
            a, b = r["factor"].split(decomposition.INTERACTION)
            text += " " + _sentence(
                t("report.decomposition_interaction", lang).format(
                    a=t(f"factor.{a}", lang),
                    b=t(f"factor.{b}", lang),
                    contribution=fmt.difference(r["contribution"], kind, lang),
                )
            )
        paragraphs.append(text)
        short.append(
            _source_sentence(strategy, against, shares, together, replicates, level, lang, (strategy, against) in reach)
        )
    return paragraphs, short


def _source_sentence(
    strategy: str,
    against: str,
    shares: pd.DataFrame,
    together: pd.DataFrame,
    replicates: int,
    level: pd.DataFrame | None,
    lang: str,
    reach: bool = False,
) -> str:
    """The summary's "where from" for one pair: the largest share (Shapley value) of one setting, then
    the interactions those shares hold; first, where the level field shows no clear difference, that the
    lead comes from the settings made equal there, naming only those in which the pair differs (for a
    ``reach`` pair, which differs in whom it organises alone, what the networks' bonuses add to one
    beyond the other)."""
    kind = BY_KEY[EFFECT].kind
    names_ = {"strategy": name(strategy, lang), "against": name(against, lang)}
    flat = None
    if level is not None and len(level):
        row = level[(level["strategy"] == strategy) & (level["against"] == against)]
        if len(row) and not fmt.excludes_zero(row["low"].iloc[0], row["high"].iloc[0], kind):
            flat = float(row["difference"].iloc[0])
    # with the route alone giving nothing, name the largest of the settings that were made equal
    candidates = shares[shares["factor"] != decomposition.ROUTE] if flat is not None else shares
    top = (candidates if len(candidates) else shares).iloc[0]
    clear = fmt.excludes_zero(top["low"], top["high"], kind)
    said = {
        **names_,
        "factor": factor_label(top["factor"], lang),
        "contribution": fmt.difference(top["contribution"], kind, lang),
        "n": replicates,
    }
    if flat is not None:
        settings = [factor_label(f, lang) for f in candidates["factor"]]
        key = (
            "report.source_reach"
            if reach
            else "report.source_equalised"
            if len(settings) > 1
            else "report.source_equalised_one"
        )
        text = t(key, lang).format(level=fmt.difference(flat, kind, lang), settings=", ".join(settings), **said)
    elif clear:
        text = t("report.source_main", lang).format(**said)
    else:
        text = t("report.decomposition_sum_unclear", lang).format(**names_)
    if len(together):
        parts = [
            t("report.source_interaction_part", lang).format(
                factor=factor_label(r["factor"], lang), contribution=fmt.difference(r["contribution"], kind, lang)
            )
            for _, r in together.iterrows()
        ]
        text += " " + t("report.source_interactions", lang).format(parts="; ".join(parts))
    return text


def _decomposition(
    study: Study, per_run: pd.DataFrame, measures: list[str], seed: int
) -> tuple[pd.DataFrame | None, int, pd.DataFrame | None, frozenset[tuple[str, str]]]:
    """decomposition.csv's rows, the factorial's replicates, each pair on a level field, and the pairs
    split by the networks' reach (both organise through the same networks)."""
    folder = study.out / DECOMPOSITION
    if not (folder / PLAN).is_file():
        return None, 0, None, frozenset()
    try:
        record = json.loads((folder / PLAN).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"cannot read the factorial's plan ({error})", file=str(folder / PLAN)) from None
    cells = None
    if (folder / "runs" / "experiment.json").is_file():
        factorial = load(folder / "runs")
        cells = outcomes(factorial.runs, factorial.monthly, factorial.arm_params)
    kinds = {m: BY_KEY[m].kind for m in measures}
    rows = decomposition.analyse(record, per_run, cells, measures, kinds, seed, fmt.excludes_zero)
    level = decomposition.level_field(record, per_run, cells, EFFECT, seed) if EFFECT in measures else None
    reach = frozenset((c["strategy"], c["against"]) for c in record["cells"] if c.get("reach", False))
    return rows, int(record["replicates"]), level, reach


def _cost_curve(study: Study, seed: int) -> tuple[pd.DataFrame | None, str]:
    folder = study.out / COST_CURVE
    if not (folder / "experiment.json").is_file():
        return None, ""
    curve = load(folder)
    per_run = outcomes(curve.runs, curve.monthly, curve.arm_params)
    rows = costs.curve(per_run, curve.runs, [m for m in CURVE_MEASURES if m in per_run], seed)
    counts = sorted(rows["n_facilitators"].unique())
    return rows, (counts, int(curve.experiment.get("replicates", 0)))


def _default_village(study: Study, per_run: pd.DataFrame, seed: int) -> pd.DataFrame | None:
    """``default_village.csv``: each arm's result with every parameter at its stated value (the runs in
    ``DIR/default_village``) beside the spread of all the plausible worlds; ``default_rank`` is the share
    of the worlds below the default village's mean, and ``lead``, ``lead_low``, ``lead_high`` the
    default village's paired difference over ``next_arm``, the arm after it there (last: empty)."""
    folder = study.out / DEFAULT_VILLAGE
    if not (folder / "experiment.json").is_file():
        return None
    fixed = load(folder)
    held = outcomes(fixed.runs, fixed.monthly, fixed.arm_params)
    between = paired_difference_interval if fixed.experiment.get("paired") else difference_interval
    rows = []
    for measure in DEFAULT_VILLAGE_MEASURES:
        if measure not in held:
            continue
        by_seed = held.pivot_table(index="seed", columns="arm", values=measure, aggfunc="first")
        order = by_seed.mean().sort_values(ascending=False).index.tolist()
        for arm in (a for a in study.arms if a in order):
            x = per_run.loc[per_run["arm"] == arm, measure].dropna().to_numpy(dtype=float)
            d = by_seed[arm].dropna().to_numpy(dtype=float)
            if not len(x) or not len(d):
                continue
            place = order.index(arm)
            after = order[place + 1] if place + 1 < len(order) else None
            lead = (
                between(by_seed[arm], by_seed[after], generator(seed, 0xDF, place))
                if after
                else Estimate(np.nan, np.nan, np.nan, 0, 0)
            )
            p05, median, p95 = np.quantile(x, [0.05, 0.5, 0.95])
            rows.append(
                {
                    "arm": arm,
                    "measure": measure,
                    "default_mean": float(np.mean(d)),
                    "default_n": len(d),
                    "worlds_median": float(median),
                    "worlds_mean": float(np.mean(x)),
                    "worlds_p05": float(p05),
                    "worlds_p95": float(p95),
                    "worlds_n": len(x),
                    "default_rank": float((x < np.mean(d)).mean()),
                    "next_arm": after or "",
                    "lead": lead.value,
                    "lead_low": lead.low,
                    "lead_high": lead.high,
                    "lead_n": lead.n,
                }
            )
    return pd.DataFrame(rows) if rows else None


def default_village_sentences(rows: pd.DataFrame, lang: str) -> list[str]:
    """The default village beside the worlds' median at programme end, whether both name one leader,
    and whether the default village's leader is clearly ahead of the arm after it there."""
    end = rows[rows["measure"] == EFFECT].set_index("arm")
    if end.empty:
        return []
    kind = BY_KEY[EFFECT].kind
    parts = [
        t("report.default_village_arm", lang).format(
            name=name(arm, lang),
            default=fmt.value(r["default_mean"], kind, lang),
            median=fmt.value(r["worlds_median"], kind, lang),
            mean=fmt.value(r["worlds_mean"], kind, lang),
        )
        for arm, r in end.iterrows()
    ]
    said = [t("report.default_village", lang).format(n=int(end["default_n"].max()), parts="; ".join(parts))]
    if len(end) > 1:
        held, drawn = end["default_mean"].idxmax(), end["worlds_mean"].idxmax()
        key = "report.default_village_same" if held == drawn else "report.default_village_differs"
        said.append(t(key, lang).format(held=name(held, lang), drawn=name(drawn, lang)))
        top = end.loc[held]
        ahead = Estimate(top["lead"], top["lead_low"], top["lead_high"], int(top["lead_n"]), 0)
        if top["next_arm"] and not ahead.clear:
            said[-1] += " " + t("report.default_village_unclear", lang).format(
                held=name(held, lang), next=name(top["next_arm"], lang), n=int(top["lead_n"])
            )
    return said


def _write(path: Path, text: str) -> None:
    """Whole or not at all (``sim.files``)."""
    write_text(path, text)


def _clear_as_shown(pairs: pd.DataFrame) -> pd.DataFrame:
    """A difference is clear only when its interval, as the report prints it, excludes zero."""
    if pairs.empty:
        return pairs
    clear = [
        bool(r["clear"]) and fmt.excludes_zero(r["low"], r["high"], BY_KEY[r["measure"]].kind)
        for _, r in pairs.iterrows()
    ]
    return pairs.assign(clear=clear)


def _willingness_to_pay(out: Path) -> list[float] | None:
    """The willingness to pay `berdaya compare --willingness-to-pay` recorded, else None."""
    path = out / decision.WTP_RECORD
    if not path.is_file():
        return None
    try:
        return [float(v) for v in json.loads(path.read_text(encoding="utf-8"))["willingness_to_pay"]] or None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(f"cannot read the willingness to pay ({error})", file=str(path)) from None


def _decide(study: Study, per_run: pd.DataFrame, table: pd.DataFrame, seed: int) -> dict[str, Any] | None:
    """The decision analysis of a paired comparison, over the strategy that spends nothing (else the cheapest)."""
    if not study.experiment.get("paired"):
        return None
    fielding = _fielding(study, table)
    idle = [a for a in study.arms if a not in fielding]
    spent = (
        {a: estimate(table, a, "programme_cost_rp")["mean"] for a in study.arms}
        if "programme_cost_rp" in per_run
        else {}
    )
    comparator = idle[0] if idle else (min(spent, key=spent.get) if spent else None)
    if comparator is None:
        return None
    return decision.analyse(
        per_run,
        study.runs,
        study.arms,
        comparator,
        hinges.drawn(study.experiment, study.runs),
        {EFFECT: True, LASTING: True},
        _willingness_to_pay(study.out),
        seed,
    )


VALIDATION_RECORD = Path(__file__).with_name("validation_record.json")  # written by `make validation-record`


def fitness(study: Study, lang: str, record: Path = VALIDATION_RECORD) -> str:
    """The opening sentence on fitness for purpose: validation rows met, read from the record that
    `berdaya validate-patterns` wrote (never typed by hand); and what the runs started from."""
    try:
        found = json.loads(record.read_text(encoding="utf-8"))
        text = t("report.fitness", lang).format(
            met=int(found["validation_met"]), rows=int(found["validation_rows"]), commit=str(found["git_commit"])[:7]
        )
        failed = [str(n) for n in found.get("validation_failed", [])]
        met = [str(n) for n in found.get("validation_met_targets", [])]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(
            f"cannot read the validation record ({error}); run `make validation-record`", file=str(record)
        ) from None
    for key, targets in (("report.fitness_failed", failed), ("report.fitness_met", met)):
        if targets:  # each field pattern in plain words where a label has it, else its name in targets.toml
            parts = [t(f"pattern.{n}", lang) if f"pattern.{n}" in LABELS else n for n in targets]
            text += " " + t(key, lang).format(parts="; ".join(parts))
    survey = _common(study, "village.survey")
    if survey:
        text += " " + t("report.fitness_survey", lang).format(file=Path(survey).name)
    source = (study.experiment.get("posterior") or {}).get("source")
    if source:
        text += " " + t("report.fitness_posterior", lang).format(source=Path(str(source)).name)
    return text


def lasting_caution(lang: str, record: Path = VALIDATION_RECORD) -> list[str]:
    """How well the hold-out tests what lasts: the validation rows read after a programme's end
    (``AFTER_EXIT`` metrics in targets.toml) and how many of them the recorded model misses, so that
    "Does it last?" says when it rests on the least-tested part of the model."""
    try:
        failed = set(json.loads(record.read_text(encoding="utf-8")).get("validation_failed", []))
    except (OSError, ValueError, AttributeError) as error:
        raise InputError(
            f"cannot read the validation record ({error}); run `make validation-record`", file=str(record)
        ) from None
    after = [
        target.name
        for target in load_targets()
        if target.kind == "validation" and parse_metric(target.metric)[0].index == AFTER_EXIT
    ]
    if not after:
        return []
    missed = [n for n in after if n in failed]
    if not missed:
        return [t("report.lasting_tested", lang).format(k=len(after))]
    parts = [t(f"pattern.{n}", lang) if f"pattern.{n}" in LABELS else n for n in missed]
    key = "report.lasting_untested_all" if len(missed) == len(after) else "report.lasting_untested"
    return [t(key, lang).format(k=len(after), m=len(missed), parts="; ".join(parts))]


VOI_WORTH = 1.0  # self-reliant households per village: less than one is not worth measuring for


def _households(x: float, lang: str) -> str:
    return fmt.number(x, lang, 1)


def _segments(curve: pd.DataFrame, lang: str) -> str:
    """Along the acceptability curve, which strategy is the best buy in the most worlds, over which range."""
    wide = curve.pivot(index="wtp_rp", columns="strategy", values="probability_cost_effective").sort_index()
    leader = wide.idxmax(axis=1)
    runs = (leader != leader.shift()).cumsum()
    parts, before = [], None
    for _, stretch in leader.groupby(runs):
        arm = stretch.iloc[0]
        if before is not None:  # the curve holds only its grid points: the change lies between two of them
            parts.append(
                t("report.ce_segment_switch", lang).format(
                    a=fmt.value(before, "rupiah", lang), b=fmt.value(stretch.index[0], "rupiah", lang)
                )
            )
        before = stretch.index[-1]
        parts.append(
            t("report.ce_segment", lang).format(
                name=name(arm, lang),
                low=fmt.value(stretch.index[0], "rupiah", lang),
                high=fmt.value(stretch.index[-1], "rupiah", lang),
                share=fmt.percent(float(wide.loc[stretch.index, arm].max()), lang),
            )
        )
    return "; ".join(parts)


def _significant(x: float, lang: str, digits: int = 3) -> str:
    """``x`` to at most ``digits`` significant digits, no trailing zeros (a parameter's value, whatever
    its scale: 11.9, 6, 0.0123)."""
    if not math.isfinite(x) or x == 0:
        return fmt.number(x, lang, 0)
    text = fmt.number(x, lang, max(0, digits - 1 - math.floor(math.log10(abs(x)))))
    point = "," if lang == "id" else "."
    return text.rstrip("0").rstrip(point) if point in text else text


def decision_paragraphs(found: dict[str, Any], lang: str) -> list[str]:
    """Cost-effectiveness, the best buy, regret and what to measure first, one paragraph each."""
    ce = found["cost_effectiveness"].set_index("strategy")
    comparator = found["comparator"]
    parts = []
    for arm, r in ce.iterrows():
        if arm == comparator:
            continue
        extra = fmt.number(r["incremental_self_reliant"], lang, 1)
        cost = fmt.value(r["incremental_cost_rp"], "rupiah", lang)
        if math.isfinite(r["icer"]):
            ranged = math.isfinite(r["low"])
            parts.append(
                t("report.ce_arm" if ranged else "report.ce_arm_no_range", lang).format(
                    name=name(arm, lang),
                    extra=extra,
                    cost=cost,
                    icer=fmt.value(r["icer"], "rupiah", lang),
                    ci=fmt.interval(r["low"], r["high"], "rupiah", lang) if ranged else "",
                )
            )
        else:
            parts.append(t("report.ce_arm_no_gain", lang).format(name=name(arm, lang), extra=extra, cost=cost))
    lead = t("report.ce_lead", lang).format(comparator=name(comparator, lang), n=found["worlds"])
    first = f"{lead} " + "; ".join(parts) + "."
    for status, key in ((decision.DOMINATED, "report.ce_dominated"), (decision.EXTENDED, "report.ce_extended")):
        marked = [a for a in ce.index if ce.loc[a, "status"] == status]
        if marked:
            first += " " + t(key, lang).format(names=names(marked, lang))
    first += " " + t("report.ce_acceptability", lang).format(segments=_segments(found["acceptability"], lang))
    grid = sorted(found["acceptability"]["wtp_rp"].unique())
    first += " " + t("report.ce_grid", lang).format(
        k=len(grid), low=fmt.value(grid[0], "rupiah", lang), high=fmt.value(grid[-1], "rupiah", lang)
    )
    paragraphs = [first]
    regret = found["regret"]
    mine = regret[regret["measure"] == EFFECT].set_index("strategy")
    if len(mine):
        effects = {a: mine.loc[a, "mean_regret"] for a in mine.index}
        leader = min(effects, key=effects.get)  # the smallest mean shortfall is the best mean
        safer = mine["max_regret"].idxmin()
        worst = {a: fmt.difference(mine.loc[a, "max_regret"], "share", lang).lstrip("+") for a in mine.index}
        paragraphs.append(
            t("report.regret_same", lang).format(leader=name(leader, lang), regret=worst[leader])
            if safer == leader or mine.loc[safer, "max_regret"] == mine.loc[leader, "max_regret"]
            else t("report.regret_differs", lang).format(
                leader=name(leader, lang),
                safer=name(safer, lang),
                safe_regret=worst[safer],
                leader_regret=worst[leader],
            )
        )
    voi = found["value_of_information"]
    households = voi[voi["measure"] == "self_reliant_households"].sort_values("evppi", ascending=False)
    if len(households):
        top = households.iloc[0]
        label = hinges.label(top["parameter"], lang, schema_name=False)
        if top["evppi"] >= VOI_WORTH and top["evppi_low"] > 0:
            money = voi[(voi["measure"] == "net_benefit_rp") & (voi["parameter"] == top["parameter"])]
            text = t("report.voi_worth", lang).format(
                parameter=label,
                households=_households(top["evppi"], lang),
                ci=t("report.range", lang).format(
                    low=_households(top["evppi_low"], lang), high=_households(top["evppi_high"], lang)
                ),
            )
            if len(money):
                text += " " + t("report.voi_money", lang).format(
                    rupiah=fmt.value(float(money["evppi"].iloc[0]), "rupiah", lang),
                    wtp=fmt.value(found["wtp"], "rupiah", lang),
                )
            switch = found["switches"]
            switch = switch[switch["parameter"] == top["parameter"]]
            if len(switch):
                r = switch.iloc[0]
                plausible = plausible_ranges().get(top["parameter"])
                said = {"strategy": name(r["strategy"], lang), "side": t(f"report.voi_{r['side']}", lang)}
                said["value"] = _significant(r["value"], lang)
                if plausible:
                    low, high = (_significant(v, lang) for v in plausible)
                    text += " " + t("report.voi_change_range", lang).format(low=low, high=high, **said)
                else:
                    text += " " + t("report.voi_change", lang).format(**said)
        elif top["evppi"] >= VOI_WORTH:
            text = t("report.voi_unclear", lang).format(
                parameter=label,
                households=_households(top["evppi"], lang),
                ci=t("report.range", lang).format(
                    low=_households(top["evppi_low"], lang), high=_households(top["evppi_high"], lang)
                ),
            )
        else:
            text = t("report.voi_none", lang).format(parameter=label, households=_households(top["evppi"], lang))
        paragraphs.append(text)
    return paragraphs


def _switch_points(study: Study, seed: int) -> pd.DataFrame | None:
    """``switch_points.csv``: along each parameter run by `berdaya compare`, where the leader's
    margin over the challenger crosses zero, with its interval; None where nothing was run."""
    folder = study.out / SWITCH_POINTS
    if not (folder / PLAN).is_file() or not (folder / "runs" / "experiment.json").is_file():
        return None
    try:
        record = json.loads((folder / PLAN).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"cannot read the switch points' plan ({error})", file=str(folder / PLAN)) from None
    along = load(folder / "runs")
    measure, leader, challenger = record["measure"], record["leader"], record["challenger"]
    table = outcomes(along.runs, along.monthly).merge(along.runs[["run_id", "scenario", "point"]], on="run_id")
    points = along.experiment.get("points") or []
    rows = []
    for i, entry in enumerate(record["parameters"]):
        name = entry["parameter"]
        at = [j for j, point in enumerate(points) if list(point) == [name]]
        grid = [points[j][name] for j in at]
        wide = table[table["point"].isin(at)].pivot_table(
            index="seed", columns=["scenario", "point"], values=measure, aggfunc="first"
        )
        try:
            margins = np.column_stack([wide[(leader, j)] - wide[(challenger, j)] for j in at])
        except KeyError:  # runs missing (failed or not finished): no switch point to say
            continue
        value, low, high = decision.switch_point(grid, margins, seed, i)
        low_p, high_p = entry["plausible"]
        rows.append(
            {
                "parameter": name,
                "measure": measure,
                "leader": leader,
                "challenger": challenger,
                "switch_value": value,
                "plausible_low": low_p,
                "plausible_high": high_p,
                "within_plausible": bool(math.isfinite(value)),
                "switch_low": low,
                "switch_high": high,
            }
        )
    return pd.DataFrame(rows, columns=SWITCH_COLUMNS)


def switch_paragraph(rows: pd.DataFrame, lang: str) -> str:
    """Where the recommendation on the effect would change, and where it holds."""
    if rows.empty:
        return ""
    first = rows.iloc[0]
    holds = [
        hinges.label(r["parameter"], lang, schema_name=False) for _, r in rows.iterrows() if not r["within_plausible"]
    ]
    parts = []
    for _, r in rows[rows["within_plausible"]].iterrows():
        ci = (
            t("report.range", lang).format(
                low=fmt.number(r["switch_low"], lang, 3), high=fmt.number(r["switch_high"], lang, 3)
            )
            if math.isfinite(r["switch_low"])
            else t("report.na", lang)
        )
        parts.append(
            t("report.switch_at", lang).format(
                parameter=hinges.label(r["parameter"], lang, schema_name=False),
                value=fmt.number(r["switch_value"], lang, 3),
                ci=ci,
                low=fmt.number(r["plausible_low"], lang, 3),
                high=fmt.number(r["plausible_high"], lang, 3),
            )
        )
    text = t("report.switch_lead", lang).format(
        measure=t(f"report.{first['measure']}", lang).lower(),
        leader=name(first["leader"], lang),
        challenger=name(first["challenger"], lang),
    )
    if parts:
        text += " " + t("report.switch_changes", lang).format(parts="; ".join(parts))
    if holds:
        text += " " + t("report.switch_holds", lang).format(names=names(holds, lang))
    return text


def level_sentences(level: pd.DataFrame, lang: str) -> list[str]:
    """Each pair of the factorial on a level field: only the organising route differs."""
    kind = BY_KEY[EFFECT].kind
    return [
        t("report.level_field", lang).format(
            strategy=name(r["strategy"], lang),
            against=name(r["against"], lang),
            difference=fmt.difference(r["difference"], kind, lang),
            ci=fmt.interval(r["low"], r["high"], kind, lang, sign=True),
            n=int(r["n"]),
        )
        for _, r in level.iterrows()
    ]


NOTHING, MOST = 0.02, 0.5  # a world where under 2% are self-reliant saw nothing happen; over half, most organise
SPLIT = 0.1  # a strategy is split between such worlds when each holds at least a tenth of them


def _middle_half(per_run: pd.DataFrame, arms: list[str], measure: str, lang: str) -> str:
    """Each strategy's middle half of the runs on ``measure`` (the spread of outcomes, not of a mean)."""
    parts = []
    for arm in arms:
        x = per_run.loc[per_run["arm"] == arm, measure].dropna().to_numpy(dtype=float)
        if len(x):
            low, high = np.quantile(x, [0.25, 0.75])
            parts.append(
                t("report.spread_arm", lang).format(
                    name=name(arm, lang), low=fmt.value(low, "share", lang), high=fmt.value(high, "share", lang)
                )
            )
    return "; ".join(parts)


def spread_sentences(per_run: pd.DataFrame, arms: list[str], measure: str, lang: str) -> list[str]:
    """How each strategy's outcome spreads over the plausible worlds, not only its mean: the middle
    half of the runs, and whether they split between worlds where nothing happens and worlds where
    most households organise."""
    split = []
    for arm in arms:
        x = per_run.loc[per_run["arm"] == arm, measure].dropna().to_numpy(dtype=float)
        if not len(x):
            continue
        nothing, most = float((x < NOTHING).mean()), float((x > MOST).mean())
        if nothing >= SPLIT and most >= SPLIT:
            split.append(
                t("report.spread_split", lang).format(
                    name=name(arm, lang), nothing=fmt.percent(nothing, lang), most=fmt.percent(most, lang)
                )
            )
    middle = _middle_half(per_run, arms, measure, lang)
    return ([t("report.spread", lang).format(parts=middle)] if middle else []) + split


# What can weaken once the facilitators have gone (monthly columns), each with whether higher is better.
FADING = (("in_group_share", True), ("awareness", True), ("patron_debt", False), ("poverty_share", False))
FADING_KINDS = {"in_group_share": "share", "poverty_share": "share", "awareness": "index", "patron_debt": "level"}


def fading_sentences(study: Study, lang: str) -> list[str]:
    """What weakened after the programme in each strategy that fielded facilitators: each of ``FADING``
    that got worse from programme end to the end of the run in most of its runs and in the mean as
    printed, and the groups standing, dissolved and formed meanwhile, read from the monthly records
    (a strategist asked what gets worse, not only what lasts)."""
    last = int(study.monthly["month"].max())
    lines = []
    for arm in study.arms:
        p = study.arm_params.get(arm, {})
        end = int(p.get("programme.programme_months", last))
        if not p.get("facilitators.n_facilitators", 0) or end >= last:
            continue
        rows = study.monthly[study.monthly["arm"] == arm]
        before = rows[rows["month"] == end].set_index("run_id")
        after = rows[rows["month"] == last].set_index("run_id").reindex(before.index)
        n = len(before)
        if not n:
            continue
        parts = []
        for column, higher in FADING:
            if column not in rows:
                continue
            change = after[column] - before[column]
            worse = int(((change < 0) if higher else (change > 0)).sum())
            kind = FADING_KINDS[column]
            shift = fmt.shown(after[column].mean(), kind) - fmt.shown(before[column].mean(), kind)
            if 2 * worse > n and (shift < 0 if higher else shift > 0):  # worse in most runs, and as printed
                said = t(f"report.fade_{column}", lang).format(
                    before=fmt.value(before[column].mean(), kind, lang),
                    after=fmt.value(after[column].mean(), kind, lang),
                )
                parts.append(t("report.fade_runs", lang).format(change=said, k=worse, n=n))
        standing = [
            frame[["groups_forming", "groups_active", "groups_mature"]].sum(axis=1) for frame in (before, after)
        ]
        dissolved = after["groups_dissolved"] - before["groups_dissolved"]
        groups = t("report.fade_groups", lang).format(  # groups keep forming after exit: say both flows
            before=fmt.number(standing[0].mean(), lang, 1),
            after=fmt.number(standing[1].mean(), lang, 1),
            dissolved=fmt.number(dissolved.mean(), lang, 1),
            formed=fmt.number((standing[1] - standing[0] + dissolved).mean(), lang, 1),
        )
        if parts:
            lines.append(t("report.fade_arm", lang).format(name=name(arm, lang), parts="; ".join([*parts, groups])))
        else:
            lines.append(t("report.fade_arm_none", lang).format(name=name(arm, lang), groups=groups))
    return [" ".join([t("report.fade_intro", lang), *lines])] if lines else []


def _icer_rows(found: dict[str, Any]) -> pd.DataFrame:
    """summary.csv's rows of the cost per additional self-reliant household."""
    ce = found["cost_effectiveness"]
    return pd.DataFrame(
        {
            "arm": ce["strategy"],
            "measure": ICER,
            "mean": ce["icer"],
            "low": ce["low"],
            "high": ce["high"],
            "n": ce["n"],
            "missing": 0,
        }
    )


def _draw_figures(
    per_run: pd.DataFrame,
    monthly: pd.DataFrame,
    table: pd.DataFrame,
    arms: list[str],
    m: Markers,
    seed: int,
    lang: str,
    folder: Path,
    extra: list[str],
    acceptability: pd.DataFrame | None,
    part: tuple[int, int] = (0, 1),
) -> dict[str, dict[str, Path]]:
    """The figures that need only the runs and the summary table (``compute`` draws them beside its
    statistics, in ``parts`` processes: ``part`` is (k, parts), the last part drawing the acceptability curve)."""
    files = draw_all(per_run, monthly, table, arms, m, seed, lang, folder, extra, part)
    if acceptability is not None and part[0] == part[1] - 1:
        files["acceptability"] = draw(folder, "acceptability", partial(acceptability_figure, acceptability, arms, lang))
    return files


def compute(out: str | Path, lang: str = "en", figures: str = "figures") -> Content:
    """Read DIR, compute the statistics and verdicts, draw the figures (into ``DIR/<figures>``)
    and write the CSV tables."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; allowed: {', '.join(LANGUAGES)}")
    study = load(out)
    seed = int(study.experiment.get("seed", 0))
    per_run = outcomes(study.runs, study.monthly, study.arm_params)
    measures = present(per_run)
    keys = [m.key for m in measures]
    table = summarise(per_run, study.arms, keys, seed, RATIOS)
    decided = _decide(study, per_run, table, seed)
    if decided is not None:
        table = pd.concat([table, _icer_rows(decided)], ignore_index=True)
        measures = [*measures, BY_KEY[ICER]]
    m = markers(study.arm_params, study.arms)
    extra = [c for c in EXTRA_TRAJECTORIES if c in study.monthly]
    folder = study.out / figures
    acceptability = decided["acceptability"] if decided is not None else None
    parts = max(1, min(cpu_count(), FIGURE_PROCESSES))
    drawings = asides(
        _draw_figures,
        [
            (per_run, study.monthly, table, study.arms, m, seed, lang, folder, extra, acceptability, (k, parts))
            for k in range(parts)
        ],
    )
    pairs = _clear_as_shown(
        compare_pairs(
            per_run, study.arms, keys, seed, paired=bool(study.experiment.get("paired", False)), ratios=RATIOS
        )
    )
    ranked = ranked_arms(table, study.arms, EFFECT, higher=True)
    worlds = hinges.sentences(
        study.experiment, study.runs, per_run, ranked[0] if ranked else None, ranked[1:], EFFECT, lang
    )
    answers = verdicts(
        table,
        pairs,
        study.arms,
        lang,
        replicates=study.replicates,
        failed=len(study.failed),
        horizon_after=_horizon_after(study, m),
        worlds=worlds,
        surveyed=bool(_common(study, "village.survey")),
        comparator=decided["comparator"] if decided else None,
    )
    drawn = hinges.drawn(study.experiment, study.runs)
    if drawn:
        answers["sure"].short += " " + t("report.sure_sum_mean", lang).format(k=len(drawn))
    middle = _middle_half(per_run, study.arms, EFFECT, lang)
    if middle:  # lead with the outcomes across worlds, not the interval of a mean
        answers["sure"].short = t("report.sure_sum_spread", lang).format(parts=middle) + " " + answers["sure"].short
    _write(study.out / "summary.csv", table.to_csv(index=False))
    _write(study.out / "pairs.csv", pairs.to_csv(index=False))
    decision_text: list[str] = []
    if decided is not None:
        for stem in ("cost_effectiveness", "acceptability", "regret", "value_of_information"):
            _write(study.out / f"{stem}.csv", decided[stem].to_csv(index=False))
        decision_text = decision_paragraphs(decided, lang)
    switches = _switch_points(study, seed)
    if switches is not None:
        _write(study.out / "switch_points.csv", switches.to_csv(index=False))
        said = switch_paragraph(switches, lang)
        if said and decided is not None:
            decision_text.insert(1, said)
    rows, replicates, level, reach = _decomposition(study, per_run, [k for k in HEADLINE if k in keys], seed)
    if level is not None and len(level):
        _write(study.out / "level_field.csv", level.to_csv(index=False))
        answers["effect"].details += level_sentences(level, lang)
        answers["effect"].short += " " + t("report.level_short", lang).format(
            strategy=name(level["strategy"].iloc[0], lang),
            parts=names(
                [
                    t("report.level_part", lang).format(
                        difference=fmt.difference(r["difference"], BY_KEY[EFFECT].kind, lang),
                        against=name(r["against"], lang),
                    )
                    for _, r in level.iterrows()
                ],
                lang,
            ),
        )
    answers["effect"].details += spread_sentences(per_run, study.arms, EFFECT, lang)
    answers["lasting"].details += fading_sentences(study, lang)
    if _horizon_after(study, m):
        answers["lasting"].details += lasting_caution(lang)
    held = _default_village(study, per_run, seed)
    if held is not None:
        _write(study.out / "default_village.csv", held.to_csv(index=False))
        answers["sure"].details += default_village_sentences(held, lang)
    paragraphs, short = (
        _decomposition_text(rows, lang, replicates, pairs, level, reach) if rows is not None else ([], [])
    )
    files = {stem: paths for drawing in drawings for stem, paths in drawing.result().items()}
    groups = _figures(files, lang, extra)
    if rows is not None:
        _write(study.out / "decomposition.csv", rows.to_csv(index=False))
        if (rows["measure"] == EFFECT).any():
            files["decomposition"] = draw(
                folder,
                "decomposition",
                partial(decomposition_figure, rows, EFFECT, lang, partial(factor_label, short=True)),
            )
            groups.insert(
                0,
                FigureGroup(
                    t("report.decomposition", lang),
                    "",
                    [
                        Figure(
                            "decomposition",
                            t("report.fig_decomposition", lang),
                            t("report.caption_decomposition", lang).format(measure=t(f"report.{EFFECT}", lang).lower()),
                            files["decomposition"],
                        )
                    ],
                ),
            )
    curve, setting = _cost_curve(study, seed)
    curve_note = ""
    if curve is not None:
        _write(study.out / "cost_curve.csv", curve.to_csv(index=False))
        counts, curve_replicates = setting
        curve_note = t("report.cost_curve_note", lang).format(
            counts=names([fmt.number(c, lang, 0) for c in counts], lang), replicates=curve_replicates
        )
        shown = []
        for measure in dict.fromkeys(curve["measure"]):
            stem = f"cost_curve_{measure}"
            title = t(f"report.{measure}", lang)
            files[stem] = draw(
                folder, stem, partial(cost_curve_figure, curve, measure, BY_KEY[measure].kind, lang, title)
            )
            shown.append(Figure(stem, title, "", files[stem]))
        groups.insert(0, FigureGroup(t("report.cost_curve", lang), curve_note, shown))
    summary = " ".join([answers[q].short for q in QUESTIONS] + short)
    created = str(study.experiment.get("created", ""))[:10]  # the date of the runs
    subtitle = " \u00b7 ".join([t("report.subtitle", lang), *_setting(study, lang)] + ([created] if created else []))
    return Content(
        lang,
        study,
        t("report.title", lang).format(k=len(study.arms)),
        subtitle,
        summary,
        answers,
        table,
        pairs,
        groups,
        _extra_sections(study.out, lang),
        measures=measures,
        about=[about(a, study.arm_params.get(a, {}), lang) for a in study.arms],
        decomposition=rows,
        decomposition_text=paragraphs,
        decomposition_replicates=replicates,
        level=level,
        reach=reach,
        cost_curve=curve,
        cost_curve_note=curve_note,
        figures_dir=figures,
        fitness=fitness(study, lang),
        decision=decided,
        decision_text=decision_text,
    )


# --- cells shared by both renderers ---------------------------------------------------------


def _cell(c: Content, arm: str, measure: str) -> tuple[str, str]:
    """(value, interval) of one arm's measure; the cost of an arm without facilitators is "none"."""
    if measure in (COST, COST_RP) and arm not in _fielding(c.study, c.table):
        return t("report.no_facilitators_short", c.lang), ""
    if measure == ICER and c.decision is not None and arm == c.decision["comparator"]:
        return t("report.comparator_short", c.lang), ""
    if measure == SUSTAINABILITY and estimate(c.table, arm, EFFECT)["mean"] < TINY_BASE:
        return t("report.tiny_base_short", c.lang), ""  # a ratio on a tiny base says little, as the text says
    e = estimate(c.table, arm, measure)
    kind = BY_KEY[measure].kind
    # an interval that rounds to the value itself (every replicate agrees) adds nothing
    same = fmt.value(e["low"], kind, c.lang) == fmt.value(e["high"], kind, c.lang)
    interval = "" if same else fmt.interval(e["low"], e["high"], kind, c.lang)
    if e["missing"]:
        interval += (" \u00b7 " if interval else "") + t("report.n_of", c.lang).format(
            n=int(e["n"]), total=int(e["n"] + e["missing"])
        )
    return fmt.value(e["mean"], kind, c.lang), interval


def _pair_rows(c: Content, measure: str) -> list[list[str]]:
    """Every pair, the arm with the higher mean first, so differences read as positive.

    Cost pairs leave out arms that fielded no facilitators: they have no cost to compare.
    """
    kind = BY_KEY[measure].kind
    compared = _fielding(c.study, c.table) if measure in (COST, COST_RP) else c.study.arms
    rows = []
    for _, r in c.pairs[c.pairs["measure"] == measure].iterrows():
        if r["a"] not in compared or r["b"] not in compared:
            continue
        a, b = (r["b"], r["a"]) if r["difference"] < 0 else (r["a"], r["b"])
        d = pair(c.pairs, measure, a, b)
        rows.append(
            [
                t("report.vs", c.lang).format(a=name(a, c.lang), b=name(b, c.lang)),
                fmt.difference(d.difference, kind, c.lang),
                fmt.interval(d.low, d.high, kind, c.lang, sign=True),
                fmt.percent(d.p_higher, c.lang),
                t("report.clear" if d.clear else "report.not_clear", c.lang),
            ]
        )
    return rows


def _pair_header(c: Content) -> list[str]:
    return [
        t("report.pair", c.lang),
        t("report.difference", c.lang),
        t("report.ci95", c.lang),
        t("report.p_higher", c.lang),
        t("report.verdict", c.lang),
    ]


def _differing(c: Content) -> tuple[list[str], list[list[str]]]:
    """The settings in which the strategies differ, in words: header and rows.

    The switches a reader knows by name come first, worded; any other differing parameter
    follows under its schema name.
    """
    study = c.study
    keys = sorted({k for a in study.arms for k in study.arm_params.get(a, {})})
    differing = [k for k in keys if len({repr(study.arm_params.get(a, {}).get(k)) for a in study.arms}) > 1]
    ordered = [k for k in SWITCHES if k in differing] + [k for k in differing if k not in SWITCHES]
    rows = []
    for key in ordered:
        values = [_value_words(key, study.arm_params.get(a, {}).get(key), c.lang) for a in study.arms]
        rows.append([hinges.label(key, c.lang, schema_name=False), *values])
    return [t("report.method_switch", c.lang)] + [name(a, c.lang) for a in study.arms], rows


def _scenario_rows(c: Content) -> list[list[str]]:
    paths = {s["name"]: s.get("path", "") for s in c.study.experiment.get("scenarios", [])}
    return [
        [name(a, c.lang), a, Path(str(paths.get(a.split(" [")[0], ""))).name, str(c.study.replicates[a])]
        for a in c.study.arms
    ]


def _method_facts(c: Content) -> list[tuple[str, str]]:
    e = c.study.experiment
    facts = [
        (t("report.replicates", c.lang), ", ".join(f"{name(a, c.lang)} {n}" for a, n in c.study.replicates.items())),
        (t("report.failed_runs", c.lang), str(len(c.study.failed))),
        (t("report.root_seed", c.lang), str(e.get("seed", ""))),
        (t("report.seeds", c.lang), t("report.seeds_text_paired" if e.get("paired") else "report.seeds_text", c.lang)),
        (t("report.horizon", c.lang), str(int(c.study.monthly["month"].max()))),
    ]
    if e.get("overrides"):
        facts.append((t("report.overrides", c.lang), ", ".join(f"{k}={v}" for k, v in e["overrides"].items())))
    versions = e.get("versions") or {}
    if versions:
        facts.append((t("report.versions", c.lang), ", ".join(f"{k} {v}" for k, v in versions.items())))
    commit = e.get("git_commit") or e.get("commit")
    if commit:
        dirty = f" ({t('report.dirty', c.lang)})" if e.get("git_dirty") else ""
        facts.append((t("report.commit", c.lang), f"{commit}{dirty}"))
    return facts


def _pairing(c: Content, paired_key: str, key: str) -> str:
    """The paired or the independent wording, by how the pairs were compared; both where they were mixed."""
    paired = c.pairs["paired"] if len(c.pairs) else pd.Series([], dtype=bool)
    if not paired.any():
        return t(key, c.lang)
    mixed = f" {t('report.statistics_mixed', c.lang)}" if not paired.all() else ""
    return t(paired_key, c.lang) + mixed


def _statistics_text(c: Content) -> str:
    return _pairing(c, "report.statistics_paired", "report.statistics").format(
        confidence=round(100 * CONFIDENCE), resamples=fmt.number(RESAMPLES, c.lang, 0)
    )


def _pairs_note(c: Content) -> str:
    return _pairing(c, "report.pairs_note_paired", "report.pairs_note")


# --- HTML -------------------------------------------------------------------------------------

CSS = """
:root{--ink:#1f2328;--muted:#59636e;--line:#d8dee4;--accent:#0b5cad;--soft:#f3f7fb}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:var(--ink);background:#fff}
main{max-width:64rem;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.6rem;line-height:1.25;margin:.4rem 0 .2rem}
h2{font-size:1.25rem;margin:2rem 0 .6rem;padding-top:.6rem;border-top:1px solid var(--line)}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
p{margin:.5rem 0}
.sub{color:var(--muted);font-size:.9rem;margin:0 0 1rem}
.summary{background:var(--soft);border-left:4px solid var(--accent);padding:.8rem 1rem;border-radius:4px;font-size:1.02rem}
.wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.93rem;margin:.4rem 0}
th,td{padding:.45rem .5rem;border-bottom:1px solid var(--line);text-align:right;vertical-align:top}
th{font-weight:600;background:#fafbfc}
th:first-child,td:first-child{text-align:left}
td.t{text-align:left}
table.text th,table.text td{text-align:left}
.ci{display:block;color:var(--muted);font-size:.8rem;white-space:nowrap}
table.key .ci{white-space:normal}
.sw{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.45em;vertical-align:-.05em}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,24rem),1fr));gap:.8rem;margin-top:1rem}
.card{border:1px solid var(--line);border-radius:6px;padding:.7rem 1rem}
.card h3{margin:.1rem 0 .35rem;font-size:1rem;color:var(--accent)}
.card ul{margin:.4rem 0 0;padding-left:1.1rem;font-size:.88rem;color:var(--muted)}
.figs{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,26rem),1fr));gap:1.2rem}
figure{margin:0}
figure img{width:100%;height:auto;display:block}
figcaption{font-size:.85rem;color:var(--muted);margin-top:.2rem}
dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.25rem 1rem;font-size:.93rem}
dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
.note{font-size:.88rem;color:var(--muted)}
h2.about{font-size:1.05rem;margin:.6rem 0 .3rem;padding:0;border:0}
ul.about{margin:0 0 .8rem;padding-left:0;list-style:none;font-size:.95rem}
ul.about li{margin:.15rem 0}
@media (max-width:40rem){
 body{font-size:15px}main{padding:.75rem .8rem 2rem}h1{font-size:1.3rem}
 table.key thead,table.stack thead{display:none}
 table.key tr,table.stack tr{display:block;border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:.2rem .6rem}
 table.key td,table.stack td{display:flex;justify-content:space-between;gap:1rem;border:0;padding:.25rem 0;text-align:right}
 table.key td:first-child,table.stack td:first-child{display:block;text-align:left;font-weight:700;font-size:1.05rem;padding:.35rem 0 .15rem}
 table.key td[data-label]::before,table.stack td[data-label]::before{content:attr(data-label);text-align:left;color:var(--muted);font-size:.85rem;flex:1;min-width:40%}
 table.key td:first-child::before,table.stack td:first-child::before{content:none}
 table.key td>span,table.stack td>span{flex:1.4;min-width:0}
 table.key .ci,table.stack .ci{display:block;white-space:normal}
 dl{grid-template-columns:1fr}dd{margin-bottom:.4rem}
}
@media print{.figs{display:block}figure{break-inside:avoid;margin-bottom:1rem}}
"""


def _key_columns(c: Content) -> list[str]:
    held = {m.key for m in c.measures}
    return [k for k in KEY_COLUMNS if k in held]


def _summary_parts(c: Content) -> list[tuple[str, str]]:
    """(key word, answer) of the opening paragraph: the four questions, then where the lead comes from."""
    parts = [(t(f"report.k_{q}", c.lang), c.verdicts[q].short) for q in QUESTIONS]
    source = (
        " ".join(
            _decomposition_text(c.decomposition, c.lang, c.decomposition_replicates, level=c.level, reach=c.reach)[1]
        )
        if c.decomposition is not None
        else ""
    )
    return parts + ([(t("report.k_source", c.lang), source)] if source else [])


def _html_summary(c: Content) -> str:
    """The summary paragraph, each answer led by its question's key word in bold, for scanning."""
    return " ".join(f"<b>{escape(k)}.</b> {escape(v)}" for k, v in _summary_parts(c))


def _html_about(c: Content) -> str:
    colour = colours(c.study.arms)
    items = "".join(
        f'<li><span class="sw" style="background:{colour[arm]}"></span><b>{escape(name(arm, c.lang))}</b>'
        f"{escape(text.removeprefix(name(arm, c.lang)))}</li>"
        for arm, text in zip(c.study.arms, c.about, strict=True)
    )
    return f'<h2 class="about">{escape(t("report.about", c.lang))}</h2><ul class="about">{items}</ul>'


def _key_note(c: Content) -> str:
    cutoff = _common(c.study, "households.self_reliance_threshold")
    shown = "self_reliance_horizon" in _key_columns(c) and cutoff is not None
    cut = " " + t("report.cutoff_note", c.lang).format(cutoff=fmt.number(cutoff, c.lang, 2)) if shown else ""
    return f"{t('report.key_note', c.lang)} {t('report.points_note', c.lang)}{cut}"


def _html_key_table(c: Content) -> str:
    colour = colours(c.study.arms)
    columns = _key_columns(c)
    labels = [t(f"report.{m}", c.lang) for m in columns]
    head = f"<th>{escape(t('report.strategy', c.lang))}</th>" + "".join(f"<th>{escape(x)}</th>" for x in labels)
    rows = []
    for arm in c.study.arms:
        cells = [f'<td><span class="sw" style="background:{colour[arm]}"></span>{escape(name(arm, c.lang))}</td>']
        for label, measure in zip(labels, columns, strict=True):
            value, interval = _cell(c, arm, measure)
            ci = f'<span class="ci">{escape(interval)}</span>' if interval else ""
            cells.append(f'<td data-label="{escape(label)}"><span>{escape(value)}{ci}</span></td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    note = f'<p class="note">{escape(_key_note(c))}</p>'
    return (
        f'<div class="wrap"><table class="key"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}'
        f"</tbody></table></div>{note}"
    )


def _html_details(c: Content) -> str:
    header = [t("report.measure", c.lang)] + [name(a, c.lang) for a in c.study.arms]
    rows = []
    for m in c.measures:
        cells = [f'<td class="t">{escape(t(f"report.{m.key}", c.lang))}</td>']
        for arm in c.study.arms:
            value, interval = _cell(c, arm, m.key)
            ci = f'<span class="ci">{escape(interval)}</span>' if interval else ""
            cells.append(f'<td data-label="{escape(name(arm, c.lang))}"><span>{escape(value)}{ci}</span></td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    return (
        f'<div class="wrap"><table class="stack"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _html_card(v: Verdict, lang: str) -> str:
    details = "".join(f"<li>{escape(d)}</li>" for d in v.details)
    more = f"<ul>{details}</ul>" if details else ""
    return (
        f'<div class="card" id="q-{v.question}"><h3>{escape(t(f"report.q_{v.question}", lang))}</h3>'
        f"<p>{escape(' '.join(v.headline))}</p>{more}</div>"
    )


def _html_figures(c: Content) -> str:
    parts = []
    for group in c.figures:
        items = "".join(
            f'<figure id="fig-{f.stem}"><img src="{svg_data_uri(f.files["svg"])}" alt="{escape(f.title)}">'
            + (f"<figcaption>{escape(f.caption)}</figcaption>" if f.caption else "")
            + "</figure>"
            for f in group.figures
        )
        note = f'<p class="note">{escape(group.note)}</p>' if group.note else ""
        parts.append(f'<h3>{escape(group.heading)}</h3>{note}<div class="figs">{items}</div>')
    return "".join(parts)


def _pair_measures(c: Content) -> list[str]:
    held = {m.key for m in c.measures}
    return [m for m in PAIR_MEASURES if m in held]


def _html_source(c: Content) -> str:
    """The decomposition section: what was run, one paragraph per pair, the table."""
    if c.decomposition is None:
        return (
            f'<section id="decomposition"><h2>{escape(t("report.decomposition", c.lang))}</h2><p class="note">'
            f"{escape(t('report.decomposition_none', c.lang))}</p></section>"
        )
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in c.decomposition_text)
    note = t("report.decomposition_note", c.lang).format(replicates=c.decomposition_replicates)
    return (
        f'<section id="decomposition"><h2>{escape(t("report.decomposition", c.lang))}</h2>{paragraphs}'
        f'<p class="note">{escape(note)}</p></section>'
    )


def _decision_rows(c: Content) -> tuple[list[str], list[list[str]]]:
    """The cost-effectiveness table: each strategy over the comparator, and its verdict."""
    header = [
        t("report.strategy", c.lang),
        t("report.ce_extra_households", c.lang),
        t("report.ce_extra_cost", c.lang),
        t(f"report.{ICER}", c.lang),
        t("report.ce_status", c.lang),
    ]
    rows = []
    for _, r in c.decision["cost_effectiveness"].iterrows():
        value, interval = _cell(c, r["strategy"], ICER)
        rows.append(
            [
                name(r["strategy"], c.lang),
                fmt.number(r["incremental_self_reliant"], c.lang, 1, sign=True),
                fmt.value(r["incremental_cost_rp"], "rupiah", c.lang),
                f"{value} ({interval})" if interval else value,
                t(f"report.status_{r['status']}", c.lang),
            ]
        )
    return header, rows


def _html_decision(c: Content) -> str:
    if c.decision is None:
        return ""
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in c.decision_text)
    header, rows = _decision_rows(c)
    figure = c.study.out / c.figures_dir / "acceptability.svg"
    image = (
        f'<figure id="fig-acceptability"><img src="{svg_data_uri(figure)}" '
        f'alt="{escape(t("report.fig_acceptability", c.lang))}"></figure>'
        if figure.is_file()
        else ""
    )
    return (
        f'<section id="decision"><h2>{escape(t("report.decision", c.lang))}</h2>{paragraphs}'
        f"{table(header, rows, 'text stack')}{image}</section>"
    )


def _md_decision(c: Content) -> list[str]:
    if c.decision is None:
        return []
    header, rows = _decision_rows(c)
    out = [f"## {t('report.decision', c.lang)}", ""]
    out += [p for text in c.decision_text for p in (text, "")]
    out += [_md_table(header, rows), ""]
    out += [f"![{t('report.fig_acceptability', c.lang)}]({c.figures_dir}/acceptability.png)", ""]
    return out


def render_html(c: Content) -> str:
    lang = c.lang
    cards = "".join(_html_card(c.verdicts[q], lang) for q in QUESTIONS)
    pairs = "".join(
        f"<h3>{escape(t(f'report.{m}', lang))}</h3>" + table(_pair_header(c), _pair_rows(c, m), "stack")
        for m in _pair_measures(c)
    )
    differing_header, differing = _differing(c)
    differ = (
        table(differing_header, differing, "text stack")
        if differing
        else f"<p>{escape(t('report.no_differing', lang))}</p>"
    )
    facts = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in _method_facts(c))
    scenario_header = [
        t("report.strategy", lang),
        t("report.scenario", lang),
        t("report.file", lang),
        t("report.replicates", lang),
    ]
    extras = "".join(
        f'<section class="extra" data-source="{escape(file)}">{fragment}</section>' for file, fragment in c.sections
    )
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(c.title)}</title>
<style>{CSS}</style>
</head>
<body>
<main>
<header><h1>{escape(c.title)}</h1><p class="sub">{escape(c.subtitle)}</p>
<p class="note" id="fitness">{escape(c.fitness)}</p></header>
<section id="summary">
{_html_about(c)}
<p class="summary">{_html_summary(c)}</p>
{_html_key_table(c)}
<div class="cards">{cards}</div>
</section>
{_html_decision(c)}
{_html_source(c)}
<section id="figures">
<h2>{escape(t("report.figures", lang))}</h2>
{_html_figures(c)}
</section>
<section id="details">
<h2>{escape(t("report.details", lang))}</h2>
{_html_details(c)}
<p class="note">{escape(t("report.details_note", lang))}</p>
</section>
<section id="pairs">
<h2>{escape(t("report.pairs", lang))}</h2>
<p class="note">{escape(_pairs_note(c))}</p>
{pairs}
</section>
{extras}
<section id="method">
<h2>{escape(t("report.method", lang))}</h2>
<h3>{escape(t("report.scenarios", lang))}</h3>
{table(scenario_header, _scenario_rows(c), "text stack")}
<h3>{escape(t("report.differing", lang))}</h3>
{differ}
<h3>{escape(t("report.runs", lang))}</h3>
<dl>{facts}</dl>
<h3>{escape(t("report.statistics_heading", lang))}</h3>
<p>{escape(_statistics_text(c))}</p>
<p>{escape(t("report.definitions", lang))}</p>
</section>
</main>
</body>
</html>
"""


# --- Markdown ---------------------------------------------------------------------------------


def _md_escape(text: Any) -> str:
    return str(text).replace("|", "\\|")


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(_md_escape(h) for h in header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(_md_escape(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def render_markdown(c: Content) -> str:
    lang = c.lang
    key_rows = []
    for arm in c.study.arms:
        row = [name(arm, lang)]
        for measure in _key_columns(c):
            value, interval = _cell(c, arm, measure)
            row.append(f"{value} ({interval})" if interval else value)
        key_rows.append(row)
    lead = " ".join(f"**{k}.** {v}" for k, v in _summary_parts(c))
    out = [f"# {c.title}", "", f"_{c.subtitle}_", "", c.fitness, "", f"**{t('report.about', lang)}**", ""]
    out += [f"- {text}" for text in c.about] + [
        "",
        lead,
        "",
        _md_table([t("report.strategy", lang)] + [t(f"report.{m}", lang) for m in _key_columns(c)], key_rows),
        "",
        _key_note(c),
        "",
    ]
    for q in QUESTIONS:
        v = c.verdicts[q]
        out += [f"### {t(f'report.q_{q}', lang)}", "", " ".join(v.headline), ""]
        out += [f"- {d}" for d in v.details] + ([""] if v.details else [])
    out += _md_decision(c)
    out += [f"## {t('report.decomposition', lang)}", ""]
    if c.decomposition is None:
        out += [t("report.decomposition_none", lang), ""]
    else:
        out += [p for text in c.decomposition_text for p in (text, "")]
        out += [t("report.decomposition_note", lang).format(replicates=c.decomposition_replicates), ""]
    out += [f"## {t('report.figures', lang)}", ""]
    for group in c.figures:
        out += [f"### {group.heading}", ""] + ([f"_{group.note}_", ""] if group.note else [])
        for f in group.figures:
            out += [f"![{f.title}]({f.files['png'].relative_to(c.study.out).as_posix()})", ""]
            out += [f"_{f.caption}_", ""] if f.caption else []
    out += [f"## {t('report.details', lang)}", ""]
    rows = []
    for m in c.measures:
        row = [t(f"report.{m.key}", lang)]
        for arm in c.study.arms:
            value, interval = _cell(c, arm, m.key)
            row.append(f"{value} ({interval})" if interval else value)
        rows.append(row)
    out += [
        _md_table([t("report.measure", lang)] + [name(a, lang) for a in c.study.arms], rows),
        "",
        t("report.details_note", lang),
        "",
        f"## {t('report.pairs', lang)}",
        "",
        _pairs_note(c),
        "",
    ]
    for m in _pair_measures(c):
        out += [f"### {t(f'report.{m}', lang)}", "", _md_table(_pair_header(c), _pair_rows(c, m)), ""]
    if c.sections:
        out += [f"## {t('report.more_sections', lang)}", ""]
        out += [f"- [{file}](sections/{file})" for file, _ in c.sections] + [""]
    differing_header, differing = _differing(c)
    out += [
        f"## {t('report.method', lang)}",
        "",
        f"### {t('report.scenarios', lang)}",
        "",
        _md_table(
            [
                t("report.strategy", lang),
                t("report.scenario", lang),
                t("report.file", lang),
                t("report.replicates", lang),
            ],
            _scenario_rows(c),
        ),
        "",
        f"### {t('report.differing', lang)}",
        "",
        _md_table(differing_header, differing) if differing else t("report.no_differing", lang),
        "",
        f"### {t('report.runs', lang)}",
        "",
    ]
    out += [f"- **{k}**: {v}" for k, v in _method_facts(c)]
    out += [
        "",
        f"### {t('report.statistics_heading', lang)}",
        "",
        _statistics_text(c),
        "",
        t("report.definitions", lang),
        "",
    ]
    return "\n".join(out)


def targets(out: Path, lang: str, primary: bool = False) -> dict[str, Any]:
    """Where a report in ``lang`` goes: ``report.html`` and ``figures/`` for the folder's first
    language (or when ``primary``, as ``berdaya compare`` asks), else ``report.<lang>.html`` and
    ``figures.<lang>/``, so that no language overwrites another."""
    record = out / RECORD
    first = None
    if record.is_file():
        try:
            first = json.loads(record.read_text(encoding="utf-8")).get("lang")
        except (OSError, ValueError):
            first = None
    main = primary or first in (None, lang) or first not in LANGUAGES
    stem, figures = ("report", "figures") if main else (f"report.{lang}", f"figures.{lang}")
    return {"main": main, "html": out / f"{stem}.html", "md": out / f"{stem}.md", "figures": figures}


def build(out: str | Path, lang: str = "en", primary: bool = False) -> tuple[dict[str, Path], str]:
    """Write the report in ``lang`` (HTML, Markdown), its figures and the CSV tables into ``out``.

    Returns the paths written and the summary paragraph (for the terminal).
    """
    out = Path(out)
    check_writable(out)
    where = targets(out, lang, primary)
    c = compute(out, lang, where["figures"])
    _write(where["html"], render_html(c))
    _write(where["md"], render_markdown(c))
    if where["main"]:
        _write(out / RECORD, json.dumps({"lang": lang}) + "\n")
    return {"html": where["html"], "md": where["md"]}, " ".join(v for _, v in _summary_parts(c))
