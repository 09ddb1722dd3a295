"""Properties of rounding-aware evaluation, over generated filings.

(a) Figures that agree exactly, each then rounded to its own decimals as a filer
    reports them, never produce a violation.
(b) Moving any one reported figure by more than rounding can explain (twice the sum
    of every term's half-width) always produces one.
For a sum, a difference, a roll-forward and a currency translation.
"""

from datetime import datetime
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings, strategies as st

from checker.engine import check_filing, rules_with_parameters
from checker.engine.intervals import half_width
from checker.loaders import Filing
from checker.model import Entity, Fact, Period, QName, Source, Unit
from checker.packs import load_packs

PACK = """\
pack: properties
parameters: {rate: 7.2993}
rules:
  - id: SUM
    title: total of parts
    assert: Total == PartA + PartB + PartC
  - id: DIFF
    title: net of gross less allowance
    assert: Net == Gross - Allowance
  - id: ROLL
    title: balance roll-forward
    assert: Balance@end == Balance@start + Additions - Disposals
  - id: FX
    title: convenience translation
    translation: {from: CNY, to: USD, rate: $rate}
"""
RATE = Decimal("7.2993")
ENTITY = Entity("http://www.sec.gov/CIK", "0000000001")
YEAR = Period.duration(datetime(2024, 1, 1), datetime(2025, 1, 1))
OPEN, CLOSE = Period.instant(datetime(2024, 1, 1)), Period.instant(datetime(2025, 1, 1))
CNY, USD = Unit.of([QName("iso4217", "CNY")]), Unit.of([QName("iso4217", "USD")])


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    path = tmp_path_factory.mktemp("packs") / "properties.yaml"
    path.write_text(PACK)
    return rules_with_parameters(load_packs([str(path)]))


amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4,
                      allow_nan=False, allow_infinity=False)
positive = st.decimals(min_value=Decimal("0"), max_value=Decimal("1e12"), places=4,
                       allow_nan=False, allow_infinity=False)
decimals = st.integers(min_value=-6, max_value=2)
rounding = st.sampled_from([ROUND_HALF_UP, ROUND_HALF_EVEN])


def rounded(value: Decimal, places: int, mode) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=mode)


def fact(local, value, places, period, unit=USD) -> Fact:
    return Fact.of(QName("us-gaap", local), ENTITY, period, unit, (), value, places, Source("generated", 1, local))


def scenario(parts, decs, mode) -> list[Fact]:
    """Four true identities, each figure then rounded to its own decimals."""
    a, b, c, gross, allowance, opening, additions, disposals, cny = parts
    true = {
        ("Total", CLOSE, USD): a + b + c, ("PartA", CLOSE, USD): a, ("PartB", CLOSE, USD): b,
        ("PartC", CLOSE, USD): c,
        ("Net", CLOSE, USD): gross - allowance, ("Gross", CLOSE, USD): gross, ("Allowance", CLOSE, USD): allowance,
        ("Balance", OPEN, USD): opening, ("Balance", CLOSE, USD): opening + additions - disposals,
        ("Additions", YEAR, USD): additions, ("Disposals", YEAR, USD): disposals,
        ("Revenues", YEAR, CNY): cny, ("Revenues", YEAR, USD): cny / RATE,
    }
    return [fact(local, rounded(value, d, mode), d, period, unit)
            for ((local, period, unit), value), d in zip(true.items(), decs, strict=True)]


def run(rules, facts):
    return check_filing(Filing("generated", "table", facts, ["generated"]), rules)


parts_strategy = st.tuples(amounts, amounts, amounts, positive, positive, amounts, positive, positive, positive)
decimals_strategy = st.lists(decimals, min_size=13, max_size=13)


@settings(max_examples=300, deadline=None)
@given(parts_strategy, decimals_strategy, rounding)
def test_rounded_consistent_figures_never_violate(rules, parts, decs, mode):
    result = run(rules, scenario(parts, decs, mode))
    assert result.violations == ()
    assert {c.rule_id: c.passed for c in result.coverage} == {"SUM": 1, "DIFF": 1, "ROLL": 1, "FX": 1}


# which facts each rule uses, by position in scenario(); FX converts at RATE
RULE_OF = {0: "SUM", 1: "SUM", 2: "SUM", 3: "SUM", 4: "DIFF", 5: "DIFF", 6: "DIFF", 7: "ROLL", 8: "ROLL",
           9: "ROLL", 10: "ROLL", 11: "FX", 12: "FX"}


def explainable(facts, index) -> Decimal:
    """How far one figure can move and still be explained by rounding: the most the
    identity's two sides can differ through rounding, seen from that figure."""
    members = [i for i, rule in RULE_OF.items() if rule == RULE_OF[index]]
    if RULE_OF[index] == "FX":
        cny, usd = facts[11], facts[12]
        slack = half_width(usd.decimals) + half_width(cny.decimals) / RATE
        return 2 * slack * (RATE if index == 11 else 1)
    return 2 * sum(half_width(facts[i].decimals) for i in members)


@settings(max_examples=300, deadline=None)
@given(parts_strategy, decimals_strategy, rounding, st.integers(min_value=0, max_value=12),
       st.sampled_from([1, -1]), st.decimals(min_value=Decimal("1.0001"), max_value=Decimal("1000"), places=4))
def test_moving_one_figure_beyond_rounding_is_always_reported(rules, parts, decs, mode, index, sign, factor):
    facts = scenario(parts, decs, mode)
    moved = facts[index]
    delta = sign * explainable(facts, index) * factor
    facts[index] = Fact.of(moved.concept, moved.entity, moved.period, moved.unit, (), moved.value + delta,
                        moved.decimals, moved.source)
    result = run(rules, facts)
    assert RULE_OF[index] in {v.rule_id for v in result.violations}


LINEAR_PACK = """\
pack: linear
parameters: {cushion: 1.5}
rules:
  - {id: EQ, title: eq, assert: "A == B + C - D"}
  - {id: NEG, title: neg, assert: "-A + 2 == -(B - C) + D - $cushion"}
  - {id: LE, title: le, assert: "A <= B + C"}
  - {id: GE, title: ge, assert: "A - D >= 0"}
  - {id: LT, title: lt, assert: "A < B"}
  - {id: GT, title: gt, assert: "C + D > A"}
  - {id: NE, title: ne, assert: "A != B"}
  - {id: CONST, title: const, assert: "A + 0.5 == B + $cushion"}
"""


@pytest.fixture(scope="module")
def linear_rules(tmp_path_factory):
    path = tmp_path_factory.mktemp("packs") / "linear.yaml"
    path.write_text(LINEAR_PACK)
    return rules_with_parameters(load_packs([str(path)]))


near = st.sampled_from([Decimal(0), Decimal("0.5"), Decimal("-0.5"), Decimal(1), Decimal(-1), Decimal("1.5"),
                        Decimal("-1.5"), Decimal(1000), Decimal("-2.5")])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(-5, 5)), st.sampled_from([None, 0, -1, 1])),
                min_size=4, max_size=4), near, st.booleans())
def test_a_linear_rule_passes_without_full_evaluation_exactly_where_full_evaluation_passes(
        linear_rules, terms, offset, nil_d):
    """Linear rules of plain terms are decided by one sum and one spread where they plainly
    hold (RuleEvaluator._plainly_holds); a traced run evaluates every binding in full. Both must
    count the same bindings passed, failed and not evaluated, and report the same breaks, with
    values placed at, inside and beyond what rounding allows."""
    from checker.engine.attribution import Attributor, Evidence
    from checker.engine.evaluate import RuleEvaluator, anchor_terms
    from checker.engine.index import FactIndex

    facts = []
    for local, (units, places) in zip("BCDA", terms, strict=True):
        if units is None:
            continue   # not reported: the rule is not evaluated there
        value = Decimal(units) * 100 + (offset if local == "A" else 0)
        facts.append(fact(local, None if (nil_d and local == "D") else value, places, CLOSE))
    index = FactIndex(facts)
    for rule, params in linear_rules:
        outcomes, traced = [], []
        for trace in (None, traced):
            evaluator = RuleEvaluator(rule, params, index, "generated", None, Attributor(Evidence(None, index, {})),
                                      trace)
            outcome = evaluator.run()
            outcomes.append((outcome.coverage, [(v.explanation, v.severity) for v in outcome.violations]))
        assert outcomes[0] == outcomes[1], rule.id
        # and binding by binding: the quick decision is the full one wherever every term is a number
        quick = RuleEvaluator(rule, params, index, "generated")
        form = quick._linear_form(rule.assertion)
        assert form is not None, rule.id
        bindings = quick._bindings(anchor_terms(quick.terms), False)
        assert len(bindings) == len(traced)
        for binding, step in zip(bindings, traced, strict=True):
            assert quick._plainly_holds(form, binding) == (step.outcome == "passed"), (rule.id, step)
