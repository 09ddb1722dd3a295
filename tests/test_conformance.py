"""The calculation variations of the XBRL 2.1 conformance suite (../shared/corpus/conformance).

Each variation is checked in ``xbrl21`` mode (what the 2.1 suite expects) and classified
invalid when the calculation check finds an inconsistency or the instance cannot be
read. Run ``python -m tests.test_conformance`` for the tally.

Known exceptions, each explained (strict: the test fails if one starts to pass):
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from checker.api import check
from checker.errors import CheckerError

from .conftest import CORPUS

SUITE = CORPUS / "conformance" / "xbrl21-conf-2014-12-10-calc-subset" / "XBRL-CONF-2014-12-10"
TESTCASES = ["Common/300-instance/320-CalculationBinding.xml", "Common/300-instance/395-inferNumericConsistency.xml",
             "Common/300-instance/397-Testcase-SummationItem.xml", "Common/300-instance/305-decimalPrecision.xml",
             "Common/300-instance/302-context.xml", "Common/200-linkbase/208-balance.xml",
             "Common/200-linkbase/213-SummationItemArcEndpoints.xml"]
# the calculation variations the issue names; the rest of 305 and 302 test other parts of
# XBRL 2.1 (decimals/precision attributes, context syntax), not calculations
IN_SCOPE = {"305-decimalPrecision.xml": {"V-07"}, "302-context.xml": {"V-11", "V-12"}}
SCHEMA_DEFAULTS = ("needs XML Schema default values (PSVI), which checker does not apply: it reads "
                   "instances without validating them against their schemas")
EXCEPTIONS = {
    ("395-inferNumericConsistency.xml", "V-3"):
        "an empty fact whose value is its element's schema default (1000): " + SCHEMA_DEFAULTS +
        "; checker refuses the empty numeric fact as not a number",
    ("395-inferNumericConsistency.xml", "V-5"):
        "two contexts s-equal only once a scenario element's schema default is applied: " + SCHEMA_DEFAULTS,
    ("395-inferNumericConsistency.xml", "V-8"):
        "two contexts that differ only once a scenario attribute's schema default is applied: " + SCHEMA_DEFAULTS,
}
_VARIATION = re.compile(r'<variation[^>]*\bid="([^"]*)"[^>]*>(.*?)</variation>', re.S)


def variations():
    if not SUITE.is_dir():
        return []
    found = []
    for testcase in TESTCASES:
        path = SUITE / testcase
        for vid, body in _VARIATION.findall(path.read_text(encoding="utf-8", errors="replace")):
            target = re.search(r'<instance[^>]*readMeFirst="true"[^>]*>\s*([^<\s]+)\s*</instance>', body) \
                or re.search(r"<instance[^>]*>\s*([^<\s]+)\s*</instance>", body) \
                or re.search(r'<xsd[^>]*readMeFirst="true"[^>]*>\s*([^<\s]+)\s*</xsd>', body)
            expected = re.search(r'<result[^>]*expected="([^"]*)"', body)
            wanted = IN_SCOPE.get(path.name)
            if target and expected and (wanted is None or vid in wanted):
                found.append((path.name, vid, path.parent / target.group(1), expected.group(1)))
    return found


def classify(target: Path) -> tuple[str, str]:
    try:
        result = check(str(target), calc="xbrl21", only_calc=True, calc_partial="error")
    except CheckerError as exc:
        return "invalid", f"not read: {exc}"
    # only the calculation check's findings count: inconsistent duplicates outside a summation
    # are a finding of checker's, not an XBRL 2.1 inconsistency
    found = [*result.violations, *(p for p in result.problems if p.rule_id == "CALC")]
    if found:
        return "invalid", getattr(found[0], "explanation", None) or found[0].message
    return "valid", ""


def _params():
    out = []
    for testcase, vid, target, expected in variations():
        marks = []
        if (testcase, vid) in EXCEPTIONS:
            marks.append(pytest.mark.xfail(strict=True, reason=EXCEPTIONS[(testcase, vid)]))
        out.append(pytest.param(target, expected, id=f"{testcase.split('-')[0]}-{vid}", marks=marks))
    return out


@pytest.mark.skipif(not SUITE.is_dir(), reason=f"the conformance suite is not at {SUITE}")
@pytest.mark.parametrize("target,expected", _params())
def test_variation(target, expected):
    got, why = classify(target)
    assert got == expected, why


def test_the_suite_is_there_and_complete():
    if not SUITE.is_dir():
        pytest.skip(f"the conformance suite is not at {SUITE}")
    assert len(variations()) == 88


if __name__ == "__main__":
    tally: dict[str, list[int]] = {}
    for testcase, vid, target, expected in variations():
        got, why = classify(target)
        ok = got == expected
        tally.setdefault(testcase, [0, 0])[0 if ok else 1] += 1
        if not ok:
            print(f"exception {testcase} {vid}: expected {expected}, got {got}: "
                  f"{EXCEPTIONS.get((testcase, vid), 'UNEXPLAINED: ' + why[:120])}")
    for testcase, (ok, miss) in tally.items():
        print(f"{testcase:40} {ok:3} of {ok + miss:3} as expected")
    print(f"all: {sum(v[0] for v in tally.values())} of {sum(sum(v) for v in tally.values())}")
    sys.exit(0)
