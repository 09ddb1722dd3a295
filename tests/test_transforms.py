"""The inline XBRL transformation registry: displayed text to XBRL values."""

import pytest

from checker.loaders import transforms as t

NUMERIC_CASES = [
    ("num-dot-decimal", "1,234,567.89", "1234567.89"),
    ("numdotdecimal", "1 234.5", "1234.5"),
    ("num-dot-decimal", "12", "12"),
    ("num-comma-decimal", "1.234.567,89", "1234567.89"),
    ("numcommadecimal", "1 234,5", "1234.5"),
    ("num-dot-decimal-apos", "1'234.5", "1234.5"),
    ("numcomma", "1234,5", "1234.5"),
    ("num-unit-decimal", "5 dollars 25 cents", "5.25"),
    ("fixed-zero", "—", "0"),
    ("zerodash", "–", "0"),
    ("numdash", "-", "0"),
    ("numwordsen", "no", "0"),
    ("numwordsen", "twenty-one", "21"),
    ("numwordsen", "one hundred five", "105"),
    ("numwordsen", "Three", "3"),
    ("numwordsen", "two thousand and twenty", "2020"),
]


@pytest.mark.parametrize("fmt,text,expected", NUMERIC_CASES)
def test_numeric_formats(fmt, text, expected):
    assert t.NUMERIC[fmt](text) == expected


@pytest.mark.parametrize("fmt,text", [("num-dot-decimal", "1,2a"), ("num-dot-decimal", ""),
                                      ("zerodash", "0"), ("numwordsen", "lots")])
def test_numeric_formats_refuse_what_does_not_fit(fmt, text):
    with pytest.raises(t.TransformError):
        t.NUMERIC[fmt](text)


TEXT_CASES = [
    ("date-monthname-day-year-en", "December 31, 2024", "2024-12-31"),
    ("datemonthdayyearen", "Sept. 30, 2023", "2023-09-30"),
    ("date-day-monthname-year-en", "31 December 2024", "2024-12-31"),
    ("date-monthname-day-en", "March 29", "--03-29"),
    ("date-monthname-year-en", "December 2024", "2024-12"),
    ("fixed-true", "anything", "true"),
    ("boolballotbox", "☒", "true"),
    ("boolballotbox", "☐", "false"),
    ("duryear", "1.2", "P1Y2M12D"),
    ("duryear", "7.3", "P7Y3M18D"),
    ("duryear", "17", "P17Y"),
    ("durmonth", "2.5", "P2M15D"),
    ("durwordsen", "five-year", "P5Y"),
    ("durwordsen", "two years and six months", "P2Y6M"),
    ("stateprovnameen", "California", "CA"),
    ("stateprovnameen", "Ontario", "A6"),
    ("exchnameen", "The Nasdaq Stock Market LLC", "NASDAQ"),
    ("exchnameen", "New York Stock Exchange", "NYSE"),
    ("entityfilercategoryen", "Large accelerated filer", "Large Accelerated Filer"),
    ("entityfilercategoryen", "Non-accelerated filer", "Non-accelerated Filer"),
]


@pytest.mark.parametrize("fmt,text,expected", TEXT_CASES)
def test_text_formats(fmt, text, expected):
    assert t.TEXT[fmt](text) == expected


def test_format_names_resolve_through_the_document_namespaces():
    nsmap = {"ixt": "http://www.xbrl.org/inlineXBRL/transformation/2020-02-12", "foo": "urn:other"}
    assert t.format_local_name("ixt:num-dot-decimal", nsmap) == ("num-dot-decimal", "ixt4")
    assert t.format_local_name("foo:num-dot-decimal", nsmap) == ("num-dot-decimal", None)


def test_every_registered_transform_fails_only_with_a_transform_error():
    """A malformed displayed value is the filing's problem (the fuzz campaign found a date
    with a day that is not a number raising ValueError)."""
    from checker.loaders import transforms
    for transform in {**transforms.NUMERIC, **transforms.TEXT}.values():
        for text in ("xx March 2024", "31 13 2024", "", "١٢", "9" * 50, "--", "2024-02-30"):
            try:
                transform(text)
            except transforms.TransformError:
                pass
