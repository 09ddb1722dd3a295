"""The shipped packs over the two SEC Financial Statement Data Set quarters in the corpus.

Every one of these violations was given a verdict (benchmarks/fsds_findings.py --list prints
each with its evidence): all are errors in the filers' tagging, none a rule error. The counts
are pinned so that a rule change that fires more, or less, on real filings is noticed and its
new findings are examined before it lands.
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


@pytest.mark.parametrize("quarter", sorted(EXPECTED))
def test_default_packs_over_a_quarter_find_only_the_examined_filer_errors(quarter):
    result = check(load_filings(str(corpus_path("fsds", f"quarter-{quarter}", f"{quarter}.zip"))))
    submissions, by_rule = EXPECTED[quarter]
    assert Counter(v.rule_id for v in result.violations) == by_rule
    assert len({f.filing for f in result.filings if f.violations}) == submissions
    assert result.problems == []


@pytest.mark.parametrize("name", ["aapl-10k-2024-fsds", "daily-20250701/20250701.zip"])
def test_recent_data_sets_pass(name):
    """Apple's FY2024 10-K, and a day of 2025 filings, as the SEC's data sets carry them:
    every shipped rule that binds passes (the 2009-2010 filers' errors above are of early XBRL)."""
    result = check(load_filings(str(corpus_path("fsds", *name.split("/")))))
    assert result.violations == [] and result.problems == []
    assert sum(c.evaluated for c in result.coverage()) > 0
