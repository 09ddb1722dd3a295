"""xBRL-JSON (the OIM JSON form of an XBRL report).

OIM periods are moments already: the instant written ``2024-01-01T00:00:00`` is the
XBRL date 2023-12-31, and a bare date in OIM means the *start* of that day, unlike
XBRL 2.1 where a bare date ends the day. Both map straight onto the fact model.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal

from ..errors import InputError
from ..model import Entity, Fact, Period, QName, Source, TypedMember, Unit, make_dimensions, parse_amount, \
    parse_decimals

_CORE = {"concept", "entity", "period", "unit", "language", "noteId"}
_QNAME = re.compile(r"^([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)$")


def is_oim(document) -> bool:
    return isinstance(document, dict) and isinstance(document.get("documentInfo"), dict) \
        and "facts" in document


def _moment(text: str) -> datetime:
    text = text.strip()
    if "T" in text:
        body = re.sub(r"(Z|[+-]\d\d:\d\d)$", "", text)
        if body.endswith("T24:00:00"):
            from datetime import timedelta
            return datetime.fromisoformat(body[:-9]) + timedelta(days=1)
        return datetime.fromisoformat(body)
    return datetime.combine(date.fromisoformat(text), datetime.min.time())


def _period(text: str | None) -> Period:
    if text is None:
        return Period.forever()
    try:
        if "/" in text:
            start, _, end = text.partition("/")
            return Period.duration(_moment(start), _moment(end))
        return Period.instant(_moment(text))
    except OverflowError:
        raise ValueError("beyond the dates checker reads") from None


def _text(value, what: str, fact_id, where: str) -> str:
    """A field xBRL-JSON defines as a string: anything else is refused, naming the fact."""
    if not isinstance(value, str):
        raise InputError(f"fact {str(fact_id)[:60]!r} has a {what} that is not a string ({str(value)[:40]!r})", where)
    return value


def load_oim(document: dict, data: bytes, name: str) -> list[Fact]:
    info = document.get("documentInfo")
    namespaces = info.get("namespaces") if isinstance(info, dict) else None
    namespaces = namespaces or {}
    if not isinstance(namespaces, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                   for k, v in namespaces.items()):
        raise InputError("documentInfo.namespaces must map prefixes to namespace names (strings)", name)

    # a report repeats a few hundred names, entities, periods, units and dimension sets over
    # all its facts: each is built once and shared (a QName is some 250 bytes)
    names: dict[str, QName] = {}
    shared: dict = {}

    def qname(text, what: str, where: str) -> QName:
        text = _text(text, what, fact_id, where)
        found = names.get(text)
        if found is not None:
            return found
        m = _QNAME.match(text.strip())
        if not m or m.group(1) not in namespaces:
            raise InputError(f"{what} {text!r} is not a QName with a prefix declared in "
                             f"documentInfo.namespaces", where)
        found = names[text] = QName.of(namespaces[m.group(1)], m.group(2), m.group(1))
        return found

    lines = _fact_lines(data)
    facts = []
    raw_facts = document["facts"]
    if not isinstance(raw_facts, dict):
        raise InputError("'facts' must be an object keyed by fact id", name)
    for fact_id, body in raw_facts.items():
        where = f"{name}:{lines.get(fact_id)}" if fact_id in lines else name
        if not isinstance(body, dict) or not isinstance(body.get("dimensions"), dict):
            raise InputError(f"fact {fact_id!r} has no 'dimensions' object", where)
        dims = body["dimensions"]
        if "concept" not in dims:
            raise InputError(f"fact {fact_id!r} has no concept", where)
        concept = qname(dims["concept"], "concept", where)
        entity_text = _text(dims.get("entity", ""), "entity", fact_id, where)
        prefix, _, ident = entity_text.partition(":")
        entity = Entity(namespaces.get(prefix, prefix), ident)
        try:
            period = _period(None if dims.get("period") is None else _text(dims["period"], "period", fact_id, where))
        except ValueError:
            raise InputError(f"fact {fact_id!r} has an unreadable period {dims.get('period')!r}",
                             where) from None
        decimals_raw = body.get("decimals")
        unit_text = dims.get("unit")
        unit = None
        if unit_text is not None:
            if not _text(unit_text, "unit", fact_id, where).strip():
                raise InputError(f"fact {str(fact_id)[:60]!r} has an empty unit", where)
            unit = _unit(unit_text, qname, where)
        elif decimals_raw is not None:
            unit = Unit.of([QName.of("http://www.xbrl.org/2003/instance", "pure", "xbrli")])
        pairs = []
        for key, member in dims.items():
            if key in _CORE:
                continue
            axis = qname(key, "dimension", where)
            if isinstance(member, str) and _QNAME.match(member) and member.split(":")[0] in namespaces:
                pairs.append((axis, qname(member, "member", where)))
            elif member is None or isinstance(member, str):
                pairs.append((axis, TypedMember("" if member is None else member)))
            else:
                raise InputError(f"fact {str(fact_id)[:60]!r} has a value of dimension {key[:60]!r} that is not a "
                                 f"string ({str(member)[:40]!r})", where)
        raw_value = body.get("value")
        value: Decimal | str | None
        if raw_value is None:
            value = None
        elif unit is not None:
            if isinstance(raw_value, (dict, list, bool)):
                raise InputError(f"fact {str(fact_id)[:60]!r} has a value that is not a number", where)
            try:
                value = parse_amount(str(raw_value))
            except ValueError as exc:
                raise InputError(f"fact {fact_id!r} has the value {str(raw_value)[:40]!r}, which {exc}",
                                 where) from None
        else:
            value = raw_value if isinstance(raw_value, str) else json.dumps(raw_value)
        try:
            if isinstance(decimals_raw, (dict, list, bool, float)):
                raise ValueError
            decimals = parse_decimals(str(decimals_raw)) if decimals_raw is not None else None
        except ValueError:
            raise InputError(f"fact {fact_id!r} has decimals {str(decimals_raw)[:40]!r}, which is not an integer "
                             f"within ±1000 or INF", where) from None
        entity = shared.setdefault(("entity", entity), entity)
        period = shared.setdefault(("period", period), period)
        unit = shared.setdefault(("unit", unit), unit)
        dimensions = shared.get(("dimensions", *pairs))
        if dimensions is None:
            dimensions = shared[("dimensions", *pairs)] = make_dimensions(pairs)
        facts.append(Fact.of(concept, entity, period, unit, dimensions, value, decimals,
                             Source(name, lines.get(fact_id), fact_id), ""))
    return facts


def _unit(text: str, qname, where: str) -> Unit:
    num, _, den = text.partition("/")

    def measures(part: str) -> list[QName]:
        part = part.strip().strip("()")
        return [qname(m, "measure", where) for m in part.split("*") if m.strip()]

    return Unit.of(measures(num), measures(den) if den else [])


_FACT_KEY = re.compile(rb'^\s*"((?:[^"\\]|\\.)*)"\s*:\s*\{', re.MULTILINE)


def _fact_lines(data: bytes) -> dict[str, int]:
    """Line where each fact id first opens an object: the source line of that fact."""
    lines: dict[str, int] = {}
    line = 1
    last = 0
    for m in _FACT_KEY.finditer(data):
        line += data.count(b"\n", last, m.start())
        last = m.start()
        key = m.group(1).decode("utf-8", "replace")
        lines.setdefault(key, line + m.group(0)[: m.group(0).find(b'"')].count(b"\n"))
    return lines
