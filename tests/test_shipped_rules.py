"""Every shipped rule documents itself with a title, references, and examples that pass and
fail; this runs each example against that rule alone."""

import pytest

from checker.api import check
from checker.loaders import Filing
from checker.loaders.table import load_csv
from checker.packs import load_packs

from .conftest import REPO

PACKS = load_packs([str(REPO / "rules")])
RULES = [(pack, rule) for pack in PACKS for rule in pack.rules]


@pytest.mark.parametrize("rule", [r for _, r in RULES], ids=[r.id for _, r in RULES])
def test_every_shipped_rule_is_documented(rule):
    assert rule.title and rule.references, rule.id
    outcomes = [outcome for _, outcome, _ in rule.examples]
    assert "pass" in outcomes and "fail" in outcomes, f"{rule.id} needs a passing and a failing example"


EXAMPLES = [pytest.param(rule, outcome, facts, id=f"{rule.id}-{outcome}-{i}")
            for _, rule in RULES for i, (_, outcome, facts) in enumerate(rule.examples)]


@pytest.mark.parametrize("rule,outcome,facts", EXAMPLES)
def test_shipped_rule_examples(rule, outcome, facts):
    filing = Filing("example", "table", load_csv(facts.encode(), f"{rule.id} example"), ["example"])
    result = check(filing, rules=[str(REPO / "rules")], select=[rule.id])
    coverage, = result.coverage()
    if outcome == "pass":
        assert coverage.failed == 0 and coverage.passed >= 1, result.violations
    else:
        assert coverage.failed >= 1, f"{rule.id}: the failing example passed"
