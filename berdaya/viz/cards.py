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

from analysis.fmt import DIGITS, difference, number, value
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


def _shown(x: float, kind: str, lang: str) -> str:
    return number(x, lang, 0) if kind == "count" else value(x, kind, lang)


def _differs(diff: float, kind: str) -> bool:
    """Whether a difference survives the rounding it is shown with."""
    digits = 0 if kind == "count" else DIGITS[kind] + (2 if kind == "share" else 0)
    return round(abs(diff), digits) > 0


def reading(card: Card, records: tuple[np.ndarray, np.ndarray], programme_months: int, lang: str) -> list[str]:
    """What differed between the two runs, in sentences, from their monthly records (rows: months 0..now)."""
    a, b = records
    month = int(a[-1, COLUMNS.index("month")])
    lines = [t("viz.reading_month", lang).format(month=month)]
    for name in card.measures:
        kind = KINDS[name]
        x, y = float(a[-1, COLUMNS.index(name)]), float(b[-1, COLUMNS.index(name)])
        if _differs(y - x, kind):
            diff = number(abs(y - x), lang, 0) if kind == "count" else difference(abs(y - x), kind, lang).lstrip("+")
            verdict = t("viz.reading_higher", lang).format(who="B" if y > x else "A", diff=diff)
        else:
            verdict = t("viz.reading_same", lang)
        lines.append(
            t("viz.reading_line", lang).format(
                measure=t(name, lang), a=_shown(x, kind, lang), b=_shown(y, kind, lang), verdict=verdict
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
