"""Interval arithmetic on reported values (XBRL Calculations 1.1, round-to-nearest).

A fact reported as ``v`` with ``decimals=d`` says only that the true amount lies in
``[v - h, v + h]`` with ``h = 0.5 * 10**-d``. Carrying those intervals through the
arithmetic tells exactly how far apart two sides may be before rounding can no
longer explain it. Each interval also keeps the point value computed from the
reported numbers, for the explanation.
"""

from __future__ import annotations

from decimal import Context, Decimal
from typing import NamedTuple

from ..model import INF

INFINITY = Decimal("Infinity")
ZERO = Decimal(0)
PRECISION = 40
CTX = Context(prec=PRECISION)  # exact for any reported amount; used directly, never installed globally
_HALF_WIDTHS: dict = {}


def half_width(decimals: int | float | None) -> Decimal:
    found = _HALF_WIDTHS.get(decimals)
    if found is None:
        if decimals is None or decimals == INF:
            found = ZERO
        elif decimals == -INF:  # precision="0": no digit is known
            found = INFINITY
        else:
            found = Decimal(5).scaleb(-int(decimals) - 1)
        _HALF_WIDTHS[decimals] = found
    return found


class Interval(NamedTuple):
    """A reported value and the closed interval its rounding allows (arithmetic below
    replaces the tuple operators: intervals add, they never concatenate)."""

    value: Decimal
    lo: Decimal
    hi: Decimal

    @classmethod
    def exact(cls, value: Decimal) -> Interval:
        return cls(value, value, value)

    @classmethod
    def reported(cls, value: Decimal, decimals: int | float | None) -> Interval:
        h = half_width(decimals)
        return cls(value, CTX.subtract(value, h), CTX.add(value, h))

    @property
    def half_width(self) -> Decimal:
        return (self.hi - self.lo) / 2

    def __add__(self, other: Interval) -> Interval:
        add = CTX.add
        return Interval(add(self.value, other.value), add(self.lo, other.lo), add(self.hi, other.hi))

    def __sub__(self, other: Interval) -> Interval:
        sub = CTX.subtract
        return Interval(sub(self.value, other.value), sub(self.lo, other.hi), sub(self.hi, other.lo))

    def __neg__(self) -> Interval:
        return Interval(-self.value, -self.hi, -self.lo)

    def __mul__(self, other: Interval) -> Interval:
        mul = CTX.multiply
        ends = [mul(a, b) for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return Interval(mul(self.value, other.value), min(ends), max(ends))

    def __truediv__(self, other: Interval) -> Interval:
        """Raises ZeroDivisionError when the divisor's reported value is zero."""
        if other.value == 0:
            raise ZeroDivisionError
        div = CTX.divide
        value = div(self.value, other.value)
        if other.lo <= 0 <= other.hi:  # rounding cannot rule out a zero divisor: anything goes
            return Interval(value, -INFINITY, INFINITY)
        ends = [div(a, b) for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return Interval(value, min(ends), max(ends))

    def abs(self) -> Interval:
        if self.lo >= 0:
            return self
        if self.hi <= 0:
            return -self
        return Interval(abs(self.value), ZERO, max(-self.lo, self.hi))

    def round(self, digits: int) -> Interval:
        def r(x: Decimal) -> Decimal:
            return x if not x.is_finite() else x.quantize(Decimal(1).scaleb(-digits))
        return Interval(r(self.value), r(self.lo), r(self.hi))

    @staticmethod
    def minimum(items: list[Interval]) -> Interval:
        return Interval(min(i.value for i in items), min(i.lo for i in items), min(i.hi for i in items))

    @staticmethod
    def maximum(items: list[Interval]) -> Interval:
        return Interval(max(i.value for i in items), max(i.lo for i in items), max(i.hi for i in items))


def overlaps(a: Interval, b: Interval) -> bool:
    return a.lo <= b.hi and b.lo <= a.hi
