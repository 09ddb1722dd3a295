"""XBRL 2.1 instance documents, streamed: each top-level element is read and dropped."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import IO

from ..errors import InputError
from ..model import LINK_NS, XBRLI_NS, XLINK_NS, Fact, Source, new_tuple
from .xbrl_common import XSI_NIL, FactBuilder, element_qname, parse_context, parse_unit, register
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
    """Stream the instance: each top-level element is read, then dropped (measured: parsing
    whole trees instead is slower and takes twice the memory)."""
    reader = _Reader(name)
    facts = reader.facts
    root = None
    done = 0
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
        reader.top_level(element)
        done += 1
        if done == 4096:
            # drop what has been read, in batches, so memory stays flat on huge instances; only
            # the elements handled so far: lxml parses ahead, and later ones may already be children
            del root[:done]
            done = 0
            if len(facts) > limits.max_facts:
                raise limits.too_many_facts(name)
    if root is None:
        raise InputError("holds no XML element", name)
    if root.tag != _ROOT:
        raise InputError(f"is XML but not an XBRL instance (its root element is {root.tag!r})", name)
    if len(facts) > limits.max_facts:
        raise limits.too_many_facts(name)
    return reader.finish()


class _Reader:
    """Reads the top-level elements of an instance, whole or streamed, in document order."""

    def __init__(self, name: str):
        self.name = name
        self.contexts: dict = {}
        self.units: dict = {}
        self.builder = FactBuilder(self.contexts, self.units)
        self.facts: list = []
        self.deferred: list[tuple] = []  # facts met before their context or unit: built at the end
        self.doc = InstanceDocument([])

    def top_level(self, element) -> None:
        context_ref = element.get("contextRef")
        if context_ref is not None:  # an item: nearly every element, so it is tested first
            self.item(element, context_ref, ())
            return
        tag = element.tag
        if tag == _CONTEXT:
            register(self.contexts, element, parse_context(element, self.name), "context", self.name)
        elif tag == _UNIT:
            register(self.units, element, parse_unit(element, self.name), "unit", self.name)
        elif tag == _SCHEMA_REF:
            self.doc.schema_refs.append(element.get(_HREF, ""))
        elif tag == _LINKBASE_REF:
            self.doc.linkbase_refs.append((element.get(_HREF, ""), element.get(_ROLE)))
        elif isinstance(tag, str) and tag not in _SKIPPED:
            self.tuple_items(element, ())

    def tuple_items(self, element, path: tuple[int, ...]) -> None:
        """The items inside a tuple (tuples have no contextRef), each scoped by its tuples."""
        inner = path + (next(_tuple_ids),)
        for child in element:
            if isinstance(child.tag, str):
                context_ref = child.get("contextRef")
                if context_ref is None:
                    self.tuple_items(child, inner)
                else:
                    self.item(child, context_ref, inner)

    def item(self, element, context_ref: str, path: tuple) -> None:
        """One item, built at once when its context and unit are known (the hot path of a
        large instance: one call per fact), else at the end."""
        get = element.get
        concept = element_qname(element)
        if get(XSI_NIL) in ("true", "1"):
            value = None
        elif len(element):
            value = "".join(element.itertext())
        else:
            value = element.text or ""
        unit_ref = get("unitRef")
        item = (concept, context_ref, unit_ref, value, get("decimals"), get("precision"),
                new_tuple(Source, (self.name, element.sourceline, get("id"), None, None)), path)
        if context_ref in self.contexts and (unit_ref is None or unit_ref in self.units):
            self.facts.append(self.builder.build(*item))
        else:
            self.deferred.append((len(self.facts), item))
            self.facts.append(None)

    def finish(self) -> InstanceDocument:
        for position, item in self.deferred:
            self.facts[position] = self.builder.build(*item)
        self.doc.facts = self.facts
        return self.doc


_tuple_ids = itertools.count(1)  # each tuple in document order gets a scope of its own
