"""Headless Chromium for the HTML report tests (Debian's ``chromium`` package)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium); "
                    ".ci/run installs it, so CI runs these tests")
    return found


def _run(args: list[str], timeout: float = 90) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=timeout)


def dump_dom(url: str) -> str:
    """The DOM after the page's scripts ran, as Chromium serialises it."""
    result = _run(["--virtual-time-budget=2000", "--dump-dom", url])
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def screenshot(url: str, path: str, size: str = "1280,1400") -> None:
    result = _run([f"--window-size={size}", f"--screenshot={path}", url])
    assert result.returncode == 0 and os.path.getsize(path) > 0, result.stderr[-2000:]
