"""Checking a filing's own calculation linkbase (summation-item relationships).

Modes:
- ``round`` (default): XBRL Calculations 1.1, round-to-nearest. Each value is the
  interval its decimals allow; a summation is consistent when the total's interval
  meets the weighted sum of the items' intervals. Consistent duplicates intersect;
  inconsistent duplicates are reported and their summations skipped.
- ``truncate``: Calculations 1.1 with truncation: a reported ``v`` means [v, v + 10^-d)
  away from zero.
- ``xbrl21``: the classic XBRL 2.1 rule (5.2.5.2) that the 2.1 conformance suite
  expects: each item rounded half-even to its own inferred decimals, the weighted sum
  rounded to the total's decimals and compared with the total rounded to its own;
  duplicates of any bound concept leave the summation unbound, and a bound fact with
  ``precision="0"`` makes it inconsistent.

A summation is checked where the total and at least one item are reported in the same
context and unit (and, for tuples, within the total's parent). Every finding says
whether all items were reported (*determinate*: the arithmetic is wrong) or only some
(*partial*: the missing items count as zero, so the "break" may be a modelling gap),
naming the missing items and whether the filing reports them only under a dimension.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from ..linkbases import Summation
from ..model import INF, Fact, QName, decimals_text, dimensions_text, value_text
from ..results import Attribution, Coverage, FactUse, Problem, Violation, reading_rank
from .attribution import Attributor, Evidence, FailedBinding
from .wording import absent_use, fact_use, fmt
from .index import FactIndex
from .intervals import CTX, ZERO, Interval, half_width, overlaps


@dataclass(frozen=True)
class CalcOptions:
    rule_id: str = "CALC"
    title: str = "The filing's own calculation linkbase holds"
    severity: str = "error"
    mode: str = "round"
    partial: str = "warning"


def _truncation_interval(value: Decimal, decimals) -> Interval:
    if decimals is None or decimals == INF:
        return Interval.exact(value)
    if decimals == -INF:
        return Interval.reported(value, decimals)
    unit = Decimal(1).scaleb(-int(decimals))
    if value > 0:
        return Interval(value, value, value + unit)
    if value < 0:
        return Interval(value, value - unit, value)
    return Interval(value, -unit, unit)


def _interval(fact: Fact, mode: str) -> Interval:
    if mode == "truncate":
        return _truncation_interval(fact.value, fact.decimals)
    return Interval.reported(fact.value, fact.decimals)


def _intersect(intervals: list[Interval]) -> Interval | None:
    lo = max(i.lo for i in intervals)
    hi = min(i.hi for i in intervals)
    if lo > hi:
        return None
    value = intervals[0].value
    return Interval(value if lo <= value <= hi else (lo + hi) / 2, lo, hi)


def _round_half_even(value: Decimal, decimals) -> Decimal:
    if decimals is None or decimals == INF:
        return value
    return value.quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_EVEN, context=CTX)


def _in_scope(fact: Fact, parent: tuple) -> bool:
    return fact.tuple_path[:len(parent)] == parent


class CalculationChecker:
    """Checks every summation of a filing at every binding of its total."""

    def __init__(self, summations: list[Summation], index: FactIndex, filing: str, options: CalcOptions,
                 labels=None, attributor: Attributor | None = None):
        self.summations = summations
        self.index = index
        self.filing = filing
        self.options = options
        self.labels = labels if labels is not None else {}
        self.attributor = attributor or Attributor(Evidence(None, index, self.labels))
        self.passed = self.failed = self.not_evaluated = self.errors = 0
        self.violations: list[Violation] = []
        self.problems: list[Problem] = []
        self._reported_duplicates: set[int] = set()
        self._dimensional_cache: dict | None = None

    @property
    def _dimensional(self) -> dict:
        """(concept, entity, period, unit) -> axes it is reported under, for naming gaps;
        built the first time a partial binding needs it."""
        if self._dimensional_cache is None:
            found: dict = defaultdict(set)
            for concept, bindings in self.index.bindings_of.items():
                for _, entity, period, unit, dims in bindings:
                    if dims:
                        found[(concept, entity, period, unit)].update(str(axis) for axis, _ in dims)
            self._dimensional_cache = found
        return self._dimensional_cache

    def run(self) -> Coverage:
        quick = self.options.mode == "round"
        for summation in self.summations:
            weighted = [(concept, weight, abs(weight)) for concept, weight in summation.items]
            for key in self.index.bindings_of.get(summation.total, ()):
                if quick and self._holds(weighted, key):
                    self.passed += 1
                    continue
                _, entity, period, unit, dims = key
                totals = self.index.facts_at(key)
                if len(totals) == 1:
                    self._check(summation, (entity, period, unit, dims), totals[0].tuple_path, totals)
                    continue
                for parent in sorted({f.tuple_path for f in totals}):
                    self._check(summation, (entity, period, unit, dims), parent,
                                [f for f in totals if f.tuple_path == parent])
        o = self.options
        return Coverage(o.rule_id, o.title, o.severity, self.passed, self.failed, self.not_evaluated, self.errors)

    # -- one binding ---------------------------------------------------------------------------

    def _holds(self, weighted: list, key: tuple) -> bool:
        """Whether the summation plainly holds at ``key`` in round mode: one total outside any
        tuple, no duplicated item, at least one item reported, and |total − sum| within the
        half-widths' sum (the interval test for symmetric intervals). False means "not
        plainly": ``_check`` then decides, and reports, as always. Most bindings of a large
        filing hold, and this is their whole cost."""
        duplicates = self.index.duplicates
        if key in duplicates:
            return False
        entries = self.index.entries
        total = entries[key]
        if total.value is None or total.tuple_path:
            return False
        _, entity, period, unit, dims = key
        add, mul = CTX.add, CTX.multiply
        value, spread = ZERO, half_width(total.decimals)
        reported = False
        for concept, weight, size in weighted:
            item_key = (concept, entity, period, unit, dims)
            if item_key in duplicates:
                return False
            fact = entries.get(item_key)
            if fact is None or fact.value is None:
                continue
            reported = True
            if size == 1:
                value = add(value, fact.value) if weight > 0 else CTX.subtract(value, fact.value)
                spread = add(spread, half_width(fact.decimals))
            else:
                value = add(value, mul(fact.value, weight))
                spread = add(spread, mul(half_width(fact.decimals), size))
        return reported and abs(CTX.subtract(total.value, value)) <= spread

    def _check(self, summation: Summation, binding: tuple, parent: tuple, totals: list[Fact]) -> None:
        entity, period, unit, dims = binding
        reported_totals = [f for f in totals if f.value is not None]
        if not reported_totals:
            return  # a nil total is not checked
        items: list[tuple[QName, Decimal, list[Fact]]] = []
        missing: list[QName] = []
        facts_at = self.index.facts_at
        for concept, weight in summation.items:
            group = facts_at((concept, entity, period, unit, dims))
            if parent:
                facts = [f for f in group if f.value is not None and _in_scope(f, parent)]
            else:
                facts = [f for f in group if f.value is not None]
            if facts:
                items.append((concept, weight, facts))
            else:
                missing.append(concept)
        if not items:
            self.not_evaluated += 1
            return
        if self.options.mode == "xbrl21":
            self._check_xbrl21(summation, binding, totals, items, missing)
        else:
            self._check_intervals(summation, binding, reported_totals, items, missing)

    def _duplicates(self, facts: list[Fact], parent_scoped: bool) -> list[list[Fact]]:
        """Facts of one concept that are duplicates of each other (same tuple parent)."""
        if len(facts) == 1:
            return [facts]
        by_parent: dict[tuple, list[Fact]] = defaultdict(list)
        for fact in facts:
            by_parent[fact.tuple_path if parent_scoped else ()].append(fact)
        return list(by_parent.values())

    def _check_intervals(self, summation, binding, totals, items, missing) -> None:
        mode = self.options.mode
        total = _intersect([_interval(f, mode) for f in totals]) if len(totals) > 1 else _interval(totals[0], mode)
        if total is None:
            self._inconsistent_duplicates(totals)
            return
        add, mul = CTX.add, CTX.multiply
        value = lo = hi = ZERO  # the weighted sum's interval, summed bound by bound
        used = []  # (concept, weight, fact): made into reported data only if the summation breaks
        for concept, weight, facts in items:
            for same_parent in self._duplicates(facts, parent_scoped=True):
                if len(same_parent) == 1 and mode == "round":
                    fact = same_parent[0]
                    h = half_width(fact.decimals)
                    v = fact.value
                    item_lo, item_hi = CTX.subtract(v, h), add(v, h)
                else:
                    item = _intersect([_interval(f, mode) for f in same_parent]) if len(same_parent) > 1 \
                        else _interval(same_parent[0], mode)
                    if item is None:
                        self._inconsistent_duplicates(same_parent)
                        return
                    v, item_lo, item_hi = item
                if weight != 1:
                    ends = (mul(item_lo, weight), mul(item_hi, weight))
                    v, item_lo, item_hi = mul(v, weight), min(ends), max(ends)
                value, lo, hi = add(value, v), add(lo, item_lo), add(hi, item_hi)
                used.append((concept, weight, same_parent[0]))
        sum_interval = Interval(value, lo, hi)
        if overlaps(total, sum_interval):
            self.passed += 1
            return
        uses = [fact_use(str(summation.total), totals[0], self.labels)] + [
            fact_use(_weighted(concept, weight), fact, self.labels) for concept, weight, fact in used]
        contributions = [(weight, fact.value) for _, weight, fact in used]
        allowance = total.half_width + sum_interval.half_width
        failed = None if missing else self._failed(summation, binding, totals[0], total, sum_interval, used,
                                                   allowance)
        self._report(summation, binding, total.value, sum_interval.value, contributions, allowance, uses, missing,
                     "rounding" if mode == "round" else "truncation", failed=failed)

    def _failed(self, summation: Summation, binding, total_fact: Fact, total: Interval, sum_interval: Interval,
                used: list, allowance: Decimal) -> FailedBinding:
        """The break as attribution sees it: the summation recomputed with a fact replaced, or a line added."""
        mode = self.options.mode
        parts = [(fact, _interval(fact, mode) * Interval.exact(weight), weight) for _, weight, fact in used]

        def holds_with(overrides: dict) -> bool:
            new_sum = Interval(ZERO, ZERO, ZERO)
            for fact, weighted, weight in parts:
                tried = overrides.get(id(fact))
                new_sum = new_sum + (weighted if tried is None else tried * Interval.exact(weight))
            return overlaps(overrides.get(id(total_fact), total), new_sum)

        def closes(amount: Interval) -> bool:
            return overlaps(total, sum_interval + amount)

        facts = [(str(summation.total), total_fact)] + [(_weighted(c, w), f) for c, w, f in used]
        concepts = {summation.total, *(item for item, _ in summation.items)}
        return FailedBinding(binding, total.value - sum_interval.value, allowance, facts, concepts, holds_with,
                             closes)

    def _check_xbrl21(self, summation, binding, totals, items, missing) -> None:
        if len(totals) > 1 or any(len(group) > 1 for _, _, facts in items
                                  for group in self._duplicates(facts, parent_scoped=True)):
            self.not_evaluated += 1  # 5.2.5.2: duplicated items do not bind
            return
        total = totals[0]
        if total.is_nil:
            return
        bound = [total] + [f for _, _, facts in items for f in facts]
        uses = [fact_use(str(summation.total), total, self.labels)] + [
            fact_use(_weighted(concept, weight), f, self.labels) for concept, weight, facts in items for f in facts]
        contributions = [(weight, f.value) for _, weight, facts in items for f in facts]
        if any(f.decimals == -INF for f in bound):
            self._report(summation, binding, total.value, sum(w * v for w, v in contributions), contributions,
                         Decimal(0), uses, missing, "precision 0",
                         note="a bound fact has precision 0, so the summation cannot be consistent")
            return
        computed = ZERO
        for _, weight, facts in items:
            for f in facts:
                computed = CTX.add(computed, CTX.multiply(_round_half_even(f.value, f.decimals), weight))
        left = _round_half_even(total.value, total.decimals)
        right = _round_half_even(computed, total.decimals)
        if left == right:
            self.passed += 1
            return
        self._report(summation, binding, left, right, contributions, Decimal(0), uses, missing, "xbrl21",
                     note=f"each value rounded to its own decimals, the sum to the total's "
                          f"({decimals_text(total.decimals) or 'INF'})")

    def _inconsistent_duplicates(self, facts: list[Fact]) -> None:
        self.errors += 1
        key = id(facts[0])
        if key in self._reported_duplicates:
            return
        self._reported_duplicates.add(key)
        values = ", ".join(f"{value_text(f.value)} ({f.source})" for f in facts)
        self.problems.append(Problem(
            "inconsistent-duplicates",
            f"{facts[0].concept} is reported {len(facts)} times for one context with values that rounding "
            f"cannot reconcile: {values}; the summations that use it are not checked there",
            self.filing, self.options.rule_id, "error", tuple(fact_use(str(f.concept), f, self.labels) for f in facts)))

    def _report(self, summation: Summation, binding, left: Decimal, right: Decimal,
                contributions: list[tuple[Decimal, Decimal]], allowance: Decimal, uses: list[FactUse],
                missing: list[QName], basis: str, note: str = "", failed: FailedBinding | None = None) -> None:
        entity, period, unit, dims = binding
        partial = bool(missing)
        severity = self.options.partial if partial else self.options.severity
        if partial and severity == "auto":
            # fewer than half of the items here, none of the missing ones under a dimension: the
            # filer tagged one or two of them for another table, not this summation (info)
            sparse = 2 * (len(contributions)) < len(summation.items) and not any(
                self._dimensional.get((concept, entity, period, unit)) for concept in missing)
            severity = "info" if sparse else "warning"
        if severity == "ignore":
            self.not_evaluated += 1
            return
        self.failed += 1
        terms = " ".join(("− " if weight < 0 else "+ ") + (f"{fmt(abs(weight))} × " if abs(weight) != 1 else "")
                         + (f"({fmt(value)})" if value < 0 else fmt(value)) for weight, value in contributions)
        terms = terms[2:] if terms.startswith("+ ") else terms
        if basis in ("rounding", "truncation"):
            tail = f"(off by {fmt(abs(left - right))}; {basis} allows {fmt(allowance)})"
        else:
            tail = f"(off by {fmt(abs(left - right))}; {note})" if note else f"(off by {fmt(abs(left - right))})"
        explanation = f"{fmt(left)} ≠ {terms} = {fmt(right)} {tail}"
        gaps = []
        dimensional = 0
        for concept in missing:
            axes = self._dimensional.get((concept, entity, period, unit))
            dimensional += bool(axes)
            gaps.append(f"{concept} (reported only under {', '.join(sorted(axes))})" if axes else str(concept))
        if partial and dimensional == len(missing):
            attribution = Attribution("dimension", f"{', '.join(map(str, missing))} "
                                                   f"{'is' if len(missing) == 1 else 'are'} reported only under a "
                                                   f"dimension: the total includes them, this context does not")
        elif partial:
            attribution = Attribution("partial", f"{', '.join(map(str, missing))} "
                                                 f"{'is' if len(missing) == 1 else 'are'} not reported here and "
                                                 f"counted as zero: possibly a modelling gap")
        elif failed is not None:
            attribution = self.attributor.attribute(failed)
            severity = self.attributor.severity(severity, attribution)
        else:
            attribution = Attribution("arithmetic", "every item is reported and the sum differs")
        kind = f"partial binding: {', '.join(gaps)} not reported in this context, counted as zero" if partial \
            else "determinate: every item is reported"
        network = summation.role.rsplit("/", 1)[-1]
        message = f"{summation.total} in network {network}: {kind}"
        absent = tuple(absent_use(str(c), c, self.labels) for c in missing)
        self.violations.append(Violation(
            self.options.rule_id, severity, f"{self.options.title}: {summation.total} ({network})", message,
            self.filing, str(entity), str(period), str(unit) if unit else "", dimensions_text(dims),
            value_text(left), value_text(right), value_text(left - right), value_text(allowance), explanation,
            tuple(uses) + absent, binding="partial" if partial else "determinate", attribution=attribution,
            rule_severity=self.options.severity if severity != self.options.severity else ""))


def _weighted(concept: QName, weight: Decimal) -> str:
    return f"{concept} × {weight.normalize()}" if weight != 1 else str(concept)


def check_calculations(summations: list[Summation], index: FactIndex, filing: str, options: CalcOptions,
                       labels=None, attributor: Attributor | None = None
                       ) -> tuple[Coverage, list[Violation], list[Problem]]:
    checker = CalculationChecker(summations, index, filing, options, labels, attributor)
    coverage = checker.run()
    # arithmetic breaks first, then tagging, then partial bindings: the real errors before the modelling gaps
    violations = sorted(checker.violations, key=lambda v: reading_rank(v.attribution))
    return coverage, violations, checker.problems
