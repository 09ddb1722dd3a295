"""Convenience translations: inferring the rate a filing used, and naming its outliers.

Every pair (the same concept and context in two currencies) gives an *interval* of
rates, because both amounts are rounded: a US$ 12,885 (thousands) against RMB 94,052
(thousands) allows any rate in [94,051.5 / 12,885.5, 94,052.5 / 12,884.5]. The rate the
filing used lies in the range that the most pairs agree on; a pair whose interval
misses that range is an outlier, and a few patterns explain outliers in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .intervals import CTX, Interval


@dataclass(frozen=True)
class InferredRate:
    lo: Decimal
    hi: Decimal
    agreeing: int
    informative: int   # pairs whose amounts bound the rate at all (non-zero, not too coarse)
    rate: Decimal      # the roundest rate the pairs support, as a filer would state it

    @property
    def middle(self) -> Decimal:
        return CTX.divide(CTX.add(self.lo, self.hi), Decimal(2))


STATED_PLACES = 4    # filers state rates to four decimals (the noon buying rate), or fewer
MAX_RATE_PLACES = 6  # and rarely to more


def roundest_in(lo: Decimal, hi: Decimal, places: int = MAX_RATE_PLACES) -> Decimal | None:
    """The number with the fewest decimal places in [lo, hi] (None if none has ``places`` or fewer)."""
    for shown in range(places + 1):
        step = Decimal(1).scaleb(-shown)
        candidate = CTX.multiply((lo / step).to_integral_value(rounding="ROUND_CEILING"), step)
        if candidate <= hi:
            return candidate
    return None


def rate_text(rate: Decimal, rounding: str | None = None) -> str:
    """A rate exactly as used: every decimal it has, none it does not (6.525, 7.2993); a
    bound of a range (``rounding`` given) outward to eight places."""
    if rounding is not None and rate.as_tuple().exponent < -8:
        rate = rate.quantize(Decimal("1e-8"), rounding=rounding)
    return f"{rate.normalize():,f}"


def agreeing(intervals: list[tuple[Decimal, Decimal]], rate: Decimal) -> int:
    return sum(1 for lo, hi in intervals if lo <= rate <= hi)


def stated_rate(intervals: list[tuple[Decimal, Decimal]], best: InferredRate) -> Decimal:
    """The rate as the filer would have stated it. The range the most pairs agree on can
    over-fit: one footed total or one sliver of a pair narrows it to 6.5249981 where the
    filer stated 6.5250. So: the roundest rate of four decimals or fewer inside that range;
    else the roundest of four decimals or fewer nearly as many pairs agree on (all but one
    in twenty, at least three pairs); else the roundest inside the range with up to six
    decimals; else its middle."""
    inside = roundest_in(best.lo, best.hi, STATED_PLACES)
    if inside is not None:
        return inside
    if best.agreeing >= 3:
        needed = best.agreeing - max(1, best.agreeing // 20)
        middle = best.middle
        for places in range(STATED_PLACES + 1):
            step = Decimal(1).scaleb(-places)
            near = CTX.multiply((middle / step).to_integral_value(), step)
            found = [c for c in (near, near - step, near + step) if agreeing(intervals, c) >= needed]
            if found:
                return max(found, key=lambda c: agreeing(intervals, c))
    return roundest_in(best.lo, best.hi) or best.middle


def with_last_unit_slack(translated: Interval) -> Interval:
    """A translated amount checked against an *inferred* rate may be off by one unit in its
    last place beyond rounding: filers translate unrounded amounts, truncate, or add up
    translated parts, and an inferred rate is itself only as exact as the pairs. (With a
    stated rate there is no such slack.)"""
    unit = CTX.subtract(translated.hi, translated.lo)  # twice the half-width: one unit
    return Interval(translated.value, CTX.subtract(translated.lo, unit), CTX.add(translated.hi, unit))


def rate_interval(translated: Interval, original: Interval) -> tuple[Decimal, Decimal] | None:
    """The rates (original per translated unit) both rounded amounts allow, or None if unbounded."""
    if translated.lo <= 0 <= translated.hi or original.lo <= 0 <= original.hi:
        return None
    if translated.value < 0:
        translated, original = -translated, -original
    if original.value < 0:
        return None  # opposite signs: no positive rate
    return CTX.divide(original.lo, translated.hi), CTX.divide(original.hi, translated.lo)


def infer_rate(intervals: list[tuple[Decimal, Decimal]]) -> InferredRate | None:
    """The range of rates covered by the most pair intervals (closed intervals: a sweep)."""
    if not intervals:
        return None
    events = sorted([(lo, 0) for lo, _ in intervals] + [(hi, 1) for _, hi in intervals])
    best = count = 0
    best_lo = best_hi = None
    for index, (point, kind) in enumerate(events):
        if kind == 0:
            count += 1
            if count > best:
                best, best_lo = count, point
                best_hi = next(p for p, k in events[index + 1:] if k == 1)
        else:
            count -= 1
    found = InferredRate(best_lo, best_hi, best, len(intervals), best_lo)
    return InferredRate(best_lo, best_hi, best, len(intervals), stated_rate(intervals, found))


_PATTERNS = ((Decimal(1000), "1,000 times the translated amount: a scale error"),
             (Decimal("0.001"), "a thousandth of the translated amount: a scale error"),
             (Decimal(1000000), "1,000,000 times the translated amount: a scale error"),
             (Decimal("0.000001"), "a millionth of the translated amount: a scale error"),
             (Decimal(-1), "the translated amount with the sign reversed"))


def explain_outlier(translated: Decimal, expected: Decimal) -> str:
    """A plain-words reason for an outlier where a pattern explains it, else ''."""
    if expected == 0:
        return ""
    ratio = CTX.divide(translated, expected)
    for factor, reason in _PATTERNS:
        if abs(ratio - factor) <= abs(factor) * Decimal("0.02"):
            return reason
    return ""
