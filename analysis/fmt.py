"""Numbers as a reader expects them: percentages for shares, a decimal comma in Indonesian."""

from __future__ import annotations

import math

from sim.i18n import t

DIGITS = {"share": 0, "index": 2, "ratio": 2, "count": 1, "months": 0, "rent": 3}
MINUS = "\u2212"


def number(value: float, lang: str, digits: int, sign: bool = False) -> str:
    """``value`` rounded to ``digits``; "n/a" for NaN; decimal comma and dot grouping in Indonesian."""
    if value is None or not math.isfinite(value):
        return t("report.na", lang)
    text = f"{abs(value):,.{digits}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    rounded_zero = round(abs(value), digits) == 0
    if value < 0 and not rounded_zero:
        return MINUS + text
    return ("+" + text) if sign and not rounded_zero else text


def value(x: float, kind: str, lang: str, sign: bool = False) -> str:
    """One value of a measure of this kind (shares as percentages)."""
    if kind == "share":
        return number(100 * x, lang, DIGITS[kind], sign) + ("" if not math.isfinite(x) else "%")
    return number(x, lang, DIGITS[kind], sign)


def difference(x: float, kind: str, lang: str) -> str:
    """A signed difference; shares in percentage points."""
    if kind == "share":
        text = number(100 * x, lang, DIGITS[kind], sign=True)
        return text if not math.isfinite(x) else f"{text} {t('report.points', lang)}"
    return number(x, lang, DIGITS[kind], sign=True)


def interval(low: float, high: float, kind: str, lang: str, sign: bool = False) -> str:
    """``low`` to ``high`` (shares as percentages, or points when ``sign``)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return t("report.na", lang)
    if kind == "share":
        a, b = number(100 * low, lang, DIGITS[kind], sign), number(100 * high, lang, DIGITS[kind], sign)
        unit = f" {t('report.points', lang)}" if sign else "%"
        return t("report.range", lang).format(low=a, high=b) + unit
    return t("report.range", lang).format(low=number(low, lang, DIGITS[kind], sign),
                                          high=number(high, lang, DIGITS[kind], sign))


def percent(p: float, lang: str) -> str:
    """A probability as a whole percentage."""
    return number(100 * p, lang, 0) + ("%" if math.isfinite(p) else "")
