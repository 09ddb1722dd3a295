"""Roll-forwards read from the presentation linkbase: opening + movements = closing."""

import shutil

import pytest

from checker.api import check
from checker.linkbases import read_rollforwards
from checker.loaders import load_filing

from .conftest import REPO, corpus_path

EXAMPLE = REPO / "examples" / "receivables-20f"


def test_the_seed_roll_forward_is_found_as_presented():
    rollforward, = read_rollforwards(load_filing(str(EXAMPLE / "rx-20241231.xml")))
    assert str(rollforward.concept) == "us-gaap:AccountsReceivableAllowanceForCreditLoss"
    assert [(str(c), s) for c, s in rollforward.movements] == [
        ("us-gaap:AccountsReceivableCreditLossExpenseReversal", 1),
        ("us-gaap:AccountsReceivableAllowanceForCreditLossRecovery", 1),
        ("us-gaap:AccountsReceivableAllowanceForCreditLossWriteoff", -1)]   # a negated label


def test_the_seed_roll_forward_closes_and_a_moved_write_off_breaks_it(tmp_path):
    result = check(str(EXAMPLE / "rx-20241231.xml"), only_calc=True, rollforwards=True)
    coverage, = result.coverage()
    assert (coverage.passed, coverage.failed) == (4, 0)
    shutil.copy(EXAMPLE / "rx-20241231_pre.xml", tmp_path)
    (tmp_path / "rx-20241231.xml").write_text((EXAMPLE / "rx-20241231.xml").read_text().replace(">39000<", ">139000<"))
    broken = check(str(tmp_path / "rx-20241231.xml"), only_calc=True, rollforwards=True)
    violation, = broken.violations
    assert violation.period == "2024-01-01..2024-12-31" and violation.binding == "determinate"
    assert violation.explanation == ("42,884,000 ≠ 30,486,000 + 12,857,000 + (-420,000) − 139,000 = 42,784,000 "
                                     "(off by 100,000; rounding allows 2,500)")


@pytest.mark.parametrize("name,checked", [("gd-10q-2024q2", 30), ("tsla-10q-2024q2", 28), ("amzn-10k-2022", 31),
                                          ("aapl-10k-2020-with-fsds", 38)])
def test_real_equity_and_cash_roll_forwards_close(name, checked):
    """aapl-10k-2020 restates opening AOCI for a newly adopted standard (89 and 136 million,
    under srt's cumulative-effect axis): that adjustment is part of the roll."""
    result = check(str(corpus_path("sec-filings", name)), only_calc=True, rollforwards=True)
    coverage, = result.coverage()
    assert (coverage.passed, coverage.failed) == (checked, 0)


def test_per_share_weighted_averages_are_not_rolled_forward():
    """Share-award tables show weighted-average prices with start and end labels too;
    they are not additive, so only amounts and counts bind."""
    result = check(str(corpus_path("sec-filings", "goog-10q-2020q1")), only_calc=True, rollforwards=True)
    assert all("/" not in v.unit for v in result.violations)
    assert all(v.binding != "determinate" for v in result.violations)


def test_a_table_rolls_per_member_not_for_the_total():
    """nflx's AOCI note rolls StockholdersEquity with only its OCI lines: meant for the AOCI
    member of its table, not for total equity, which moves for other reasons too."""
    result = check(str(corpus_path("sec-filings", "nflx-10k-2024")), only_calc=True, rollforwards=True)
    assert not [v for v in result.violations if v.binding == "determinate"]
