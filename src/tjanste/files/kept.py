"""Values kept in memory by a key for as long as a process lives (the preview), bounded: when full it starts over."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

Key = TypeVar("Key")
Value = TypeVar("Value")


class Kept(dict[Key, Value]):
    """At most `entries()` values and, given `total`, at most `total()` of their keys' sizes (`size`, the length by
    default); a key larger than that alone is not kept. Full, it is emptied rather than grow without end in a long
    preview session; picking what to drop would cost more than the renders it saves. The bounds are read at each keep,
    as limits.py holds them now."""

    def __init__(self, entries: Callable[[], int], total: Callable[[], int] | None = None, size: Callable[[Key], int] = len) -> None:  # type: ignore[assignment]
        super().__init__()
        self._entries, self._total, self._size = entries, total, size
        self.held = 0  # the summed sizes of the keys held, when there is a total

    def keep(self, key: Key, value: Value) -> Value:
        """Keeps `value` under `key` (unless the key alone is over the total) and gives it back."""
        if key in self:
            self[key] = value
            return value
        size = self._size(key) if self._total is not None else 0
        total = self._total() if self._total is not None else None
        if total is not None and size > total:
            return value  # larger than everything kept may be: made each time it is needed
        if len(self) >= self._entries() or (total is not None and self.held + size > total):
            self.clear()
        self[key] = value
        self.held += size
        return value

    def clear(self) -> None:
        super().clear()
        self.held = 0
