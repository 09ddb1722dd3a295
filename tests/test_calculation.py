"""Checking filings against their own calculation linkbases (Calculations 1.1 and XBRL 2.1)."""

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from checker.api import check
from checker.engine.calculation import CalcOptions, CalculationChecker, check_calculations
from checker.engine.index import FactIndex
from checker.engine.intervals import half_width
from checker.linkbases import Summation
from checker.model import Entity, Fact, Period, QName, Source, Unit

from .conftest import corpus_path, run_cli

# (bound summations, passed, determinate breaks, partial bindings) per filing with a
# calculation linkbase, Calculations 1.1 round-to-nearest. 140 inconsistencies in all:
# 135 partial bindings and 5 determinate breaks, the figures PRODUCT.md gives for Arelle.
EXPECTED = {
    "aapl-10k-2010": (139, 130, 0, 9), "aapl-10k-2023": (176, 176, 0, 0), "aapl-10q-2023": (130, 130, 0, 0),
    "aapl-10q-2025q2-with-R-pages": (120, 120, 0, 0), "aeon-10q-2023q3-smallfiler": (54, 53, 1, 0),
    "amzn-10k-2022": (179, 159, 0, 20), "gahc-10q-2024q3-smallfiler": (54, 52, 0, 2),
    "gd-10q-2024q2": (124, 96, 0, 28), "goog-10q-2020q1": (142, 128, 2, 12), "msft-10k-2015": (227, 169, 2, 56),
    "nflx-10k-2009": (45, 45, 0, 0), "nflx-10k-2024": (84, 84, 0, 0), "tsla-10q-2024q2": (103, 95, 0, 8),
    "unp-10k-2012": (106, 106, 0, 0),
}

SPARSE = {"aapl-10k-2010": 1, "amzn-10k-2022": 3, "msft-10k-2015": 7}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_calculations_on_real_filings(name):
    result = check(str(corpus_path("sec-filings", name)), calc="round", only_calc=True)
    coverage, = result.coverage()
    determinate = [v for v in result.violations if v.binding == "determinate"]
    partial = [v for v in result.violations if v.binding == "partial"]
    assert (coverage.passed + coverage.failed, coverage.passed, len(determinate), len(partial)) == EXPECTED[name]
    # a determinate break keeps the rule's severity unless the filing's tagging explains it
    assert all(v.severity == ("warning" if v.attribution.is_tagging else "error") for v in determinate)
    assert all(v.attribution.kind in ("partial", "dimension") for v in partial)
    # a partial binding where fewer than half of the items are reported and none of the missing ones
    # under a dimension is info (a summation bound where the filer tagged an item for another table)
    assert sum(v.severity == "info" for v in partial) == SPARSE.get(name, 0)
    assert all(v.severity in ("warning", "info") for v in partial)
    ordered = result.reading_order(result.filings[0])
    assert [v.binding for v in ordered] == sorted((v.binding for v in ordered), key=lambda b: b == "partial")


def test_a_wrong_weight_is_a_determinate_break_with_its_arithmetic():
    result = check(str(corpus_path("sec-filings", "goog-10q-2020q1")), calc="round", only_calc=True)
    debt = [v for v in result.violations if v.binding == "determinate"]
    assert {v.period for v in debt} == {"2019-12-31", "2020-03-31"}
    first = next(v for v in debt if v.period == "2019-12-31")
    assert first.explanation == ("4,554,000,000 ≠ 3,958,000,000 + 685,000,000 + 89,000,000 = 4,732,000,000 "
                                 "(off by 178,000,000; rounding allows 2,000,000)")
    assert "DebtLongTermDebtDetails" in first.title and first.facts[0].label == "Long-term Debt and Lease Obligation"
    # the excess of undiscounted payments (imputed interest) is tagged positive with weight +1: the page subtracts it
    assert (first.attribution.kind, first.attribution.concept, first.severity, first.rule_severity) == \
        ("sign", "us-gaap:FinanceLeaseLiabilityUndiscountedExcessAmount", "warning", "error")


def test_a_partial_binding_names_the_item_reported_only_under_a_dimension():
    result = check(str(corpus_path("sec-filings", "gahc-10q-2024q3-smallfiler")), calc="round", only_calc=True)
    equity = [v for v in result.violations if "StockholdersEquity" in v.title]
    assert len(equity) == 2 and all(v.binding == "partial" for v in equity)
    assert ("partial binding: us-gaap:PreferredStockValue (reported only under us-gaap:StatementClassOfStockAxis) "
            "not reported in this context, counted as zero") in equity[0].message


def test_calc_partial_sets_the_severity_of_partial_bindings():
    path = corpus_path("sec-filings", "gahc-10q-2024q3-smallfiler")
    ignored = check(str(path), calc="round", only_calc=True, calc_partial="ignore")
    assert ignored.violations == []
    as_error = run_cli("check", path, "--calc", "--calc-partial", "error", "-f", "json")
    assert as_error.returncode == 1
    assert {v["severity"] for v in json.loads(as_error.stdout)["filings"][0]["violations"]} == {"error"}
    default = run_cli("check", path, "--calc")
    assert default.returncode == 0, "partial bindings are warnings by default"


def test_rules_from_calc_gives_the_same_results_as_calc(tmp_path):
    filing = corpus_path("sec-filings", "msft-10k-2015")
    pack = tmp_path / "calc.yaml"
    assert run_cli("rules", "from-calc", filing, "-o", pack).returncode == 0
    assert run_cli("rules", "validate", pack).returncode == 0

    def findings(*args):
        report = json.loads(run_cli("check", filing, *args, "-f", "json").stdout)
        violations = report["filings"][0]["violations"]
        return (sorted((v["facts"][0]["concept"], v["period"], v["dimensions"], v["explanation"], v["message"],
                        v["severity"], v["binding"]) for v in violations), report["summary"]["bindings"])

    calc, from_pack = findings("--calc", "--select", "CALC"), findings("--rules", str(pack))
    assert calc == from_pack and len(calc[0]) == 58


def _fact(concept, value, decimals, dims=(), path=()):
    return Fact.of(QName("ex", concept), Entity("http://x", "e"), Period.from_xbrl(instant="2024-12-31"),
                Unit.parse("iso4217:USD"), dims, Decimal(value) if value is not None else None, decimals,
                Source("t.xml", 1), "", path)


SUM = Summation("http://example.com/role", QName("ex", "A"), ((QName("ex", "B"), Decimal(1)),
                                                              (QName("ex", "C"), Decimal(-1))))


def _run(facts, mode="round"):
    return check_calculations([SUM], FactIndex(facts), "t.xml", CalcOptions(mode=mode))


@pytest.mark.parametrize("mode,values,consistent", [
    ("round", ("10", "14", "4"), True),
    ("round", ("11", "14", "4"), True),      # 1 off on three figures of decimals 0: rounding explains 1.5
    ("round", ("12", "14", "4"), False),
    ("truncate", ("10", "14", "4"), True),
    ("truncate", ("12", "14", "4"), False),  # truncation allows [10 - 1, 10 + 1) around the sum
    ("xbrl21", ("10", "14", "4"), True),
    ("xbrl21", ("11", "14", "4"), False),    # the classic rule rounds first, then demands equality
])
def test_modes(mode, values, consistent):
    a, b, c = values
    coverage, violations, _ = _run([_fact("A", a, 0), _fact("B", b, 0), _fact("C", c, 0)], mode)
    assert (coverage.passed, coverage.failed) == ((1, 0) if consistent else (0, 1))


def test_consistent_duplicates_intersect_and_inconsistent_ones_are_reported_and_skipped():
    coverage, violations, problems = _run([_fact("A", "10", 0), _fact("A", "10.2", 1), _fact("B", "14", 0),
                                           _fact("C", "4", 0)])
    assert (coverage.passed, problems) == (1, [])
    coverage, violations, problems = _run([_fact("A", "10", 0), _fact("A", "12", 0), _fact("B", "14", 0),
                                           _fact("C", "4", 0)])
    assert (coverage.passed, coverage.failed, coverage.errors) == (0, 0, 1)
    assert [p.kind for p in problems] == ["inconsistent-duplicates"]


def test_no_item_no_binding_and_nil_total_is_not_checked():
    coverage, _, _ = _run([_fact("A", "10", 0)])
    assert (coverage.passed, coverage.failed, coverage.not_evaluated) == (0, 0, 1)
    coverage, _, _ = _run([_fact("A", None, None), _fact("B", "14", 0)])
    assert (coverage.passed, coverage.failed) == (0, 0)


def test_dimensional_contexts_bind_like_the_others():
    dims = ((QName("ex", "RegionAxis"), QName("ex", "EuropeMember")),)
    coverage, violations, _ = _run([_fact("A", "99", 0, dims), _fact("B", "14", 0, dims), _fact("C", "4", 0, dims),
                                    _fact("A", "10", 0), _fact("B", "14", 0), _fact("C", "4", 0)])
    assert (coverage.passed, coverage.failed) == (1, 1)
    assert violations[0].dimensions == "ex:RegionAxis=ex:EuropeMember"


def test_prohibited_and_overriding_arcs(tmp_path):
    """Arcs between the same concepts in one network are one relationship: the highest
    priority decides it, and a prohibition at that priority removes it."""
    from checker.linkbases import read_summations
    from checker.loaders import load_filing

    from .conftest import FIXTURES

    (tmp_path / "small-instance.xml").write_bytes((FIXTURES / "small-instance.xml").read_bytes())
    href = "https://xbrl.fasb.org/us-gaap/2023/elts/us-gaap-2023.xsd#us-gaap_"
    arc = ('<link:calculationArc xlink:type="arc" xlink:arcrole="http://www.xbrl.org/2003/arcrole/summation-item" '
           'xlink:from="t" xlink:to="{to}" weight="{w}" order="{o}" {extra}/>')
    (tmp_path / "small-instance_cal.xml").write_text(
        '<link:linkbase xmlns:link="http://www.xbrl.org/2003/linkbase" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<link:calculationLink xlink:type="extended" xlink:role="http://example.com/role/r">'
        f'<link:loc xlink:type="locator" xlink:label="t" xlink:href="{href}Assets"/>'
        f'<link:loc xlink:type="locator" xlink:label="a" xlink:href="{href}AssetsCurrent"/>'
        f'<link:loc xlink:type="locator" xlink:label="b" xlink:href="{href}AssetsNoncurrent"/>'
        f'<link:loc xlink:type="locator" xlink:label="c" xlink:href="{href}OtherAssets"/>'
        + arc.format(to="a", w="1", o="1", extra="") + arc.format(to="b", w="1", o="2", extra="")
        + arc.format(to="c", w="1", o="3", extra="") + '</link:calculationLink>'
        '<link:calculationLink xlink:type="extended" xlink:role="http://example.com/role/r">'
        f'<link:loc xlink:type="locator" xlink:label="t" xlink:href="{href}Assets"/>'
        f'<link:loc xlink:type="locator" xlink:label="b" xlink:href="{href}AssetsNoncurrent"/>'
        f'<link:loc xlink:type="locator" xlink:label="c" xlink:href="{href}OtherAssets"/>'
        + arc.format(to="b", w="1", o="2", extra='use="prohibited" priority="1"')
        + arc.format(to="c", w="-1", o="3", extra='priority="2"') + '</link:calculationLink></link:linkbase>')
    summation, = read_summations(load_filing(str(tmp_path / "small-instance.xml")))
    assert [(str(c), w) for c, w in summation.items] == [("us-gaap:AssetsCurrent", 1), ("us-gaap:OtherAssets", -1)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(-10**12, 10**12)), st.sampled_from([None, -6, -3, 0, 2]),
                          st.sampled_from(["1", "-1", "0.5", "2"])), min_size=1, max_size=5),
       st.sampled_from([None, -3, 0, 2]), st.sampled_from(["-1.001", "-1", "-0.999", "0", "0.999", "1", "1.001"]),
       st.booleans())
def test_the_quick_round_test_decides_as_the_interval_arithmetic(items, total_dec, where, nil_total):
    """Most bindings of a large filing are decided by CalculationChecker._holds alone: it must
    pass exactly the bindings whose intervals overlap (missing and nil items, any weight), to
    the last unit: totals are placed at, just inside and just beyond what rounding allows."""
    summation = Summation("http://example.com/role", QName("ex", "T"),
                          tuple((QName("ex", f"I{n}"), Decimal(w)) for n, (_, _, w) in enumerate(items)))
    facts = [_fact(f"I{n}", v, d) for n, (v, d, _) in enumerate(items) if v is not None or n % 2]
    reported = [(Decimal(w), Decimal(v), d) for n, (v, d, w) in enumerate(items) if v is not None]
    allowed = half_width(total_dec) + sum(abs(w) * half_width(d) for w, _, d in reported)
    total = sum(w * v for w, v, _ in reported) + Decimal(where) * allowed
    facts.append(_fact("T", None if nil_total else total, total_dec))
    index = FactIndex(facts)
    checker = CalculationChecker([summation], index, "t.xml", CalcOptions())
    key = index.bindings_of[QName("ex", "T")][0]
    quick = checker._holds([(c, w, abs(w)) for c, w in summation.items], key)
    checker._check(summation, key[1:], (), index.facts_at(key))
    assert quick == (checker.passed == 1)
