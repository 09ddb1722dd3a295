"""SEC Financial Statement Data Sets: ``sub.txt`` and ``num.txt``, one filing per ``adsh``.

A zipped quarter or a folder holding the two files becomes one ``Filing`` per submission,
read one at a time: one pass over each table finds the byte runs of every submission's
rows (``index_fsds``; the tables need not be sorted by ``adsh``), and a submission's rows
are then read by offset (``SubmissionReader``), so memory follows the largest submission.
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
import shutil
import sys
import tempfile
import zipfile
from collections import Counter, defaultdict
from array import array
from dataclasses import dataclass, field
from itertools import accumulate, groupby
from operator import itemgetter, methodcaller
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Iterator

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
    new_tuple,
    parse_amount,
    xbrl_end_moment,
    xbrl_start_moment,
)
from .package import ZIP_ERRORS, check_expansion
from .xmlsafe import DEFAULT_LIMITS, ParseLimits

NUM_COLUMNS = {"adsh", "tag", "version", "ddate", "qtrs", "uom", "value"}
SUB_COLUMNS = {"adsh", "cik", "name", "form"}
PRE_COLUMNS = ("adsh", "report", "stmt", "tag", "version")
_SUB_KEPT = {"adsh", "cik", "name", "form", "period"}
_FAMILIES = ("us-gaap", "ifrs-full", "dei", "srt", "invest")


def is_fsds(names: list[str]) -> bool:
    lower = {n.rsplit("/", 1)[-1].lower() for n in names}
    return "sub.txt" in lower and "num.txt" in lower


@dataclass(frozen=True)
class Tables:
    """Where a data set's tables can be read by offset: the folder's own files, or a zip's
    members copied (within the byte limit) to a temporary folder once. ``prefix`` is how
    reports name the data set (``2010q2.zip!``)."""

    sub: str
    num: str
    pre: str | None
    prefix: str
    temporary: str | None = None   # the folder to remove when done


@dataclass(frozen=True)
class Slice:
    """One submission of a data set as a work unit: its ``sub.txt`` row and the byte runs
    of ``num.txt`` and ``pre.txt`` holding its rows (one run each when the tables are
    sorted by ``adsh``, as the SEC's are; several when they are not)."""

    adsh: str
    sub: tuple[tuple[str, str], ...]
    sub_line: int
    # flat (first byte, end byte, first line number) triples: a table not sorted by adsh has
    # about a run per row, and an array holds millions of them in 24 bytes each
    num_runs: array = field(default_factory=lambda: array("q"))
    pre_runs: array = field(default_factory=lambda: array("q"))
    rows: int = 0

    @property
    def runs(self) -> int:
        """How many separate stretches of num.txt hold the submission's rows."""
        return len(self.num_runs) // 3


@dataclass(frozen=True)
class FsdsIndex:
    """A data set's submissions in ``sub.txt`` order, found in one pass over each table."""

    path: str
    tables: Tables
    num_columns: tuple[str, ...]
    pre_columns: tuple[str, ...]
    slices: tuple[Slice, ...]

    def close(self) -> None:
        if self.tables.temporary:
            shutil.rmtree(self.tables.temporary, ignore_errors=True)


def _over_limit(limits: ParseLimits, where: str) -> InputError:
    return InputError(f"is over the limit of {limits.max_bytes:,} bytes (raise it with --max-xml-bytes)", where)


def _bounded_copy(source, target: str, limits: ParseLimits, where: str) -> None:
    with open(target, "wb") as out:
        copied = 0
        for block in iter(lambda: source.read(1 << 20), b""):
            copied += len(block)
            if copied > limits.max_bytes:
                raise _over_limit(limits, where)
            out.write(block)


def open_tables(path: str, limits: ParseLimits = DEFAULT_LIMITS) -> Tables:
    """The tables of a data set folder or zip, each within the byte limit (a small zip can
    hold a table of gigabytes). A zip's members are copied to a temporary folder, so that
    each submission's rows can be read by offset, by any worker on this machine."""
    if os.path.isdir(path):
        names = {n.lower(): os.path.join(path, n) for n in os.listdir(path)}
        for name in ("sub.txt", "num.txt"):
            if name not in names:
                raise InputError(f"is not a readable Financial Statement Data Set (no {name})", path)
        for name in ("sub.txt", "num.txt", "pre.txt"):
            if name in names and os.path.getsize(names[name]) > limits.max_bytes:
                raise _over_limit(limits, names[name])
        return Tables(names["sub.txt"], names["num.txt"], names.get("pre.txt"), path.rstrip("/") + "/")
    folder = tempfile.mkdtemp(prefix="discheck-fsds-")
    try:
        with zipfile.ZipFile(path) as archive:
            names = {n.rsplit("/", 1)[-1].lower(): n for n in archive.namelist()}
            copied = {}
            for name in ("sub.txt", "num.txt", "pre.txt"):
                if name not in names:
                    if name == "pre.txt":
                        continue
                    raise InputError(f"is not a readable Financial Statement Data Set (no {name})", path)
                where = f"{path}!{names[name]}"
                check_expansion(archive.getinfo(names[name]), where)
                with archive.open(names[name]) as stream:
                    _bounded_copy(stream, os.path.join(folder, name), limits, where)
                copied[name] = os.path.join(folder, name)
    except ZIP_ERRORS as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise InputError(f"is not a readable Financial Statement Data Set ({exc})", path) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Tables(copied["sub.txt"], copied["num.txt"], copied.get("pre.txt"), f"{path}!", folder)


def _runs(path: str, known: set[str], where: str, required, optional: bool = False):
    """One pass over a table: its columns, per ``adsh`` the byte runs of its rows as flat
    ``(first byte, end byte, first line)`` triples, and per ``adsh`` its row count. No row
    is kept, and the per-line work is done by bytes methods in C: a modern quarter's
    num.txt has millions of lines."""
    runs: dict[str, array] = {}
    rows: dict[str, int] = {}
    with open(path, "rb") as stream:
        header = stream.readline()
        columns = tuple(header.decode("utf-8", errors="replace").rstrip("\r\n").split("\t"))
        missing = set(required) - set(columns)
        if missing:
            if optional:
                return columns, {}, {}
            raise InputError(f"lacks the column(s) {', '.join(sorted(missing))}", f"{where}:1")
        column = columns.index("adsh")
        offset, number, pending = len(header), 1, b""
        current: bytes | None = None
        run: array | None = None   # the array whose last triple is the run being read
        text = ""
        while True:
            block = stream.read(1 << 23)
            if not block and not pending:
                break
            block = pending + block if block else pending + b"\n"   # the last line may lack its newline
            cut = block.rfind(b"\n") + 1
            block, pending = block[:cut], block[cut:]
            if not block:
                continue
            lines = block.split(b"\n")
            lines.pop()
            ends = list(accumulate(map(len, lines)))   # bytes before line i's newline, from the block start
            line = 0
            for key, group in groupby(_keys(lines, column)):
                count = len(list(group))
                if key.strip():
                    if key != current:
                        current, run = key, None
                        text = key.decode("utf-8", errors="replace")
                        if text in known:
                            run = runs.get(text)
                            if run is None:
                                run = runs[text] = array("q")
                            first = offset + (ends[line - 1] + line if line else 0)
                            run.extend((first, first, number + line + 1))
                        elif not optional:
                            # never in the SEC's own sets: a truncated or mismatched sub.txt
                            raise InputError(f"has a value of submission {text[:40]!r}, which sub.txt does not "
                                             f"list (is sub.txt complete?)", f"{where}:{number + line + 1}")
                    if run is not None:
                        run[-2] = offset + ends[line + count - 1] + line + count
                        rows[text] = rows.get(text, 0) + count
                line += count
            offset += len(block)
            number += len(lines)
    return columns, runs, rows


def _keys(lines: list[bytes], column: int) -> list[bytes]:
    """Each line's ``column`` (b"" where a line has none)."""
    if column == 0:
        return list(map(itemgetter(0), map(methodcaller("split", b"\t", 1), lines)))
    out = []
    for line in lines:
        fields = line.split(b"\t", column + 1)
        out.append(fields[column] if len(fields) > column else b"")
    return out


def index_fsds(path: str, limits: ParseLimits = DEFAULT_LIMITS) -> FsdsIndex:
    """Every submission of the data set at ``path`` and where its rows are, from one pass
    over each table: memory depends on the number of submissions, not of values. The
    caller closes the index (a zip's tables sit in a temporary folder until then)."""
    tables = open_tables(path, limits)
    try:
        subs: dict[str, tuple[dict, int]] = {}
        with open(tables.sub, "rb") as stream:
            reader = _rows(stream.read(), f"{tables.prefix}sub.txt", SUB_COLUMNS)
            for row in reader:
                _complete(row, SUB_COLUMNS, f"{tables.prefix}sub.txt:{reader.line_num}")
                subs[row["adsh"]] = ({k: v for k, v in row.items() if k in _SUB_KEPT and v is not None},
                                     reader.line_num)
        num_columns, num_runs, num_rows = _runs(tables.num, set(subs), f"{tables.prefix}num.txt", NUM_COLUMNS)
        pre_columns, pre_runs = (), {}
        if tables.pre:
            pre_columns, pre_runs, _ = _runs(tables.pre, set(subs), f"{tables.prefix}pre.txt", PRE_COLUMNS,
                                             optional=True)
        empty = array("q")
        slices = tuple(Slice(adsh, tuple(sorted(row.items())), line, num_runs.get(adsh, empty),
                             pre_runs.get(adsh, empty), num_rows.get(adsh, 0))
                       for adsh, (row, line) in subs.items())
    except BaseException:
        if tables.temporary:
            shutil.rmtree(tables.temporary, ignore_errors=True)
        raise
    return FsdsIndex(path, tables, num_columns, pre_columns, slices)


def _lines(path: str, runs) -> Iterator[tuple[int, str]]:
    """The rows of ``runs`` as (line number, text), read by offset."""
    with open(path, "rb") as stream:
        for at in range(0, len(runs), 3):
            start, end, number = runs[at], runs[at + 1], runs[at + 2]
            stream.seek(start)
            for index, raw in enumerate(stream.read(end - start).split(b"\n")):
                text = raw.decode("utf-8", errors="replace").rstrip("\r")
                if text:
                    yield number + index, text


def _statements(tables: Tables, columns: tuple[str, ...], piece: Slice) -> dict:
    """Each tag's statements as ``pre.txt`` lists them for the submission (e.g. ``BS R2``):
    the lines the filer presents together, where attribution looks first."""
    found: dict = defaultdict(set)
    if not tables.pre or not piece.pre_runs or not set(PRE_COLUMNS) <= set(columns):
        return found  # a pre.txt of another layout: statements are a help, not a requirement
    at = {name: columns.index(name) for name in PRE_COLUMNS}
    width = max(at.values()) + 1
    for _, text in _lines(tables.pre, piece.pre_runs):
        fields = text.split("\t")
        if len(fields) >= width:
            found[QName(_family(fields[at["version"]], piece.adsh), fields[at["tag"]])].add(
                sys.intern(f"{fields[at['stmt']]} R{fields[at['report']]}"))
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


class SubmissionReader:
    """Builds one submission's facts at a time. A quarter repeats a few hundred periods,
    units, tags and dimension sets over millions of rows: each is built once per reader
    and shared, so a fact costs its value and its row number."""

    def __init__(self, index: FsdsIndex):
        self.index = index
        columns = index.num_columns
        self.at = {name: columns.index(name) for name in NUM_COLUMNS}
        self.segments = columns.index("segments") if "segments" in columns else None
        self.coreg = columns.index("coreg") if "coreg" in columns else None
        self.width = len(columns)
        self.periods: dict[tuple, Period] = {}
        self.units: dict[str, Unit] = {}
        self.concepts: dict[tuple, QName] = {}
        self.dimension_sets: dict[tuple, tuple] = {}
        self.shared: dict[frozenset, frozenset] = {}   # most tags sit in one statement: one set each

    def filing(self, piece: Slice, limits: ParseLimits = DEFAULT_LIMITS):
        """The submission's ``Filing``; InputError naming the table line it cannot read."""
        from ..gcpause import gc_paused

        if piece.rows + 1 > limits.max_facts:  # its rows, and its form as dei:DocumentType
            raise limits.too_many_facts(f"{self.index.tables.prefix}{piece.adsh}")
        with gc_paused():  # millions of small objects, none of them cyclic
            return self._filing(piece)

    def _filing(self, piece: Slice):
        from . import Filing  # the loaders package defines Filing

        tables = self.index.tables
        sub = dict(piece.sub)
        adsh = piece.adsh
        entity = Entity(SEC_CIK_SCHEME, sub["cik"].zfill(10))
        source_file = f"{tables.prefix}num.txt"
        at_value, at_ddate, at_qtrs, at_uom, at_version, at_tag = (
            self.at[name] for name in ("value", "ddate", "qtrs", "uom", "version", "tag"))
        width, concepts = self.width, self.concepts
        facts: list[Fact] = []
        for line, text in _lines(tables.num, piece.num_runs):
            fields = text.split("\t")
            if len(fields) < width:
                raise InputError("has fewer fields than the header names (a truncated or damaged table?)",
                                 f"{source_file}:{line}")
            raw_value, ddate, qtrs, uom = fields[at_value], fields[at_ddate], fields[at_qtrs], fields[at_uom]
            try:
                value = parse_amount(raw_value) if raw_value else None
                period = self.periods.get((ddate, qtrs))
                if period is None:
                    period = self.periods[(ddate, qtrs)] = _period(ddate, qtrs)
                unit = self.units.get(uom)
                if unit is None:
                    unit = self.units[uom] = _unit(uom)
            except (InvalidOperation, ValueError, OverflowError) as exc:
                raise InputError(f"has an unreadable value, ddate, qtrs or uom ({raw_value[:40]!r}, "
                                 f"{ddate[:20]!r}, {qtrs[:20]!r}, {uom[:20]!r}): {exc}",
                                 f"{source_file}:{line}") from None
            aspects = (fields[self.segments] if self.segments is not None else "",
                       fields[self.coreg] if self.coreg is not None else "")
            dims = self.dimension_sets.get(aspects)
            if dims is None:
                dims = self.dimension_sets[aspects] = _dimensions(*aspects)
            version, tag = fields[at_version], fields[at_tag]
            own = version == adsh  # the filer's own tag: "ext", whatever the version column's text
            concept = concepts.get((version, tag, own))
            if concept is None:
                concept = concepts[(version, tag, own)] = QName(_family(version, adsh), tag)
            facts.append(new_tuple(Fact, (concept, entity, period, unit, dims, value,
                                           inferred_decimals(value) if value is not None else None,
                                           source_file, line, adsh, None, None, "", ())))
        _zeros_take_the_usual_decimals(facts)
        if sub.get("period") and sub["form"]:
            # the form, as dei:DocumentType, so rules limited to some forms apply here too
            try:
                period = _period(sub["period"], "0")
            except (ValueError, OverflowError) as exc:
                raise InputError(f"has an unreadable period {sub['period'][:20]!r} ({exc})",
                                 f"{tables.prefix}sub.txt:{piece.sub_line}") from None
            facts.append(Fact.of(QName("dei", "DocumentType"), entity, period, None, (), sub["form"], None,
                              Source(f"{tables.prefix}sub.txt", piece.sub_line, adsh)))
        groups = {concept: self.shared.setdefault(frozenset(ids), frozenset(ids))
                  for concept, ids in _statements(tables, self.index.pre_columns, piece).items()}
        return Filing(f"{tables.prefix}{adsh}", "fsds", facts, [source_file],
                      description=f"{sub['name'].strip()} {sub['form']} ({adsh})", statements=groups)


def _dimensions(segments: str, coreg: str) -> tuple:
    pairs = []
    for part in segments.split(";"):
        axis, sep, member = part.partition("=")
        if sep:
            pairs.append((QName("fsds", axis.strip()), QName("fsds", member.strip())))
    if coreg:
        pairs.append((QName("fsds", "CoRegistrant"), TypedMember(coreg)))
    return make_dimensions(pairs)


def iter_fsds(path: str, limits: ParseLimits = DEFAULT_LIMITS, only: str | None = None) -> Iterator:
    """Every submission of the data set (or only the one whose accession number is
    ``only``), as ``Filing`` objects in ``sub.txt`` order, one at a time: peak memory is
    that of the largest submission, not of the quarter."""
    index = index_fsds(path, limits)
    try:
        slices = index.slices
        if only is not None:
            slices = tuple(s for s in slices if s.adsh == only)
            if not slices:
                raise InputError(f"holds no submission {only!r} (sub.txt lists {len(index.slices)})", path)
        reader = SubmissionReader(index)
        for piece in slices:
            yield reader.filing(piece, limits)
    finally:
        index.close()
