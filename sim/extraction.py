"""Submodel 2, patron extraction: a client pays extraction x dependency x income to its patron."""

from __future__ import annotations

import numpy as np


def effective_extraction(model) -> np.ndarray:
    """Per patron: openness lowers extraction, e = e0 x (1 - effect x openness) (seed 002)."""
    pt = model.patrons
    return pt.extraction_base * (1.0 - model.p.openness_extraction_effect * pt.openness)


def patron_extraction(model) -> None:
    h, pt = model.households, model.patrons
    paid = effective_extraction(model)[h.patron] * h.dependency * h.income
    h.wealth -= paid
    pt.rent = np.bincount(h.patron, paid, minlength=len(pt))
    pt.capital += pt.rent
    model.rent_this_month = float(paid.sum())
