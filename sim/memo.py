"""The one cache the model keeps between months: a result and the state it was computed from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Memo:
    """The last result of a computation, recomputed only when its key (the bytes of the state it
    depends on) changes: e.g. which patron lends to each group, recomputed only when openness changes."""

    def __init__(self) -> None:
        self._key: bytes | None = None
        self._value: Any = None

    def get(self, key: bytes, compute: Callable[[], Any]) -> Any:
        if key != self._key:
            self._key, self._value = key, compute()
        return self._value
