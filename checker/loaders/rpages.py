"""SEC viewer R pages (``R2.htm`` ...): the tables EDGAR renders from a filing, read as facts.

What a reader sees is what is read: each row's concept from its definition link
(``defref_us-gaap_AccountsReceivableNetCurrent``), each column's period from its
headings ("3 Months Ended" over "Mar. 29, 2025"; a date alone is an instant), the unit
from the column's or the page's currency (or the row's: per share, shares, percent),
the scale from the page heading ("$ in Millions", "shares in Thousands"), signs from
parentheses, decimals from the digits shown. Dimensions come from the member sections
(``defref_Axis=Member`` rows, "A | B | C" labels) and member columns, the further
members of a section being named by their labels, resolved through the page's own
definition list, ``MetaLinks.json`` and, where present, the filer's label and
definition linkbases. A cell that cannot be placed is a warning naming page, row and
column, never a guess.

A duration heading gives the months, not the start: the start is the end less those
months, moved to a balance date the filing's pages show within a week of it (filers
with 52/53-week years close on the Saturday nearest a month end), so the periods are
the filing's own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from lxml import etree

from ..errors import InputError
from ..model import Entity, Fact, Member, Period, QName, Source, TypedMember, Unit, checked_amount, make_dimensions

R_PAGE_ENTITY = Entity("http://www.sec.gov/CIK", "")
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                       "nov", "dec"), start=1)}
_DATE = re.compile(r"^([A-Z][a-z]{2,8})\.? (\d{1,2}), (\d{4})$")
_DATE_AT_END = re.compile(r"\s+(?:at|as of)\s+([A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})$")
_DURATION = re.compile(r"^(\d+) (Months|Weeks) Ended$", re.IGNORECASE)
_CURRENCY = re.compile(r"^([A-Z]{3}) \((.+)\)$")          # USD ($), CNY (¥)
_SCALES = {"units": 0, "thousands": 3, "millions": 6, "billions": 9, "trillions": 12}
_SCALE_PART = re.compile(r"^(.+?) in (Units|Thousands|Millions|Billions|Trillions)$", re.IGNORECASE)
_NUMBER = re.compile(r"(?:[^\d\s(.,-]{1,4}\s*)?(?P<open>\()?\s*(?P<minus>-)?\s*(?:[^\d\s(.,-]{1,4}\s*)?"
                     r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d*\.?\d+)\s*(?P<pct>%)?\s*(?P<close>\))?\s*(?P<pct2>%)?")
_PER_SHARE_LABEL = re.compile(r"\(in [^()]*\bper\b[^()]*\)$", re.IGNORECASE)
_SHARES_LABEL = re.compile(r"\(in shares\)$", re.IGNORECASE)
_DEFREF = re.compile(r"defref_([A-Za-z][\w.-]*?)_([A-Za-z_][\w.-]*?)(?:=(.+))?$")
_MEMBER = re.compile(r"([A-Za-z][\w.-]*?)_([A-Za-z_][\w.-]*)$")
_SNAP_DAYS = 7
_MAX_COLUMNS = 2000   # the widest real R pages have a few dozen columns
_TITLE_END = re.compile(r"\((Details|Details Narrative|Narrative|Tables|Policies|Parenthetical)\)$", re.IGNORECASE)


@dataclass(frozen=True)
class RCell:
    """One numeric cell as read, before its period is settled across the filing's pages."""

    concept: QName
    end: date | None           # the column's (or row's) date
    months: int | None         # duration in months (weeks given as days in ``days``)
    days: int | None
    start_date: date | None    # a known start (an equity statement's opening balance)
    unit: Unit
    dims: tuple
    value: Decimal
    decimals: int
    source: Source
    at: str = ""               # "start" / "end": a balance shown in a duration column (its label says)


@dataclass
class RPages:
    """What the pages held: facts, how many numeric cells, and what could not be placed."""

    facts: list[Fact]
    numeric_cells: int
    pages: list[str]
    warnings: list[str] = field(default_factory=list)


class Names:
    """What the labels say: member labels -> members, and for each concept the roles of
    the labels a row may show (a ``negated`` label shows the value with its sign reversed;
    a ``periodStart`` label shows a balance at the start of the column's period), from
    ``MetaLinks.json`` and the filer's label linkbase where present."""

    def __init__(self, metalinks: dict | None, member_axes: dict[QName, set[QName]] | None,
                 labels: dict[QName, set[tuple[str, str]]] | None, preferred: dict | None = None):
        self.member_axes = member_axes or {}
        self.preferred: dict[str, dict[QName, set[str]]] = preferred or {}
        self.by_label: dict[str, set[QName]] = {}
        self.roles: dict[QName, dict[str, set[str]]] = {}
        for concept, pairs in (labels or {}).items():
            for role, text in pairs:
                self._add(concept, role, text)
        for tag, info in ((metalinks or {}).get("tag") or {}).items():
            if not isinstance(info, dict):
                continue
            prefix, _, local = str(tag).partition("_")
            concept = QName(prefix, local)
            for lang in (info.get("lang") or {}).values():
                for role, text in (((lang or {}).get("role") or {}) if isinstance(lang, dict) else {}).items():
                    if isinstance(text, str) and role != "documentation":
                        self._add(concept, str(role), text)

    def _add(self, concept: QName, role: str, text: str) -> None:
        key = _norm(text)
        self.roles.setdefault(concept, {}).setdefault(key, set()).add(role)
        if concept.local.endswith("Member"):
            self.by_label.setdefault(key, set()).add(concept)

    def row_roles(self, concept: QName, label: str, network: str = "") -> set[str] | None:
        """The label roles whose text the row shows (None when the labels are not known).
        Where one text is several roles' (a plain and a negated label alike), the page's
        presentation network says which one it shows."""
        known = self.roles.get(concept)
        if not known:
            return None
        text = _RENDERER_SUFFIX.sub("", label)
        for candidate in (label, text):
            found = known.get(_norm(candidate))
            if found:
                if len(found) > 1:
                    shown = self.preferred.get(network, {}).get(concept, set()) & found
                    if len(shown) == 1:
                        return shown
                return found
        return None

    def resolve(self, text: str, page_pairs: list[tuple[QName, QName]]) -> tuple[QName, QName] | None:
        """The one axis/member pair a label names, or None when it is not certain."""
        key = _norm(text)
        on_page = {(a, m) for a, m in page_pairs if isinstance(m, QName) and (
            _norm(_words(m.local)) == key or m in self.by_label.get(key, ()))}
        if len(on_page) == 1:
            return next(iter(on_page))
        members = self.by_label.get(key, set())
        pairs = {(axis, m) for m in members for axis in self.member_axes.get(m, ())}
        if len(pairs) == 1:
            return next(iter(pairs))
        return None


_RENDERER_SUFFIX = re.compile(r"\s*\((in [^()]*)\)$")


def _norm(text: str) -> str:
    text = re.sub(r"\s*\[(Member|Domain)\]\s*$", "", text.strip(), flags=re.IGNORECASE)
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _words(local: str) -> str:
    return re.sub(r"(Member|Domain)$", "", local)


def _parse_date(text: str) -> date | None:
    m = _DATE.match(text.strip())
    if not m:
        return None
    month = _MONTHS.get(m.group(1)[:3].lower())
    if month is None:
        return None
    try:
        return date(int(m.group(3)), month, int(m.group(2)))
    except ValueError:
        return None


def _text(el) -> str:
    """An element's visible text, footnote markers (``<sup>``) left out."""
    parts = []
    for node in el.iter():
        if node.tag == "sup":
            continue
        if node.text and not _inside_sup(node):
            parts.append(node.text)
        if node is not el and node.tail and not _inside_sup(node.getparent()):
            parts.append(node.tail)
    return re.sub(r"\s+", " ", "".join(parts).replace("\xa0", " ")).strip()


def _inside_sup(node) -> bool:
    while node is not None:
        if node.tag == "sup":
            return True
        node = node.getparent()
    return False


def _defref(el) -> tuple[QName, tuple[QName, Member] | None] | None:
    """The concept a row links to, and the axis/member pair where it heads a member section."""
    for a in el.iter("a"):
        m = re.search(r"'(defref_[^']+)'", a.get("onclick") or "")
        if m:
            d = _DEFREF.match(m.group(1))
            if d:
                concept = QName(d.group(1), d.group(2))
                return concept, (concept, _member(d.group(3))) if d.group(3) else None
    return None


def _member(text: str) -> Member:
    """``us-gaap_CashMember`` names an explicit member; anything else is a typed one's value."""
    m = _MEMBER.match(text)
    return QName(m.group(1), m.group(2)) if m else TypedMember(" ".join(text.split()))


class _Column:
    def __init__(self, parts: list[str]):
        self.parts = parts
        self.end: date | None = None
        self.months: int | None = None
        self.days: int | None = None
        self.unit_texts: list[str] = []   # every unit text the heading lists
        self.members: list[str] = []
        self.heading = " ".join(parts)


class _Page:
    """One R page read into cells."""

    def __init__(self, display: str, data: bytes, names: Names, warnings: list[str], role: str = ""):
        self.display = display
        self.role = role
        self.names = names
        self.warnings = warnings
        self.cells: list[RCell] = []
        self.numeric_cells = 0
        self.instants: set[date] = set()
        self.warned_rows: set[int] = set()
        self.unlabelled = 0   # cells whose row label no label source knows: signs read as shown
        try:   # EDGAR's pages are UTF-8 (or ASCII) and seldom say so: read them as such, else as Windows-1252
            data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "windows-1252"
        parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False,
                                  encoding=encoding)
        try:
            root = etree.fromstring(data, parser)
        except (etree.XMLSyntaxError, ValueError) as exc:
            raise InputError(f"cannot be read as an HTML page ({exc})", display) from None
        if root is None:
            raise InputError("is empty", display)
        table = next((t for t in root.iter("table") if "report" in (t.get("class") or "").split()), None)
        if table is None:
            return
        self.page_pairs = [p for d in root.iter() if isinstance(d.tag, str) and (d.get("id") or "").startswith("defref_")
                           for p in [_pair_of(d.get("id"))] if p]
        self.definitions = _definitions(root)
        standard = {"us-gaap", "dei", "srt", "ifrs-full", "ecd", "country", "currency", "exch", "stpr", "naics", "sic",
                    "invest", "xbrli"}
        custom = {c.family for c in self.definitions if c.family not in standard}
        self.filer_prefix = custom.pop() if len(custom) == 1 else None
        rows = [tr for tr in table.iter("tr")]
        header_rows = [tr for tr in rows if tr.find("th") is not None and tr.find("td") is None]
        body = [tr for tr in rows if tr.find("td") is not None]
        self._read_heading(header_rows)
        self._read_body(body)

    # --- headings ---------------------------------------------------------------------------------

    def _read_heading(self, header_rows) -> None:
        grid: dict[tuple[int, int], list[str]] = {}
        title_cell = None
        for r, tr in enumerate(header_rows):
            c = 0
            for th in tr.findall("th"):
                if "tl" in (th.get("class") or "").split():
                    title_cell = th
                    continue
                while (r, c) in grid:
                    c += 1
                span, rows = _int(th.get("colspan")), _int(th.get("rowspan"))
                rows = min(rows, len(header_rows) - r)   # a span past the headings covers nothing
                if c + span > _MAX_COLUMNS:
                    raise InputError(f"has a heading over {_MAX_COLUMNS:,} columns wide; not an SEC viewer page "
                                     f"checker reads", self.display)
                divs = [_text(d) for d in th.findall("div")] or [_text(th)]
                parts = [p for p in divs if p]
                for dr in range(rows):
                    for dc in range(span):
                        grid[(r + dr, c + dc)] = parts
                c += span
        ncols = 1 + max((c for _, c in grid), default=-1)
        self.columns = []
        for c in range(ncols):
            parts = [p for r in range(len(header_rows)) for p in grid.get((r, c), [])]
            self.columns.append(_Column(parts))
        title_lines = []
        if title_cell is not None:
            strong = title_cell.find(".//strong")
            holder = strong if strong is not None else title_cell
            title_lines = [re.sub(r"\s+", " ", t.replace("\xa0", " ")).strip()
                           for t in holder.itertext()]
            title_lines = [t for t in title_lines if t]
        self.title = title_lines[0] if title_lines else ""
        self.scales: dict[str, int] = {}
        for line in title_lines[1:]:
            for part in line.split(","):
                m = _SCALE_PART.match(part.strip())
                if m:
                    self.scales[m.group(1).strip()] = _SCALES[m.group(2).lower()]
        # the title's " - " parts: the name ("Note - Table (Details)"), then members of the
        # whole page, then its unit ("... (Details) - Restricted stock units - USD ($)")
        parts = self.title.split(" - ")
        self.page_unit_text = parts.pop() if len(parts) > 1 and _looks_like_unit(parts[-1]) else None
        named = max((i for i, part in enumerate(parts) if _TITLE_END.search(part)), default=0)
        self.page_members = parts[named + 1:]

    # --- body -------------------------------------------------------------------------------------

    def _read_body(self, body) -> None:
        row_units = set()
        for tr in body:
            label = self._label(tr)
            if " | " in label and "rh" not in (tr.get("class") or "").split():
                row_units.add(label.rsplit(" | ", 1)[1])
        for col in self.columns:
            for part in col.parts:
                if _DURATION.match(part):
                    m = _DURATION.match(part)
                    n = int(m.group(1))
                    if m.group(2).lower() == "months":
                        col.months = n
                    else:
                        col.days = 7 * n
                elif _parse_date(part):
                    col.end = _parse_date(part)
                elif _looks_like_unit(part) or part in row_units:
                    col.unit_texts.append(part)
                else:
                    col.members.append(part)
            if col.end is not None and col.months is None and col.days is None:
                self.instants.add(col.end)
        page_dims: list = []
        for text in self.page_members:
            pair = self.names.resolve(text, self.page_pairs)
            if pair is None:
                self.warnings.append(f"{self.display}: the page heading names \"{text}\", which checker cannot "
                                     f"place as a member; the page is not read")
                self.columns = []
                return
            page_dims.append(pair)
        column_dims = []
        for i, col in enumerate(self.columns):
            dims, unplaced = [], []
            for text in col.members:
                if _norm(text) == "total":
                    continue
                pair = self.names.resolve(text, self.page_pairs)
                (dims.append(pair) if pair else unplaced.append(text))
            column_dims.append(None if unplaced else dims)
            if unplaced:
                self.warnings.append(f"{self.display}: column {i + 1} \"{col.heading}\" is headed by "
                                     f"{', '.join(repr(t) for t in unplaced)}, which checker cannot place as a "
                                     f"member (no label for it in MetaLinks.json or a label linkbase, or no "
                                     f"definition linkbase to name its axis): its cells are not read")
        section: list | None = []
        section_text = ""
        rows_read = []   # (row number, tr, label, concept, section dims, row date)
        for number, tr in enumerate(body, start=1):
            classes = (tr.get("class") or "").split()
            first = tr.find("td")
            found = _defref(first) if first is not None else None
            label = self._label(tr)
            if "rh" in classes:
                section_text = label
                section = self._section(found, label, number)
                continue
            if found is None:
                continue
            concept, _pair = found
            row_date = None
            m = _DATE_AT_END.search(label)
            if m and all(col.end is None for col in self.columns):
                row_date = _parse_date(m.group(1))
                if row_date:
                    self.instants.add(row_date)
            rows_read.append((number, tr, label, concept, section, section_text, row_date))
        self._equity_periods(rows_read)
        for number, tr, label, concept, section, section_text, row_date in rows_read:
            cells = [td for td in tr.findall("td")][1:]
            for i, td in enumerate(cells):
                kind = (td.get("class") or "").split()
                if not {"num", "nump"} & set(kind):
                    continue
                text = _text(td)
                if not text:
                    continue
                self.numeric_cells += 1
                where = f"{self.display} row {number} \"{label}\""
                if i >= len(self.columns):
                    self.warnings.append(f"{where}: cell {i + 1} has no column heading; not read")
                    continue
                col = self.columns[i]
                where += f", column {i + 1} \"{col.heading}\""
                if section is None:
                    self.warnings.append(f"{where}: the section \"{section_text}\" names a member checker cannot "
                                         f"place; not read")
                    continue
                if column_dims[i] is None:
                    continue   # said once for the column
                read = _number(text)
                if read is None:
                    self.warnings.append(f"{where}: {text!r} is not a number; not read")
                    continue
                negative, digits, places, percent = read
                data_type, period_type = self.definitions.get(concept, ("", ""))
                roles = self.names.row_roles(concept, _DATE_AT_END.sub("", label.rsplit(" | ", 1)[0]), self.role)
                if roles is None:
                    self.unlabelled += 1
                    roles = set()
                negated = {"negated" in r.lower() for r in roles}
                at_start = {"periodstart" in r.lower() for r in roles}
                at_end = {"periodend" in r.lower() for r in roles}
                if len(negated) > 1 or len(at_start) > 1:
                    if number in self.warned_rows:
                        continue
                    self.warned_rows.add(number)
                    self.warnings.append(f"{self.display} row {number} \"{label}\": the row's label is both a "
                                         f"negated and a plain label of {concept} (or both a start and another "
                                         f"balance), and no presentation linkbase says which the page shows: "
                                         f"its sign or date cannot be told; not read")
                    continue
                negative ^= True in negated
                at = "start" if True in at_start else "end" if at_end == {True} else ""
                if not at and period_type == "instant" and (col.months or col.days):
                    at = "end"   # a balance in a duration column: at the column's date
                unit, scale = self._unit(label, col, percent, data_type)
                if unit is None:
                    self.warnings.append(f"{where}: no unit (the column lists {', '.join(col.unit_texts)} and the "
                                         f"row does not say which); not read")
                    continue
                try:
                    value = checked_amount(Decimal(("-" if negative else "") + digits).scaleb(
                        scale - (2 if percent else 0)))
                except ValueError as exc:
                    self.warnings.append(f"{where}: {text!r} {exc}; not read")
                    continue
                decimals = places - scale + (2 if percent else 0)
                end, months, days, start = col.end, col.months, col.days, None
                if row_date is not None:
                    end, months, days = row_date, None, None
                elif end is None:
                    span = self._movement_span.get(number)
                    if span is None:
                        self.warnings.append(f"{where}: no date in the column or the row; not read")
                        continue
                    start, end = span
                dims = make_dimensions([*page_dims, *section, *column_dims[i]])
                if len({axis for axis, _ in dims}) != len(dims):
                    self.warnings.append(f"{where}: two members of one axis; not read")
                    continue
                source = Source(self.display, td.sourceline, None, None,
                                f"row {number} \"{label}\", column {i + 1} \"{col.heading}\"")
                self.cells.append(RCell(concept, end, months, days, start, unit, dims, value, decimals, source, at))

    def _label(self, tr) -> str:
        first = tr.find("td")
        return _text(first) if first is not None else ""

    def _section(self, found, label: str, number: int) -> list | None:
        """A member section's axis/member pairs: the first from its link, the rest by label."""
        if found is None or found[1] is None:
            return []
        pairs = [found[1]]
        parts = [p.strip() for p in label.split(" | ")]
        for text in parts[1:]:
            pair = self.names.resolve(text, [p for p in self.page_pairs if p not in pairs])
            if pair is None:
                return None
            pairs.append(pair)
        return pairs

    def _equity_periods(self, rows) -> None:
        """An equity statement dates its balance rows ("Beginning balances at Sep. 30, 2023"):
        the rows between two of them are movements of the period between."""
        self._movement_span: dict[int, tuple[date, date]] = {}
        balances = [(i, r[6], self._balance_kind(r[3], r[2])) for i, r in enumerate(rows) if r[6] is not None]
        last_span = None
        for k in range(len(balances) - 1):
            (i, opened, opens), (j, closed, closes) = balances[k], balances[k + 1]
            # an ending balance opens nothing, an opening one closes nothing (their label roles say)
            if opened < closed and opens != "end" and closes != "start":
                last_span = (opened, closed)
            if last_span is None:
                continue
            for r in rows[i + 1: j]:
                self._movement_span[r[0]] = last_span
        if balances and last_span is not None:
            for r in rows[balances[-1][0] + 1:]:
                self._movement_span[r[0]] = last_span

    def _balance_kind(self, concept: QName, label: str) -> str:
        roles = self.names.row_roles(concept, _DATE_AT_END.sub("", label), self.role) or set()
        starts = {"periodstart" in r.lower() for r in roles}
        ends = {"periodend" in r.lower() for r in roles}
        return "start" if starts == {True} else "end" if ends == {True} else ""

    def _unit(self, label: str, col: _Column, percent: bool, data_type: str) -> tuple[Unit | None, int]:
        """The unit and scale of a cell: the concept's data type (from the page's definition
        list) chooses among the units the column or page lists; the row's " | unit" suffix
        or "(in shares)" wording where the data type is not known."""
        texts = col.unit_texts or ([self.page_unit_text] if self.page_unit_text else [])
        suffix = label.rsplit(" | ", 1)[1] if " | " in label else None
        kind = {"percentItemType": "pure", "pureItemType": "pure", "sharesItemType": "shares",
                "perShareItemType": "per-share", "monetaryItemType": "money"}.get(data_type)
        if kind is None and data_type:
            kind = "other"
        if kind is None:
            if percent:
                kind = "pure"
            elif _SHARES_LABEL.search(label) or suffix == "shares" or texts == ["shares"]:
                kind = "shares"
            elif _PER_SHARE_LABEL.search(label) or (suffix or (texts[0] if len(texts) == 1 else "")).endswith(
                    "/ shares"):
                kind = "per-share"
            elif suffix is not None:
                kind = "money" if suffix in _SYMBOLS or _currency_code(suffix) else "other"
            else:
                kind = "money" if len(texts) == 1 and _currency_code(texts[0]) else "other" if texts else None
        if kind == "pure":
            return Unit.of([QName("xbrli", "pure")]), 0
        if kind == "shares":
            return Unit.of([QName("xbrli", "shares")]), self.scales.get("shares", 0)
        currencies = [t for t in texts if _currency_code(t)]
        if suffix and _currency_code(suffix):
            currencies = [suffix]
        elif suffix in _SYMBOLS:
            currencies = [t for t in currencies if _CURRENCY.match(t).group(2) == suffix] or \
                [f"{_SYMBOLS[suffix]} ({suffix})"]
        if kind == "per-share":
            per = [t for t in texts if t.endswith("/ shares")]
            symbol = per[0].split("/")[0].strip() if per else (
                _CURRENCY.match(currencies[0]).group(2) if len(currencies) == 1 else "$")
            code = next((_CURRENCY.match(t).group(1) for t in currencies if _CURRENCY.match(t).group(2) == symbol),
                        _SYMBOLS.get(symbol, "USD"))
            return Unit.of([QName("iso4217", code)], [QName("xbrli", "shares")]), self.scales.get(
                f"{symbol} / shares", 0)
        if kind == "money":
            if len(currencies) != 1:
                return None, 0
            m = _CURRENCY.match(currencies[0])
            return Unit.of([QName("iso4217", m.group(1))]), self.scales.get(m.group(2), 0)
        # a count, a ratio: the one unit listed that is neither money nor shares (Vendor), else pure
        others = [t for t in texts if not _looks_like_unit(t)]
        if suffix is not None and suffix not in _SYMBOLS and not _looks_like_unit(suffix):
            others = [suffix]
        if len(others) > 1:
            return None, 0
        if others and re.fullmatch(r"[A-Za-z][\w.-]*", others[0]):
            return Unit.of([QName(self.filer_prefix or "", others[0])]), self.scales.get(others[0], 0)
        return Unit.of([QName("xbrli", "pure")]), 0


def _definitions(root) -> dict[QName, tuple[str, str]]:
    """Concept -> (data type, period type) from the page's hidden definition list."""
    out = {}
    for table in root.iter("table"):
        ident = table.get("id") or ""
        if not ident.startswith("defref_") or "=" in ident:
            continue
        d = _DEFREF.match(ident)
        if not d:
            continue
        fields = {}
        for tr in table.iter("tr"):
            cells = tr.findall("td")
            if len(cells) == 2:
                fields[_text(cells[0]).rstrip(":")] = _text(cells[1])
        data_type = fields.get("Data Type", "").rpartition(":")[2]
        out[QName(d.group(1), d.group(2))] = (data_type, fields.get("Period Type", "").lower())
    return out


def _pair_of(defref_id: str) -> tuple[QName, Member] | None:
    d = _DEFREF.match(defref_id)
    if d and d.group(3):
        return QName(d.group(1), d.group(2)), _member(d.group(3))
    return None


def _int(text: str | None) -> int:
    try:
        return max(1, min(int(text or 1), 1000))
    except ValueError:
        return 1


def _looks_like_unit(text: str) -> bool:
    text = text.strip()
    return bool(_CURRENCY.match(text)) or text in ("shares", "pure") or bool(
        re.fullmatch(r"\S{1,4} / shares", text))


def _currency_code(text: str) -> str | None:
    m = _CURRENCY.match(text.strip())
    return m.group(1) if m else None


_SYMBOLS = {"$": "USD", "¥": "CNY", "€": "EUR", "£": "GBP", "₩": "KRW", "₹": "INR", "CHF": "CHF"}


def _number(text: str) -> tuple[bool, str, int, bool] | None:
    """(negative, digits with the decimal point, places shown, percent) of a displayed
    amount: ``$ 28,162``, ``$ (214)``, ``(4,542)``, ``37.00%``, ``-5``; None for anything else."""
    m = _NUMBER.fullmatch(text.replace("\u2212", "-").replace("\xa0", " ").strip())
    if not m or bool(m.group("open")) != bool(m.group("close")):
        return None
    digits = m.group("digits").replace(",", "")
    return bool(m.group("open") or m.group("minus")), digits, len(digits.partition(".")[2]), \
        bool(m.group("pct") or m.group("pct2"))


def _months_before(end_moment: datetime, months: int) -> datetime:
    year, month = divmod(end_moment.year * 12 + end_moment.month - 1 - months, 12)
    day = min(end_moment.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31,
                                30, 31, 31, 30, 31, 30, 31][month])
    return end_moment.replace(year=year, month=month + 1, day=day)


def settle_periods(cells: list[RCell], instants: set[date]) -> list[tuple[RCell, Period]]:
    """Each cell's period; a duration starts at the balance date nearest end-less-months."""
    out = []
    balance_moments = sorted(datetime.combine(d, datetime.min.time()) + timedelta(days=1) for d in instants)
    for cell in cells:
        end = datetime.combine(cell.end, datetime.min.time()) + timedelta(days=1)
        if cell.start_date is not None:
            start = datetime.combine(cell.start_date, datetime.min.time()) + timedelta(days=1)
            out.append((cell, Period.duration(start, end)))
            continue
        if cell.months is None and cell.days is None:
            out.append((cell, Period.instant(end)))
            continue
        guess = _months_before(end, cell.months) if cell.months is not None else end - timedelta(days=cell.days)
        near = [m for m in balance_moments if abs((m - guess).days) <= _SNAP_DAYS and m < end]
        start = min(near, key=lambda m: (abs((m - guess).days), m)) if near else guess
        if cell.at == "start":
            out.append((cell, Period.instant(start)))
        elif cell.at == "end":
            out.append((cell, Period.instant(end)))
        else:
            out.append((cell, Period.duration(start, end)))
    return out


def read_r_pages(pages: list[tuple[str, bytes, str]], metalinks: dict | None = None,
                 member_axes: dict | None = None, labels: dict | None = None,
                 preferred: dict | None = None) -> RPages:
    """Read ``(display name, bytes, network role)`` pages into facts, periods settled
    across all of them."""
    names = Names(metalinks, member_axes, labels, preferred)
    warnings: list[str] = []
    cells: list[RCell] = []
    instants: set[date] = set()
    numeric = 0
    entity = R_PAGE_ENTITY
    for display, data, role in pages:
        page = _Page(display, data, names, warnings, role)
        cells.extend(page.cells)
        instants |= page.instants
        numeric += page.numeric_cells
        if page.unlabelled:
            warnings.append(f"{display}: {page.unlabelled} cell{'s' if page.unlabelled != 1 else ''} in rows whose "
                            f"label no MetaLinks.json or label linkbase names: a negated label (shown with the "
                            f"sign reversed) cannot be told there, so their signs are read as shown")
        cik = _cik(data)
        if cik and entity is R_PAGE_ENTITY:
            entity = Entity("http://www.sec.gov/CIK", cik)
    facts = [Fact.of(c.concept, entity, period, c.unit, c.dims, c.value, c.decimals, c.source)
             for c, period in settle_periods(cells, instants)]
    return RPages(facts, numeric, [page[0] for page in pages], warnings)


def _cik(data: bytes) -> str | None:
    """The cover page's Central Index Key, the entity of every fact."""
    if b"EntityCentralIndexKey" not in data:
        return None
    m = re.search(rb"defref_dei_EntityCentralIndexKey'.*?</td>\s*<td[^>]*>\s*(\d{10})", data, re.S)
    return m.group(1).decode() if m else None


def read_metalinks(data: bytes, display: str) -> dict | None:
    """The first instance's part of ``MetaLinks.json`` (labels of the members), or None."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return None
    instances = document.get("instance") if isinstance(document, dict) else None
    if not isinstance(instances, dict) or not instances:
        return None
    first = next(iter(instances.values()))
    return first if isinstance(first, dict) else None


def filing_summary_pages(data: bytes) -> tuple[list[str] | None, dict[str, str]]:
    """The R pages ``FilingSummary.xml`` lists, in its order (None if it cannot be read),
    and each page's network role."""
    from .xmlsafe import DEFAULT_LIMITS, parse_bytes
    try:
        tree = parse_bytes(data, "FilingSummary.xml", DEFAULT_LIMITS)
    except InputError:
        return None, {}
    pages, roles = [], {}
    for report in tree.iter("Report"):
        name = (report.findtext("HtmlFileName") or "").strip()
        if name:
            pages.append(name)
            roles[name] = (report.findtext("Role") or "").strip()
    return pages, roles
