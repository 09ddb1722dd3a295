"""XBRL 2.1 instance documents, streamed: each top-level element is read and dropped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from ..errors import InputError
from ..model import LINK_NS, XBRLI_NS, XLINK_NS, Fact, Source
from .xbrl_common import XSI_NIL, FactBuilder, element_qname, parse_context, parse_unit
from .xmlsafe import DEFAULT_LIMITS, ParseLimits, iterparse

_CONTEXT = "{%s}context" % XBRLI_NS
_UNIT = "{%s}unit" % XBRLI_NS
_ROOT = "{%s}xbrl" % XBRLI_NS
_SCHEMA_REF = "{%s}schemaRef" % LINK_NS
_LINKBASE_REF = "{%s}linkbaseRef" % LINK_NS
_HREF = "{%s}href" % XLINK_NS
_ROLE = "{%s}role" % XLINK_NS
_SKIPPED = {"{%s}roleRef" % LINK_NS, "{%s}arcroleRef" % LINK_NS, "{%s}footnoteLink" % LINK_NS}


@dataclass
class InstanceDocument:
    facts: list[Fact]
    schema_refs: list[str] = field(default_factory=list)
    linkbase_refs: list[tuple[str, str | None]] = field(default_factory=list)


def load_instance(stream: IO[bytes], size: int, name: str,
                  limits: ParseLimits = DEFAULT_LIMITS) -> InstanceDocument:
    contexts, units = {}, {}
    raw: list[tuple] = []
    doc = InstanceDocument([])
    root = None
    for element in iterparse(stream, size, name, limits):
        parent = element.getparent()
        if parent is None:  # the root ends last
            root = element
            break
        if root is None:
            root = element.getroottree().getroot()
            if root.tag != _ROOT:
                raise InputError(f"is XML but not an XBRL instance (its root element is "
                                 f"{root.tag!r})", name)
        if parent is not root:
            continue
        tag = element.tag
        if tag == _CONTEXT:
            contexts[element.get("id")] = parse_context(element, name)
        elif tag == _UNIT:
            units[element.get("id")] = parse_unit(element, name)
        elif tag == _SCHEMA_REF:
            doc.schema_refs.append(element.get(_HREF, ""))
        elif tag == _LINKBASE_REF:
            doc.linkbase_refs.append((element.get(_HREF, ""), element.get(_ROLE)))
        elif isinstance(tag, str) and tag not in _SKIPPED:
            _collect(element, name, raw)
        element.clear(keep_tail=False)
        while element.getprevious() is not None:
            del root[0]
    if root is None:
        raise InputError("holds no XML element", name)
    if root.tag != _ROOT:
        raise InputError(f"is XML but not an XBRL instance (its root element is {root.tag!r})", name)
    builder = FactBuilder(contexts, units)
    doc.facts = [builder.build(*item) for item in raw]
    return doc


def _collect(element, name: str, raw: list[tuple], path: tuple[int, ...] = (), counter=None) -> None:
    """Record an item, or the items inside a tuple (tuples have no contextRef)."""
    context_ref = element.get("contextRef")
    if context_ref is None:
        counter = counter if counter is not None else _TupleCounter()
        inner = path + (counter.next(),)
        for child in element:
            if isinstance(child.tag, str):
                _collect(child, name, raw, inner, counter)
        return
    nil = element.get(XSI_NIL) in ("true", "1")
    if nil:
        value = None
    elif len(element):
        value = "".join(element.itertext())
    else:
        value = element.text or ""
    raw.append((element_qname(element), context_ref, element.get("unitRef"), value,
                element.get("decimals"), element.get("precision"),
                Source(name, element.sourceline, element.get("id")), path))


class _TupleCounter:
    """Numbers tuples in document order, so each one has its own scope."""

    value = 0

    def next(self) -> int:
        _TupleCounter.value += 1
        return _TupleCounter.value
