"""Submodel 2, patron extraction: a client pays extraction x dependency x income to its patron."""

from __future__ import annotations

import numba
import numpy as np


def extraction_rate(base, openness, effect):
    """Openness lowers extraction, e = e0 x (1 - effect x openness) (seed 002): for one patron or an array."""
    return base * (1.0 - effect * openness)


def effective_extraction(model) -> np.ndarray:
    """Per patron, the share of a client's dependent income it takes this month."""
    pt = model.patrons
    return extraction_rate(pt.extraction_base, pt.openness, model.p.openness_extraction_effect)


def patron_extraction(model) -> None:
    """A client pays e_patron x dependency x income to its patron: paid_i = e_j d_i income_i."""
    h, pt = model.households, model.patrons
    model.rent_this_month = extract(
        h.patron, h.dependency, h.income, h.wealth, effective_extraction(model), pt.rent, pt.capital
    )


@numba.njit(cache=True)
def extract(patron, dependency, income, wealth, extraction, rent, capital):
    """The payments of ``patron_extraction``: wealth falls, each patron's rent and capital rise; returns the total."""
    rent[:] = 0.0
    total = 0.0
    for i in range(len(patron)):
        paid = extraction[patron[i]] * dependency[i] * income[i]
        wealth[i] -= paid
        rent[patron[i]] += paid
        total += paid
    for j in range(len(rent)):
        capital[j] += rent[j]
    return total
