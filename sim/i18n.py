"""The one translation table (English, Bahasa Indonesia) for the report and the visualizer.

Labels live here, never in the code that draws them: ``t("awareness", "id")``.
"""

from __future__ import annotations

LANGUAGES = ("en", "id")

LABELS: dict[str, dict[str, str]] = {
    # strategies
    "baseline": {"en": "Baseline (no programme)", "id": "Tanpa program (pembanding)"},
    "area_based": {"en": "Area-based", "id": "Berbasis wilayah"},
    "enterprise_based": {"en": "Enterprise-based", "id": "Berbasis wirausaha"},
    "hybrid": {"en": "Hybrid", "id": "Gabungan"},
    # monthly measures
    "month": {"en": "Month", "id": "Bulan"},
    "dependency": {"en": "Dependency on patrons", "id": "Ketergantungan pada patron"},
    "awareness": {"en": "Critical awareness", "id": "Kesadaran kritis"},
    "skills": {"en": "Skills", "id": "Keterampilan"},
    "trust": {"en": "Trust in facilitators", "id": "Kepercayaan pada pendamping"},
    "self_reliance": {"en": "Self-reliance", "id": "Kemandirian"},
    "self_reliant_share": {"en": "Share of households self-reliant", "id": "Proporsi rumah tangga mandiri"},
    "in_group_share": {"en": "Share of households in a group", "id": "Proporsi rumah tangga dalam kelompok"},
    "groups_forming": {"en": "Groups forming", "id": "Kelompok sedang dibentuk"},
    "groups_active": {"en": "Groups active", "id": "Kelompok aktif"},
    "groups_mature": {"en": "Groups mature (mandiri)", "id": "Kelompok mandiri"},
    "groups_dissolved": {"en": "Groups dissolved", "id": "Kelompok bubar"},
    "patron_rent": {"en": "Patron rent", "id": "Rente patron"},
    "wealth_gini": {"en": "Wealth inequality (Gini)", "id": "Ketimpangan kekayaan (Gini)"},
    "wealth": {"en": "Wealth", "id": "Kekayaan"},
    "facilitator_months": {"en": "Facilitator-months", "id": "Bulan-pendamping"},
    "internal_facilitators": {"en": "Internal facilitators", "id": "Pendamping dari dalam"},
    # agents
    "household": {"en": "Household", "id": "Rumah tangga"},
    "patron": {"en": "Patron", "id": "Patron"},
    "facilitator": {"en": "Facilitator", "id": "Pendamping"},
    "facilitator_left": {"en": "Facilitator (left)", "id": "Pendamping (sudah pergi)"},
    "group": {"en": "Self-help group (KSM)", "id": "Kelompok Swadaya Masyarakat (KSM)"},
    "hamlet": {"en": "Hamlet", "id": "Dusun"},
    "programme_end": {"en": "Programme end", "id": "Akhir program"},
}


def t(key: str, lang: str = "en") -> str:
    """The label for ``key`` in ``lang``; an unknown key or language is a programming error."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; allowed: {', '.join(LANGUAGES)}")
    return LABELS[key][lang]
