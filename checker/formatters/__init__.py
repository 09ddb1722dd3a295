"""Output formats: one small module per format, each a ``write(result, out)`` reading the
same frozen ``CheckResult`` and recomputing nothing."""

from __future__ import annotations

import importlib
import os
import re

FORMATS = ("text", "json", "sarif", "junit", "github", "markdown", "html")
_MODULES = {"text": "text", "json": "json_out", "sarif": "sarif", "junit": "junit", "github": "github",
            "markdown": "markdown", "html": "html"}


# control characters, line and paragraph separators, and the bidirectional overrides: text a
# filing may carry that would start a new line in a log (where ``::error`` becomes a GitHub
# workflow command), move the cursor, recolour the terminal or reverse what is shown
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every character that could act on a terminal or a log shown as an
    escape instead (``\\n``, ``\\x9b``): for line-oriented reports of text from a filing."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def grouped(use) -> str:
    """A fact's value (a ``FactUse``) with its digits grouped as the arithmetic lines group
    them (315,332,000), for the reports people read: formatting only, the digits are the
    fact's own. A fact without a unit is text, however it looks (a CIK, 0001318605), and is
    left as it is."""
    from decimal import Decimal, InvalidOperation
    if not use.unit:
        return use.value
    try:
        number = Decimal(use.value)
    except (InvalidOperation, TypeError, ValueError):
        return use.value
    return f"{number:,f}" if number.is_finite() else use.value


def writer(name: str):
    """The ``write`` function of format ``name`` (modules load only when asked for)."""
    return importlib.import_module(f"{__name__}.{_MODULES[name]}").write


def relative_path(path: str) -> str:
    """A source file as CI tools want it: relative to the working directory, with slashes.

    A zip member (``pkg.zip!member``) is located at the zip itself.
    """
    file = path.split("!", 1)[0]
    try:
        rel = os.path.relpath(file)
    except ValueError:  # another drive on Windows
        rel = file
    return rel.replace(os.sep, "/")
