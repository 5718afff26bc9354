"""Time already taken while an import is fitted: the log's entries and the rows placed so far."""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Collection, Iterable

Hit = tuple[int, int, int, int]
"""An interval an imported row overlaps: start, end, entry id (or -1), row (or -1)."""


class Occupied:
    """The log's entries and the rows placed so far, each side sorted by start.

    The log holds no overlaps and rows are only placed in free time, so each side's intervals
    are disjoint and their ends sorted too; the check after writing catches it if not.
    """

    def __init__(self, entries: Iterable[tuple[int, int, int]]) -> None:
        """`entries` are the log's (start, end, id), sorted by start."""
        spans = list(entries)
        self.es = array("q", (s for s, _, _ in spans))
        self.ee = array("q", (e for _, e, _ in spans))
        self.eid = array("q", (i for _, _, i in spans))
        self.ts: array[int] = array("q")
        self.te: array[int] = array("q")
        self.trow: array[int] = array("l")

    def hits(self, start: int, end: int, own: Collection[int] = ()) -> list[Hit]:
        """The intervals overlapping [start, end), leaving out the entries in `own`."""
        out: list[Hit] = []
        i = bisect.bisect_right(self.ee, start)
        while i < len(self.es) and self.es[i] < end:
            if self.eid[i] not in own:
                out.append((self.es[i], self.ee[i], self.eid[i], -1))
            i += 1
        j = bisect.bisect_right(self.te, start)
        while j < len(self.ts) and self.ts[j] < end:
            out.append((self.ts[j], self.te[j], -1, self.trow[j]))
            j += 1
        return out

    def take(self, start: int, end: int, row: int) -> None:
        """Mark [start, end) as taken by a row."""
        j = bisect.bisect_right(self.ts, start)
        self.ts.insert(j, start)
        self.te.insert(j, end)
        self.trow.insert(j, row)
