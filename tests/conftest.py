"""Shared fixtures: where the corpus is, and a runner for the command line."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
REPO = HERE.parent
CORPUS = Path(os.environ.get("CHECKER_CORPUS", REPO.parent / "shared" / "corpus"))
# the tests' own cache of validated packs (and every command they run), never the user's
os.environ["DISCHECK_CACHE_DIR"] = tempfile.mkdtemp(prefix="discheck-test-cache-")
atexit.register(shutil.rmtree, os.environ["DISCHECK_CACHE_DIR"], True)


def corpus_path(*parts: str) -> Path:
    """A path in ../shared/corpus; the test is skipped, saying why, when the corpus is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS} (set CHECKER_CORPUS to run the corpus tests)")
    return CORPUS.joinpath(*parts)


def run_cli(*args: str, timeout: float = 60, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m checker`` as a user would, capturing its output."""
    return subprocess.run([sys.executable, "-m", "checker", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, cwd=cwd or REPO)
