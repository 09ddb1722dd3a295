"""The seed page's receivables schedule, keyed into examples/receivables-20f by hand.

The three rules of its pack report nothing on the filing as keyed; moving any one
number is reported by the rules that use that number and by no other rule.
"""

import re

import pytest

from checker.api import check

from .conftest import REPO, run_cli

EXAMPLE = REPO / "examples" / "receivables-20f"
FILING = EXAMPLE / "rx-20241231.xml"
PACK = str(EXAMPLE / "receivables.yaml")

# Which rules use each fact (by element id), read off the page: AR.NET uses the
# balance-sheet rows, the roll-forward uses the allowance and its movements, and the
# translation uses every figure that has both a US$ and an RMB value.
USED_BY = {
    "f1": {"AR.NET", "FX.USD"}, "f2": {"AR.NET"}, "f3": {"AR.NET", "FX.USD"}, "f4": {"AR.NET"},
    "f5": {"AR.NET", "FX.USD"}, "f6": {"AR.NET"}, "f7": {"AR.NET", "FX.USD"}, "f8": {"AR.NET", "FX.USD"},
    "f9": {"AR.NET", "FX.USD"},
    "f10": {"AR.ALLOWANCE.ROLLFORWARD"}, "f11": {"AR.ALLOWANCE.ROLLFORWARD"},
    "f12": {"AR.ALLOWANCE.ROLLFORWARD", "FX.USD"}, "f13": {"AR.ALLOWANCE.ROLLFORWARD", "FX.USD"},
    "f14": {"AR.ALLOWANCE.ROLLFORWARD", "FX.USD"}, "f15": {"AR.ALLOWANCE.ROLLFORWARD", "FX.USD"},
    "f16": {"AR.ALLOWANCE.ROLLFORWARD"}, "f17": {"AR.ALLOWANCE.ROLLFORWARD"},
    "f18": {"AR.ALLOWANCE.ROLLFORWARD", "FX.USD"}, "f19": {"AR.ALLOWANCE.ROLLFORWARD", "FX.USD"},
    "f20": {"AR.ALLOWANCE.ROLLFORWARD"}, "f21": {"AR.ALLOWANCE.ROLLFORWARD", "FX.USD"},
    "f22": {"AR.ALLOWANCE.ROLLFORWARD", "FX.USD"}, "f23": {"AR.ALLOWANCE.ROLLFORWARD", "FX.USD"},
    "f24": {"AR.ALLOWANCE.ROLLFORWARD", "FX.USD"},
}
PAGE_UNIT = 1000  # the page is in thousands


def _mutated(tmp_path, fact_id: str, delta: int):
    text = FILING.read_text()
    pattern = re.compile(rf'(id="{fact_id}"[^>]*>)(-?\d+)<')
    match = pattern.search(text)
    assert match, fact_id
    path = tmp_path / f"{fact_id}.xml"
    path.write_text(text[:match.start(2)] + str(int(match.group(2)) + delta) + text[match.end(2):])
    return path


def test_the_keyed_filing_reports_nothing():
    result = check(str(FILING), rules=[PACK])
    assert result.violations == [] and result.problems == []
    assert {c.rule_id: (c.passed, c.failed, c.not_evaluated) for c in result.coverage()} == {
        "AR.NET": (3, 0, 0), "AR.ALLOWANCE.ROLLFORWARD": (4, 0, 0), "FX.USD": (8, 0, 0)}


def test_every_fact_is_covered_by_the_table():
    ids = set(re.findall(r'id="(f\d+)"', FILING.read_text()))
    assert ids == set(USED_BY)


@pytest.mark.parametrize("fact_id", sorted(USED_BY, key=lambda f: int(f[1:])))
def test_one_unit_is_never_blamed_on_a_rule_that_does_not_use_it(tmp_path, fact_id):
    result = check(str(_mutated(tmp_path, fact_id, PAGE_UNIT)), rules=[PACK])
    reported = {v.rule_id for v in result.violations}
    assert reported <= USED_BY[fact_id]
    for violation in result.violations:
        assert fact_id in {f.element_id for f in violation.facts}
        assert "≠" in violation.explanation and "rounding allows" in violation.explanation


@pytest.mark.parametrize("fact_id", sorted(USED_BY, key=lambda f: int(f[1:])))
def test_ten_units_are_reported_by_exactly_the_rules_that_use_it(tmp_path, fact_id):
    result = check(str(_mutated(tmp_path, fact_id, 10 * PAGE_UNIT)), rules=[PACK])
    assert {v.rule_id for v in result.violations} == USED_BY[fact_id]


def test_the_text_report_shows_the_arithmetic(tmp_path):
    path = _mutated(tmp_path, "f5", 100 * PAGE_UNIT)  # net receivables 51,168 -> 51,268
    result = run_cli("check", path, "--rules", PACK)
    assert result.returncode == 1
    assert "51,268,000 ≠ 94,052,000 − 42,884,000 = 51,168,000 (off by 100,000; rounding allows 1,500)" \
        in result.stdout
    assert f"{path}:26 #f5" in result.stdout
