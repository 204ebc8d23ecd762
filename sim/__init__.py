"""berdaya's village model: households, patrons, facilitators and self-help groups on Mesa.

The names below load on first use (PEP 562), so importing a light submodule such as
``sim.errors`` does not load Mesa and numpy with the model.
"""

import importlib

_HOMES = {
    "EnterpriseNetwork": "sim.agents",
    "Facilitator": "sim.agents",
    "Household": "sim.agents",
    "KSMGroup": "sim.agents",
    "Patron": "sim.agents",
    "VillageModel": "sim.model",
    "Params": "sim.params",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
