"""What explains a failed binding, from the filing's own facts and linkbases.

Every break is given the strongest explanation the filing supports, tried in this order:

- *sign*: the identity holds with one of its reported terms negated;
- *scale*: it holds with one term multiplied by 10^±3, 10^±6 or 10^±9;
- *reported line*: the gap is one amount the filing reports at the same context (for
  a rule over a duration with ``@start``/``@end`` terms, also a balance at either end),
  preferring an item the filer's calculation linkbase adds up with the identity's
  concepts, then a line of the same statement (a presentation network, or a data set's
  ``pre.txt`` statement, that shows one of them); sums of several lines are never
  tried: on a statement of forty lines some pair or triple matches almost any gap;
- otherwise *arithmetic*: every term is reported and nothing closes the gap.

The same mechanism serves every rule kind: each hands over its failed binding with two
tests, "does the identity hold with these facts replaced?" and "does it hold with this
amount added to one side?", so sign, scale and lines are tried with the rule's own
arithmetic and tolerance.

Chance matches are kept unlikely by construction: a line must be in the same context
and unit and equal the gap to the unit the page is printed in (the finest rounding
among the binding's facts); it must be at least 1,000 such units (100 for the handful
of items a calculation adds up with the identity's concepts), and the rule's own
allowance at most a tenth of it (a quarter of the change, for a term's own sign or
scale). Where the filing has presentation or calculation linkbases (or ``pre.txt``),
only lines that share a summation or a statement with the identity's concepts are
candidates; only where it has none are all the context's facts candidates, and then
the evidence says so. ``benchmarks/attribution_chance.py`` measures it: random gaps of
the same size as the corpus's real ones are "closed" by some line under 0.5% of the
time (7% before the unit floor), against a quarter of the real gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from ..linkbases import read_calculations, read_member_parents, read_statement_groups
from ..model import Fact, Period, QName
from ..results import SEVERITY_ORDER, Attribution
from .wording import fact_use, fmt
from .intervals import CTX, ZERO, Interval, half_width

SCALES = (3, 6, 9, -3, -6, -9)
LINE_SHARE = Decimal("0.1")   # a line's match tolerance: at most a tenth of the line
TERM_SHARE = Decimal("0.25")  # a term's own sign or scale: at most a quarter of the change
# a line closes a gap only if it is at least this many rounding units: below, some line of a
# statement matches a random gap of the same size one time in five (benchmarks/attribution_chance.py);
# the few items a calculation adds up with the identity's concepts may be smaller
MIN_LINE_UNITS = {"calculation": 100, "statement": 1000, "context": 1000}
ONE = Decimal(1)
SCALE_WORDS = {3: "1,000 times", 6: "1,000,000 times", 9: "1,000,000,000 times", -3: "a thousandth of",
               -6: "a millionth of", -9: "a billionth of"}


@dataclass
class FailedBinding:
    """A failed binding, as attribution sees it."""

    binding: tuple                       # (entity, period, unit, dimensions)
    gap: Decimal                         # left − right, as reported
    allowance: Decimal                   # how far apart rounding (or the rule's tolerance) let the sides be
    used: list[tuple[str, Fact]]         # (term as written, fact) for every reported term
    concepts: set                        # every concept the identity names, reported or not
    holds_with: Callable[[dict], bool]   # does it hold with these facts (by id) replaced by these intervals?
    closes: Callable[[Interval], bool] | None  # does it hold with this amount added to one side? None: no line can
    edges: bool = False                  # a duration rule with @start/@end: balances at either end may close it


class Evidence:
    """The filing's facts by context and its statement and calculation groupings, each
    read once per filing and only when a binding first fails."""

    def __init__(self, filing, index, labels):
        self.filing = filing
        self.index = index
        self.labels = labels
        self._by_context: dict | None = None
        self._groups: dict | None = None
        self._relatives: dict | None = None
        self._summations: dict | None = None
        self._member_parents: dict | None = None

    def at(self, context: tuple) -> list[tuple[QName, Fact]]:
        if self._by_context is None:
            found: dict = {}
            for key, entry in self.index.entries.items():
                # a reported, non-zero amount (a unit, a value): the loop every filing's first break pays for
                if type(entry) is Fact and entry[3] is not None and entry[5]:
                    found.setdefault(key[1:], []).append((key[0], entry))
            self._by_context = found
        return self._by_context.get(context, [])

    @property
    def groups(self) -> dict:
        if self._groups is None:
            self._groups = read_statement_groups(self.filing) if self.filing is not None else {}
        return self._groups

    @property
    def member_parents(self) -> dict:
        """Member -> its parents in the definition linkbase's domains (read on first use)."""
        if self._member_parents is None:
            self._member_parents = read_member_parents(self.filing) \
                if self.filing is not None and self.filing.linkbases_of("definition") else {}
        return self._member_parents

    @property
    def summations(self) -> dict:
        """Total concept -> the filer's summations of it (calculation linkbase)."""
        if self._summations is None:
            found: dict = {}
            if self.filing is not None and self.filing.linkbases_of("calculation"):
                for summation in read_calculations(self.filing).summations:
                    found.setdefault(summation.total, []).append(summation)
            self._summations = found
        return self._summations

    @property
    def relatives(self) -> dict:
        """Concept -> the concepts it shares a summation with (as total or item)."""
        if self._relatives is None:
            found: dict = {}
            for summations in self.summations.values():
                for summation in summations:
                    members = {summation.total, *(item for item, _ in summation.items)}
                    for concept in members:
                        found.setdefault(concept, set()).update(members)
            self._relatives = found
        return self._relatives

    def foots(self, concept: QName, context: tuple) -> tuple | None:
        """Where ``concept`` at ``context`` is the total of a filer's summation whose items are
        all reported there and add up to it within their rounding: (summation, item facts).
        A translated total footed from rounded translated lines is such a total."""
        entity, period, unit, dims = context
        total = self.index.get(concept, entity, period, unit, dims)
        if type(total) is not Fact or total.is_nil or not total.is_numeric:
            return None
        for summation in self.summations.get(concept, ()):
            items = [(self.index.get(item, entity, period, unit, dims), weight) for item, weight in summation.items]
            if any(type(fact) is not Fact or fact.is_nil or not fact.is_numeric for fact, _ in items):
                continue
            added = sum((Interval.reported(f.value, f.decimals) * Interval.exact(w) for f, w in items),
                        Interval.exact(ZERO))
            if added.lo <= total.value + half_width(total.decimals) and \
                    total.value - half_width(total.decimals) <= added.hi:
                return summation, [f for f, _ in items]
        return None

    def standing(self, concept: QName, concepts: set) -> str | None:
        """Where a line stands beside the identity's concepts: ``calculation`` (the filer's
        calculation linkbase adds it up with one of them: a handful of candidates),
        ``statement`` (a line of a statement that shows one of them: dozens),
        ``context`` (the filing has no groupings at all), or None (not beside them)."""
        groups, relatives = self.groups, self.relatives
        if not groups and not relatives:
            return "context"
        if any(concept in relatives.get(c, ()) for c in concepts):
            return "calculation"
        mine = groups.get(concept)
        if mine and any(mine & groups.get(c, frozenset()) for c in concepts):
            return "statement"
        return None


_STANDING_ORDER = {"calculation": 0, "statement": 1, "context": 2}
_STANDING_WORDS = {"statement": "a line of the same statement", "calculation": "an item of the same summation",
                   "context": "reported at the same context"}


class Attributor:
    """Attributes failed bindings and sets their severity: tagging findings are reported
    at ``tagging`` (never above the rule's own severity), arithmetic at the rule's."""

    def __init__(self, evidence: Evidence, tagging: str = "warning"):
        self.evidence = evidence
        self.tagging = tagging

    def severity(self, rule_severity: str, attribution: Attribution) -> str:
        if attribution.is_tagging and SEVERITY_ORDER[self.tagging] < SEVERITY_ORDER[rule_severity]:
            return self.tagging
        return rule_severity

    def attribute(self, failed: FailedBinding) -> Attribution:
        return (self._sign_or_scale(failed) or self._line(failed)
                or Attribution("arithmetic", f"every term is reported and no amount the filing reports closes the "
                                             f"gap of {fmt(abs(failed.gap))}: the numbers disagree"))

    def _sign_or_scale(self, failed: FailedBinding) -> Attribution | None:
        seen = set()
        for term, fact in failed.used:
            if id(fact) in seen or not fact.value:
                continue
            seen.add(id(fact))
            reported = Interval.reported(fact.value, fact.decimals)
            change = abs(2 * fact.value)
            if CTX.multiply(change, TERM_SHARE) >= failed.allowance and failed.holds_with({id(fact): -reported}):
                return Attribution(
                    "sign", f"holds with the sign of {fact.concept} reversed ({fmt(fact.value)} taken as "
                            f"{fmt(-fact.value)}): the amount is right, its sign in the tagging is not",
                    str(fact.concept), facts=(fact_use(term, fact, self.evidence.labels),))
            for power in SCALES if failed.closes is not None else ():  # an inequality holds at some scale anyway
                factor = Decimal(1).scaleb(power)
                scaled = Interval(*(CTX.multiply(x, factor) for x in reported))
                # scaled to nothing (within the rounding the other terms allow): the same as
                # leaving the term out, not a scale error
                if abs(scaled.value) <= failed.allowance - reported.half_width + scaled.half_width:
                    continue
                change = abs(CTX.subtract(scaled.value, fact.value))
                if CTX.multiply(change, TERM_SHARE) >= failed.allowance and failed.holds_with({id(fact): scaled}):
                    return Attribution(
                        "scale", f"holds with {fact.concept} {fmt(fact.value)} taken as {fmt(scaled.value)}: the "
                                 f"reported amount is {SCALE_WORDS[-power]} the one that adds up, a scale error",
                        str(fact.concept), facts=(fact_use(term, fact, self.evidence.labels),))
        return None

    def _candidates(self, failed: FailedBinding) -> list[tuple[str, QName, Fact]]:
        """(where, concept, fact) for every line at the binding's contexts the identity does not name."""
        entity, period, unit, dims = failed.binding
        contexts = [("", failed.binding)]
        if failed.edges and period.is_duration:
            contexts += [(" at the opening", (entity, Period.instant(period.start), unit, dims)),
                         (" at the closing", (entity, Period.instant(period.end), unit, dims))]
        used = {fact.concept for _, fact in failed.used} | set(failed.concepts)
        return [(where, concept, fact) for where, context in contexts
                for concept, fact in self.evidence.at(context) if concept not in used]

    def _line(self, failed: FailedBinding) -> Attribution | None:
        if failed.closes is None:
            return None
        best = None
        # the unit the page is printed in: the finest rounding among the binding's facts (a
        # data set's decimals are inferred from trailing zeros, so the coarsest overstates it)
        unit = max(min((2 * half_width(fact.decimals) for _, fact in failed.used), default=ONE), ONE)
        target = abs(failed.gap)
        for where, concept, fact in self._candidates(failed):
            amount = Interval.reported(fact.value, fact.decimals)
            if abs(abs(fact.value) - target) > max(unit, 2 * amount.half_width):
                continue  # the page adds up to the unit it is printed in: the gap is the line, not near it
            # only a line equal to the gap asks where it stands (a statement's and a summation's lines)
            standing = self.evidence.standing(concept, failed.concepts)
            if standing is None:
                continue
            if CTX.multiply(abs(fact.value), LINE_SHARE) < CTX.add(failed.allowance, amount.half_width) \
                    or abs(fact.value) < MIN_LINE_UNITS[standing] * unit:
                continue  # too few rounding units in this amount for a match to mean anything
            if not (failed.closes(amount) or failed.closes(-amount)):
                continue
            rank = (_STANDING_ORDER[standing], bool(where), abs(abs(failed.gap) - abs(fact.value)))
            if best is None or rank < best[0]:
                best = (rank, standing, where, concept, fact)
        if best is None:
            return None
        _, standing, where, concept, fact = best
        # which tagged term should have included it the filing cannot say (a total is not
        # always the term that leaves a line out), so the wording names none
        return Attribution(
            "reported-line", f"the page adds up with {concept} {fmt(fact.value)}{where} "
                             f"({_STANDING_WORDS[standing]}, equal to the gap of {fmt(abs(failed.gap))}); the "
                             f"identity's terms, as tagged, leave it out",
            str(concept), standing, facts=(fact_use(str(concept), fact, self.evidence.labels),))
