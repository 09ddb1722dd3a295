"""The fact model: what every loader produces and the engine consumes.

Everything here is immutable, hashable data (named tuples, and QName a str), so facts
can be indexed by their aspects with dictionary lookups that hash at C speed and
never need a scan.

Periods are stored as *moments*: a duration 2024-01-01..2024-12-31 runs from
2024-01-01T00:00 to 2025-01-01T00:00 (exclusive), and the instant 2024-12-31 is the
moment 2025-01-01T00:00, because XBRL dates mean the end of that day. The opening
balance of a duration is therefore simply the instant at its start moment, and the
closing balance the instant at its end moment; xBRL-JSON periods are already
written this way.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

INF = math.inf
"""The value of ``decimals`` for an exact fact (``decimals="INF"``)."""

XBRLI_NS = "http://www.xbrl.org/2003/instance"
ISO4217_NS = "http://www.xbrl.org/2003/iso4217"
XBRLDI_NS = "http://xbrl.org/2006/xbrldi"
LINK_NS = "http://www.xbrl.org/2003/linkbase"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SEC_CIK_SCHEME = "http://www.sec.gov/CIK"

# Namespace families: every version of a standard taxonomy answers to one prefix, so a
# rule written as `us-gaap:Assets` matches a 2009 filing and a 2024 filing alike.
_FAMILY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("us-gaap", re.compile(r"^http://(fasb\.org|xbrl\.us)/us-gaap/\d{4}(-\d\d-\d\d)?$")),
    ("srt", re.compile(r"^http://fasb\.org/srt/\d{4}(-\d\d-\d\d)?$")),
    ("dei", re.compile(r"^http://(xbrl\.sec\.gov|xbrl\.us)/dei/\d{4}(-\d\d-\d\d)?$")),
    ("ifrs-full", re.compile(r"^https?://xbrl\.ifrs\.org/taxonomy/\d{4}-\d\d-\d\d/ifrs-full$")),
    ("ecd", re.compile(r"^http://xbrl\.sec\.gov/ecd/\d{4}(-\d\d-\d\d)?$")),
    ("cyd", re.compile(r"^http://xbrl\.sec\.gov/cyd/\d{4}(-\d\d-\d\d)?$")),
    ("country", re.compile(r"^http://xbrl\.sec\.gov/country/\d{4}(-\d\d-\d\d)?$")),
    ("currency", re.compile(r"^http://xbrl\.sec\.gov/currency/\d{4}(-\d\d-\d\d)?$")),
    ("exch", re.compile(r"^http://xbrl\.sec\.gov/exch/\d{4}(-\d\d-\d\d)?$")),
    ("stpr", re.compile(r"^http://xbrl\.sec\.gov/stpr/\d{4}(-\d\d-\d\d)?$")),
    ("naics", re.compile(r"^http://xbrl\.sec\.gov/naics/\d{4}(-\d\d-\d\d)?$")),
    ("sic", re.compile(r"^http://xbrl\.sec\.gov/sic/\d{4}(-\d\d-\d\d)?$")),
)
_FIXED_FAMILIES = {
    XBRLI_NS: "xbrli",
    ISO4217_NS: "iso4217",
    "http://www.xbrl.org/2009/utr": "utr",
    "http://www.xbrl.org/dtr/type/numeric": "num",
    "http://www.xbrl.org/dtr/type/non-numeric": "nonnum",
}
_family_cache: dict[tuple[str, str], str] = {}


def family_of(namespace: str, prefix: str) -> str:
    """The prefix a concept answers to: its standard family, else the filing's prefix."""
    key = (namespace, prefix)
    found = _family_cache.get(key)
    if found is None:
        found = _FIXED_FAMILIES.get(namespace)
        if found is None:
            for name, pattern in _FAMILY_PATTERNS:
                if pattern.match(namespace):
                    found = name
                    break
            else:
                found = prefix or namespace
        _family_cache[key] = found
    return found


class QName(str):
    """A qualified name matched by namespace family (``us-gaap``) and local name.

    Its value is the string ``family:local``, so equality and hashing are the str's:
    the us-gaap 2009 and 2024 spellings of a concept are the same concept, and every
    index lookup hashes at C speed. ``namespace`` is kept for output.
    """

    family: str
    local: str
    namespace: str

    def __new__(cls, family: str, local: str, namespace: str = "") -> QName:
        self = str.__new__(cls, f"{family}:{local}" if family else local)
        self.family, self.local, self.namespace = family, local, namespace
        return self

    def __getnewargs__(self):
        return (self.family, self.local, self.namespace)

    def __repr__(self) -> str:
        return f"QName({self.family!r}, {self.local!r})"

    @classmethod
    def of(cls, namespace: str, local: str, prefix: str = "") -> QName:
        return cls(family_of(namespace, prefix), local, namespace)


class Entity(NamedTuple):
    scheme: str
    identifier: str

    def __str__(self) -> str:
        if self.scheme == SEC_CIK_SCHEME:
            return f"cik:{self.identifier}"
        return f"{{{self.scheme}}}{self.identifier}"

    @classmethod
    def parse(cls, text: str) -> Entity:
        """Read ``cik:0000320193`` (the SEC's scheme) or ``{scheme}identifier``."""
        if text.startswith("cik:"):
            return cls(SEC_CIK_SCHEME, text[4:])
        if text.startswith("{") and "}" in text:
            scheme, _, ident = text[1:].partition("}")
            return cls(scheme, ident)
        raise ValueError(f"entity {text!r} is neither 'cik:ID' nor '{{SCHEME}}ID'")


class Period(NamedTuple):
    """An instant, a duration, or forever, held as moments (see the module doc).

    ``start`` is None for an instant; both are None for forever.
    """

    start: datetime | None
    end: datetime | None

    @property
    def is_instant(self) -> bool:
        return self.start is None and self.end is not None

    @property
    def is_duration(self) -> bool:
        return self.start is not None

    @property
    def is_forever(self) -> bool:
        return self.start is None and self.end is None

    @classmethod
    def instant(cls, moment: datetime) -> Period:
        return cls(None, moment)

    @classmethod
    def duration(cls, start: datetime, end: datetime) -> Period:
        if end < start:
            raise ValueError(f"the period ends ({moment_as_end_text(end)}) before it starts "
                             f"({moment_as_start_text(start)})")
        return cls(start, end)

    @classmethod
    def forever(cls) -> Period:
        return cls(None, None)

    @classmethod
    def from_xbrl(cls, instant: str | None = None, start: str | None = None,
                  end: str | None = None) -> Period:
        """From the text of an XBRL context's period elements."""
        if instant is not None:
            return cls.instant(xbrl_end_moment(instant))
        if start is not None and end is not None:
            return cls.duration(xbrl_start_moment(start), xbrl_end_moment(end))
        return cls.forever()

    def __str__(self) -> str:
        if self.is_forever:
            return "forever"
        if self.is_instant:
            return moment_as_end_text(self.end)  # type: ignore[arg-type]
        return f"{moment_as_start_text(self.start)}..{moment_as_end_text(self.end)}"  # type: ignore[arg-type]

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse the form ``__str__`` writes: ``2024-12-31``, ``2024-01-01..2024-12-31``, ``forever``."""
        text = text.strip()
        if text == "forever":
            return cls.forever()
        if ".." in text:
            start, _, end = text.partition("..")
            return cls.duration(xbrl_start_moment(start), xbrl_end_moment(end))
        return cls.instant(xbrl_end_moment(text))


def _parse_xbrl_datetime(text: str) -> tuple[datetime, bool]:
    """Parse an XBRL date or dateTime; the flag says whether a time was given."""
    try:
        return _parse_moment(text.strip())
    except OverflowError:
        raise ValueError(f"{text.strip()[:40]!r} is beyond the dates checker reads (up to 9998-12-31)") from None


def _parse_moment(text: str) -> tuple[datetime, bool]:
    if "T" in text:
        body = text.rstrip("Z")
        body = re.sub(r"[+-]\d\d:\d\d$", "", body)
        if body.endswith("T24:00:00"):
            return datetime.fromisoformat(body[:-9]) + timedelta(days=1), True
        return datetime.fromisoformat(body), True
    body = re.sub(r"(Z|[+-]\d\d:\d\d)$", "", text)
    return datetime.combine(date.fromisoformat(body), datetime.min.time()), False


def xbrl_end_moment(text: str) -> datetime:
    """An instant or period end: a bare date means the midnight after that day."""
    moment, has_time = _parse_xbrl_datetime(text)
    if has_time:
        return moment
    if moment.date() >= date(9999, 12, 31):
        raise ValueError(f"{text.strip()[:40]!r} is beyond the dates checker reads (up to 9998-12-31)")
    return moment + timedelta(days=1)


def xbrl_start_moment(text: str) -> datetime:
    """A period start: a bare date means the start of that day."""
    return _parse_xbrl_datetime(text)[0]


def moment_as_end_text(moment: datetime) -> str:
    if moment.time() == datetime.min.time():
        return (moment - timedelta(days=1)).date().isoformat()
    return moment.isoformat()


def moment_as_start_text(moment: datetime) -> str:
    if moment.time() == datetime.min.time():
        return moment.date().isoformat()
    return moment.isoformat()


class Unit(NamedTuple):
    """Numerator and denominator measures, each sorted (XBRL unit equality is order-free)."""

    numerators: tuple[QName, ...]
    denominators: tuple[QName, ...] = ()

    @classmethod
    def of(cls, numerators, denominators=()) -> Unit:
        key = lambda q: (q.family, q.local)  # noqa: E731
        return cls(tuple(sorted(numerators, key=key)), tuple(sorted(denominators, key=key)))

    def __str__(self) -> str:
        num = "*".join(str(m) for m in self.numerators)
        if self.denominators:
            return num + "/" + "*".join(str(m) for m in self.denominators)
        return num

    @classmethod
    def parse(cls, text: str) -> Unit:
        """Parse ``iso4217:USD``, ``iso4217:USD/xbrli:shares``, ``a*b/c``."""
        num, _, den = text.strip().partition("/")
        return cls.of([_measure(m) for m in num.split("*") if m],
                      [_measure(m) for m in den.split("*") if m])

    @property
    def is_monetary(self) -> bool:
        return (len(self.numerators) == 1 and not self.denominators
                and self.numerators[0].family == "iso4217")

    @property
    def currency(self) -> str | None:
        return self.numerators[0].local if self.is_monetary else None


_MEASURE_NAMESPACES = {"iso4217": ISO4217_NS, "xbrli": XBRLI_NS, "utr": "http://www.xbrl.org/2009/utr"}


def _measure(text: str) -> QName:
    prefix, sep, local = text.strip().partition(":")
    if not sep:
        raise ValueError(f"measure {text!r} has no prefix (write e.g. iso4217:USD)")
    return QName(prefix, local, _MEASURE_NAMESPACES.get(prefix, ""))


@dataclass(frozen=True, slots=True)
class TypedMember:
    """The value of a typed dimension, compared as its normalised text."""

    text: str

    def __str__(self) -> str:
        return '"' + self.text.replace("\\", "\\\\").replace('"', '\\"') + '"'


Member = QName | TypedMember
Dimensions = tuple[tuple[QName, Member], ...]
"""Axis/member pairs sorted by axis: hashable, and equal for equal contexts."""


def make_dimensions(pairs) -> Dimensions:
    return tuple(sorted(pairs, key=lambda pair: (pair[0].family, pair[0].local)))


def dimensions_text(dims: Dimensions) -> str:
    return "; ".join(f"{axis}={member}" for axis, member in dims)


_DIM_PAIR = re.compile(r'\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]+?)\s*(?:;|$)')


def parse_dimensions(text: str) -> Dimensions:
    """Parse the form ``dimensions_text`` writes."""
    pairs = []
    text = text.strip()
    pos = 0
    while pos < len(text):
        m = _DIM_PAIR.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot read dimensions {text!r} at character {pos + 1}")
        axis, member = _qname_text(m.group(1)), m.group(2)
        if member.startswith('"'):
            value: Member = TypedMember(re.sub(r"\\(.)", r"\1", member[1:-1]))
        else:
            value = _qname_text(member)
        pairs.append((axis, value))
        pos = m.end()
    return make_dimensions(pairs)


def _qname_text(text: str) -> QName:
    prefix, sep, local = text.strip().partition(":")
    if not sep:
        raise ValueError(f"{text!r} is not a prefixed name")
    return QName(prefix, local)


class Source(NamedTuple):
    """Where a fact sits: the document (``pkg.zip!member`` inside a zip), line, element id,
    the column (inline documents from the common tools are a few very long lines), and,
    for a rendered table (an R page), the row and column a reader sees."""

    file: str
    line: int | None = None
    element_id: str | None = None
    column: int | None = None
    place: str | None = None

    def __str__(self) -> str:
        where = self.file if not self.line else \
            f"{self.file}:{self.line}:{self.column}" if self.column else f"{self.file}:{self.line}"
        return f"{where} {self.place}" if self.place else where


NOWHERE = Source("")

# a named tuple's own constructor is a Python function: the loaders' hot loops build facts
# with ``new_tuple(Fact, (every field, in order))``, a third of the cost, on every fact
new_tuple = tuple.__new__


class Fact(NamedTuple):
    """One reported value with every aspect that identifies it.

    ``value`` is a ``Decimal`` for a numeric fact, a ``str`` for a non-numeric one,
    and None when the fact is nil. ``decimals`` is an int, ``INF`` for exact values,
    or None where neither decimals nor a usable precision was given.

    Where the fact sits is held in its own fields (``file`` … ``place``), not in a
    ``Source`` of its own: one object fewer per fact, 64 bytes of a few hundred, on
    filings of millions of facts. ``source`` gives them as a ``Source``; build facts
    from one with ``Fact.of``.
    """

    concept: QName
    entity: Entity
    period: Period
    unit: Unit | None
    dimensions: Dimensions
    value: Decimal | str | None
    decimals: int | float | None = None
    file: str = ""
    line: int | None = None
    element_id: str | None = None
    column: int | None = None
    place: str | None = None
    context_id: str = ""
    tuple_path: tuple[int, ...] = ()  # enclosing tuples, outermost first: calculations bind in their scope

    @classmethod
    def of(cls, concept: QName, entity: Entity, period: Period, unit: Unit | None, dimensions: Dimensions,
           value: Decimal | str | None, decimals: int | float | None = None, source: Source = NOWHERE,
           context_id: str = "", tuple_path: tuple[int, ...] = ()) -> Fact:
        return cls(concept, entity, period, unit, dimensions, value, decimals, *source, context_id, tuple_path)

    @property
    def source(self) -> Source:
        return Source(self.file, self.line, self.element_id, self.column, self.place)

    @property
    def is_numeric(self) -> bool:
        return self.unit is not None

    @property
    def is_nil(self) -> bool:
        return self.value is None


MAX_DIGITS = 40         # significant digits: checker computes exactly up to here (engine.intervals.PRECISION)
MAX_MAGNITUDE = 100     # amounts between 10^-100 and 10^100: far beyond any reported amount
MAX_DECIMALS = 1000     # |decimals| and precision: beyond, no amount could carry that many digits


def checked_amount(value: Decimal) -> Decimal:
    """A number checker can compute with exactly, or ValueError saying why not: NaN and
    infinities, more than 40 significant digits, or a magnitude beyond 10^±100 (which
    would cost gigabytes or overflow the arithmetic of any rule that touches it)."""
    if not value.is_finite():
        raise ValueError("is not a number")
    if value:
        if abs(value.adjusted()) > MAX_MAGNITUDE:
            raise ValueError(f"is beyond the magnitudes checker reads (10^-{MAX_MAGNITUDE} to 10^{MAX_MAGNITUDE})")
        digits = value.as_tuple().digits
        if len(digits) > MAX_DIGITS:
            if len("".join(map(str, digits)).rstrip("0")) > MAX_DIGITS:  # trailing zeros are not significant
                raise ValueError(f"has more than {MAX_DIGITS} significant digits, more than checker computes "
                                 f"with exactly")
    return value


def parse_amount(text: str) -> Decimal:
    """A reported number (white space around it allowed), checked: ValueError if it is not
    one checker can compute with exactly."""
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValueError("is not a number") from None
    if len(text) <= MAX_DIGITS and value.is_finite() and "e" not in text and "E" not in text:
        return value  # the common case: too short to hold too many digits or too large a magnitude
    return checked_amount(value)


def decimals_text(decimals: int | float | None) -> str:
    if decimals is None:
        return ""
    if decimals == INF:
        return "INF"
    return "-INF" if decimals == -INF else str(int(decimals))


def parse_decimals(text: str | None) -> int | float | None:
    """``INF``, an integer, or ``-INF`` (what checker writes for ``precision="0"``)."""
    if text is None:
        return None
    text = text.strip()
    if text == "INF":
        return INF
    if text == "-INF":
        return -INF
    decimals = int(text)
    if abs(decimals) > MAX_DECIMALS:
        raise ValueError(f"decimals {decimals} is beyond ±{MAX_DECIMALS}")
    return decimals


def decimals_from_precision(precision: str, value: Decimal) -> int | float | None:
    """XBRL 2.1 4.6.6: decimals inferred from precision for old filings.

    ``precision="0"`` says no digit is known: decimals -INF (an unbounded interval;
    the XBRL 2.1 calculation check treats such a fact as inconsistent). A zero value
    with a finite precision has no significant digits to count from; it is treated as
    exact, as Arelle and the 2.1 conformance suite do.
    """
    precision = precision.strip()
    if precision == "INF":
        return INF
    digits = int(precision)
    if not 0 <= digits <= MAX_DECIMALS:
        raise ValueError(f"precision {digits} is not between 0 and {MAX_DECIMALS}")
    if digits == 0:
        return -INF
    if value == 0:
        return INF
    return digits - value.copy_abs().adjusted() - 1


def value_text(value: Decimal | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return value
