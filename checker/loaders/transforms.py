"""Inline XBRL transformation registry: displayed text to the XBRL lexical value.

A format is looked up by its local name in any version of the registry (1 to 5) or
the SEC's own registry; names of version 4 onwards (``num-dot-decimal``) and the
older ones (``numdotdecimal``) both appear in real filings. Numeric formats return a
decimal string with no sign (``sign="-"`` is applied by the caller); a text that
does not fit its format raises ``TransformError``.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

IXT_NAMESPACES = {
    "http://www.xbrl.org/inlineXBRL/transformation/2010-04-20": "ixt1",
    "http://www.xbrl.org/inlineXBRL/transformation/2011-07-31": "ixt2",
    "http://www.xbrl.org/inlineXBRL/transformation/2015-02-26": "ixt3",
    "http://www.xbrl.org/inlineXBRL/transformation/2020-02-12": "ixt4",
    "http://www.xbrl.org/inlineXBRL/transformation/2022-02-16": "ixt5",
    "http://www.sec.gov/inlineXBRL/transformation/2015-08-31": "ixt-sec",
}


class TransformError(ValueError):
    pass


_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SPACES = " \u00a0\u2007\u2009\u202f\t\r\n"


def _digits_only(text: str, decimal_mark: str, group_marks: str, fmt: str) -> str:
    body = text.strip(_SPACES)
    body = "".join(ch for ch in body if ch not in group_marks and ch not in _SPACES)
    if decimal_mark != ".":
        body = body.replace(decimal_mark, ".")
    if not re.fullmatch(r"\d+(\.\d*)?|\.\d+", body):
        raise TransformError(f"{text.strip()!r} does not fit the format {fmt}")
    return body


def num_dot_decimal(text: str) -> str:
    return _digits_only(text, ".", ",'\u2019", "num-dot-decimal")


def num_comma_decimal(text: str) -> str:
    return _digits_only(text, ",", ".'\u2019", "num-comma-decimal")


def num_comma_plain(text: str) -> str:
    """Registry 1 ``numcomma``: a comma decimal mark and no grouping."""
    return _digits_only(text, ",", "", "numcomma")


def num_space_dot(text: str) -> str:
    return _digits_only(text, ".", "", "numspacedot")


def num_unit_decimal(text: str) -> str:
    """``5 dollars 25 cents`` or ``5.25``-less forms: whole part, a unit word, a fraction."""
    m = re.fullmatch(r"\s*([\d,.'\u2019 \u00a0]+?)\s*[^\d\s][^\d]*?(?:(\d+)\s*[^\d]*)?\s*", text)
    if not m:
        raise TransformError(f"{text.strip()!r} does not fit the format num-unit-decimal")
    whole = re.sub(r"[^\d]", "", m.group(1))
    if not whole:
        raise TransformError(f"{text.strip()!r} does not fit the format num-unit-decimal")
    frac = m.group(2)
    return f"{whole}.{frac.rjust(2, '0')}" if frac else whole


def fixed_zero(text: str) -> str:
    return "0"


def num_dash(text: str) -> str:
    if text.strip(_SPACES) and all(ch in _DASHES for ch in text.strip(_SPACES)):
        return "0"
    raise TransformError(f"{text.strip()!r} is not a dash (format zerodash)")


_SMALL = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}


def num_words_en(text: str) -> str:
    """SEC ``numwordsen``: ``no``, ``none``, ``twenty-one``, ``one hundred five`` ..."""
    words = re.sub(r"[-,\u2010-\u2015]", " ", text.lower()).split()
    words = [w for w in words if w != "and"]
    if words in (["no"], ["none"]):
        return "0"
    if not words:
        raise TransformError(f"{text.strip()!r} is not a number in words (format numwordsen)")
    total = current = 0
    for word in words:
        if word in _SMALL:
            current += _SMALL[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
        elif word.isdigit():
            current += int(word)  # mixed forms such as "5 million"
        else:
            raise TransformError(f"{text.strip()!r} is not a number in words (format numwordsen)")
    return str(total + current)


# --- non-numeric formats ------------------------------------------------------------

_MONTHS = {name: i + 1 for i, name in enumerate(
    "january february march april may june july august september october november december".split())}
_MONTHS.update({name[:3]: num for name, num in list(_MONTHS.items())})
_MONTHS["sept"] = 9


def _month(word: str) -> int:
    key = word.lower().rstrip(".")
    if key in _MONTHS:
        return _MONTHS[key]
    if key.isdigit() and 1 <= int(key) <= 12:
        return int(key)
    raise TransformError(f"{word!r} is not a month")


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) <= 2 else year


def _date_parts(text: str) -> list[str]:
    return [p for p in re.split(r"[\s,./\-\u2010-\u2015]+", text.strip()) if p]


def _date(order: str):
    """A transform for dates whose parts come in ``order`` (d, m, y; m may be a name)."""

    def transform(text: str) -> str:
        parts = _date_parts(text)
        if len(parts) != len(order):
            raise TransformError(f"{text.strip()!r} is not a date in the order {order}")
        got = {}
        for letter, part in zip(order, parts, strict=True):
            if letter == "d":
                got["d"] = int(re.sub(r"(st|nd|rd|th)$", "", part.lower()))
            elif letter == "m":
                got["m"] = _month(part)
            else:
                got["y"] = _year(part)
        if "y" in got and "d" in got:
            return f"{got['y']:04d}-{got['m']:02d}-{got['d']:02d}"
        if "y" in got:
            return f"{got['y']:04d}-{got['m']:02d}"
        return f"--{got['m']:02d}-{got['d']:02d}"

    return transform


def _duration(unit: str):
    """SEC ``duryear``/``durmonth``/``durday``: a decimal count, the remainder carried down.

    ``1.2`` years is 1 year and 2.4 months, so ``P1Y2M12D`` (a month counts 30 days).
    """

    def transform(text: str) -> str:
        body = text.strip(_SPACES)
        try:
            number = Decimal(body.replace(",", ""))
        except InvalidOperation:
            number = Decimal(num_words_en(body))
        if not number.is_finite() or number < 0:
            raise TransformError(f"{body!r} is not a duration")
        years = months = Decimal(0)
        if unit == "Y":
            years, number = number // 1, (number % 1) * 12
        if unit in ("Y", "M"):
            months, number = number // 1, (number % 1) * 30
        days = number.to_integral_value(ROUND_HALF_UP)
        parts = [(years, "Y"), (months, "M"), (days, "D")]
        out = "".join(f"{int(v)}{k}" for v, k in parts if v)
        return "P" + (out or "0D")

    return transform


def dur_words_en(text: str) -> str:
    """``two years and six months``, ``five-year`` to ``P2Y6M``, ``P5Y``."""
    words = re.sub(r"[-,\u2010-\u2015]", " ", text.lower()).split()
    out = {"Y": 0, "M": 0, "D": 0}
    pending: list[str] = []
    for word in words:
        unit = re.fullmatch(r"(year|month|week|day)s?", word)
        if unit is None:
            if word != "and":
                pending.append(word)
            continue
        amount = int(num_words_en(" ".join(pending))) if pending else 1
        pending = []
        if unit.group(1) == "week":
            out["D"] += 7 * amount
        else:
            out[unit.group(1)[0].upper()] += amount
    if pending or not words:
        raise TransformError(f"{text.strip()!r} is not a duration in words")
    return "P" + "".join(f"{v}{k}" for k, v in out.items() if v) if any(out.values()) else "P0D"


_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
    "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL", "indiana": "IN",
    "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD",
    "massachusetts": "MA", "michigan": "MI", "minnesota": "MN", "mississippi": "MS", "missouri": "MO",
    "montana": "MT", "nebraska": "NE", "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ",
    "new mexico": "NM", "new york": "NY", "north carolina": "NC", "north dakota": "ND", "ohio": "OH",
    "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA", "rhode island": "RI",
    "south carolina": "SC", "south dakota": "SD", "tennessee": "TN", "texas": "TX", "utah": "UT",
    "vermont": "VT", "virginia": "VA", "washington": "WA", "west virginia": "WV", "wisconsin": "WI",
    "wyoming": "WY", "puerto rico": "PR", "guam": "GU", "american samoa": "AS",
    "virgin islands": "VI", "united states virgin islands": "VI", "northern mariana islands": "MP",
    # EDGAR codes of the Canadian provinces
    "alberta": "A0", "british columbia": "A1", "manitoba": "A2", "new brunswick": "A3",
    "newfoundland": "A4", "newfoundland and labrador": "A4", "nova scotia": "A5", "ontario": "A6",
    "prince edward island": "A7", "quebec": "A8", "saskatchewan": "A9", "yukon": "B0",
}


def state_prov_name_en(text: str) -> str:
    key = " ".join(re.sub(r"[^a-z ]", " ", text.lower().replace("state of", "")).split())
    if key in _STATES:
        return _STATES[key]
    raise TransformError(f"{text.strip()!r} is not a US state or Canadian province name")


_EXCHANGES = (  # most specific first
    ("nyse american", "NYSEAMER"), ("american stock exchange", "NYSEAMER"), ("nyse mkt", "NYSEAMER"),
    ("nyse arca", "NYSEArca"), ("nyse national", "NYSENAT"), ("nasdaq", "NASDAQ"),
    ("new york stock exchange", "NYSE"), ("nyse", "NYSE"), ("cboe", "CBOE"),
    ("chicago board options", "CBOE"), ("chicago stock exchange", "CHX"), ("boston", "BOX"),
    ("philadelphia", "PHLX"), ("phlx", "PHLX"), ("investors exchange", "IEX"), ("miax", "MIAX"),
)


def exch_name_en(text: str) -> str:
    key = " ".join(text.lower().split())
    for needle, code in _EXCHANGES:
        if needle in key:
            return code
    raise TransformError(f"{text.strip()!r} is not a US securities exchange name")


_FILER_CATEGORIES = {
    "large accelerated filer": "Large Accelerated Filer", "accelerated filer": "Accelerated Filer",
    "non accelerated filer": "Non-accelerated Filer",
}


def entity_filer_category_en(text: str) -> str:
    key = " ".join(re.sub(r"[^a-z]", " ", text.lower()).split())
    if key in _FILER_CATEGORIES:
        return _FILER_CATEGORIES[key]
    raise TransformError(f"{text.strip()!r} is not an SEC filer category")


def ballot_box(text: str) -> str:
    body = text.strip()
    if body in ("\u2612", "\u2611", "\u2713", "\u2714", "X", "x"):
        return "true"
    if body == "\u2610":
        return "false"
    raise TransformError(f"{body!r} is not a ballot box")


NUMERIC: dict[str, callable] = {
    # registries 1-3 names
    "numdotdecimal": num_dot_decimal, "numcommadot": num_dot_decimal, "numspacedot": num_space_dot,
    "numdotdecimalin": num_dot_decimal, "numunitdecimalin": num_unit_decimal,
    "numcommadecimal": num_comma_decimal, "numdotcomma": num_comma_decimal,
    "numspacecomma": num_comma_decimal, "numcomma": num_comma_plain,
    "numunitdecimal": num_unit_decimal, "zerodash": num_dash, "numdash": num_dash,
    # registries 4-5 names
    "num-dot-decimal": num_dot_decimal, "num-comma-decimal": num_comma_decimal,
    "num-unit-decimal": num_unit_decimal, "num-dot-decimal-apos": num_dot_decimal,
    "num-comma-decimal-apos": num_comma_decimal, "num-unit-decimal-apos": num_unit_decimal,
    "fixed-zero": fixed_zero,
    # SEC registry
    "numwordsen": num_words_en,
}

TEXT: dict[str, callable] = {
    "fixed-empty": lambda t: "", "nocontent": lambda t: "",
    "fixed-true": lambda t: "true", "booleantrue": lambda t: "true",
    "fixed-false": lambda t: "false", "booleanfalse": lambda t: "false",
    "boolballotbox": ballot_box,
    "date-monthname-day-year-en": _date("mdy"), "datemonthdayyearen": _date("mdy"),
    "datelongus": _date("mdy"), "dateshortus": _date("mdy"), "datemonthdayyear": _date("mdy"),
    "date-month-day-year": _date("mdy"), "dateslashus": _date("mdy"), "datedotus": _date("mdy"),
    "date-day-monthname-year-en": _date("dmy"), "datedaymonthyearen": _date("dmy"),
    "datelonguk": _date("dmy"), "dateshortuk": _date("dmy"), "date-day-month-year": _date("dmy"),
    "datedaymonthyear": _date("dmy"), "dateslasheu": _date("dmy"), "datedoteu": _date("dmy"),
    "date-monthname-day-en": _date("md"), "datemonthdayen": _date("md"), "datelongmonthday": _date("md"),
    "date-day-monthname-en": _date("dm"), "datedaymonthen": _date("dm"),
    "date-monthname-year-en": _date("my"), "datemonthyearen": _date("my"), "datelongmonthyear": _date("my"),
    "date-year-month-day": _date("ymd"), "dateyearmonthday": _date("ymd"),
    "duryear": _duration("Y"), "durmonth": _duration("M"), "durday": _duration("D"),
    "durwordsen": dur_words_en,
    "stateprovnameen": state_prov_name_en, "exchnameen": exch_name_en,
    "entityfilercategoryen": entity_filer_category_en,
}


def _only_transform_errors(transform):
    """A transform fails with TransformError only: a malformed displayed value (a day that is
    not a number, a month past 12) is the filing's problem, never an exception of ours."""
    def guarded(text: str) -> str:
        try:
            return transform(text)
        except TransformError:
            raise
        except (ValueError, ArithmeticError, KeyError, IndexError) as exc:
            raise TransformError(f"{text.strip()[:40]!r} cannot be read with this format ({exc})") from None
    return guarded


NUMERIC = {name: _only_transform_errors(f) for name, f in NUMERIC.items()}
TEXT = {name: _only_transform_errors(f) for name, f in TEXT.items()}


def format_local_name(fmt: str, nsmap: dict) -> tuple[str, str | None]:
    """Split ``ixt:num-dot-decimal`` into (local name, registry tag or None if unknown)."""
    prefix, sep, local = fmt.strip().rpartition(":")
    namespace = nsmap.get(prefix if sep else None)
    return local, IXT_NAMESPACES.get(namespace or "")
