"""Loaders turn any filing into one fact model: ``load_filing(path)`` is the entry point.

Accepted: an XBRL 2.1 instance, inline XBRL documents, a filing package (folder or
zip), xBRL-JSON, and a plain facts table (CSV or JSON rows). The facts come back in
a ``Filing`` together with the filer's linkbases, for the checks that use them.
"""

from __future__ import annotations

import os
import re
from typing import Iterator
from dataclasses import dataclass, field

from ..errors import InputError
from ..gcpause import gc_paused
from ..model import LINK_NS, XLINK_NS, Fact
from . import package
from .instance import load_instance
from .package import ZIP_ERRORS, Entry, FolderStore, ZipStore, classify, resolve_href
from .xmlsafe import DEFAULT_LIMITS, ParseLimits, parse_bytes

# the inline, xBRL-JSON, table and data-set readers are imported by the paths that use them:
# a run on one instance does not pay for the others (a run's start is a good part of its time)

__all__ = ["Filing", "LinkbaseRef", "load_filing", "load_filings", "ParseLimits", "DEFAULT_LIMITS"]

LINKBASE_KINDS = ("calculation", "presentation", "label", "definition", "reference")
_ROLE_KINDS = {f"http://www.xbrl.org/2003/role/{k}LinkbaseRef": k for k in LINKBASE_KINDS}
_SUFFIX_KINDS = {"_cal": "calculation", "_pre": "presentation", "_lab": "label", "_def": "definition",
                 "_ref": "reference", "-calculation": "calculation", "-presentation": "presentation",
                 "-label": "label", "-definition": "definition", "-reference": "reference"}
_LINK_ELEMENTS = {b"calculationLink": "calculation", b"presentationLink": "presentation", b"labelLink": "label",
                  b"definitionLink": "definition", b"referenceLink": "reference"}


@dataclass(frozen=True)
class LinkbaseRef:
    """A linkbase of the filer's, to be read by the checks that need it."""

    kind: str
    entry: Entry

    @property
    def display(self) -> str:
        return self.entry.display

    def read(self) -> bytes:
        return self.entry.read()


@dataclass
class Filing:
    """What a loader read: the facts, where they came from, and the filer's linkbases."""

    path: str
    kind: str
    facts: list[Fact]
    documents: list[str]
    linkbases: list[LinkbaseRef] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    description: str = ""   # e.g. the registrant and form, where the input says
    # each concept's statements, where the input lists them without a presentation linkbase
    # (a data set's pre.txt): concept -> statement ids
    statements: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)     # what the loader chose, e.g. which form it read
    rendered: list[Entry] = field(default_factory=list)  # R pages beside the XBRL (for --rendered)
    numeric_cells: int = 0   # an R-page filing: the numeric cells its pages held, placed or not

    def linkbases_of(self, kind: str) -> list[LinkbaseRef]:
        return [lb for lb in self.linkbases if lb.kind == kind]


def load_filings(path: str | os.PathLike, limits: ParseLimits = DEFAULT_LIMITS) -> list[Filing]:
    """Every filing at ``path``: one, or one per submission of a Financial Statement Data Set."""
    return list(iter_filings(path, limits))


def iter_filings(path: str | os.PathLike, limits: ParseLimits = DEFAULT_LIMITS) -> Iterator[Filing]:
    """The filings at ``path`` one at a time: a data set's submissions are read one by one,
    so a quarter never sits in memory whole. ``2010q2.zip!0001193125-10-136028`` (as the
    reports name a submission) is that submission alone."""
    path = os.fspath(path)
    submission = fsds_submission(path)
    if submission is not None or _is_fsds(path):
        import csv

        from .fsds import iter_fsds
        data_set, only = submission or (path, None)
        try:
            yield from iter_fsds(data_set, limits, only)
        except csv.Error as exc:  # a NUL byte, a field over the limit: damaged tables
            raise InputError(f"is not a readable Financial Statement Data Set ({exc})", data_set) from None
        return
    yield load_filing(path, limits)


def fsds_submission(path: str) -> tuple[str, str] | None:
    """``(data set, accession number)`` where ``path`` names one submission of a data set
    as the reports do (``2010q2.zip!ADSH``, or ``folder/ADSH`` for an unzipped one)."""
    if os.path.exists(path):
        return None
    for data_set, sep, adsh in (path.rpartition("!"), path.rstrip("/\\").rpartition(os.sep)):
        if sep and data_set and adsh and "/" not in adsh and _is_fsds(data_set):
            return data_set, adsh
    return None


def _is_fsds(path: str) -> bool:
    if os.path.isdir(path):
        from .fsds import is_fsds
        return is_fsds(os.listdir(path))
    if path.lower().endswith(".zip") and os.path.isfile(path):
        import zipfile

        from .fsds import is_fsds
        try:
            with zipfile.ZipFile(path) as archive:
                return is_fsds(archive.namelist())
        except ZIP_ERRORS:
            return False
    return False


def load_filing(path: str | os.PathLike, limits: ParseLimits = DEFAULT_LIMITS) -> Filing:
    """Read the filing at ``path``; raises ``InputError`` with one clear message."""
    path = os.fspath(path)
    with gc_paused():
        filing = _load_path(path, limits)
    if len(filing.facts) > limits.max_facts:  # the streamed readers stop at the limit; the others here
        raise limits.too_many_facts(path)
    return filing


def _load_path(path: str, limits: ParseLimits) -> Filing:
    if fsds_submission(path) is not None:
        return next(iter_filings(path, limits))
    if os.path.isdir(path):
        return _load_store(path, FolderStore(path, limits), limits)
    if not os.path.exists(path):
        raise InputError("does not exist", path)
    if not os.path.isfile(path):
        raise InputError("is not a regular file", path)
    lower = path.lower()
    if lower.endswith(".zip"):
        return _load_store(path, ZipStore(path, limits), limits)
    if lower.endswith(".csv"):
        from .table import load_csv
        data = _read_file(path, limits)
        _refuse_too_many(data, b"\n", limits, path)
        return Filing(path, "table", load_csv(data, path), [path])
    head = package.head_of(lambda size: _read_file(path, limits, size))
    if not head.strip():
        raise InputError("is empty", path)
    folder, file = os.path.split(path)
    store = FolderStore(folder or ".", limits)
    kind = package.sniff(head, file)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        from .oim_json import is_oim, load_oim
        from .table import load_json_rows, parse_json
        data = _read_file(path, limits)
        _refuse_too_many(data, b'"concept"', limits, path)
        document = parse_json(data, path)
        if is_oim(document):
            return Filing(path, "xbrl-json", load_oim(document, data, path), [path])
        return Filing(path, "table", load_json_rows(document, data, path), [path])
    entry = Entry(store, file, kind)
    if kind == package.SCHEMA:
        # a taxonomy with no report: its linkbases can still be checked (e.g. --calc)
        linkbases = _find_linkbases(store, [(file, file)], [], limits, None, None)
        return Filing(path, "schema", [], [path], linkbases)
    if kind == package.INSTANCE:
        return _load_facts_documents(path, store, [entry], limits, same_stem_of=file)
    if kind == package.INLINE:
        return _load_facts_documents(path, store, [entry], limits, same_stem_of=file)
    if kind == package.R_PAGE:
        return load_r_page_filing(path, store, [entry], limits)
    raise InputError(_not_a_filing(kind, head), path)


def _not_a_filing(kind: str, head: bytes) -> str:
    if kind == package.HTML:
        return "is an HTML page without inline XBRL: it holds no XBRL facts"
    if kind == package.LINKBASE:
        return "is an XBRL linkbase, not a report: it holds no facts (give the instance or the folder)"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        if re.match(rb"<(!DOCTYPE\s+)?html", stripped, re.IGNORECASE):
            return "is an HTML page without inline XBRL: it holds no XBRL facts"
        return ("is XML but neither an XBRL instance nor an inline XBRL document: it holds no "
                "XBRL facts")
    return ("holds no XBRL facts: it is not an XBRL instance, an inline XBRL document, xBRL-JSON "
            "or a facts table (CSV with concept, value, period columns)")


def _read_file(path: str, limits: ParseLimits, limit: int | None = None) -> bytes:
    try:
        with open(path, "rb") as stream:
            if limit is not None:
                return stream.read(limit)
            size = os.fstat(stream.fileno()).st_size
            if size > limits.max_bytes:
                raise InputError(f"is {size:,} bytes, over the limit of {limits.max_bytes:,} "
                                 f"(raise it with --max-xml-bytes)", path)
            return stream.read()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", path) from None


def _load_store(path: str, store, limits: ParseLimits) -> Filing:
    entries = classify(store)
    loose = [e for e in entries if not store.nested(e.name)]
    nested = [e for e in entries if store.nested(e.name)]  # (a membership test on entries was quadratic)
    for group in (loose, nested):
        for kind in (package.INLINE, package.INSTANCE):
            docs = [e for e in group if e.kind == kind]
            if kind == package.INSTANCE and group is not loose:
                # instances inside zips in a folder: one zip at a time
                containers = sorted({e.name.partition("!")[0] for e in docs})
                if len(containers) > 1:
                    raise InputError(f"holds XBRL instances in several zips "
                                     f"({', '.join(containers)}); name the one to read", path)
            if kind == package.INSTANCE and len(docs) > 1:
                raise InputError("holds several XBRL instances (" +
                                 ", ".join(e.display for e in docs) + "); name the one to read", path)
            if docs:
                filing = _load_facts_documents(path, store, docs, limits, entries=entries)
                pages = [e for e in group if e.kind == package.R_PAGE]
                if pages:
                    filing.rendered = pages
                    filing.notes.append(f"the {filing.kind} XBRL is the filing; the {len(pages)} R page"
                                        f"{'s' if len(pages) != 1 else ''} beside it were not read as facts "
                                        f"(--rendered compares them with it)")
                return filing
    oim = [e for e in entries if e.kind == package.OIM_JSON]
    if len(oim) == 1:
        from .oim_json import load_oim
        from .table import parse_json
        data = oim[0].read()
        _refuse_too_many(data, b'"concept"', limits, oim[0].display)
        return Filing(path, "xbrl-json", load_oim(parse_json(data, oim[0].display), data,
                                                  oim[0].display), [oim[0].display])
    pages = [e for e in loose if e.kind == package.R_PAGE] or [e for e in nested if e.kind == package.R_PAGE]
    if pages:
        return load_r_page_filing(path, store, pages, limits, entries)
    subfolders = sorted(e for e in os.listdir(path) if os.path.isdir(os.path.join(path, e)) and not e.startswith(".")) \
        if os.path.isdir(path) else []
    if subfolders:  # a folder of filings: each is read on its own, named
        shown = os.path.join(path.rstrip("/\\"), "*", "")
        raise InputError(f"holds no XBRL instance, inline XBRL document, xBRL-JSON report or SEC viewer R pages "
                         f"of its own; its {len(subfolders)} subfolder{'s' if len(subfolders) != 1 else ''} may hold "
                         f"filings: check them all with discheck batch {path}, or name them, e.g. discheck check "
                         f"{shown}", path)
    raise InputError("holds no XBRL instance, inline XBRL document, xBRL-JSON report or SEC viewer R pages "
                     "(R2.htm ...)", path)


def _refuse_too_many(data: bytes, marker: bytes, limits: ParseLimits, where: str) -> None:
    """The fact ceiling for a JSON report or table, before it is parsed whole: every fact
    names its concept once (every CSV row is a line), so counting that marker in the bytes
    bounds the facts, and the parse's objects (a kilobyte and more a fact) are never made."""
    if data.count(marker) > limits.max_facts:
        raise limits.too_many_facts(where)


def _load_facts_documents(path: str, store, docs: list[Entry], limits: ParseLimits,
                          entries: list[Entry] | None = None, same_stem_of: str | None = None) -> Filing:
    warnings: list[str] = []
    if docs[0].kind == package.INSTANCE:
        doc = docs[0]
        if isinstance(store, FolderStore):
            stream = store.open_stream(doc.name)
        else:
            import io
            stream = io.BytesIO(store.read(doc.name))
        with stream:
            size = store.size(doc.name)
            instance = load_instance(stream, size, doc.display, limits)
        facts, kind = instance.facts, "instance"
        schema_refs = [(doc.name, href) for href in instance.schema_refs]
        linkbase_refs = [(doc.name, href, role) for href, role in instance.linkbase_refs]
    else:
        from .inline import load_inline_documents
        inline = load_inline_documents([(d.display, d.read) for d in docs], limits)
        facts, kind, warnings = inline.facts, "inline", inline.warnings
        by_display = {d.display: d.name for d in docs}
        schema_refs = [(by_display[doc_name], href) for doc_name, href in inline.schema_refs]
        linkbase_refs = []
    linkbases = _find_linkbases(store, schema_refs, linkbase_refs, limits, entries, same_stem_of)
    return Filing(path, kind, facts, [d.display for d in docs], linkbases, warnings)


def load_rendered(filing: Filing, limits: ParseLimits = DEFAULT_LIMITS) -> Filing | None:
    """The R pages beside an XBRL filing, read with its linkbases (None if it has none)."""
    if not filing.rendered:
        return None
    return load_r_page_filing(filing.path, filing.rendered[0].store, filing.rendered, limits,
                              linkbases=filing.linkbases)


def load_r_page_filing(path: str, store, pages: list[Entry], limits: ParseLimits,
                       entries: list[Entry] | None = None, linkbases: list[LinkbaseRef] | None = None) -> Filing:
    """R pages read as the filing: in ``FilingSummary.xml``'s order where it lists them,
    with the member labels of ``MetaLinks.json`` and the filer's label and definition
    linkbases where the folder has them."""
    from ..linkbases import read_label_texts, read_member_axes, read_preferred_labels
    from .rpages import filing_summary_pages, read_metalinks, read_r_pages

    folder = pages[0].name.rpartition("/")[0]
    prefix = folder + "/" if folder else ""
    listed, roles = None, {}
    if store.exists(prefix + "FilingSummary.xml"):
        listed, roles = filing_summary_pages(store.read(prefix + "FilingSummary.xml"))
    if len(pages) > 1:
        if listed:
            by_name = {e.name: e for e in pages}
            ordered = [by_name.pop(prefix + n) for n in listed if prefix + n in by_name]
            pages = ordered + sorted(by_name.values(), key=lambda e: _page_number(e.name))
    else:
        pages = sorted(pages, key=lambda e: _page_number(e.name))
    metalinks = read_metalinks(store.read(prefix + "MetaLinks.json"), store.display_name(prefix + "MetaLinks.json")) \
        if store.exists(prefix + "MetaLinks.json") else None
    if linkbases is None:
        linkbases = _find_linkbases(store, [], [], limits, entries, None) if entries is not None else []
    shell = Filing(path, "r-pages", [], [], linkbases)
    read = read_r_pages([(e.display, e.read(), roles.get(e.name.rpartition("/")[2], "")) for e in pages], metalinks,
                        read_member_axes(shell), read_label_texts(shell), read_preferred_labels(shell))
    filing = Filing(path, "r-pages", read.facts, read.pages, linkbases, read.warnings)
    filing.numeric_cells = read.numeric_cells
    filing.notes.append(f"read from {len(pages)} SEC viewer R page{'s' if len(pages) != 1 else ''}: "
                        f"{read.numeric_cells:,} numeric cells, {len(read.facts):,} placed as facts")
    return filing


def _page_number(name: str) -> tuple[int, str]:
    m = re.search(r"R(\d+)\.html?$", name, re.IGNORECASE)
    return (int(m.group(1)) if m else 1 << 30, name)


_LINKBASE_REF = "{%s}linkbaseRef" % LINK_NS
_HREF = "{%s}href" % XLINK_NS
_ROLE = "{%s}role" % XLINK_NS


def _kind_from_name(name: str) -> str | None:
    base = name.rsplit("!", 1)[-1].rsplit("/", 1)[-1].lower()
    base = re.sub(r"(\.xml)?(\.zip)?$", "", base)
    for suffix, kind in _SUFFIX_KINDS.items():
        if base.endswith(suffix):
            return kind
    return None


def _kind_from_content(store, name: str) -> str | None:
    """The kind of a linkbase whose role and name say nothing: its first extended link."""
    head = store.read(name, package.SNIFF_BYTES)
    found = [(head.find(tag), kind) for tag, kind in _LINK_ELEMENTS.items() if tag in head]
    return min(found)[1] if found else None


def _find_linkbases(store, schema_refs, linkbase_refs, limits, entries, same_stem_of) -> list[LinkbaseRef]:
    """Linkbases named by schemaRef -> linkbaseRef, by linkbaseRef, and by file name."""
    # by file name and kind: a copy inside a zip beside it is the same file
    found: dict[tuple[str, str], LinkbaseRef] = {}

    def add(name: str, role: str | None, kind: str | None = None) -> None:
        base = name.rsplit("!", 1)[-1].rsplit("/", 1)[-1]
        if not store.exists(name):
            return
        kind = kind or _ROLE_KINDS.get(role or "") or _kind_from_name(name) or _kind_from_content(store, name)
        if kind and (base, kind) not in found:
            found[(base, kind)] = LinkbaseRef(kind, Entry(store, name, package.LINKBASE))

    for base, href in schema_refs:
        target = resolve_href(base, href, store)
        if target is None:
            continue
        inside = _through_zip(target)  # a schemaRef into a zip beside the filing: ./T.zip/T/x.xsd
        for candidate in (target, target + ".xml", *([inside] if inside else [])):  # EDGAR also saves X.xsd.xml
            if store.exists(candidate):
                for lb_href, role in _schema_linkbase_refs(store, candidate, limits):
                    lb = resolve_href(target, lb_href, store)
                    if lb is not None:
                        add(lb, role)
                for kind in _embedded_link_kinds(store, candidate):  # linkbases inside the schema's appinfo
                    add(candidate, None, kind)
                break
    for base, href, role in linkbase_refs:
        target = resolve_href(base, href, store)
        if target is not None:
            add(target, role)
    if entries is not None:
        for entry in sorted(entries, key=lambda e: store.nested(e.name)):  # loose files first
            if entry.kind == package.LINKBASE:
                add(entry.name, None)
    elif same_stem_of is not None:
        stem = re.sub(r"(_htm)?\.(xml|htm|html|xhtml)$", "", same_stem_of, flags=re.IGNORECASE)
        for name in store.names():
            if name.startswith(stem + "_") and _kind_from_name(name):
                add(name, None)
    return sorted(found.values(), key=lambda lb: (LINKBASE_KINDS.index(lb.kind), lb.entry.name))


def _through_zip(name: str) -> str | None:
    """``T.zip/dir/x.xsd`` as the store names a zip member, ``T.zip!dir/x.xsd``."""
    head, sep, tail = name.partition(".zip/")
    return f"{head}.zip!{tail}" if sep and "!" not in head else None


def _embedded_link_kinds(store, name: str) -> list[str]:
    """Kinds of extended links written inside a schema (a start tag, not a usedOn mention)."""
    data = store.read(name)
    return [kind for tag, kind in _LINK_ELEMENTS.items()
            if re.search(rb"<([\w.-]+:)?" + tag + rb"[\s>/]", data)]


def _schema_linkbase_refs(store, name: str, limits: ParseLimits) -> list[tuple[str, str | None]]:
    display = store.display_name(name)
    try:
        tree = parse_bytes(store.read(name), display, limits)
    except InputError:
        return []  # an unreadable schema does not stop the facts from loading
    return [(el.get(_HREF, ""), el.get(_ROLE)) for el in tree.iter(_LINKBASE_REF)]
