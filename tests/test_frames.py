"""Facts and results as pandas DataFrames, for notebooks (the optional pandas extra)."""

import sys
from decimal import Decimal

import pytest

import checker

from .conftest import REPO, corpus_path

pd = pytest.importorskip("pandas", reason="pandas is not installed (pip install 'discheck[pandas]'; "
                                          "the test extra brings it, so CI runs these tests)")

EXAMPLE = REPO / "examples" / "receivables-20f"
FILING = EXAMPLE / "rx-20241231.xml"
PACK = EXAMPLE / "receivables.yaml"


def test_facts_frame_has_one_row_per_fact_with_exact_and_float_values():
    filing = checker.load_filing(FILING)
    frame = checker.facts_frame(filing)
    assert len(frame) == len(filing.facts) == 27
    row = frame[(frame.concept == "us-gaap:AccountsReceivableNetCurrent") & (frame.unit == "iso4217:CNY")
                & (frame.period == "2024-12-31")].iloc[0]
    assert row.value == 51168000.0 and row.value_exact == Decimal("51168000") and row.decimals == "-3"
    assert pd.isna(row.start) and row.end == pd.Timestamp("2024-12-31")
    assert row.source.startswith(str(FILING)) and ":" in row.source
    duration = frame[frame.period == "2024-01-01..2024-12-31"].iloc[0]
    assert duration.start == pd.Timestamp("2024-01-01") and duration.end == pd.Timestamp("2024-12-31")
    text = frame[frame.concept == "dei:DocumentType"].iloc[0]
    assert text.text == "20-F" and pd.isna(text.value)
    assert len(checker.facts_frame(str(FILING))) == 27   # a path is loaded


def test_violations_coverage_and_problems_frames_match_the_result(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text(FILING.read_text().replace(">51168000<", ">51268000<"))
    result = checker.check(broken, rules=[str(PACK)])
    violations = checker.violations_frame(result)
    assert len(violations) == len(result.violations) > 0
    first = result.reading_order(result.filings[0])[0]
    row = violations.iloc[0]
    assert (row.rule_id, row.severity, row.period) == (first.rule_id, first.severity, first.period)
    assert row.difference_exact == Decimal(first.difference) and row.difference == float(first.difference)
    coverage = checker.coverage_frame(result)
    assert coverage.failed.sum() == sum(c.failed for c in result.filings[0].coverage)
    assert list(checker.problems_frame(result).columns) == ["filing", "kind", "severity", "rule_id", "message"]


def test_a_real_filing_as_frames():
    path = corpus_path("sec-filings", "oii-10k-2020")
    frame = checker.facts_frame(path)
    assert len(frame) == 1259 and frame.value.notna().sum() > 900
    violations = checker.violations_frame(checker.check(path))
    assert set(violations.attribution) == {"reported-line"}


def test_without_pandas_the_message_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'discheck\[pandas\]'"):
        checker.facts_frame([])
