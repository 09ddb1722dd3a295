"""Binding rules to facts and evaluating them.

A rule is evaluated once per distinct (entity, period, unit, dimensions) at which one
of its *anchor* terms (required, with no period qualifier) is reported; a rule with
``@start``/``@end`` terms binds on durations only. Every other term is looked up at
that binding, shifted by its qualifiers. A binding where a required term is absent
is counted as not evaluated, never as a violation.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from ..errors import RulePackError
from ..grammar import ANY_MEMBER, DEFAULT_MEMBER, Binary, Call, Comparison, Node, Number, Param, Term, Unary, \
    terms_of, to_text
from ..model import Dimensions, Fact, Period, QName, Unit, dimensions_text, make_dimensions, \
    value_text
from ..packs import Rule, Tolerance
from ..results import Attribution, Coverage, FactUse, Problem, Violation
from .attribution import Attributor, Evidence, FailedBinding
from .index import Binding, FactIndex, Inconsistent
from .intervals import CTX, INFINITY, Interval, half_width, overlaps
from .translation import agreeing, explain_outlier, infer_rate, rate_interval, rate_text, with_last_unit_slack
from .wording import absent_use, fact_use, fmt

ZERO = Interval.exact(Decimal(0))


class Missing(Exception):
    """A required term has no fact at this binding."""


class Poisoned(Exception):
    """A term's facts are inconsistent duplicates."""

    def __init__(self, entry: Inconsistent):
        self.entry = entry


@dataclass(frozen=True)
class CompiledTerm:
    term: Term
    concept: QName
    unit: Unit | None
    sets: tuple[tuple[QName, QName], ...]   # axis = member
    removes: tuple[QName, ...]              # axis = default
    wildcard: QName | None                  # axis = *, totalled by sum()

    @property
    def plain(self) -> bool:
        """Looked up at the binding itself: no period qualifier, no dimension set or dropped."""
        return self.term.period is None and not (self.sets or self.removes or self.wildcard)

    def lookup_dims(self, dims: Dimensions) -> Dimensions:
        if not (self.sets or self.removes or self.wildcard):
            return dims
        changed = {axis: member for axis, member in dims}
        for axis in self.removes:
            changed.pop(axis, None)
        if self.wildcard is not None:
            changed.pop(self.wildcard, None)
        changed.update(self.sets)
        return make_dimensions(changed.items())

    def binding_from(self, entity, period, unit, dims: Dimensions) -> Binding | None:
        """The binding at which this (anchor) term's fact is reported, or None if it does not fit."""
        if self.unit is not None and unit != self.unit:
            return None
        have = dict(dims)
        for axis, member in self.sets:
            if have.get(axis) != member:
                return None
        for axis in self.removes:
            if axis in have:
                return None
        if self.wildcard is not None and self.wildcard not in have:
            return None
        drop = {axis for axis, _ in self.sets}
        if self.wildcard is not None:
            drop.add(self.wildcard)
        binding_dims = tuple(pair for pair in dims if pair[0] not in drop) if drop else dims
        return (entity, period, unit, binding_dims)


def _qname(name: tuple[str | None, str], prefix: str) -> QName:
    return QName(name[0] or prefix, name[1])


def compile_term(term: Term, prefix: str) -> CompiledTerm:
    sets, removes, wildcard = [], [], None
    for axis_name, member in term.dims:
        axis = _qname(axis_name, prefix)
        if member == DEFAULT_MEMBER:
            removes.append(axis)
        elif member == ANY_MEMBER:
            wildcard = axis
        else:
            sets.append((axis, _qname(member, prefix)))
    unit = Unit.of([QName(term.unit[0], term.unit[1])]) if term.unit else None
    return CompiledTerm(term, QName(term.prefix or prefix, term.local), unit, tuple(sets), tuple(removes), wildcard)


@dataclass
class _Scope:
    """One binding being evaluated: its lookups, and the facts and values used."""

    index: FactIndex
    binding: Binding
    params: dict[str, Decimal]
    compiled: dict[int, CompiledTerm]  # by id() of the term node: hashing a Term is not free
    plain: frozenset = frozenset()     # ids of the terms looked up at the binding itself
    labels: object = None  # concept -> label, read on first use (see engine.Labels)
    uses: list = field(default_factory=list)  # (term text, Fact or None if absent, concept)
    values: dict[int, Interval] = field(default_factory=dict)
    overrides: dict[int, Interval] = field(default_factory=dict)  # id(fact) -> value tried instead (attribution)
    parents: dict = field(default_factory=dict)  # member -> its parent members (definition linkbase)

    def shifted_period(self, term: Term) -> Period | None:
        period = self.binding[1]
        if term.period is None:
            return period
        if term.period == "prior":
            return self.index.prior_period(self.binding[0], period)
        if period.is_duration:
            return Period.instant(period.start if term.period == "start" else period.end)
        if period.is_instant and term.period == "end":
            return period
        return None

    def term(self, term: Term) -> Interval:
        ct = self.compiled[id(term)]
        if id(term) in self.plain:  # most terms: one dictionary hit at the binding
            entity, period, unit, dims = self.binding
            entry = self.index.entries.get((ct.concept, entity, period, ct.unit or unit, dims))
            interval = self._use(ct, entry) if entry is not None else None
            return interval if interval is not None else self._absent(ct)
        entity, _, unit, dims = self.binding
        period = self.shifted_period(term)
        if period is None:
            return self._absent(ct)
        unit = ct.unit or unit
        dims = ct.lookup_dims(dims)
        if ct.wildcard is not None:
            entries = self.index.members(ct.concept, ct.wildcard).get((self.binding[0], period, unit, dims), [])
            if self.parents and len(entries) > 1:
                entries = _outermost(entries, ct.wildcard, self.parents)
            total = None
            for entry in entries:
                interval = self._use(ct, entry)
                if interval is not None:
                    total = interval if total is None else total + interval
            return total if total is not None else self._absent(ct)
        entry = self.index.get(ct.concept, entity, period, unit, dims)
        interval = self._use(ct, entry) if entry is not None else None
        return interval if interval is not None else self._absent(ct)

    def _use(self, ct: CompiledTerm, entry: Fact | Inconsistent) -> Interval | None:
        if type(entry) is Inconsistent:
            raise Poisoned(entry)
        if entry.value is None or entry.unit is None:  # nil, or not a number
            return None
        self.uses.append((ct.term.text, entry, ct.concept))
        if self.overrides:
            tried = self.overrides.get(id(entry))
            if tried is not None:
                return tried
        return Interval.reported(entry.value, entry.decimals)  # type: ignore[arg-type]

    def _absent(self, ct: CompiledTerm) -> Interval:
        if not ct.term.optional:
            raise Missing(ct.term.text)
        self.uses.append((ct.term.text, None, ct.concept))
        return ZERO

    def fact_uses(self) -> tuple[FactUse, ...]:
        """The facts used, as reported data: built only for a violation or a problem."""
        return tuple(fact_use(text, fact, self.labels) if fact is not None else absent_use(text, concept, self.labels)
                     for text, fact, concept in self.uses)

    def eval(self, node: Node) -> Interval:
        kind = type(node)
        if kind is Term:
            result = self.term(node)
        elif kind is Binary and node.op in "+-":  # the sums most rules are made of
            left, right = self.eval(node.left), self.eval(node.right)
            result = left + right if node.op == "+" else left - right
        elif isinstance(node, Number):
            result = Interval.exact(node.value)
        elif isinstance(node, Param):
            result = Interval.exact(self.params[node.name])
        elif isinstance(node, Unary):
            result = -self.eval(node.operand)
        elif isinstance(node, Binary):
            left, right = self.eval(node.left), self.eval(node.right)
            if node.op == "+":
                result = left + right
            elif node.op == "-":
                result = left - right
            elif node.op == "*":
                result = left * right
            else:
                result = left / right
        elif isinstance(node, Call):
            args = [self.eval(arg) for arg in node.args]
            if node.name == "sum":
                result = args[0]
                for arg in args[1:]:
                    result = result + arg
            elif node.name == "abs":
                result = args[0].abs()
            elif node.name == "min":
                result = Interval.minimum(args)
            elif node.name == "max":
                result = Interval.maximum(args)
            else:
                digits = int(node.args[1].value) if len(node.args) == 2 else 0  # type: ignore[union-attr]
                result = args[0].round(digits)
        else:  # pragma: no cover - the grammar makes no other nodes
            raise TypeError(node)
        self.values[id(node)] = result
        return result


# --- comparing ---------------------------------------------------------------------------------

HOLDS_SYMBOL = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}
FAILS_SYMBOL = {"==": "≠", "!=": "=", "<": "≥", "<=": ">", ">": "≤", ">=": "<"}


def compare(op: str, left: Interval, right: Interval, tolerance: Tolerance) -> tuple[bool, Decimal]:
    """Whether ``left op right`` holds, and the allowance used (how far apart the sides may be).

    By default the allowance is what rounding explains: the sides' intervals must
    overlap for ``==``, and for an inequality the sides may cross by that much.
    ``!=`` fails only when the reported values are equal.
    """
    if tolerance.kind == "rounding":
        allowance = left.half_width + right.half_width
        if op == "==":
            return overlaps(left, right), allowance
        if op == "!=":
            return left.value != right.value, allowance
        if op == "<":
            return left.lo < right.hi, allowance
        if op == "<=":
            return left.lo <= right.hi, allowance
        if op == ">":
            return left.hi > right.lo, allowance
        return left.hi >= right.lo, allowance
    if tolerance.kind == "absolute":
        allowance = tolerance.amount
    else:
        allowance = tolerance.amount * max(abs(left.value), abs(right.value))
    diff = left.value - right.value
    return {
        "==": abs(diff) <= allowance, "!=": diff != 0, "<": diff < allowance, "<=": diff <= allowance,
        ">": -diff < allowance, ">=": -diff <= allowance,
    }[op], allowance


# --- explaining --------------------------------------------------------------------------------

_OPS = {"+": "+", "-": "−", "*": "×", "/": "÷"}
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def render(node: Node, scope: _Scope) -> str:
    """The expression with every term replaced by the value it had."""
    if isinstance(node, Binary):
        left, right = render(node.left, scope), render(node.right, scope)
        if right.startswith("-"):
            right = f"({right})"  # "+ (-420,000)", not "+ -420,000"
        mine = _PRECEDENCE[node.op]
        if isinstance(node.left, Binary) and _PRECEDENCE[node.left.op] < mine:
            left = f"({left})"
        if isinstance(node.right, Binary) and (_PRECEDENCE[node.right.op] < mine or
                                               (_PRECEDENCE[node.right.op] == mine and node.op in "-/")):
            right = f"({right})"
        return f"{left} {_OPS[node.op]} {right}"
    if isinstance(node, Unary):
        inner = render(node.operand, scope)
        return f"-({inner})" if isinstance(node.operand, Binary) else f"-{inner}"
    if isinstance(node, Call):
        return f"{node.name}({', '.join(render(arg, scope) for arg in node.args)})"
    if isinstance(node, Param):
        return fmt(scope.params[node.name])
    if isinstance(node, Number):
        return fmt(node.value)
    return fmt(scope.values[id(node)].value)


def _side(node: Node, scope: _Scope) -> str:
    text = render(node, scope)
    if isinstance(node, (Term, Number, Param)):
        return text
    return f"{text} = {fmt(scope.values[id(node)].value)}"


def explain(comparison: Comparison, scope: _Scope, holds: bool, tolerance: Tolerance,
            allowance: Decimal) -> str:
    left = scope.values[id(comparison.left)]
    right = scope.values[id(comparison.right)]
    symbol = (HOLDS_SYMBOL if holds else FAILS_SYMBOL)[comparison.op]
    text = f"{_side(comparison.left, scope)} {symbol} {_side(comparison.right, scope)}"
    if holds:
        return text + " ✓"
    return text + f" (off by {fmt(abs(left.value - right.value))}; {_allowance_text(tolerance, allowance)})"


def _allowance_text(tolerance: Tolerance, allowance: Decimal) -> str:
    if tolerance.kind == "rounding":
        return f"rounding allows {fmt(allowance)}" if allowance < INFINITY else "rounding allows anything"
    if tolerance.kind == "absolute":
        return f"tolerance {fmt(allowance)}"
    return f"tolerance {fmt(tolerance.amount * 100)}% = {fmt(allowance)}"


# --- rules ---------------------------------------------------------------------------------------

def _binding_order(binding: Binding):
    entity, period, unit, dims = binding
    return (str(entity), period.end or datetime.min, period.start or datetime.min, str(unit),
            dimensions_text(dims))


@dataclass(frozen=True)
class BindingTrace:
    """What happened at one binding, for ``rules explain ID FILING``."""

    binding: str
    outcome: str    # passed, failed, not evaluated, error
    detail: str = ""


@dataclass
class RuleOutcome:
    coverage: Coverage
    violations: list[Violation]
    problems: list[Problem]
    notes: list[str]


class RuleEvaluator:
    """Evaluates one rule over one filing's index."""

    def __init__(self, rule: Rule, params: dict[str, Decimal], index: FactIndex, filing: str, labels=None,
                 attributor: Attributor | None = None, trace: list[BindingTrace] | None = None):
        self.rule = rule
        self.trace = trace  # when a list, every binding's outcome is appended (rules explain)
        self.labels = labels if labels is not None else {}
        self.attributor = attributor or Attributor(Evidence(None, index, self.labels))
        self.params = params
        self.index = index
        self.filing = filing
        self.terms = _all_terms(rule)
        self.compiled = {id(t): compile_term(t, rule.prefix) for t in self.terms}
        self.plain = frozenset(key for key, ct in self.compiled.items() if ct.plain)
        self._parents: dict | None = None
        self.passed = self.failed = self.not_evaluated = self.errors = 0
        self.violations: list[Violation] = []
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self._unsupported = ""  # translation: why a stated rate fails every pair, if it does
        self._footed = 0        # translation: totals that foot from their translated lines

    def _member_parents(self) -> dict:
        """The definition linkbase's domain tree, read only for a rule that sums over an axis."""
        if self._parents is None:  # asked for at every binding: worked out once
            self._parents = self.attributor.evidence.member_parents \
                if any(ct.wildcard is not None for ct in self.compiled.values()) else {}
        return self._parents

    def run(self) -> RuleOutcome:
        rule = self.rule
        if rule.when and rule.when.document_types and self.index.document_types and \
                not self.index.document_types & set(rule.when.document_types):
            if self.trace is not None:  # not this kind of report: the rule does not apply here
                self.trace.append(BindingTrace("(whole filing)", "not evaluated",
                                               f"dei:DocumentType is {', '.join(sorted(self.index.document_types))}, "
                                               f"not {', '.join(rule.when.document_types)}"))
        elif rule.kind == "assert":
            self._run_assert()
        elif rule.kind == "translation":
            self._run_translation()
        elif rule.kind == "exists":
            self._run_exists()
        coverage = Coverage(rule.id, rule.title, rule.severity, self.passed, self.failed,
                            self.not_evaluated, self.errors)
        return RuleOutcome(coverage, self.violations, self.problems, self.notes)

    def _bindings(self, anchors: list[Term], durations_only: bool) -> list[Binding]:
        found: set[Binding] = set()
        undimensioned = bool(self.rule.when and self.rule.when.no_dimensions)
        for term in anchors:
            ct = self.compiled[id(term)]
            for _, entity, period, unit, dims in self.index.bindings_of.get(ct.concept, ()):
                if durations_only and not period.is_duration:
                    continue
                if undimensioned and dims:
                    continue
                binding = ct.binding_from(entity, period, unit, dims)
                if binding is not None:
                    found.add(binding)
        return sorted(found, key=_binding_order)

    def _scope(self, binding: Binding) -> _Scope:
        return _Scope(self.index, binding, self.params, self.compiled, self.plain, labels=self.labels,
                      parents=self._member_parents())

    def _failing_condition(self, binding: Binding) -> str:
        """The first ``when: holds`` condition that does not hold at the binding, as text ("" if all hold)."""
        for condition in self.rule.when.holds if self.rule.when else ():
            scope = self._scope(binding)
            left, right = scope.eval(condition.left), scope.eval(condition.right)
            if not compare(condition.op, left, right, Tolerance())[0]:
                return f"{to_text(condition)} ({render(condition.left, scope)} {condition.op} " \
                       f"{render(condition.right, scope)})"
        return ""

    def _evaluate(self, binding: Binding, body) -> None:
        """Run ``body(scope)`` at a binding, turning its exceptions into outcomes."""
        scope = self._scope(binding)
        failed, detail = self.failed, ""
        try:
            failing = self._failing_condition(binding)
            if failing:
                self.not_evaluated += 1
                self._traced(binding, "not evaluated", f"when: {failing} does not hold")
                return
            body(scope)
        except Missing as missing:
            self.not_evaluated += 1
            self._traced(binding, "not evaluated", f"{missing} is not reported there")
            return
        except Poisoned as poisoned:
            self.errors += 1  # reported once, as a finding of the filing
            self._traced(binding, "error", f"{poisoned.entry.facts[0].concept} has inconsistent duplicates")
            return
        except ZeroDivisionError:
            self.errors += 1
            self.problems.append(Problem("division-by-zero", f"{self.rule.id}: division by zero at "
                                         f"{_binding_text(binding)}", self.filing, self.rule.id,
                                         self.rule.severity, scope.fact_uses()))
            self._traced(binding, "error", "division by zero")
            return
        if self.trace is not None:
            if self.failed > failed:
                violation = self.violations[-1]
                why = violation.attribution
                detail = f"{violation.severity}: {violation.explanation}" + (
                    f" [{why.kind}: {why.text}]" if why is not None and why.kind != "arithmetic" else "")
            else:
                detail = ", ".join(f"{text} = {fmt(fact.value)}" for text, fact, _ in scope.uses if fact is not None)
            self._traced(binding, "failed" if self.failed > failed else "passed", detail)

    def _traced(self, binding: Binding, outcome: str, detail: str) -> None:
        if self.trace is not None:
            self.trace.append(BindingTrace(_binding_text(binding), outcome, detail))

    def _run_assert(self) -> None:
        comparison = self.rule.assertion
        terms = self.terms
        anchors = anchor_terms(terms)
        durations_only = any(t.period in ("start", "end") for t in terms)
        linear = self._linear_form(comparison)
        for binding in self._bindings(anchors, durations_only):
            if linear is not None and self._plainly_holds(linear, binding):
                self.passed += 1
                continue
            self._evaluate(binding, lambda scope, b=binding: self._check(comparison, scope, b))

    def _linear_form(self, comparison: Comparison) -> tuple | None:
        """The rule as ``left − right = Σ ±term + constant`` when it is that simple (most rules
        are): its plain required terms with their signs, and the constant. None where a term
        is shifted, qualified by a dimension or optional, a product, a quotient or a function
        is used, the tolerance is not rounding's, a ``when: holds`` condition applies, or the
        bindings are traced: those are evaluated in full, always."""
        rule = self.rule
        if self.trace is not None or rule.tolerance.kind != "rounding" or (rule.when and rule.when.holds):
            return None
        terms: list[tuple[CompiledTerm, int]] = []
        constant = [Decimal(0)]

        def add(node: Node, sign: int) -> bool:
            kind = type(node)
            if kind is Term:
                if id(node) not in self.plain or node.optional:
                    return False
                terms.append((self.compiled[id(node)], sign))
                return True
            if kind is Number or kind is Param:
                value = node.value if kind is Number else self.params[node.name]
                constant[0] = constant[0] + value if sign > 0 else constant[0] - value
                return True
            if kind is Unary:
                return add(node.operand, -sign)
            if kind is Binary and node.op in "+-":
                return add(node.left, sign) and add(node.right, sign if node.op == "+" else -sign)
            return False

        if not (add(comparison.left, 1) and add(comparison.right, -1)):
            return None
        return comparison.op, tuple(terms), constant[0]

    def _plainly_holds(self, linear: tuple, binding: Binding) -> bool:
        """Whether the rule plainly holds at ``binding``: every term a reported number, and
        the sides within what rounding allows (the interval test, for the symmetric intervals
        a sum of rounded amounts has). False means "not plainly": the binding is then
        evaluated in full, which decides, explains and reports as always."""
        op, terms, constant = linear
        entity, period, unit, dims = binding
        entries = self.index.entries
        add, subtract = CTX.add, CTX.subtract
        value, spread = constant, Decimal(0)   # value: left − right; spread: their half-widths' sum
        for ct, sign in terms:
            fact = entries.get((ct.concept, entity, period, ct.unit or unit, dims))
            if type(fact) is not Fact or fact.value is None or fact.unit is None:
                return False   # absent, nil, not a number, or inconsistent duplicates
            value = add(value, fact.value) if sign > 0 else subtract(value, fact.value)
            spread = add(spread, half_width(fact.decimals))
        if op == "==":
            return abs(value) <= spread
        if op == "<=":
            return value <= spread
        if op == ">=":
            return value >= -spread
        if op == "<":
            return value < spread
        if op == ">":
            return value > -spread
        return value != 0   # !=: fails only when the reported values are equal

    def _check(self, comparison: Comparison, scope: _Scope, binding: Binding) -> None:
        left, right = scope.eval(comparison.left), scope.eval(comparison.right)
        holds, allowance = compare(comparison.op, left, right, self.rule.tolerance)
        if holds:
            self.passed += 1
            return
        self.failed += 1
        self._violation(binding, scope, left, right, allowance,
                        explain(comparison, scope, holds, self.rule.tolerance, allowance),
                        self._attribute(comparison, scope, binding, left, right, allowance))

    def _attribute(self, comparison: Comparison, scope: _Scope, binding: Binding, left: Interval,
                   right: Interval, allowance: Decimal):
        """What explains the break: the comparison tried again with a term changed, or a line added."""
        tolerance = self.rule.tolerance

        def holds_with(overrides: dict) -> bool:
            again = _Scope(self.index, binding, self.params, self.compiled, self.plain, overrides=overrides,
                           parents=self._member_parents())
            try:
                return compare(comparison.op, again.eval(comparison.left), again.eval(comparison.right),
                               tolerance)[0]
            except ZeroDivisionError:
                return False

        def closes(amount: Interval) -> bool:
            return compare("==", left, right + amount, tolerance)[0]

        used = [(text, fact) for text, fact, _ in scope.uses if fact is not None]
        concepts = {self.compiled[id(t)].concept for t in terms_of(comparison)}
        return self.attributor.attribute(FailedBinding(
            binding, left.value - right.value, allowance, used, concepts, holds_with,
            closes if comparison.op == "==" else None,
            edges=any(t.period in ("start", "end") for t in terms_of(comparison))))

    def _violation(self, binding: Binding, scope: _Scope, left: Interval, right: Interval,
                   allowance: Decimal, explanation: str, attribution) -> None:
        entity, period, unit, dims = binding
        fields = {"rule": self.rule.id, "title": self.rule.title, "left": fmt(left.value),
                  "right": fmt(right.value), "difference": fmt(left.value - right.value),
                  "tolerance": fmt(allowance), "period": str(period), "entity": str(entity),
                  "unit": str(unit) if unit else "", "dimensions": dimensions_text(dims),
                  "explanation": explanation, "filing": self.filing,
                  **{name: fmt(value) for name, value in self.params.items()}}
        message = self.rule.message.format_map(fields) if self.rule.message else explanation
        severity = self.attributor.severity(self.rule.severity, attribution)
        self.violations.append(Violation(
            self.rule.id, severity, self.rule.title, message, self.filing, str(entity), str(period),
            str(unit) if unit else "", dimensions_text(dims), value_text(left.value), value_text(right.value),
            value_text(left.value - right.value), value_text(allowance), explanation,
            scope.fact_uses(), attribution=attribution,
            rule_severity=self.rule.severity if severity != self.rule.severity else ""))

    def _run_translation(self) -> None:
        spec = self.rule.translation
        target = Unit.of([QName("iso4217", spec.target)])
        wanted = {self.compiled[id(t)].concept for t in spec.concepts} if spec.concepts else None
        concepts = [(c, b) for c, b in self.index.bindings_of.items() if wanted is None or c in wanted]
        if spec.source == "*":
            # the other currencies reported beside each amount: only amounts not in the target
            # currency are held (none at all in a filing reported in it alone)
            others: dict[tuple, list] = {}   # (concept, entity, period, dims) -> other currencies
            for concept, bindings in concepts:
                for _, entity, period, unit, dims in bindings:
                    if unit is not None and unit != target and unit.is_monetary:
                        others.setdefault((concept, entity, period, dims), []).append(unit)
            paired = Counter(u for concept, bindings in concepts for _, entity, period, unit, dims in bindings
                             if unit == target for u in others.get((concept, entity, period, dims), ()))
            del others
            if not paired:
                return
            source = paired.most_common(1)[0][0]  # the filing's reporting currency
        else:
            source = Unit.of([QName("iso4217", spec.source)])
        pairs = sorted(((concept, (entity, period, target, dims)) for concept, bindings in concepts
                        for _, entity, period, unit, dims in bindings if unit == target),
                       key=lambda p: (str(p[0]), _binding_order(p[1])))
        self._warn_if_unrounded(pairs, source, target)
        intervals = self._rate_intervals(pairs, source, target)
        inferred = infer_rate(intervals)
        if spec.rate is not None:
            try:
                rate = _Scope(self.index, (None, None, None, ()), self.params, {}).eval(spec.rate)
            except ZeroDivisionError:
                rate = None
            if rate is None or rate.value <= 0:
                # a pack's (or --param's) mistake, the same for every filing: said once, exit 2
                raise RulePackError(f"rule {self.rule.id}: the translation rate "
                                    f"{'divides by zero' if rate is None else 'is ' + fmt(rate.value)}: a rate must "
                                    f"be a positive number of {spec.source} per {spec.target}", str(self.rule.location))
            fits = agreeing(intervals, rate.value) if inferred is not None else 0
            if inferred is not None and fits <= inferred.agreeing // 2:
                # most pairs reject the stated rate: the rate, not the pairs, is what to look at
                self._unsupported = (f"the stated rate 1 {target.currency} = {rate_text(rate.value)} "
                                     f"{source.currency} fits {'only ' + str(fits) if fits else 'none'} of the "
                                     f"{inferred.informative} pairs; they imply "
                                     f"1 {target.currency} = {rate_text(inferred.rate)} {source.currency} "
                                     f"({inferred.agreeing} of {inferred.informative} agree)")
                self.notes.append(f"{self.rule.id}: {self._unsupported}")
        elif inferred is None:
            self.notes.append(f"{self.rule.id}: no {source.currency}/{target.currency} pair bounds the rate; "
                              f"nothing to infer it from")
            self.not_evaluated += len(pairs)
            return
        else:
            rate = Interval.exact(inferred.rate)
            span = f"{rate_text(inferred.lo, 'ROUND_FLOOR')} to {rate_text(inferred.hi, 'ROUND_CEILING')}"
            fit = agreeing(intervals, inferred.rate)
            agreement = f"{fit} of {inferred.informative} pairs agree; they allow {span}" \
                if fit == inferred.agreeing else \
                f"{fit} of {inferred.informative} pairs fit it; {inferred.agreeing} agree only on {span}, a rate no filer states"
            self.notes.append(f"{self.rule.id}: inferred rate 1 {target.currency} = {rate_text(inferred.rate)} "
                              f"{source.currency} ({agreement})")
        for concept, binding in pairs:
            self._evaluate(binding, lambda scope, c=concept, b=binding: self._check_translation(
                scope, c, b, source, rate))
        if self._footed:
            self.notes.append(f"{self.rule.id}: {self._footed} {target.currency} total"
                              f"{'s' if self._footed != 1 else ''} off the rate but footed from {target.currency} "
                              f"lines the filer's calculation adds up to {'them' if self._footed != 1 else 'it'}: "
                              f"not violations")

    def _warn_if_unrounded(self, pairs, source: Unit, target: Unit) -> None:
        """Amounts without ``decimals`` are taken as exact: no rounding is allowed for, so a
        rate inferred from them (42 / 6 = 7) is only as good as that assumption. Said once."""
        unrounded = []
        for concept, (entity, period, _, dims) in pairs:
            for unit in (target, source):
                fact = self.index.get(concept, entity, period, unit, dims)
                if isinstance(fact, Fact) and not fact.is_nil and fact.decimals is None:
                    unrounded.append(fact)
        if unrounded:
            self.problems.append(Problem(
                "no-decimals", f"{len(unrounded)} amount{'s' if len(unrounded) != 1 else ''} of the "
                f"{source.currency}/{target.currency} pairs carry no decimals: they are taken as exact, so rounding "
                f"cannot be allowed for and a rate inferred from them may be spurious (first: {unrounded[0].concept} "
                f"at {unrounded[0].source})", self.filing, self.rule.id, "warning",
                (fact_use(str(unrounded[0].concept), unrounded[0], self.labels),)))

    def _rate_intervals(self, pairs, source: Unit, target: Unit) -> list[tuple[Decimal, Decimal]]:
        """The rates each pair's two rounded amounts allow (pairs that bound it at all)."""
        intervals = []
        for concept, (entity, period, _, dims) in pairs:
            translated = self.index.get(concept, entity, period, target, dims)
            original = self.index.get(concept, entity, period, source, dims)
            if isinstance(translated, Fact) and isinstance(original, Fact) and not translated.is_nil \
                    and not original.is_nil:
                bounds = rate_interval(with_last_unit_slack(Interval.reported(translated.value, translated.decimals)),
                                       Interval.reported(original.value, original.decimals))
                if bounds is not None:
                    intervals.append(bounds)
        return intervals

    def _check_translation(self, scope: _Scope, concept: QName, binding: Binding, source: Unit,
                           rate: Interval) -> None:
        entity, period, target, dims = binding
        translated = self.index.get(concept, entity, period, target, dims)
        original = self.index.get(concept, entity, period, source, dims)
        if original is None:
            raise Missing(str(concept))
        left_fact = scope._use(_pair_term(concept, target), translated)
        right_fact = scope._use(_pair_term(concept, source), original)
        if left_fact is None or right_fact is None:
            raise Missing(str(concept))
        right = right_fact / rate
        if self.rule.translation.rate is None:
            left_fact = with_last_unit_slack(left_fact)
        holds, allowance = compare("==", left_fact, right, self.rule.tolerance)
        symbol = "=" if holds else "≠"
        text = f"{fmt(left_fact.value)} {symbol} {fmt(right_fact.value)} ÷ {rate_text(rate.value)} = {fmt(right.value)}"
        if holds:
            self.passed += 1
            return
        if self.attributor.evidence.foots(concept, binding) is not None:
            self.passed += 1  # a translated total footed from its rounded translated lines, as the page adds it
            self._footed += 1
            return
        reason = explain_outlier(left_fact.value, right.value)
        text += f" ({reason})" if reason else (f" (off by {fmt(abs(left_fact.value - right.value))}; "
                                               f"{_allowance_text(self.rule.tolerance, allowance)})")
        self.failed += 1
        if reason:
            attribution = Attribution("sign" if "sign" in reason else "scale", f"the {target.currency} amount is "
                                      f"{reason}", str(concept), facts=(fact_use(str(concept), translated, self.labels),))
        elif self._unsupported:
            attribution = Attribution("arithmetic", self._unsupported)
        else:
            attribution = Attribution("arithmetic", f"the {target.currency} amount is not the {source.currency} "
                                      f"amount at the rate, and no pattern explains it")
        self._violation(binding, scope, left_fact, right, allowance, text, attribution)

    def _run_exists(self) -> None:
        spec = self.rule.exists
        durations_only = spec.condition.period in ("start", "end")
        for binding in self._bindings([spec.condition], durations_only):
            self._evaluate(binding, lambda scope, b=binding: self._check_exists(scope, b))

    def _check_exists(self, scope: _Scope, binding: Binding) -> None:
        spec = self.rule.exists
        condition = scope.eval(spec.condition)
        missing = []
        for term in spec.required:
            try:
                scope.eval(term)
            except Missing:
                missing.append(term.text)
        if not missing:
            self.passed += 1
            return
        self.failed += 1
        text = f"{spec.condition.text} is reported ({fmt(condition.value)}) but {', '.join(missing)} " \
               f"{'is' if len(missing) == 1 else 'are'} not"
        self._violation(binding, scope, condition, ZERO, Decimal(0), text,
                        Attribution("absent", f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not "
                                              f"reported where {spec.condition.text} is"))


def _outermost(entries: list, axis: QName, parents: dict) -> list:
    """The entries of a wildcard sum whose member has no ancestor among the others: a parent
    member and its children reported together are counted once, through the parent."""
    def member(entry):
        facts = entry.facts if isinstance(entry, Inconsistent) else (entry,)
        return next((m for a, m in facts[0].dimensions if a == axis), None)

    reported = {member(e) for e in entries}

    def covered(m) -> bool:
        seen, stack = set(), list(parents.get(m, ()))
        while stack:
            parent = stack.pop()
            if parent in reported:
                return True
            if parent not in seen:
                seen.add(parent)
                stack.extend(parents.get(parent, ()))
        return False

    return [e for e in entries if not covered(member(e))]


def anchor_terms(terms: list[Term]) -> list[Term]:
    """The terms a rule binds on: required, with no period qualifier, and, where the rule
    has any, with no unit qualifier (``NetIncomeLoss@USD`` in an EPS rule must not create
    bindings in US$ where the EPS, in US$ per share, can never be)."""
    candidates = [t for t in terms if not t.optional and t.period is None]
    plain = [t for t in candidates if t.unit is None]
    return plain or candidates


def _pair_term(concept: QName, unit: Unit) -> CompiledTerm:
    """A term standing for one side of a translation pair, as a rule author would write it."""
    text = f"{concept}@{unit.currency}"
    return CompiledTerm(Term(0, concept.family, concept.local, text=text), concept, unit, (), (), None)


def _binding_text(binding: Binding) -> str:
    entity, period, unit, dims = binding
    parts = [str(period), str(unit) if unit else "", dimensions_text(dims)]
    return " ".join(p for p in parts if p)


def _all_terms(rule: Rule) -> list[Term]:
    """Every term node of the rule (and of its conditions), each compiled once."""
    terms = list(rule.terms())
    for condition in rule.when.holds if rule.when else ():
        terms.extend(terms_of(condition))
    return terms
