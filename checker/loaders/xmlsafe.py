"""Hardened XML parsing shared by every loader.

Filings come from outside, so no entity is expanded, no DTD or external resource is
loaded and nothing reaches the network. A document that declares entities (the
billion-laughs and XXE shapes) is refused before libxml2 sees it, and documents
larger or deeper than the limits are refused too; the limits can be raised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import IO, Iterator

from lxml import etree

from ..errors import InputError

DEFAULT_MAX_BYTES = 1 << 30  # 1 GiB per document
DEFAULT_MAX_DEPTH = 256
# facts in one filing: the largest real ones hold tens of thousands; a dense generated 1 GiB
# instance holds ten million, some 5 GB of facts and index. The ceiling bounds what one input
# can cost (check: about 2.5 GiB at it, measured on a generated instance) and can be raised
DEFAULT_MAX_FACTS = 5_000_000
MAX_DEPTH_LIMIT = 2048  # libxml2's own bound with huge_tree on: a higher --max-xml-depth could not be honoured


@dataclass(frozen=True)
class ParseLimits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH
    max_facts: int = DEFAULT_MAX_FACTS

    def too_many_facts(self, where: str) -> InputError:
        return InputError(f"holds more than {self.max_facts:,} facts (raise the limit with --max-facts)", where)


DEFAULT_LIMITS = ParseLimits()

_PROLOG_LIMIT = 64 * 1024
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def _parser_options(limits: ParseLimits) -> dict:
    return dict(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        # libxml2's own depth and text-node limits stay on unless the user raised ours
        huge_tree=limits.max_depth > DEFAULT_MAX_DEPTH or limits.max_bytes > DEFAULT_MAX_BYTES,
        remove_comments=False,
    )


_ENTITIES_REFUSED = "declares XML entities in a DOCTYPE; refusing to read it (entity expansion is never performed)"


def check_prolog(head: bytes, name: str) -> None:
    """Refuse a document whose DOCTYPE declares entities (entity bombs, XXE), before
    libxml2 sees it: the fast path, for a DOCTYPE within the first 64 KiB."""
    doctype = _DOCTYPE.search(head)
    if doctype and _ENTITY_DECL.search(head, doctype.start()):
        raise InputError(_ENTITIES_REFUSED, name)


def check_declared_entities(tree: etree._ElementTree, name: str) -> None:
    """The same refusal for a DOCTYPE placed after a long comment: libxml2 has read the
    declarations (never expanding them, ``resolve_entities`` is off), so ask it."""
    dtd = tree.docinfo.internalDTD
    if dtd is not None and next(iter(dtd.iterentities()), None) is not None:
        raise InputError(_ENTITIES_REFUSED, name)


def strip_leading_space(data: bytes) -> bytes:
    """Some filing tools put blank lines before the XML declaration, which libxml2 refuses.

    The white space is moved after the declaration rather than dropped, so every
    line number libxml2 reports still matches the file.
    """
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if body[:1].isspace():
        stripped = body.lstrip()
        if stripped.startswith(b"<?xml"):
            end = stripped.find(b"?>")
            if end > 0:
                leading = body[: len(body) - len(stripped)]
                return stripped[: end + 2] + leading + stripped[end + 2:]
    return data


def _check_size(size: int, name: str, limits: ParseLimits) -> None:
    if size == 0:
        raise InputError("is empty", name)
    if size > limits.max_bytes:
        raise InputError(f"is {size:,} bytes, over the limit of {limits.max_bytes:,} "
                         f"(raise it with --max-xml-bytes)", name)


def _looks_truncated(tail: bytes) -> bool:
    """A well-formed document ends with its root's end tag (then perhaps comments, space)."""
    return not tail.rstrip().endswith(b">")


def _too_deep(depth: int) -> str:
    hint = " (raise the limit with --max-xml-depth)" if depth < MAX_DEPTH_LIMIT else ""
    return f"nests elements deeper than {depth} levels{hint}"


def syntax_error(exc: etree.XMLSyntaxError, name: str, tail: bytes = b">",
                 limits: ParseLimits = DEFAULT_LIMITS) -> InputError:
    line = exc.lineno or (exc.position[0] if exc.position else None)
    message = exc.msg if hasattr(exc, "msg") and exc.msg else str(exc)
    message = re.sub(r",? line \d+, column \d+$", "", message)
    if _looks_truncated(tail):
        message = f"ends before the document is complete (truncated?): {message}"
    elif "Premature end of data" in message or "EndTag" in message or "end of document" in message:
        message = f"is not well-formed XML (truncated?): {message}"
    elif "Excessive depth" in message or "Maximum depth" in message:
        # libxml2 stopped at its own bound: 256 levels, or 2048 once a raised limit turned huge_tree on
        bound = MAX_DEPTH_LIMIT if _parser_options(limits)["huge_tree"] else DEFAULT_MAX_DEPTH
        message = _too_deep(min(bound, limits.max_depth))
    else:
        message = f"is not well-formed XML: {message}"
    return InputError(message, f"{name}:{line}" if line else name)


def parse_bytes(data: bytes, name: str, limits: ParseLimits = DEFAULT_LIMITS) -> etree._ElementTree:
    """Parse a whole document held in memory (inline XBRL, linkbases, schemas)."""
    _check_size(len(data), name, limits)
    data = strip_leading_space(data)
    check_prolog(data[:_PROLOG_LIMIT], name)
    parser = etree.XMLParser(**_parser_options(limits))
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc, name, data[-256:], limits) from None
    if root is None:
        raise InputError("holds no XML element", name)
    tree = root.getroottree()
    check_declared_entities(tree, name)
    _check_depth(root, name, limits)
    return tree


def _check_depth(root: etree._Element, name: str, limits: ParseLimits) -> None:
    if limits.max_depth == DEFAULT_MAX_DEPTH and not _parser_options(limits)["huge_tree"]:
        return  # libxml2 already enforced its own depth limit of 256
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > limits.max_depth:
            raise InputError(_too_deep(limits.max_depth),
                             f"{name}:{element.sourceline}")
        stack.extend((child, depth + 1) for child in element)


def iterparse(stream: IO[bytes], size: int, name: str,
              limits: ParseLimits = DEFAULT_LIMITS) -> Iterator[etree._Element]:
    """Stream each element as it ends, for large instances, with the same protections.

    The caller clears elements it has finished with. At the default depth limit
    libxml2 enforces it; a limit the user changed is tracked here (it costs a
    start event per element).
    """
    _check_size(size, name, limits)
    original = stream
    head = stream.read(_PROLOG_LIMIT)
    fixed = strip_leading_space(head)
    check_prolog(fixed, name)
    if len(fixed) != len(head) and len(head) == _PROLOG_LIMIT:
        # whitespace before the declaration in a big file: read the rest and reuse the bytes path
        fixed += stream.read()
        from io import BytesIO
        stream = BytesIO(fixed)
    else:
        from io import BytesIO
        stream = _Chain(BytesIO(fixed), stream)
    options = _parser_options(limits)
    options.pop("remove_comments")
    track_depth = limits.max_depth != DEFAULT_MAX_DEPTH
    context = etree.iterparse(stream, events=("start", "end") if track_depth else ("end",), **options)
    if not track_depth:
        yield from _ends(context, name, original, limits)  # libxml2 enforces the default depth itself
        return
    for event, element in _counted(context, name, limits, lambda: _tail_of(original)):
        if event == "end":
            yield element


def iterparse_bytes(data: bytes, name: str, limits: ParseLimits = DEFAULT_LIMITS,
                    tags: frozenset[str] | None = None) -> Iterator[tuple[str, etree._Element]]:
    """``("start" | "end", element)`` for the elements of a document held in memory whose
    tag is in ``tags`` (all when None), with ``parse_bytes``' protections, for readers that
    drop what they have read (inline XBRL: its tree costs many times the document). The
    tree is still built whole as it is parsed; libxml2 filters the events."""
    _check_size(len(data), name, limits)
    data = strip_leading_space(data)
    check_prolog(data[:_PROLOG_LIMIT], name)
    options = _parser_options(limits)
    options.pop("remove_comments")
    from io import BytesIO
    track_depth = limits.max_depth != DEFAULT_MAX_DEPTH  # else libxml2 enforces the default itself
    if tags is not None and not track_depth:
        options["tag"] = list(tags)
    context = etree.iterparse(BytesIO(data), events=("start", "end"), **options)
    seen = False
    events = _counted(context, name, limits, lambda: data[-256:]) if track_depth else \
        _ends(context, name, None, limits, data[-256:], with_events=True)
    for event, element in events:
        seen = True
        if tags is None or not track_depth or element.tag in tags:   # libxml2 filtered them, unless counting
            yield event, element
    if not seen:   # no element had a wanted tag: the document's declarations are checked all the same
        if context.root is None:
            raise InputError("holds no XML element", name)
        check_declared_entities(context.root.getroottree(), name)


def _counted(context, name: str, limits: ParseLimits, tail) -> Iterator[tuple[str, etree._Element]]:
    """The events of a ``("start", "end")`` iterparse, the depth counted against a limit the
    user changed (at the default, libxml2 enforces it), syntax errors made into InputError."""
    depth = 0
    checked = False
    try:
        for event, element in context:
            if not checked:
                check_declared_entities(element.getroottree(), name)
                checked = True
            if event == "start":
                depth += 1
                if depth > limits.max_depth:
                    raise InputError(_too_deep(limits.max_depth), f"{name}:{element.sourceline}")
            else:
                depth -= 1
            yield event, element
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc, name, tail(), limits) from None


def _ends(context, name: str, original, limits: ParseLimits, tail: bytes | None = None,
          with_events: bool = False) -> Iterator:
    """The elements of an iterparse at libxml2's own depth limit (or ``(event, element)``
    with ``with_events``), syntax errors made into InputError: the instance reader's hot loop."""
    checked = False
    try:
        for item in context:
            if not checked:
                check_declared_entities(item[1].getroottree(), name)
                checked = True
            yield item if with_events else item[1]
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc, name, tail if tail is not None else _tail_of(original), limits) from None


def _tail_of(stream) -> bytes:
    try:
        stream.seek(max(0, stream.seek(0, 2) - 256))
        return stream.read()
    except (OSError, AttributeError, ValueError):
        return b">"


class _Chain:
    """A read-only stream that serves the already-read head, then the rest."""

    def __init__(self, first, rest):
        self._first, self._rest = first, rest

    def read(self, size: int = -1) -> bytes:
        data = self._first.read(size)
        if size < 0:
            return data + self._rest.read()
        if len(data) < size:
            data += self._rest.read(size - len(data))
        return data
