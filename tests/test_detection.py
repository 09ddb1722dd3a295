"""Real breaks are caught: single facts of real filings, moved by a material amount, are
reported by the shipped identity that uses them (and the violation names that very fact).

A fact takes part when moving it enormously is reported; it is detected when a material
move (10% of its value or 100 rounding units, whichever is larger, either direction) is.
Run ``python -m tests.test_detection`` for the per-filing rates.
"""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest

from checker.engine import check_filing, rules_with_parameters
from checker.loaders import Filing, load_filing
from checker.packs import load_packs

from .conftest import CORPUS, REPO

FILINGS = ["sec-filings/unp-10k-2012", "sec-filings/aapl-10k-2023", "sec-filings/amzn-10k-2022",
           "sec-filings/msft-10k-2015", "sec-filings/gd-10q-2024q2",
           "sec-samples-synthetic/muestra-20f-ifrs-2017/muestra-20171231_htm.xml"]


def _rules():
    """The shipped identities (==): sign checks and comparisons catch a wrong direction, not
    a wrong amount, so they are not what a material move is measured against."""
    packs = load_packs([str(REPO / "rules")])
    return [(rule, params) for rule, params in rules_with_parameters(packs)
            if rule.kind == "assert" and rule.assertion.op == "=="]


def _concepts_of(rule) -> set[str]:
    return {f"{t.prefix or rule.prefix}:{t.local}" for t in rule.terms()}


def _moved(fact, delta: Decimal):
    return fact._replace(value=fact.value + delta)


def _reported(filing: Filing, index: int, fact, rules, delta: Decimal, before: set) -> bool:
    facts = list(filing.facts)
    facts[index] = _moved(fact, delta)
    result = check_filing(Filing(filing.path, filing.kind, facts, filing.documents), rules)
    return any((v.rule_id, v.period, v.unit, v.dimensions) not in before
               and any(u.line == fact.source.line and u.file == fact.source.file and u.concept == str(fact.concept)
                       for u in v.facts)
               for v in result.violations)


def detection(relative: str) -> tuple[int, int, list[str]]:
    filing = load_filing(str(CORPUS / relative))
    rules = _rules()
    by_concept: dict[str, list] = {}
    for rule, params in rules:
        for concept in _concepts_of(rule):
            by_concept.setdefault(concept, []).append((rule, params))
    before = {(v.rule_id, v.period, v.unit, v.dimensions) for v in check_filing(filing, rules).violations}
    taking_part = detected = 0
    missed = []
    for index, fact in enumerate(filing.facts):
        relevant = by_concept.get(str(fact.concept))
        if not relevant or not fact.is_numeric or fact.is_nil or fact.dimensions:
            continue
        unit = Decimal(1).scaleb(-int(fact.decimals)) if fact.decimals not in (None,) and abs(fact.decimals) < 99 \
            else Decimal(1)
        material = max(abs(fact.value) / 10, 100 * unit)
        enormous = 1000 * material
        if not any(_reported(filing, index, fact, relevant, sign * enormous, before) for sign in (1, -1)):
            continue
        taking_part += 1
        if any(_reported(filing, index, fact, relevant, sign * material, before) for sign in (1, -1)):
            detected += 1
        else:
            missed.append(f"{fact.concept} {fact.period} {fact.source}")
    return taking_part, detected, missed


@pytest.mark.parametrize("relative", FILINGS)
def test_material_moves_are_reported_by_the_right_rule(relative):
    if not (CORPUS / relative).exists():
        pytest.skip(f"the corpus is not at {CORPUS}")
    taking_part, detected, missed = detection(relative)
    assert taking_part > 0
    assert detected == taking_part, missed


if __name__ == "__main__":
    total = [0, 0]
    for relative in FILINGS:
        taking_part, detected, missed = detection(relative)
        total = [total[0] + taking_part, total[1] + detected]
        print(f"{relative:70} {detected:4} of {taking_part:4} detected")
    print(f"all: {total[1]} of {total[0]} detected ({100 * total[1] / max(total[0], 1):.1f}%)")
    sys.exit(0)
