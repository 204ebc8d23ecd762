"""Guided experiments for a class: two villages from one seed that differ in one switch.

Each card names a switch the source texts argue about (``/work/shared/seeds``), the two
values to set side by side, and what to read off both runs afterwards. The reading is
computed from the two runs' monthly records (``reading``), never written in advance: a
different seed or other settings can give a different answer, and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from analysis.fmt import DIGITS, number, shown, value
from analysis.i18n import t
from berdaya.viz.controls import label, with_strategy
from sim.collect import COLUMNS


@dataclass(frozen=True)
class Card:
    """One experiment: the scenario both villages start from and the switch that tells them apart."""

    name: str
    scenario: str
    switch: str
    values: tuple[Any, Any]
    source: str  # the source text (seed) the question comes from
    measures: tuple[str, ...]

    def settings(self, base: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The two villages' settings: ``base`` with the switch at each of its values."""
        if self.switch == "strategy":
            return tuple(with_strategy(base, v) for v in self.values)
        return tuple({**base, self.switch: v} for v in self.values)

    def option(self, which: int, lang: str) -> str:
        """How village A (0) or B (1) is set, in words."""
        v = self.values[which]
        if self.switch == "exit_mode":
            return t(f"exit_mode.{v}", lang)
        if self.switch == "project_management":
            return t(f"management.{v}", lang)
        if self.switch == "strategy":
            return t(v, lang)
        return t(f"{ON_OFF[self.switch]}_{'on' if v else 'off'}", lang)


# The labels of a yes/no switch's two villages.
ON_OFF = {"patron_engagement": "viz.patrons", "internal_facilitators": "viz.internal"}
# Share self-reliant first: the outcome every card's question turns on.
COMMON = ("self_reliant_share", "dependency")
CARDS: dict[str, Card] = {
    card.name: card
    for card in (
        Card("exit", "area_based", "exit_mode", ("abrupt", "phased"), "004", (*COMMON, "groups_mature")),
        Card(
            "management",
            "area_based",
            "project_management",
            ("ngo", "community"),
            "000",
            (*COMMON, "groups_mature", "groups_dissolved"),
        ),
        Card("patrons", "area_based", "patron_engagement", (True, False), "002", (*COMMON, "patron_rent")),
        Card(
            "strategy",
            "area_based",
            "strategy",
            ("area_based", "enterprise_based"),
            "000",
            (*COMMON, "in_group_share", "groups_mature"),
        ),
        Card(
            "internal",
            "hybrid",
            "internal_facilitators",
            (True, False),
            "001",
            (*COMMON, "internal_facilitators", "groups_mature"),
        ),
    )
}
# How each measure of a reading is written (``analysis.fmt`` kinds; counts are whole numbers).
KINDS = {
    "self_reliant_share": "share",
    "in_group_share": "share",
    "dependency": "index",
    "patron_rent": "rent",
    "groups_mature": "count",
    "groups_dissolved": "count",
    "internal_facilitators": "count",
}


def switch_label(card: Card, lang: str) -> str:
    return label(f"viz.{card.switch}", lang)


def _rounded(x: float, kind: str) -> float:
    """``x`` as the reading shows it (shares in whole percent, counts whole): gaps are taken between these."""
    return round(x) if kind == "count" else shown(x, kind)


def _written(x: float, kind: str, lang: str) -> str:
    """A value as shown (``_rounded``), with its unit; the same digits for a gap between two of them."""
    digits = 0 if kind in ("count", "share") else DIGITS[kind]
    text = number(x, lang, digits)
    return text + "%" if kind == "share" else text


def gap(x: float, y: float, kind: str, lang: str) -> str | None:
    """How much higher the larger of two shown values is, from the values as shown, so that "A 5%, B 2%"
    reads "A higher by 3 points" and "0,62 against 0,62" reads the same; None when they show the same."""
    a, b = _rounded(x, kind), _rounded(y, kind)
    digits = 0 if kind in ("count", "share") else DIGITS[kind]
    diff = round(abs(b - a), digits)
    if diff == 0:
        return None
    text = number(diff, lang, digits)
    if kind == "share":
        return f"{text} {t('report.point' if diff == 1 else 'report.points', lang)}"
    return text


def reading(card: Card, records: tuple[np.ndarray, np.ndarray], programme_months: int, lang: str) -> list[str]:
    """What differed between the two runs, in sentences, from their monthly records (rows: months 0..now)."""
    a, b = records
    month = int(a[-1, COLUMNS.index("month")])
    lines = [t("viz.reading_month", lang).format(month=month)]
    for name in card.measures:
        kind = KINDS[name]
        x, y = float(a[-1, COLUMNS.index(name)]), float(b[-1, COLUMNS.index(name)])
        diff = gap(x, y, kind, lang)
        who = "B" if _rounded(y, kind) > _rounded(x, kind) else "A"
        verdict = (
            t("viz.reading_same", lang) if diff is None else t("viz.reading_higher", lang).format(who=who, diff=diff)
        )
        lines.append(
            t("viz.reading_line", lang).format(
                measure=t(name, lang),
                a=_written(_rounded(x, kind), kind, lang),
                b=_written(_rounded(y, kind), kind, lang),
                verdict=verdict,
            )
        )
    if programme_months < month:
        share = COLUMNS.index("self_reliant_share")
        lines.append(
            t("viz.reading_after", lang).format(
                end=programme_months,
                month=month,
                a0=value(a[programme_months, share], "share", lang),
                a1=value(a[-1, share], "share", lang),
                b0=value(b[programme_months, share], "share", lang),
                b1=value(b[-1, share], "share", lang),
            )
        )
    lines.append(t("viz.reading_caveat", lang))
    return lines
