"""SEC Financial Statement Data Sets, and US$ convenience translations at an inferred rate."""

from decimal import Decimal


from checker.api import check
from checker.engine.intervals import Interval
from checker.engine.translation import explain_outlier, infer_rate, rate_interval
from checker.loaders import load_filings
from checker.loaders.fsds import _period, inferred_decimals
from checker.model import Period

from .conftest import REPO, corpus_path

PACK = str(REPO / "rules" / "convenience-translation.yaml")


def test_periods_and_decimals_of_the_data_sets():
    assert str(_period("20091231", "4")) == "2009-01-01..2009-12-31"
    assert str(_period("20100331", "1")) == "2010-01-01..2010-03-31"
    assert str(_period("20100331", "0")) == "2010-03-31"
    assert _period("20230930", "4") == Period.from_xbrl(start="2022-10-01", end="2023-09-30")
    assert str(_period("20230701", "3")) == "2022-10-02..2023-07-01"  # a 39-week period ending mid-month
    assert inferred_decimals(Decimal("2670000.0000")) == -4
    assert inferred_decimals(Decimal("-6.66")) == 2


def test_a_quarter_loads_as_one_filing_per_submission():
    filings = load_filings(str(corpus_path("fsds", "quarter-2010q2", "2010q2.zip")))
    assert len(filings) == 522
    assert sum(1 for f in filings for fact in f.facts if fact.concept != "dei:DocumentType") == 136044
    lg = next(f for f in filings if f.path.endswith("0001193125-10-136028"))
    assert lg.description == "LG DISPLAY CO., LTD. 20-F (0001193125-10-136028)"
    eps = next(f for f in lg.facts if f.concept == "us-gaap:EarningsPerShareBasic" and f.unit.currency == "USD")
    assert eps.value == Decimal("2670") and str(eps.period) == "2009-01-01..2009-12-31"
    assert eps.source.file.endswith("2010q2.zip!num.txt") and eps.source.line == 19919


def test_rate_intervals_and_the_rate_most_pairs_agree_on():
    pair = rate_interval(Interval.reported(Decimal("12885000"), -3), Interval.reported(Decimal("94052000"), -3))
    assert pair[0] < Decimal("7.2993") < pair[1]
    inferred = infer_rate([(Decimal(7), Decimal(8)), (Decimal("7.5"), Decimal(9)), (Decimal("7.8"), Decimal(10)),
                           (Decimal(1000), Decimal(1001))])
    assert (inferred.lo, inferred.hi, inferred.agreeing, inferred.informative) == (Decimal("7.8"), Decimal(8), 3, 4)
    assert rate_interval(Interval.reported(Decimal(0), 0), Interval.reported(Decimal(5), 0)) is None


def test_outliers_are_explained_in_plain_words():
    assert explain_outlier(Decimal("2670"), Decimal("2.6658")) == "1,000 times the translated amount: a scale error"
    assert explain_outlier(Decimal("-5"), Decimal("5")) == "the translated amount with the sign reversed"
    assert explain_outlier(Decimal("5.3"), Decimal("5")) == ""


def test_the_quarters_20_f_filers():
    result = check(str(corpus_path("fsds", "quarter-2010q2", "2010q2.zip")), rules=[PACK])
    notes = {f.description.split(" (")[0]: f.notes[0] for f in result.filings if f.notes}
    for filer, rate, currency in (("ORIX CORP 20-F", "93.04", "JPY"), ("NIDEC CORP 20-F/A", "93.04", "JPY"),
                                  ("RICOH CO LTD 20-F", "93", "JPY"), ("LG DISPLAY CO., LTD. 20-F", "1,163.65", "KRW")):
        assert f"inferred rate 1 USD = {rate}" in notes[filer] and currency in notes[filer]
    found = {(v.facts[0].concept, v.period) for v in result.violations}
    assert found == {("us-gaap:EarningsPerShareBasic", "2009-01-01..2009-12-31"),
                     ("us-gaap:EarningsPerShareDiluted", "2009-01-01..2009-12-31")}
    basic = next(v for v in result.violations if v.facts[0].concept == "us-gaap:EarningsPerShareBasic")
    assert basic.explanation == ("2,670 ≠ 3,102 ÷ 1,163.65 = 2.6658 "
                                 "(1,000 times the translated amount: a scale error)")


def test_a_stated_rate_stays_strict_and_an_inferred_one_finds_the_seed_rate():
    example = str(REPO / "examples" / "receivables-20f" / "rx-20241231.xml")
    result = check(example, rules=[PACK])
    assert result.violations == []
    note, = result.filings[0].notes
    assert "inferred rate 1 USD = 7.29" in note and "8 of 8 pairs agree" in note
