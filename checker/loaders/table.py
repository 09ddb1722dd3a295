"""Plain facts tables (CSV, or JSON rows) in the columns of ``checker.facttable``."""

from __future__ import annotations

import csv
import io
import json
import re

from ..errors import InputError
from ..facttable import REQUIRED, row_to_fact
from ..model import Fact, Source


# Python's csv refuses fields over 128 KiB; a facts dump of a large filing has longer text
# blocks, and every input is already bounded by the byte limit
csv.field_size_limit(2**31 - 1)


def load_csv(data: bytes, name: str) -> list[Fact]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"is not UTF-8 text (byte {exc.start})", name) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return _read_rows(reader, name)
    except csv.Error as exc:
        raise InputError(f"is not a readable CSV table ({exc})", f"{name}:{reader.line_num}") from None


def _read_rows(reader: csv.DictReader, name: str) -> list[Fact]:
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"is not a facts table: the header lacks the column(s) {', '.join(missing)} "
                         f"(expected at least {', '.join(REQUIRED)})", f"{name}:1")
    reader.fieldnames = header
    facts = []
    for row in reader:
        line = reader.line_num
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        try:
            facts.append(row_to_fact(row, Source(name, line)))
        except ValueError as exc:
            raise InputError(str(exc), f"{name}:{line}") from None
    return facts


def load_json_rows(document, data: bytes, name: str) -> list[Fact]:
    """A JSON list of rows, or an object whose ``facts`` is such a list."""
    rows = document.get("facts") if isinstance(document, dict) else document
    if not isinstance(rows, list):
        raise InputError("is JSON but neither xBRL-JSON nor a facts table "
                         "(a list of rows, or an object with a 'facts' list)", name)
    lines = _row_lines(data)
    facts = []
    for index, row in enumerate(rows):
        line = lines[index] if index < len(lines) else None
        if not isinstance(row, dict):
            raise InputError(f"facts[{index}] is not an object", f"{name}:{line}" if line else name)
        missing = [c for c in REQUIRED if c not in row]
        if missing:
            raise InputError(f"facts[{index}] lacks {', '.join(missing)}", f"{name}:{line}" if line else name)
        try:
            facts.append(row_to_fact(row, Source(name, line)))
        except ValueError as exc:
            raise InputError(f"facts[{index}]: {exc}", f"{name}:{line}" if line else name) from None
    return facts


_ROW_START = re.compile(rb'"concept"\s*:')


def _row_lines(data: bytes) -> list[int]:
    """Line of each row's ``"concept"`` key, in order: good enough to point a reader at a row."""
    return [data.count(b"\n", 0, m.start()) + 1 for m in _ROW_START.finditer(data)]


def parse_json(data: bytes, name: str):
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(f"is not UTF-8 text (byte {exc.start})", name) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"is not valid JSON: {exc.msg}", f"{name}:{exc.lineno}:{exc.colno}") from None
