#!/usr/bin/env python3
"""Build checker/data/standard_concepts.txt.gz: the element names of the standard
taxonomies (us-gaap, ifrs-full, dei, srt) that ``discheck rules validate`` checks rule
concepts against, with a did-you-mean.

    python scripts/build_standard_concepts.py SOURCE... [-o checker/data/standard_concepts.txt.gz]

A SOURCE is any of:
- a taxonomy schema (``us-gaap-2024.xsd``, ``ifrs-full_2024.xsd``...) or a taxonomy package zip
  as the FASB, the SEC and the IFRS Foundation publish them: every element declared under a
  standard namespace (the complete list of that year);
- an SEC Financial Statement Data Set (quarter zip or folder): its tag.txt rows with custom=0
  (the SEC derives them from the standard taxonomies) and the standard tags of num.txt and pre.txt;
- a folder of filings (or one filing document or zip): every standard-namespace name the
  filings use or their linkbases point to (``us-gaap-2024.xsd#us-gaap_Assets``).

Names are merged over all sources and all years (a rule written for a 2010 filing and one
for a 2024 filing both validate). The file's header names the sources it was built from.
Standard element names are UpperCamelCase; anything else a source yields is ignored.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import os
import re
import sys
import zipfile

FAMILIES = ("us-gaap", "ifrs-full", "dei", "srt")
# as written in documents: a prefixed name, a locator fragment, an R page's defref
_NAME = re.compile(rb"(?<![A-Za-z0-9-])(us-gaap|ifrs-full|dei|srt)[:_]([A-Z][A-Za-z0-9]{1,250})(?![A-Za-z0-9])")
_NAMESPACE = {
    "us-gaap": re.compile(r"^http://(fasb\.org|xbrl\.us)/us-gaap/\d{4}"),
    "srt": re.compile(r"^http://fasb\.org/srt/\d{4}"),
    "dei": re.compile(r"^http://(xbrl\.sec\.gov|xbrl\.us)/dei/\d{4}"),
    "ifrs-full": re.compile(r"^https?://xbrl\.ifrs\.org/taxonomy/\d{4}-\d\d-\d\d/ifrs-full$"),
}
_FSDS_VERSION = {"us-gaap": "us-gaap", "ifrs": "ifrs-full", "ifrs-full": "ifrs-full", "dei": "dei", "srt": "srt"}
_TEXT = (".xml", ".xsd", ".htm", ".html", ".xhtml", ".json", ".txt", ".tsv", ".csv")
_LOCAL = re.compile(r"^[A-Z][A-Za-z0-9]*$")


def _schema_names(data: bytes) -> set[str]:
    """Elements a taxonomy schema declares under a standard namespace."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    root = etree.fromstring(data, parser)
    namespace = root.get("targetNamespace") or ""
    family = next((f for f, pattern in _NAMESPACE.items() if pattern.match(namespace)), None)
    if family is None:
        return set()
    return {f"{family}:{name}" for element in root.iter("{http://www.w3.org/2001/XMLSchema}element")
            if (name := element.get("name")) and _LOCAL.match(name)}


def _fsds_names(tables: dict[str, io.TextIOBase]) -> set[str]:
    names = set()
    for table, stream in tables.items():
        reader = csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            version = (row.get("version") or "").partition("/")[0]
            family = _FSDS_VERSION.get(version)
            if family is None or (table == "tag.txt" and row.get("custom") not in ("0", None)):
                continue
            if _LOCAL.match(row.get("tag") or ""):
                names.add(f"{family}:{row['tag']}")
    return names


def _document_names(data: bytes) -> set[str]:
    return {f"{m.group(1).decode()}:{m.group(2).decode()}" for m in _NAME.finditer(data)}


def _names_of(name: str, data: bytes) -> set[str]:
    lower = name.lower()
    if lower.endswith(".xsd") and b"targetNamespace" in data[:4096]:
        found = _schema_names(data)
        if found:
            return found
    return _document_names(data) if lower.endswith(_TEXT) else set()


def _from_zip(path: str) -> set[str]:
    names: set[str] = set()
    with zipfile.ZipFile(path) as archive:
        members = {os.path.basename(m): m for m in archive.namelist()}
        if "sub.txt" in members and "num.txt" in members:
            tables = {t: io.TextIOWrapper(archive.open(members[t]), encoding="utf-8", errors="replace")
                      for t in ("tag.txt", "num.txt", "pre.txt") if t in members}
            return _fsds_names(tables)
        for member in archive.namelist():
            if member.lower().endswith(".zip"):
                continue
            names |= _names_of(member, archive.read(member))
    return names


def collect(source: str) -> set[str]:
    if os.path.isdir(source):
        if os.path.exists(os.path.join(source, "sub.txt")) and os.path.exists(os.path.join(source, "num.txt")):
            tables = {t: open(os.path.join(source, t), encoding="utf-8", errors="replace")
                      for t in ("tag.txt", "num.txt", "pre.txt") if os.path.exists(os.path.join(source, t))}
            return _fsds_names(tables)
        names: set[str] = set()
        for folder, _, files in os.walk(source):
            for file in files:
                names |= collect(os.path.join(folder, file))
        return names
    if source.lower().endswith(".zip"):
        try:
            return _from_zip(source)
        except zipfile.BadZipFile:
            return set()
    with open(source, "rb") as stream:
        return _names_of(source, stream.read())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", metavar="SOURCE")
    parser.add_argument("--output", "-o", default=os.path.join(os.path.dirname(__file__), "..", "checker", "data",
                                                               "standard_concepts.txt.gz"))
    parser.add_argument("--describe", action="append", default=[], metavar="TEXT",
                        help="a line for the header saying where a source came from (repeatable)")
    args = parser.parse_args(argv)
    names: set[str] = set()
    for source in args.sources:
        found = collect(source)
        print(f"{source}: {len(found)} names", file=sys.stderr)
        names |= found
    by_family = {f: sum(1 for n in names if n.startswith(f + ":")) for f in FAMILIES}
    header = ["# Standard taxonomy element names (family:LocalName), one per line, for `discheck rules validate`.",
              "# Built by scripts/build_standard_concepts.py from:",
              *(f"#   {line}" for line in args.describe or [os.path.basename(s.rstrip('/')) for s in args.sources]),
              "# " + ", ".join(f"{f} {n}" for f, n in by_family.items())]
    text = "\n".join(header + sorted(names)) + "\n"
    with gzip.GzipFile(args.output, "wb", mtime=0) as out:  # mtime 0: the same sources give the same bytes
        out.write(text.encode())
    print(f"wrote {len(names)} names to {args.output} ({os.path.getsize(args.output)} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
