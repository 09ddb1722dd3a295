"""Inline XBRL 1.1 (and 1.0) documents: one or several forming a document set.

Contexts and units come from every document's ``ix:header``; facts may sit anywhere,
including ``ix:hidden``. Numeric values are the displayed text run through the
transformation registry, then ``scale`` and ``sign``; non-numeric values follow
``continuedAt`` chains and leave out ``ix:exclude`` content.
"""

from __future__ import annotations

import re
from array import array
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Callable
from html import escape
from decimal import Decimal, InvalidOperation

from lxml import etree

from ..errors import InputError
from ..model import LINK_NS, MAX_MAGNITUDE, XBRLI_NS, XLINK_NS, Fact, Source, checked_amount
from . import transforms
from .xbrl_common import XSI_NIL, FactBuilder, parse_context, parse_unit, register, resolve_qname
from .xmlsafe import DEFAULT_LIMITS, ParseLimits, iterparse_bytes

IX_NAMESPACES = ("http://www.xbrl.org/2013/inlineXBRL", "http://www.xbrl.org/2008/inlineXBRL")
_HREF = "{%s}href" % XLINK_NS
_CONTEXT = "{%s}context" % XBRLI_NS
_UNIT = "{%s}unit" % XBRLI_NS
_SCHEMA_REF = "{%s}schemaRef" % LINK_NS


_FACT_TAG = re.compile(rb"<(?:[\w.-]+:)?(?:nonFraction|nonNumeric|fraction)\b[^>]*?\sid\s*=\s*[\"']([^\"']+)[\"']")


def fact_columns(data: bytes) -> dict[str, int]:
    """Each inline fact element's column (1-based, in characters) on its line, by its id:
    one pass over the document, counting characters incrementally (lines can be megabytes)."""
    columns: dict[str, int] = {}
    chars = 0    # characters counted on the current line so far
    counted = 0  # the byte offset they reach
    for match in _FACT_TAG.finditer(data):
        at = match.start()
        newline = data.rfind(b"\n", counted, at)
        if newline >= 0:
            chars, counted = 0, newline + 1
        chars += len(data[counted:at].decode("utf-8", errors="replace"))
        counted = at
        columns.setdefault(match.group(1).decode("utf-8", errors="replace"), chars + 1)
    return columns


@dataclass
class InlineSet:
    facts: list[Fact]
    schema_refs: list[tuple[str, str]] = field(default_factory=list)  # (document, href)
    warnings: list[str] = field(default_factory=list)


_FACT_TAGS = frozenset(f"{{{ns}}}{local}" for ns in IX_NAMESPACES for local in ("nonFraction", "nonNumeric",
                                                                                 "fraction"))
_CONTINUATIONS = frozenset(f"{{{ns}}}continuation" for ns in IX_NAMESPACES)
_STREAMED = _FACT_TAGS | _CONTINUATIONS | {_CONTEXT, _UNIT, _SCHEMA_REF}
_PRUNE_EVERY = 64   # finished elements, between two prunings of what lies before them


def load_inline_documents(documents: list[tuple[str, Callable[[], bytes]]],
                          limits: ParseLimits = DEFAULT_LIMITS) -> InlineSet:
    """Read an inline document set, streamed: libxml2 reports only the facts, continuations,
    contexts, units and schema references, each read when it ends, and what lies before
    them is dropped as the parse goes on (a parsed XHTML tree costs ten times the document
    and more). Kept to the end are only the ``ix:continuation`` elements and the facts
    continued elsewhere (read once every document is in). Facts come out in document
    order, whichever order their elements end in (a fact may hold facts)."""
    contexts, units, continuations = {}, {}, {}
    result = InlineSet([])
    builder = FactBuilder(contexts, units)
    built: list[Fact] = []
    positions = array("q")   # each built fact's place in document order (the same index in built)
    waiting: list[tuple[int, tuple]] = []   # facts met before their context or unit
    continued: list[tuple[int, str, str, object, dict]] = []   # nonNumeric facts with continuedAt
    keep: set = set()   # pinned elements and their ancestors: never dropped
    order = 0
    for name, read in documents:
        data = read()
        columns = fact_columns(data)
        facts_open: list[int] = []   # the document order of each fact element open around here
        inside = 0   # open facts, continuations, contexts and units: their content is still needed
        finished = 0
        for event, element in iterparse_bytes(data, name, limits, _STREAMED):
            tag = element.tag
            if event == "start":
                if tag in _FACT_TAGS:
                    order += 1
                    facts_open.append(order)
                    inside += 1
                elif tag != _SCHEMA_REF:
                    inside += 1
                continue
            if tag in _FACT_TAGS:
                inside -= 1
                position = facts_open.pop()
                ix = tag[:tag.index("}") + 1]
                if tag == f"{ix}nonNumeric" and element.get("continuedAt"):
                    continued.append((position, name, ix, element, columns))
                    _pin(element, keep)
                else:
                    raw = _raw_fact(name, ix, element, continuations, result.warnings, columns)
                    if raw[1] in contexts and (raw[2] is None or raw[2] in units):
                        built.append(builder.build(*raw))
                        positions.append(position)
                    else:
                        waiting.append((position, raw))
            elif tag in _CONTINUATIONS:
                inside -= 1
                continuations[element.get("id")] = element
                _pin(element, keep)
            elif tag == _CONTEXT:
                inside -= 1
                register(contexts, element, parse_context(element, name), "context", name)
            elif tag == _UNIT:
                inside -= 1
                register(units, element, parse_unit(element, name), "unit", name)
            else:
                result.schema_refs.append((name, element.get(_HREF, "")))
            if not inside and element not in keep:
                element.clear(keep_tail=True)
                finished += 1
                if finished % _PRUNE_EVERY == 0:
                    _prune(element, keep)
                    if len(built) + len(waiting) > limits.max_facts:
                        raise limits.too_many_facts(name)
        del data
    for position, name, ix, element, columns in continued:
        waiting.append((position, _raw_fact(name, ix, element, continuations, result.warnings, columns)))
    for position, raw in waiting:
        built.append(builder.build(*raw))
        positions.append(position)
    if any(positions[i] > positions[i + 1] for i in range(len(positions) - 1)):
        # a fact inside another ends first, and waiting facts come last: put them in document order
        built = [built[i] for i in sorted(range(len(built)), key=positions.__getitem__)]
    result.facts = built
    return result


def _pin(element, keep: set) -> None:
    """Keep ``element`` and its ancestors: it is read after its document ends."""
    while element is not None and element not in keep:
        keep.add(element)
        element = element.getparent()


def _prune(element, keep: set) -> None:
    """Drop everything before ``element`` in the document (it has all been read): at each
    level up to the root, the siblings before it, but for those kept."""
    node = element
    parent = node.getparent()
    while parent is not None:
        previous = node.getprevious()
        while previous is not None:
            before = previous.getprevious()
            if previous not in keep:
                parent.remove(previous)
            previous = before
        node, parent = parent, parent.getparent()


def _fact_label(element, concept) -> str:
    return f"{concept}" + (f" id={element.get('id')}" if element.get("id") else "")


def _raw_fact(name: str, ix: str, element, continuations, warnings, columns: dict) -> tuple:
    where = name
    concept = resolve_qname(element.get("name", ""), element, where)
    fact_id = element.get("id")
    # popped: a document's columns are all found before its facts are read, and each is wanted
    # once, so the table shrinks as the facts grow
    source = Source(name, element.sourceline, fact_id, columns.pop(fact_id, None) if fact_id else None)
    context_ref = element.get("contextRef")
    if context_ref is None:
        raise InputError("has no contextRef", str(source), _fact_label(element, concept))
    nil = element.get(XSI_NIL) in ("true", "1")
    tag = element.tag[len(ix):]
    if tag == "nonNumeric":
        value = None if nil else _text_value(element, ix, continuations, source, concept, warnings)
        return (concept, context_ref, None, value, None, None, source)
    unit_ref = element.get("unitRef")
    if unit_ref is None:
        raise InputError(f"ix:{tag} has no unitRef", str(source), _fact_label(element, concept))
    if nil:
        value = None
    elif tag == "fraction":
        value = _fraction_value(element, ix, source, concept)
    else:
        value = _numeric_value(element, source, concept)
    return (concept, context_ref, unit_ref, value, element.get("decimals"), element.get("precision"),
            source)


def _numeric_value(element, source: Source, concept) -> str:
    displayed = "".join(element.itertext())
    fmt = element.get("format")
    try:
        if fmt:
            local, registry = transforms.format_local_name(fmt, element.nsmap)
            transform = transforms.NUMERIC.get(local) if registry else None
            if transform is None:
                raise InputError(f"uses the format {fmt!r}, which is not a numeric format of the "
                                 f"inline XBRL transformation registry", str(source),
                                 _fact_label(element, concept))
            text = transform(displayed)
        else:
            text = displayed.strip()
        value = Decimal(text)
        if not value.is_finite() or value < 0:
            raise InvalidOperation
    except (transforms.TransformError, InvalidOperation, ValueError) as exc:
        detail = str(exc) if isinstance(exc, transforms.TransformError) else \
            f"{displayed.strip()[:40]!r} is not a non-negative number"
        raise InputError(f"cannot read the displayed value: {detail}", str(source),
                         _fact_label(element, concept)) from None
    scale = element.get("scale")
    if scale:
        try:
            power = int(scale)
            if abs(power) > MAX_MAGNITUDE:
                raise ValueError
            value = value.scaleb(power)
        except ValueError:
            raise InputError(f"has scale={scale!r}, which is not an integer between -{MAX_MAGNITUDE} and "
                             f"{MAX_MAGNITUDE}", str(source), _fact_label(element, concept)) from None
    try:
        value = checked_amount(value)
    except ValueError as exc:
        raise InputError(f"has the value {displayed.strip()[:40]!r} (scale {scale or 0}), which {exc}",
                         str(source), _fact_label(element, concept)) from None
    if element.get("sign") == "-":
        value = -value
    return str(value)


def _fraction_value(element, ix: str, source: Source, concept) -> str:
    try:
        num = Decimal("".join(element.find(f"{ix}numerator").itertext()).strip())
        den = Decimal("".join(element.find(f"{ix}denominator").itertext()).strip())
        value = num / den
    except (AttributeError, InvalidOperation, ZeroDivisionError):
        raise InputError("ix:fraction needs a numeric numerator and a non-zero denominator",
                         str(source), _fact_label(element, concept)) from None
    return str(-value if element.get("sign") == "-" else value)


def _text_value(element, ix: str, continuations, source: Source, concept, warnings) -> str:
    parts: list[str] = []
    collect = _collect_markup if element.get("escape") in ("true", "1") else _collect_text
    collect(element, ix, parts)
    seen = set()
    next_id = element.get("continuedAt")
    while next_id:
        if next_id in seen:
            raise InputError(f"has a continuation cycle through {next_id!r}", str(source),
                             _fact_label(element, concept))
        seen.add(next_id)
        cont = continuations.get(next_id)
        if cont is None:
            raise InputError(f"continues at {next_id!r}, which is not an ix:continuation", str(source),
                             _fact_label(element, concept))
        collect(cont, ix, parts)
        next_id = cont.get("continuedAt")
    text = "".join(parts)
    fmt = element.get("format")
    if not fmt:
        return text
    local, registry = transforms.format_local_name(fmt, element.nsmap)
    transform = transforms.TEXT.get(local) or transforms.NUMERIC.get(local) if registry else None
    if transform is None:
        warnings.append(f"{source}: the format {fmt!r} is not known; the displayed text of "
                        f"{_fact_label(element, concept)} is kept")
        return " ".join(text.split())
    try:
        return transform(text)
    except transforms.TransformError as exc:
        # a text fact is not arithmetic: keep what is displayed, and say so
        warnings.append(f"{source}: {exc}; the displayed text of {_fact_label(element, concept)} "
                        f"is kept")
        return " ".join(text.split())


def _collect_text(element, ix: str, parts: list[str]) -> None:
    """Text of ``element`` without ``ix:exclude`` subtrees (their tails still count)."""
    if element.text:
        parts.append(element.text)
    for child in element:
        if isinstance(child.tag, str) and child.tag != f"{ix}exclude":
            _collect_text(child, ix, parts)
        if child.tail:
            parts.append(child.tail)


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr"}
_XMLNS = re.compile(r'\s+xmlns(:[\w.-]+)?="[^"]*"')


def _collect_markup(element, ix: str, parts: list[str]) -> None:
    """The content of an ``escape="true"`` fact as markup, as the XBRL value is defined.

    Nested ix elements are unwrapped to their content and ``ix:exclude`` is dropped;
    namespace declarations are left out, as SEC-extracted instances do.
    """
    copy = deepcopy(element)
    for excluded in copy.iter(f"{ix}exclude"):
        excluded.getparent().remove(excluded) if excluded.tail is None else _drop_keep_tail(excluded)
    etree.strip_tags(copy, f"{ix}*")
    for node in copy.iter():
        if node.text is None and not len(node) and isinstance(node.tag, str) \
                and etree.QName(node).localname not in _VOID:
            node.text = ""  # <td></td>, not <td/>: HTML readers take <td/> as an open tag
    if copy.text:
        parts.append(escape(copy.text, quote=False))
    for child in copy:
        parts.append(_XMLNS.sub("", etree.tostring(child, encoding="unicode", with_tail=False)))
        if child.tail:
            parts.append(escape(child.tail, quote=False))


def _drop_keep_tail(element) -> None:
    parent, tail = element.getparent(), element.tail
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)
