"""Roll-forwards read from the presentation linkbase: opening + Σ movements = closing.

Each roll-forward is checked for every duration at which one of its movements is
reported: the opening balance is the instant at the duration's start, the closing the
instant at its end, in the same entity, unit and dimensions. An opening balance
restated for a newly adopted standard (reported under srt's cumulative-effect axis) is
part of the roll. A network presenting a table (axes) rolls per member: contexts
without one of its axes are not bound, since its lines need not be every movement
of the total. Movements not reported
there count as zero, and the finding says so (a partial binding, as for calculations).
Rounding as everywhere: the facts' intervals must meet.
"""

from __future__ import annotations

from decimal import Decimal

from ..linkbases import RollForward
from ..model import Period, QName, dimensions_text, make_dimensions, value_text
from ..results import Attribution, Coverage, Violation, reading_rank
from .attribution import Attributor, Evidence, FailedBinding
from .wording import absent_use, fact_use, fmt
from .index import FactIndex, Inconsistent
from .intervals import Interval, overlaps


ADOPTION = (QName("srt", "CumulativeEffectPeriodOfAdoptionAxis"),
            QName("srt", "CumulativeEffectPeriodOfAdoptionAdjustmentMember"))


def _additive(unit) -> bool:
    """Amounts and counts add up; per-share prices and ratios (weighted averages) do not."""
    return unit is not None and not unit.denominators and str(unit) != "xbrli:pure"


def _signed(sign: int, value: Decimal) -> str:
    """A term of the explanation: "+ 5", "− 5", "+ (-5)"."""
    shown = fmt(value)
    return ("− " if sign < 0 else "+ ") + (f"({shown})" if value < 0 else shown)


def _failed(rf: RollForward, binding, closing, end: Interval, total: Interval, parts: list,
            allowance: Decimal) -> FailedBinding:
    """The break as attribution sees it: the roll recomputed with a fact replaced, or a line added."""

    def holds_with(overrides: dict) -> bool:
        rolled = Interval(Decimal(0), Decimal(0), Decimal(0))
        for fact, sign in parts:
            rolled = rolled + overrides.get(id(fact), Interval.reported(fact.value, fact.decimals)) \
                * Interval.exact(Decimal(sign))
        return overlaps(overrides.get(id(closing), end), rolled)

    def closes(amount: Interval) -> bool:
        return overlaps(end, total + amount)

    used = [(f"{rf.concept}@end", closing)] + [(f"{'−' if sign < 0 else '+'}{fact.concept}", fact)
                                                for fact, sign in parts]
    return FailedBinding(binding, closing.value - total.value, allowance, used,
                         {rf.concept, *(c for c, _ in rf.movements)}, holds_with, closes)


def check_rollforwards(rollforwards: list[RollForward], index: FactIndex, filing: str, rule_id: str, title: str,
                       severity: str, partial_severity: str = "warning", labels=None,
                       attributor: Attributor | None = None):
    labels = labels if labels is not None else {}
    attributor = attributor or Attributor(Evidence(None, index, labels))
    passed = failed = not_evaluated = errors = 0
    violations: list[Violation] = []
    for rf in rollforwards:
        bindings = set()
        axes = set(rf.axes)
        for concept, _ in rf.movements:
            for _, entity, period, unit, dims in index.bindings_of.get(concept, ()):
                if not (period.is_duration and _additive(unit)):
                    continue
                if axes and not any(axis in axes for axis, _ in dims):
                    continue  # a table's roll-forward is meant per member, not for the total
                if any(axis not in axes for axis, _ in dims):
                    continue  # dimensions of another table (or none shown here): the filer never related them
                bindings.add((entity, period, unit, dims))
        for entity, period, unit, dims in sorted(bindings, key=lambda b: (str(b[0]), b[1].end, b[1].start,
                                                                          str(b[2]), dimensions_text(b[3]))):
            if any(index.get(other, entity, Period.instant(moment), unit, dims) is not None
                   for other in rf.others for moment in (period.start, period.end)):
                # another balance of the same table rolls in this unit too: which lines move which
                # balance the presentation does not say, so neither is read from it
                not_evaluated += 1
                continue
            opening = index.get(rf.concept, entity, Period.instant(period.start), unit, dims)
            closing = index.get(rf.concept, entity, Period.instant(period.end), unit, dims)
            if opening is None or closing is None or opening.is_nil or closing.is_nil:
                not_evaluated += 1
                continue
            if isinstance(opening, Inconsistent) or isinstance(closing, Inconsistent):
                errors += 1
                continue
            total = Interval.reported(opening.value, opening.decimals)
            uses = [fact_use(f"{rf.concept}@end", closing, labels), fact_use(f"{rf.concept}@start", opening, labels)]
            terms = [fmt(opening.value)]
            parts = [(opening, 1)]  # (fact, sign) of every term of the right side
            # an opening balance restated for a newly adopted standard (srt's cumulative-effect axis)
            adjustment = index.get(rf.concept, entity, Period.instant(period.start), unit,
                                   make_dimensions([*dims, ADOPTION]))
            if adjustment is not None and not isinstance(adjustment, Inconsistent) and not adjustment.is_nil:
                total = total + Interval.reported(adjustment.value, adjustment.decimals)
                uses.append(fact_use(f"{rf.concept}[cumulative effect of adoption]", adjustment, labels))
                parts.append((adjustment, 1))
                terms.append(_signed(1, adjustment.value))
            missing = []
            poisoned = False
            since, count = Decimal(0), 0  # the lines since the last subtotal: their sum as shown, and how many
            for concept, sign in rf.movements:
                fact = index.get(concept, entity, period, unit, dims)
                if isinstance(fact, Inconsistent):
                    poisoned = True
                    break
                if fact is None or fact.is_nil:
                    missing.append(concept)
                    continue
                amount = Interval.reported(fact.value, fact.decimals) * Interval.exact(Decimal(sign))
                if count >= 2 and fact.value and sign * fact.value == since:
                    # a subtotal without a total label ("OCI, net of tax" after its two parts): it
                    # is exactly, as printed, the lines above it, so it is not a movement of its own
                    # (within rounding is not enough: a real movement of 22 beside 8 and 13 would go);
                    # it stands for those lines in a later subtotal of its own and the lines after it
                    count = 1
                    continue
                since, count = since + sign * fact.value, count + 1
                total = total + amount
                uses.append(fact_use(f"{'−' if sign < 0 else '+'}{concept}", fact, labels))
                parts.append((fact, sign))
                terms.append(_signed(sign, fact.value))
            if poisoned:
                errors += 1
                continue
            end = Interval.reported(closing.value, closing.decimals)
            if overlaps(end, total):
                passed += 1
                continue
            sev = partial_severity if missing else severity
            if sev == "ignore":
                not_evaluated += 1
                continue
            failed += 1
            allowance = end.half_width + total.half_width
            if missing:
                attribution = Attribution("partial", f"{', '.join(map(str, missing))} "
                                                     f"{'is' if len(missing) == 1 else 'are'} not reported for this "
                                                     f"period and counted as zero")
            else:
                attribution = attributor.attribute(_failed(rf, (entity, period, unit, dims), closing, end, total,
                                                           parts, allowance))
                sev = attributor.severity(sev, attribution)
            explanation = (f"{fmt(closing.value)} ≠ {' '.join(terms)} = {fmt(total.value)} "
                           f"(off by {fmt(abs(closing.value - total.value))}; rounding allows {fmt(allowance)})")
            network = rf.role.rstrip("/").rsplit("/", 1)[-1]
            kind = (f"partial binding: {', '.join(map(str, missing))} not reported for this period, counted as zero"
                    if missing else "determinate: every movement is reported")
            absent = tuple(absent_use(str(c), c, labels) for c in missing)
            violations.append(Violation(
                rule_id, sev, f"{title}: {rf.concept} ({network})",
                f"{rf.concept} rolls forward in network {network} ({rf.source}): {kind}", filing, str(entity),
                str(period), str(unit) if unit else "", dimensions_text(dims), value_text(closing.value),
                value_text(total.value), value_text(closing.value - total.value), value_text(allowance),
                explanation, tuple(uses) + absent, binding="partial" if missing else "determinate",
                attribution=attribution, rule_severity=severity if sev != severity else ""))
    coverage = Coverage(rule_id, title, severity, passed, failed, not_evaluated, errors)
    return coverage, sorted(violations, key=lambda v: reading_rank(v.attribution)), []
