"""Is a rule's concept a standard taxonomy element? A did-you-mean for rule authors.

A misspelt concept (``AccountsRecievableNetCurrent``, ``us_gaap:Assets``, ``assets``)
validates as syntax and then binds nowhere: a CI gate built on it stays green for ever.
``rules validate`` therefore checks every concept written with a standard prefix
(us-gaap, ifrs-full, dei, srt) against the names in ``data/standard_concepts.txt.gz``,
built by ``scripts/build_standard_concepts.py`` (its header names the sources).

Only what is surely a mistake is flagged: a prefix that is a standard one misspelt, a
lower-case first letter (standard element names are UpperCamelCase), a name that matches a
known one but for its case, or one within two typing slips of a known name. A name the list
does not hold and nothing is near is not flagged, because the list may not hold every
element of every year; extension prefixes are never flagged.
"""

from __future__ import annotations

import difflib
import gzip
import re
from functools import lru_cache
from importlib import resources

STANDARD_FAMILIES = ("us-gaap", "ifrs-full", "dei", "srt")
_PREFIX_SPELLINGS = {"usgaap": "us-gaap", "ifrsfull": "ifrs-full", "ifrs": "ifrs-full", "dei": "dei", "srt": "srt"}


class StandardConcepts:
    """The shipped name list, by family, with a case-folded index for the case check."""

    def __init__(self, names: list[str], sources: list[str]):
        self.sources = sources
        self.names = set(names)
        self.by_family: dict[str, list[str]] = {f: [] for f in STANDARD_FAMILIES}
        self.folded: dict[str, str] = {}
        for name in names:
            family, _, local = name.partition(":")
            if family in self.by_family:
                self.by_family[family].append(local)
                self.folded[f"{family}:{local.lower()}"] = local

    def __len__(self) -> int:
        return len(self.names)


@lru_cache(maxsize=1)
def standard_concepts() -> StandardConcepts:
    data = resources.files("checker").joinpath("data/standard_concepts.txt.gz").read_bytes()
    names, sources = [], []
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        if line.startswith("#"):
            sources.append(line[1:].strip())
        elif line:
            names.append(line)
    return StandardConcepts(names, sources)


def _slips(a: str, b: str) -> int:
    """Edits between ``a`` and ``b`` (insert, delete, change, swap two neighbours), stopping past 2."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > 2:
            return 3
        previous2, previous = previous, current
    return previous[-1]


def concept_problem(family: str | None, local: str) -> str | None:
    """Why ``family:local`` is surely not the element meant, with a did-you-mean; None if
    nothing says so. ``family`` is the term's prefix (or the pack's default)."""
    if not family or not local:
        return None
    if family not in STANDARD_FAMILIES:
        meant = _PREFIX_SPELLINGS.get(re.sub(r"[^a-z]", "", family.lower()))
        if meant is not None:
            return f"{family}:{local}: {family!r} is not a standard prefix; did you mean '{meant}:{local}'?"
        return None  # an extension taxonomy's prefix: its names are the filer's
    known = standard_concepts()
    name = f"{family}:{local}"
    if name in known.names:
        return None
    cased = known.folded.get(f"{family}:{local.lower()}")
    if cased is not None:
        return f"{name} is not a {family} element (names are case-sensitive); did you mean '{family}:{cased}'?"
    if local[0].islower():
        return f"{name}: {family} element names start with a capital letter; did you mean " \
               f"'{family}:{local[0].upper()}{local[1:]}'?"
    candidates = difflib.get_close_matches(local, known.by_family[family], n=5, cutoff=0.85)
    near = [c for c in candidates if _slips(local, c) <= 2]
    if near:
        return f"{name} is not a {family} element the shipped list knows; did you mean '{family}:{near[0]}'?"
    return None
