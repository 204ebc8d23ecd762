"""NumPy's own summation, compiled, so a kernel that folds a month's sums into one pass gives
the same last digit as the NumPy it replaces (``np.sum`` adds pairwise, not left to right)."""

from __future__ import annotations

import numba
import numpy as np

BLOCK = 128  # NumPy's PW_BLOCKSIZE


@numba.njit(cache=True)
def total(a):
    """``np.sum(a)`` of a 1-D float array, to the last bit. NumPy adds blocks of at most 128 values
    (left to right under 8, else in eight running sums) and, above 128, sums the two halves (the
    first a multiple of 8) apart and adds them. Here a loop over a stack of segments, not
    recursion, which numba's cache cannot link across modules."""
    seg_lo, seg_n = np.empty(128, dtype=np.int64), np.empty(128, dtype=np.int64)
    split = np.zeros(128, dtype=np.bool_)
    values = np.empty(128)
    top, k = 0, 0
    seg_lo[0], seg_n[0] = 0, len(a)
    while top >= 0:
        lo, n = seg_lo[top], seg_n[top]
        if n > BLOCK and not split[top]:
            half = n // 2
            half -= half % 8
            split[top] = True
            seg_lo[top + 1], seg_n[top + 1], split[top + 1] = lo + half, n - half, False
            seg_lo[top + 2], seg_n[top + 2], split[top + 2] = lo, half, False
            top += 2
            continue
        top -= 1
        if n > BLOCK:  # both halves summed: add them
            values[k - 2] += values[k - 1]
            k -= 1
            continue
        if n < 8:
            res = 0.0
            for i in range(n):
                res += a[lo + i]
        else:
            r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
            r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
            i = 8
            while i < n - n % 8:
                r0 += a[lo + i]
                r1 += a[lo + i + 1]
                r2 += a[lo + i + 2]
                r3 += a[lo + i + 3]
                r4 += a[lo + i + 4]
                r5 += a[lo + i + 5]
                r6 += a[lo + i + 6]
                r7 += a[lo + i + 7]
                i += 8
            res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while i < n:
                res += a[lo + i]
                i += 1
        values[k] = res
        k += 1
    return 0.0 + values[0]
