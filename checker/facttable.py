"""The plain facts table: one row per fact, all text.

``discheck facts`` writes it (CSV or JSON) and the table loader reads it back, so a
pipeline that is not XBRL can hand checker its numbers in the same shape, and a
dump of extracted facts can be edited and checked again.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Iterator

from .model import (
    Entity, Fact, Period, QName, Source, Unit, decimals_text, dimensions_text, parse_decimals,
    parse_amount, parse_dimensions, value_text,
)

COLUMNS = ("concept", "value", "unit", "period", "decimals", "dimensions", "entity", "nil", "id",
           "source")
REQUIRED = ("concept", "value", "period")
DEFAULT_ENTITY = Entity("http://checker.invalid/entity", "unspecified")


def fact_rows(facts) -> Iterator[dict[str, str]]:
    """Each fact as a row of text, in ``COLUMNS``; each period, unit, dimension set and
    entity written out once (a filing repeats a few hundred of them over all its facts: the
    text is most of a row's cost)."""
    texts: dict = {}
    for fact in facts:
        yield {
            "concept": str(fact.concept),
            "value": value_text(fact.value),
            "unit": _text(texts, fact.unit, "unit"),
            "period": _text(texts, fact.period, "period"),
            "decimals": decimals_text(fact.decimals),
            "dimensions": _text(texts, fact.dimensions, "dimensions"),
            "entity": _text(texts, fact.entity, "entity"),
            "nil": "true" if fact.is_nil else "false",
            "id": fact.element_id or "",
            "source": str(fact.source),
        }


def _text(texts: dict, aspect, kind: str) -> str:
    key = (kind, aspect)   # keyed by value: facts streamed past may free an aspect, never mix one up
    found = texts.get(key)
    if found is None:
        if kind == "dimensions":
            found = dimensions_text(aspect)
        else:
            found = str(aspect) if aspect else ""
        texts[key] = found
    return found


# a table repeats a few hundred concepts, periods, units, dimension sets and entities over all
# its rows: each text is read once and its (immutable) value shared by every row that has it
_shared = lru_cache(maxsize=16384)
_period = _shared(Period.parse)
_unit = _shared(Unit.parse)
_dimensions = _shared(parse_dimensions)
_entity = _shared(Entity.parse)


@_shared
def _concept(text: str) -> QName:
    prefix, sep, local = text.partition(":")
    if not sep or not prefix or not local:
        raise ValueError(f"concept {text!r} is not a prefixed name such as us-gaap:Assets")
    return QName(prefix, local)


def row_to_fact(row: dict, source: Source) -> Fact:
    """Build a fact from a table row; raises ValueError with a message naming the column."""
    def cell(name: str) -> str:
        value = row.get(name)
        return "" if value is None else str(value).strip()

    concept = _concept(cell("concept"))
    try:
        period = _period(cell("period"))
    except ValueError as exc:
        detail = str(exc) if "beyond" in str(exc) or "before it starts" in str(exc) else \
            "is not YYYY-MM-DD, YYYY-MM-DD..YYYY-MM-DD or forever"
        raise ValueError(f"period {cell('period')[:40]!r}: {detail}") from None
    unit = _unit(cell("unit")) if cell("unit") else None
    dims = _dimensions(cell("dimensions")) if cell("dimensions") else ()
    entity = _entity(cell("entity")) if cell("entity") else DEFAULT_ENTITY
    nil = cell("nil").lower() in ("true", "1", "yes")
    value: Decimal | str | None
    if nil:
        value = None
    elif unit is not None:
        try:
            value = parse_amount(cell("value").replace(",", ""))
        except ValueError as exc:
            raise ValueError(f"value {cell('value')[:40]!r} of a fact with a unit {exc}") from None
    else:
        value = "" if row.get("value") is None else str(row.get("value"))
    try:
        decimals = parse_decimals(cell("decimals")) if cell("decimals") else None
    except ValueError:
        raise ValueError(f"decimals {cell('decimals')[:40]!r} is not an integer within ±1000 or INF") from None
    element_id = cell("id") or None
    return Fact.of(concept, entity, period, unit, dims, value, decimals,
                Source(source.file, source.line, element_id), "")
