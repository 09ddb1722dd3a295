"""Contexts, units and QName resolution shared by the instance and inline loaders."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

from ..errors import InputError
from ..model import (
    XBRLDI_NS, XBRLI_NS, XSI_NS, Dimensions, Entity, Fact, Period, QName, Source, TypedMember,
    Unit, decimals_from_precision, make_dimensions, new_tuple, parse_amount, parse_decimals,
)

XI = "{%s}" % XBRLI_NS
XBRLDI = "{%s}" % XBRLDI_NS
XSI_NIL = "{%s}nil" % XSI_NS


@dataclass(frozen=True, slots=True)
class Context:
    entity: Entity
    period: Period
    dimensions: Dimensions


_INTERNED_LIMIT = 100_000   # names kept for reuse across the filings of a run; past it, start afresh
_resolved_qnames: dict[tuple[str, str, str], QName] = {}


def resolve_qname(text: str, element: etree._Element, where: str) -> QName:
    """Resolve a prefixed name in element content or an attribute against ``element``'s
    namespaces, interned: an inline fact names its concept this way, and a QName of its own
    per fact (with its strings) cost about 400 bytes a fact."""
    text = text.strip()
    prefix, sep, local = text.rpartition(":")
    namespace = element.nsmap.get(prefix if sep else None)
    if namespace is None:
        if sep:
            raise InputError(f"the prefix {prefix!r} of {text!r} is not declared",
                             f"{where}:{element.sourceline}")
        namespace = ""
    key = (namespace, local, prefix)
    found = _resolved_qnames.get(key)
    if found is None:
        if len(_resolved_qnames) >= _INTERNED_LIMIT:
            _resolved_qnames.clear()
        found = _resolved_qnames[key] = QName.of(namespace, local, prefix)
    return found


_element_qnames: dict[tuple[str, str | None], QName] = {}


def element_qname(element: etree._Element) -> QName:
    """The concept of a fact element, interned: thousands of facts share a few hundred concepts."""
    key = (element.tag, element.prefix)
    found = _element_qnames.get(key)
    if found is None:
        if len(_element_qnames) >= _INTERNED_LIMIT:
            _element_qnames.clear()
        tag = element.tag
        namespace, _, local = tag[1:].partition("}") if tag[0] == "{" else ("", "", tag)
        found = _element_qnames[key] = QName.of(namespace, local, element.prefix or "")
    return found


def _text(element: etree._Element | None) -> str | None:
    return element.text.strip() if element is not None and element.text is not None else None


def parse_context(element: etree._Element, where: str) -> Context:
    identifier = element.find(f"{XI}entity/{XI}identifier")
    if identifier is None:
        raise InputError(f"context {element.get('id')!r} has no entity identifier",
                         f"{where}:{element.sourceline}")
    entity = Entity(identifier.get("scheme", "").strip(), (identifier.text or "").strip())
    period_el = element.find(f"{XI}period")
    if period_el is None:
        raise InputError(f"context {element.get('id')!r} has no period", f"{where}:{element.sourceline}")
    try:
        if period_el.find(f"{XI}forever") is not None:
            period = Period.forever()
        else:
            instant = _text(period_el.find(f"{XI}instant"))
            period = Period.from_xbrl(instant=instant, start=_text(period_el.find(f"{XI}startDate")),
                                      end=_text(period_el.find(f"{XI}endDate")))
            if instant is None and period.is_forever:
                raise ValueError("no instant, no startDate/endDate")
    except ValueError as exc:
        raise InputError(f"context {element.get('id')!r} has an unreadable period: {exc}",
                         f"{where}:{period_el.sourceline}") from None
    pairs = []
    for container in (element.find(f"{XI}entity/{XI}segment"), element.find(f"{XI}scenario")):
        if container is None:
            continue
        for member in container:
            if not isinstance(member.tag, str):
                continue
            if member.tag == f"{XBRLDI}explicitMember":
                axis = resolve_qname(member.get("dimension", ""), member, where)
                pairs.append((axis, resolve_qname(member.text or "", member, where)))
            elif member.tag == f"{XBRLDI}typedMember":
                axis = resolve_qname(member.get("dimension", ""), member, where)
                pairs.append((axis, TypedMember(_typed_text(member))))
            else:
                # non-dimensional segment content (pre-2009 filings): keep it, so the
                # context is not confused with the plain one
                pairs.append((element_qname(member), TypedMember(_typed_text(member))))
    return Context(entity, period, make_dimensions(pairs))


def _typed_text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def parse_unit(element: etree._Element, where: str) -> Unit:
    divide = element.find(f"{XI}divide")

    def measures(parent) -> list[QName]:
        found = []
        for measure in parent.findall(f"{XI}measure"):
            if not (measure.text or "").strip():
                raise InputError(f"unit {element.get('id')!r} has an empty measure", f"{where}:{measure.sourceline}")
            found.append(resolve_qname(measure.text, measure, where))
        return found

    if divide is not None:
        num, den = divide.find(f"{XI}unitNumerator"), divide.find(f"{XI}unitDenominator")
        if num is None or den is None:
            raise InputError(f"unit {element.get('id')!r} has an incomplete divide",
                             f"{where}:{element.sourceline}")
        return Unit.of(measures(num), measures(den))
    found = measures(element)
    if not found:
        raise InputError(f"unit {element.get('id')!r} has no measure", f"{where}:{element.sourceline}")
    return Unit.of(found)


def register(table: dict, element: etree._Element, value, kind: str, where: str) -> None:
    """Keep a context or unit by its id. The same id twice with different content would
    silently move facts to another period or unit: refused (an identical repeat, as in
    some inline document sets, is harmless)."""
    key = element.get("id")
    if key in table and table[key] != value:
        raise InputError(f"defines {kind} {key!r} a second time, differently: its facts could belong to either",
                         f"{where}:{element.sourceline}")
    table[key] = value


_DECIMALS: dict[str, int | float] = {}  # a filing uses a handful of decimals values, thousands of times


def _fact_name(concept: QName, source: Source) -> str:
    return f"{concept}" + (f" id={source.element_id}" if source.element_id else "")


class FactBuilder:
    """Turns a fact's raw pieces into a ``Fact``, resolving its context and unit.

    Facts may appear before the contexts they use, so loaders collect raw facts and
    build them once every context and unit is known.
    """

    def __init__(self, contexts: dict[str, Context], units: dict[str, Unit]):
        self.contexts = contexts
        self.units = units
        self._context_ids: dict[str, str] = {}  # one string per context id, not one per fact

    def build(self, concept: QName, context_ref: str, unit_ref: str | None, raw_value: str | None,
              decimals: str | None, precision: str | None, source: Source, tuple_path: tuple = ()) -> Fact:
        context_ref = self._context_ids.setdefault(context_ref, context_ref)
        context = self.contexts.get(context_ref)
        if context is None:
            raise InputError(f"refers to context {context_ref!r}, which is not defined",
                             str(source), _fact_name(concept, source))
        unit = None
        value: Decimal | str | None = raw_value
        dec: int | float | None = None
        if unit_ref is not None:
            unit = self.units.get(unit_ref)
            if unit is None:
                raise InputError(f"refers to unit {unit_ref!r}, which is not defined",
                                 str(source), _fact_name(concept, source))
            if raw_value is not None:
                try:
                    value = parse_amount(raw_value)  # surrounding white space is allowed, as in XML Schema
                except ValueError as exc:
                    raise InputError(f"has the value {raw_value.strip()[:40]!r}, which {exc}",
                                     str(source), _fact_name(concept, source)) from None
            try:
                if decimals is not None:
                    dec = _DECIMALS.get(decimals)
                    if dec is None:
                        dec = _DECIMALS[decimals] = parse_decimals(decimals)
                elif precision is not None and isinstance(value, Decimal):
                    dec = decimals_from_precision(precision, value)
            except ValueError as exc:
                detail = str(exc) if "±" in str(exc) or "between" in str(exc) else "which are not integers or INF"
                raise InputError(f"has decimals={decimals!r} precision={precision!r}: {detail}", str(source),
                                 _fact_name(concept, source)) from None
        file, line, element_id, column, place = source
        return new_tuple(Fact, (concept, context.entity, context.period, unit, context.dimensions, value, dec,
                                 file, line, element_id, column, place, context_ref, tuple_path))
