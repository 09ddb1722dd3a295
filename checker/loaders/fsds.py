"""SEC Financial Statement Data Sets: ``sub.txt`` and ``num.txt``, one filing per ``adsh``.

A zipped quarter or a folder holding the two files becomes one ``Filing`` per submission.
The data sets carry no ``decimals``: each value's is inferred from the digits it shows
(2,670,000 is taken as rounded to thousands), which errs towards allowing more, never
towards a false alarm. ``ddate``/``qtrs`` become periods (``qtrs`` 0 an instant, else a
duration of that many quarters ending on ``ddate``), ``segments`` and ``coreg`` become
dimensions, and every fact points back to its line of ``num.txt``.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import zipfile
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from ..errors import InputError
from ..model import (
    SEC_CIK_SCHEME,
    Entity,
    Fact,
    Period,
    QName,
    Source,
    TypedMember,
    Unit,
    make_dimensions,
    parse_amount,
    xbrl_end_moment,
    xbrl_start_moment,
)
from .package import ZIP_ERRORS, check_expansion
from .xmlsafe import DEFAULT_LIMITS, ParseLimits

NUM_COLUMNS = {"adsh", "tag", "version", "ddate", "qtrs", "uom", "value"}
SUB_COLUMNS = {"adsh", "cik", "name", "form"}
_FAMILIES = ("us-gaap", "ifrs-full", "dei", "srt", "invest")


def is_fsds(names: list[str]) -> bool:
    lower = {n.rsplit("/", 1)[-1].lower() for n in names}
    return "sub.txt" in lower and "num.txt" in lower


def _read_tables(path: str, limits: ParseLimits) -> tuple[bytes, bytes, bytes | None, str]:
    """(sub.txt, num.txt, pre.txt or None, display prefix) from a zip or a folder, each
    within the byte limit (a small zip can hold a table of gigabytes)."""

    def bounded(stream, where: str) -> bytes:
        data = stream.read(limits.max_bytes + 1)
        if len(data) > limits.max_bytes:
            raise InputError(f"is over the limit of {limits.max_bytes:,} bytes (raise it with --max-xml-bytes)",
                             where)
        return data

    if os.path.isdir(path):
        def read(name):
            with open(os.path.join(path, name), "rb") as stream:
                return bounded(stream, os.path.join(path, name))
        pre = read("pre.txt") if os.path.isfile(os.path.join(path, "pre.txt")) else None
        return read("sub.txt"), read("num.txt"), pre, path.rstrip("/") + "/"
    try:
        with zipfile.ZipFile(path) as archive:
            names = {n.rsplit("/", 1)[-1].lower(): n for n in archive.namelist()}

            def member(name):
                check_expansion(archive.getinfo(names[name]), f"{path}!{names[name]}")
                with archive.open(names[name]) as stream:
                    return bounded(stream, f"{path}!{names[name]}")
            pre = member("pre.txt") if "pre.txt" in names else None
            return member("sub.txt"), member("num.txt"), pre, f"{path}!"
    except KeyError as exc:
        raise InputError(f"is not a readable Financial Statement Data Set (no {exc})", path) from None
    except ZIP_ERRORS as exc:
        raise InputError(f"is not a readable Financial Statement Data Set ({exc})", path) from None


def _statements(pre_data: bytes | None) -> dict[str, dict]:
    """Per submission, each tag's statements as ``pre.txt`` lists them (e.g. ``BS R2``):
    the lines the filer presents together, where attribution looks first."""
    found: dict[str, dict] = defaultdict(lambda: defaultdict(set))
    if pre_data is None:
        return found
    reader = csv.DictReader(io.StringIO(pre_data.decode("utf-8", errors="replace"), newline=""), delimiter="\t",
                            quoting=csv.QUOTE_NONE)
    if not {"adsh", "report", "stmt", "tag", "version"} <= set(reader.fieldnames or []):
        return found  # a pre.txt of another layout: statements are a help, not a requirement
    for row in reader:
        adsh = row["adsh"]
        found[adsh][QName(_family(row["version"] or "", adsh), row["tag"] or "")].add(
            sys.intern(f"{row['stmt']} R{row['report']}"))
    return found


def _complete(row: dict, required: set, where: str) -> None:
    """A row shorter than its header (a truncated table) has None where a field is missing."""
    if any(row.get(column) is None for column in required):
        raise InputError("has fewer fields than the header names (a truncated or damaged table?)", where)


def _rows(data: bytes, name: str, required: set) -> csv.DictReader:
    # decoded as it is read: a decoded copy of a large num.txt would double its cost
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="replace", newline="")
    reader = csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
    missing = required - set(reader.fieldnames or [])
    if missing:
        raise InputError(f"lacks the column(s) {', '.join(sorted(missing))}", f"{name}:1")
    return reader


def _period(ddate: str, qtrs: str) -> Period:
    if not (len(ddate) == 8 and ddate.isascii() and ddate.isdigit()):
        raise ValueError("ddate is not YYYYMMDD")
    end = date(int(ddate[:4]), int(ddate[4:6]), int(ddate[6:8]))
    quarters = int(qtrs)
    if not 0 <= quarters <= 400:
        raise ValueError("qtrs is not a number of quarters between 0 and 400")
    if quarters == 0:
        return Period.instant(xbrl_end_moment(end.isoformat()))
    following = end + timedelta(days=1)
    if following.day == 1:  # ends on a month's last day: starts on the first day, 3 x qtrs months back
        months = following.year * 12 + following.month - 1 - 3 * quarters
        start = date(months // 12, months % 12 + 1, 1)
    else:  # 52/53-week years end mid-month: count back whole weeks instead
        start = following - timedelta(weeks=13 * quarters)
    return Period.duration(xbrl_start_moment(start.isoformat()), xbrl_end_moment(end.isoformat()))


def inferred_decimals(value: Decimal) -> int:
    """Decimals implied by the digits shown: 2,670,000 -> -4 (rounded to ten thousands)."""
    if value == 0:
        return 0
    sign, digits, exponent = value.normalize().as_tuple()
    return -exponent


def _unit(uom: str) -> Unit:
    """A data set's uom: a currency code, shares, pure, another measure, or one over another."""
    if not uom.strip() or uom.count("/") > 1 or uom.startswith("/") or uom.endswith("/"):
        raise ValueError(f"the unit {uom[:40]!r} is not a measure or a ratio of two")
    if len(uom) == 3 and uom.isalpha() and uom.isupper():
        return Unit.of([QName("iso4217", uom)])
    if uom.lower() == "shares":
        return Unit.of([QName("xbrli", "shares")])
    if uom.lower() == "pure":
        return Unit.of([QName("xbrli", "pure")])
    numerator, sep, denominator = uom.partition("/")
    if not sep:
        return Unit.of([QName("fsds", uom)])  # another measure (sqft, Rate ...), named as the data set does
    return Unit.of([_unit(numerator).numerators[0]], [_unit(denominator).numerators[0]])


def _family(version: str, adsh: str) -> str:
    if version == adsh:
        return "ext"  # the filer's own tag
    head = version.split("/", 1)[0].lower()
    return head if head in _FAMILIES else head or "ext"


def _zeros_take_the_usual_decimals(facts: list[Fact]) -> None:
    """A zero shows no digits to infer decimals from: it takes the decimals most common for
    its unit in the same filing (a US$ 0 among amounts in millions is 0 in millions)."""
    usual: dict = defaultdict(Counter)
    for fact in facts:
        if fact.value:
            usual[fact.unit][fact.decimals] += 1
    for index, fact in enumerate(facts):
        if fact.value is not None and fact.value == 0 and usual[fact.unit]:
            facts[index] = fact._replace(decimals=usual[fact.unit].most_common(1)[0][0])


def load_fsds(path: str, limits: ParseLimits = DEFAULT_LIMITS):
    """Every submission of the data set, as ``Filing`` objects in ``sub.txt`` order."""
    from . import Filing  # the loaders package defines Filing

    sub_data, num_data, pre_data, prefix = _read_tables(path, limits)
    subs = {}
    sub_reader = _rows(sub_data, f"{prefix}sub.txt", SUB_COLUMNS)
    sub_lines = {}
    for row in sub_reader:
        _complete(row, SUB_COLUMNS, f"{prefix}sub.txt:{sub_reader.line_num}")
        subs[row["adsh"]] = row
        sub_lines[row["adsh"]] = sub_reader.line_num
    facts: dict[str, list[Fact]] = defaultdict(list)
    reader = _rows(num_data, f"{prefix}num.txt", NUM_COLUMNS)
    source_file = f"{prefix}num.txt"
    # a quarter repeats a few hundred periods, units, tags and dimension sets over millions of
    # rows: each is built once and shared, so a fact costs its value and its row number
    periods: dict[tuple, Period] = {}
    units: dict[str, Unit] = {}
    concepts: dict[tuple, QName] = {}
    entities: dict[str, Entity] = {}
    dimension_sets: dict[tuple, tuple] = {}
    for row in reader:
        line = reader.line_num
        _complete(row, NUM_COLUMNS, f"{source_file}:{line}")
        sub = subs.get(row["adsh"])
        if sub is None:  # never in the SEC's own sets: a truncated or mismatched sub.txt
            raise InputError(f"has a value of submission {row['adsh'][:40]!r}, which sub.txt does not list (is "
                             f"sub.txt complete?)", f"{source_file}:{line}")
        adsh = sub["adsh"]  # the one string of sub.txt, shared by every fact of the submission
        try:
            value = parse_amount(row["value"]) if row["value"] else None
            when = (row["ddate"], row["qtrs"])
            period = periods.get(when)
            if period is None:
                period = periods[when] = _period(*when)
            unit = units.get(row["uom"])
            if unit is None:
                unit = units[row["uom"]] = _unit(row["uom"])
        except (InvalidOperation, ValueError, OverflowError) as exc:
            raise InputError(f"has an unreadable value, ddate, qtrs or uom ({row['value'][:40]!r}, "
                             f"{row['ddate'][:20]!r}, {row['qtrs'][:20]!r}, {row['uom'][:20]!r}): {exc}",
                             f"{source_file}:{line}") from None
        aspects = (row.get("segments") or "", row.get("coreg") or "")
        dims = dimension_sets.get(aspects)
        if dims is None:
            pairs = []
            for part in aspects[0].split(";"):
                axis, sep, member = part.partition("=")
                if sep:
                    pairs.append((QName("fsds", axis.strip()), QName("fsds", member.strip())))
            if aspects[1]:
                pairs.append((QName("fsds", "CoRegistrant"), TypedMember(aspects[1])))
            dims = dimension_sets[aspects] = make_dimensions(pairs)
        name = (_family(row["version"], adsh), row["tag"])
        concept = concepts.get(name)
        if concept is None:
            concept = concepts[name] = QName(*name)
        entity = entities.get(adsh)
        if entity is None:
            entity = entities[adsh] = Entity(SEC_CIK_SCHEME, sub["cik"].zfill(10))
        facts[adsh].append(Fact(concept, entity, period, unit, dims, value,
                                inferred_decimals(value) if value is not None else None,
                                Source(source_file, line, adsh)))
    for found in facts.values():
        _zeros_take_the_usual_decimals(found)
    for adsh, sub in subs.items():
        # the form, as dei:DocumentType, so rules limited to some forms apply here too
        if sub.get("period") and sub["form"]:
            try:
                period = _period(sub["period"], "0")
            except (ValueError, OverflowError) as exc:
                raise InputError(f"has an unreadable period {sub['period'][:20]!r} ({exc})",
                                 f"{prefix}sub.txt:{sub_lines[adsh]}") from None
            facts[adsh].append(Fact(
                QName("dei", "DocumentType"), Entity(SEC_CIK_SCHEME, sub["cik"].zfill(10)),
                period, None, (), sub["form"], None, Source(f"{prefix}sub.txt", sub_lines[adsh], adsh)))
    statements = _statements(pre_data)
    shared: dict[frozenset, frozenset] = {}  # most tags sit in one statement: one set each, shared
    filings = []
    for adsh, sub in subs.items():
        groups = {concept: shared.setdefault(frozenset(ids), frozenset(ids))
                  for concept, ids in statements.pop(adsh, {}).items()}
        filings.append(Filing(f"{prefix}{adsh}", "fsds", facts.get(adsh, []), [f"{prefix}num.txt"],
                              description=f"{sub['name'].strip()} {sub['form']} ({adsh})", statements=groups))
    return filings
