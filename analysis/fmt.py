"""Numbers as a reader expects them: percentages for shares, a decimal comma in Indonesian."""

from __future__ import annotations

import math

from analysis.i18n import t

DIGITS = {"share": 0, "index": 2, "ratio": 2, "count": 1, "months": 0, "rent": 3, "level": 2, "rupiah": 1}
# A difference between two shares is shown to a tenth of a point: whole points would show
# an interval of 0.4 to 2.4 points as "0 to +2", which reads as touching zero.
DIFFERENCE_DIGITS = {**DIGITS, "share": 1}
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


SCALE = {"share": 100.0, "rupiah": 1e-6}  # shares in percent (or points), rupiah in millions


def shown(x: float, kind: str, sign: bool = False) -> float:
    """``x`` as the report prints it: scaled and rounded (differences, ``sign``, with their own digits)."""
    digits = (DIFFERENCE_DIGITS if sign else DIGITS)[kind]
    return round(SCALE.get(kind, 1.0) * x, digits)


def excludes_zero(low: float, high: float, kind: str) -> bool:
    """Whether a difference's interval, as printed, lies wholly above or below zero: a clear difference."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return False
    return shown(low, kind, sign=True) > 0 or shown(high, kind, sign=True) < 0


def _rupiah(text: str, lang: str) -> str:
    return t("report.rupiah", lang).format(value=text)


def value(x: float, kind: str, lang: str, sign: bool = False) -> str:
    """One value of a measure of this kind (shares as percentages, rupiah in millions)."""
    digits = (DIFFERENCE_DIGITS if sign else DIGITS)[kind]
    text = number(SCALE.get(kind, 1.0) * x, lang, digits, sign)
    if not math.isfinite(x):
        return text
    return text + "%" if kind == "share" else _rupiah(text, lang) if kind == "rupiah" else text


def points(text: str, x: float, lang: str) -> str:
    """``text`` with the unit of a difference of shares: percentage points (singular for one)."""
    key = "report.point" if abs(shown(x, "share", sign=True)) == 1 else "report.points"
    return f"{text} {t(key, lang)}"


def difference(x: float, kind: str, lang: str) -> str:
    """A signed difference; shares in percentage points."""
    text = number(SCALE.get(kind, 1.0) * x, lang, DIFFERENCE_DIGITS[kind], sign=True)
    if not math.isfinite(x):
        return text
    return points(text, x, lang) if kind == "share" else _rupiah(text, lang) if kind == "rupiah" else text


def interval(low: float, high: float, kind: str, lang: str, sign: bool = False) -> str:
    """``low`` to ``high`` (shares as percentages, or points when ``sign``; rupiah in millions)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return t("report.na", lang)
    digits = (DIFFERENCE_DIGITS if sign else DIGITS)[kind]
    scale = SCALE.get(kind, 1.0)
    text = t("report.range", lang).format(
        low=number(scale * low, lang, digits, sign), high=number(scale * high, lang, digits, sign)
    )
    if kind == "share":
        return f"{text} {t('report.points', lang)}" if sign else f"{text}%"
    return _rupiah(text, lang) if kind == "rupiah" else text


def percent(p: float, lang: str) -> str:
    """A probability as a whole percentage."""
    return number(100 * p, lang, 0) + ("%" if math.isfinite(p) else "")
