"""The shipped packs over the two SEC Financial Statement Data Set quarters in the corpus.

Every one of these violations was given a verdict (benchmarks/fsds_findings.py --list prints
the product's attribution of each, and for those it calls arithmetic the verdict examined by
hand, with its evidence): all are errors in the filers' tagging, none a rule error. The
counts, per rule and per attribution, are pinned so that a rule or attribution change that
fires more, or less, on real filings is noticed and its new findings are examined first.
"""

from collections import Counter

import pytest

from checker.api import check
from checker.loaders import load_filings

from .conftest import corpus_path

EXPECTED = {
    "2009q3": (44, {"AR.NET-WITHIN-GROSS": 2, "AR.NET.DOUBTFUL": 2, "BS.ASSETS.CURRENT-NONCURRENT": 30,
                    "BS.BALANCES": 2, "BS.LIABILITIES.CURRENT-NONCURRENT": 4, "CASH.ROLLFORWARD.PRE2018": 36,
                    "EQUITY.PARENT-NCI": 6, "NI.PARENT-NCI": 23, "PPE.NET": 14,
                    "SIGN.ACCOUNTS-PAYABLE-CURRENT": 2, "SIGN.LIABILITIES-CURRENT": 2}),
    "2010q2": (61, {"AR.NET-WITHIN-GROSS": 5, "AR.NET.DOUBTFUL": 5, "BS.ASSETS.CURRENT-NONCURRENT": 36,
                    "BS.LIABILITIES.CURRENT-NONCURRENT": 2, "CASH.ROLLFORWARD.PRE2018": 68,
                    "EQUITY.PARENT-NCI": 7, "FX.USD.CONVENIENCE": 2, "NI.PARENT-NCI": 25, "PPE.NET": 8,
                    "SHARES.OUTSTANDING-WITHIN-ISSUED": 2}),
}

# what the product attributes them to: a sign, a scale or a line of the filer's own statements
# (pre.txt) closes about half; the rest are tagging errors too, but of a kind the product does
# not claim (a line of few rounding units, a sum of lines, another total): see the script
ATTRIBUTED = {
    "2009q3": {"arithmetic": 65, "reported-line": 34, "scale": 1, "sign": 23},
    "2010q2": {"arithmetic": 92, "reported-line": 40, "scale": 2, "sign": 26},
}


@pytest.mark.parametrize("quarter", sorted(EXPECTED))
def test_default_packs_over_a_quarter_find_only_the_examined_filer_errors(quarter):
    result = check(load_filings(str(corpus_path("fsds", f"quarter-{quarter}", f"{quarter}.zip"))))
    submissions, by_rule = EXPECTED[quarter]
    assert Counter(v.rule_id for v in result.violations) == by_rule
    assert Counter(v.attribution.kind for v in result.violations) == ATTRIBUTED[quarter]
    assert all(v.severity == "warning" for v in result.violations if v.attribution.is_tagging)
    assert len({f.filing for f in result.filings if f.violations}) == submissions
    assert result.problems == []


@pytest.mark.parametrize("name", ["aapl-10k-2024-fsds", "daily-20250701/20250701.zip"])
def test_recent_data_sets_pass(name):
    """Apple's FY2024 10-K, and a day of 2025 filings, as the SEC's data sets carry them:
    every shipped rule that binds passes (the 2009-2010 filers' errors above are of early XBRL)."""
    result = check(load_filings(str(corpus_path("fsds", *name.split("/")))))
    assert result.violations == [] and result.problems == []
    assert sum(c.evaluated for c in result.coverage()) > 0
