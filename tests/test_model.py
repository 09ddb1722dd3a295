"""The fact model: dates mean what XBRL says, families match, text forms round-trip."""

from datetime import datetime
from decimal import Decimal

from hypothesis import given, strategies as st

from checker.model import (
    INF, Entity, Period, QName, TypedMember, Unit, decimals_from_precision, dimensions_text,
    family_of, make_dimensions, parse_dimensions, value_text,
)


def test_instant_date_means_end_of_that_day():
    closing_2023 = Period.from_xbrl(instant="2023-12-31")
    year_2024 = Period.from_xbrl(start="2024-01-01", end="2024-12-31")
    assert closing_2023.end == year_2024.start == datetime(2024, 1, 1)
    assert Period.from_xbrl(instant="2024-12-31").end == year_2024.end
    assert str(closing_2023) == "2023-12-31"
    assert str(year_2024) == "2024-01-01..2024-12-31"


def test_datetime_periods_keep_their_time():
    period = Period.from_xbrl(start="2024-01-01T00:00:00", end="2024-12-31T24:00:00")
    assert period == Period.from_xbrl(start="2024-01-01", end="2024-12-31")


def test_families_match_every_year_of_a_standard_taxonomy():
    assert family_of("http://fasb.org/us-gaap/2024", "us-gaap") == "us-gaap"
    assert family_of("http://xbrl.us/us-gaap/2009-01-31", "us-gaap") == "us-gaap"
    assert family_of("http://fasb.org/srt/2023", "srt") == "srt"
    assert family_of("http://xbrl.sec.gov/dei/2020-01-31", "dei") == "dei"
    assert family_of("http://xbrl.ifrs.org/taxonomy/2017-03-09/ifrs-full", "ifrs") == "ifrs-full"
    assert family_of("http://www.apple.com/20230930", "aapl") == "aapl"
    assert QName.of("http://fasb.org/us-gaap/2009", "Assets", "gaap") == \
        QName.of("http://fasb.org/us-gaap/2024", "Assets", "us-gaap")


def test_unit_measures_are_order_free_and_parse_back():
    unit = Unit.parse("iso4217:USD/xbrli:shares")
    assert str(unit) == "iso4217:USD/xbrli:shares"
    assert Unit.parse("a:x*a:y") == Unit.parse("a:y*a:x")
    assert Unit.parse("iso4217:CNY").currency == "CNY"
    assert unit.currency is None


def test_decimals_from_precision():
    assert decimals_from_precision("4", Decimal("12345678")) == -4
    assert decimals_from_precision("3", Decimal("0.0123")) == 4
    assert decimals_from_precision("INF", Decimal("5")) == INF
    assert decimals_from_precision("0", Decimal("5")) == -INF


def test_entity_text_round_trip():
    for entity in (Entity("http://www.sec.gov/CIK", "0000320193"), Entity("http://x.org/id", "A#1")):
        assert Entity.parse(str(entity)) == entity


def test_value_text_is_plain_decimal():
    assert value_text(Decimal("1.234E+9")) == "1234000000"
    assert value_text(Decimal("250.50")) == "250.5"
    assert value_text(Decimal("-0")) == "0"
    assert value_text(None) == ""


_names = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,8}", fullmatch=True)
_qnames = st.builds(QName, _names, _names)
_members = st.one_of(_qnames, st.builds(TypedMember, st.text(min_size=0, max_size=12)))


@given(st.lists(st.tuples(_qnames, _members), max_size=4, unique_by=lambda p: p[0]))
def test_dimensions_text_round_trips(pairs):
    dims = make_dimensions(pairs)
    assert parse_dimensions(dimensions_text(dims)) == dims


_days = st.dates(min_value=datetime(1990, 1, 1).date(), max_value=datetime(2090, 1, 1).date())


@given(_days, _days)
def test_period_text_round_trips(a, b):
    start, end = sorted((a, b))
    for period in (Period.from_xbrl(instant=a.isoformat()),
                   Period.from_xbrl(start=start.isoformat(), end=end.isoformat()), Period.forever()):
        assert Period.parse(str(period)) == period
