"""Agent state as arrays (Starsim's way): one NumPy array per state variable.

The arrays are the truth; the Mesa agents in ``agents.py`` are small views onto one row.
Each monthly submodel is one function over these arrays.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class GroupStage(IntEnum):
    """Life of a KSM: forming -> active -> mature (mandiri), or dissolved."""

    FORMING = 0
    ACTIVE = 1
    MATURE = 2
    DISSOLVED = 3


class OrganisingStage(IntEnum):
    """Hartini's stages of community organising (seed 003) a place goes through.

    Animation (seed 004) runs through investigation and planning; facilitation through
    action and organisation; the exit follows the programme's end.
    """

    IMMERSION = 0
    INVESTIGATION = 1
    PLANNING = 2
    ACTION = 3
    ORGANISATION = 4


class Store:
    """A set of equal-length arrays registered by name, so they all grow together."""

    def __init__(self, **arrays: np.ndarray) -> None:
        self._names = tuple(arrays)
        for name, array in arrays.items():
            setattr(self, name, array)

    @property
    def names(self) -> tuple[str, ...]:
        return self._names

    def __len__(self) -> int:
        return len(getattr(self, self._names[0]))


class GrowingStore(Store):
    """A store whose rows are added over time (groups): capacity doubles, ``n`` rows are live."""

    def __init__(self, capacity: int, /, **dtypes_and_fill: tuple[type, object]) -> None:
        arrays = {name: np.full(capacity, fill, dtype=dtype) for name, (dtype, fill) in dtypes_and_fill.items()}
        super().__init__(**arrays)
        self._fill = dtypes_and_fill
        self.n = 0

    def __len__(self) -> int:
        return self.n

    def add(self, k: int) -> np.ndarray:
        """Reserve ``k`` new rows (filled with defaults) and return their indices."""
        capacity = len(getattr(self, self._names[0]))
        if self.n + k > capacity:
            new_capacity = max(2 * capacity, self.n + k)
            for name in self._names:
                dtype, fill = self._fill[name]
                grown = np.full(new_capacity, fill, dtype=dtype)
                grown[: self.n] = getattr(self, name)[: self.n]
                setattr(self, name, grown)
        rows = np.arange(self.n, self.n + k)
        self.n += k
        return rows

    def live(self, name: str) -> np.ndarray:
        """A view of the rows in use."""
        return getattr(self, name)[: self.n]


# Plain ints for hot paths: IntEnum attribute access costs more than the arithmetic it guards.
FORMING, ACTIVE, MATURE, DISSOLVED = (int(s) for s in GroupStage)
IMMERSION, INVESTIGATION, PLANNING, ACTION, ORGANISATION = (int(s) for s in OrganisingStage)


def facilitator_store(capacity: int = 8) -> GrowingStore:
    """The facilitators as rows: external ones deployed at the start, internal ones grown from mature groups.

    ``beat`` is the place worked, ``x, y`` the cell of the household visited last (-1 before any).
    """
    return GrowingStore(
        capacity,
        beat=(np.int64, -1),
        capacity=(np.int64, 0),
        internal=(bool, False),
        home_group=(np.int64, -1),
        effort=(float, 1.0),
        in_field=(bool, True),
        months_worked=(float, 0.0),
        x=(np.int64, -1),
        y=(np.int64, -1),
    )
