"""Output formats: one small module per format, each a ``write(result, out)`` reading the
same frozen ``CheckResult`` and recomputing nothing."""

from __future__ import annotations

import importlib
import os

FORMATS = ("text", "json", "sarif", "junit", "github", "markdown", "html")
_MODULES = {"text": "text", "json": "json_out", "sarif": "sarif", "junit": "junit", "github": "github",
            "markdown": "markdown", "html": "html"}


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
