"""Where a filing's documents live: a folder, a zip, or a single file beside its siblings.

A store lists entry names and opens them; zips met inside a folder are listed as
``folder/x.zip!member``. Entries are classified by sniffing their first bytes, never
by trusting the extension alone.
"""

from __future__ import annotations

import io
import lzma
import os
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

from ..errors import InputError
from .xmlsafe import DEFAULT_LIMITS, ParseLimits

SNIFF_BYTES = 64 * 1024
LONG_PROLOG_BYTES = 8 * 1024 * 1024  # a comment before the first element may run this far


def head_of(read, name: str = "") -> bytes:
    """The first bytes of a document, enough to see its first element: 64 KiB, or up to
    8 MiB when a comment or processing instruction before it is still open at 64 KiB."""
    head = read(SNIFF_BYTES)
    if len(head) == SNIFF_BYTES and head.rfind(b"<!--") > head.rfind(b"-->"):
        head = read(LONG_PROLOG_BYTES)
    return head
_SNIFFED_EXTENSIONS = (".xml", ".htm", ".html", ".xhtml", ".xsd", ".json", ".xbrl")

INLINE, INSTANCE, LINKBASE, SCHEMA, HTML, OIM_JSON, R_PAGE, OTHER = (
    "inline", "instance", "linkbase", "schema", "html", "xbrl-json", "r-page", "other")


class Store:
    """A place holding named entries (files); names use ``/`` and may contain ``!``."""

    display: str

    def names(self) -> list[str]:
        raise NotImplementedError

    def size(self, name: str) -> int:
        raise NotImplementedError

    def read(self, name: str, limit: int | None = None) -> bytes:
        raise NotImplementedError

    def display_name(self, name: str) -> str:
        raise NotImplementedError

    def exists(self, name: str) -> bool:
        return name in self._name_set()

    def split(self, name: str) -> tuple[str, str | None]:
        """(container, member): a folder's zip and the member in it, or (name, None)."""
        return name, None

    def nested(self, name: str) -> bool:
        """Whether ``name`` is a member of a zip inside this store (a folder's zips)."""
        return self.split(name)[1] is not None

    def _name_set(self) -> set[str]:
        cached = getattr(self, "_names_cache", None)
        if cached is None:
            cached = set(self.names())
            self._names_cache = cached
        return cached


def _check_member_size(size: int, where: str, limits: ParseLimits) -> None:
    if size > limits.max_bytes:
        raise InputError(f"is {size:,} bytes uncompressed, over the limit of {limits.max_bytes:,} "
                         f"(raise it with --max-xml-bytes)", where)


# what reading a broken or hostile zip can raise: corrupt deflate data (zlib.error), an
# encrypted member (RuntimeError), a truncated one (EOFError), a method Python lacks
# (NotImplementedError), a malformed header (ValueError, struct.error), lzma's own error
ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError, zlib.error,
              struct.error, lzma.LZMAError)


# filings and taxonomies compress 10-30 times (the corpus: at most 27); a member that claims
# to expand 200 times beyond a mebibyte is a zip bomb (30 million empty elements in 120 KB)
MAX_EXPANSION = 200


def check_expansion(info: zipfile.ZipInfo, where: str) -> None:
    if info.file_size > 1 << 20 and info.file_size > MAX_EXPANSION * max(info.compress_size, 1):
        raise InputError(f"expands {info.file_size // max(info.compress_size, 1):,} times its compressed size "
                         f"({info.file_size:,} bytes): a zip bomb? refusing it", where)


class ZipStore(Store):
    def __init__(self, path: str, limits: ParseLimits = DEFAULT_LIMITS, display: str | None = None,
                 data: bytes | None = None):
        self.display = display or path
        self.limits = limits
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data) if data is not None else path)
        except ZIP_ERRORS as exc:
            raise InputError(f"is not a readable zip archive ({exc})", self.display) from None
        self._infos = {}
        for info in self._zip.infolist():
            if info.is_dir():
                continue
            if info.filename in self._infos:  # which one a reader gets is up to the reader: refused
                raise InputError(f"holds the member {info.filename!r} twice", self.display)
            self._infos[info.filename] = info

    def names(self) -> list[str]:
        return sorted(self._infos)

    def size(self, name: str) -> int:
        return self._infos[name].file_size

    def read(self, name: str, limit: int | None = None) -> bytes:
        info = self._infos[name]
        where = self.display_name(name)
        if limit is None:
            _check_member_size(info.file_size, where, self.limits)
            check_expansion(info, where)
        try:
            with self._zip.open(info) as stream:
                if limit is not None:
                    return stream.read(limit)
                data = stream.read(self.limits.max_bytes + 1)
        except ZIP_ERRORS as exc:
            raise InputError(f"cannot be extracted ({exc})", where) from None
        _check_member_size(len(data), where, self.limits)
        return data

    def display_name(self, name: str) -> str:
        return f"{self.display}!{name}"


class FolderStore(Store):
    """The files of one folder (not its subfolders), and the members of its zips."""

    def __init__(self, path: str, limits: ParseLimits = DEFAULT_LIMITS, only: list[str] | None = None):
        self.path = path
        self.display = path
        self.limits = limits
        self._zips: dict[str, ZipStore] = {}
        try:
            entries = sorted(os.listdir(path)) if only is None else only
        except OSError as exc:
            raise InputError(f"cannot be listed ({exc.strerror})", path) from None
        self._files = [e for e in entries if os.path.isfile(os.path.join(path, e))]
        self._file_set = set(self._files)

    def zip_store(self, file: str) -> ZipStore:
        if file not in self._zips:
            self._zips[file] = ZipStore(os.path.join(self.path, file), self.limits,
                                        display=os.path.join(self.path, file))
        return self._zips[file]

    def names(self) -> list[str]:
        out = []
        for file in self._files:
            out.append(file)
            if file.lower().endswith(".zip"):
                try:
                    out.extend(f"{file}!{member}" for member in self.zip_store(file).names())
                except InputError:
                    pass  # a broken zip beside the filing is not the filing
        return out

    def split(self, name: str) -> tuple[str, str | None]:
        """(file, zip member or None): ``!`` separates a member only after the name of a zip
        of this folder, so a file whose own name holds ``!`` is still a file."""
        if name in self._file_set:
            return name, None
        start = 0
        while (at := name.find("!", start)) >= 0:
            head = name[:at]
            if head in self._file_set and head.lower().endswith(".zip"):
                return head, name[at + 1:]
            start = at + 1
        return name, None


    def size(self, name: str) -> int:
        file, member = self.split(name)
        if member is not None:
            return self.zip_store(file).size(member)
        return os.path.getsize(os.path.join(self.path, file))

    def read(self, name: str, limit: int | None = None) -> bytes:
        file, member = self.split(name)
        if member is not None:
            return self.zip_store(file).read(member, limit)
        full = os.path.join(self.path, file)
        try:
            with open(full, "rb") as stream:
                if limit is not None:
                    return stream.read(limit)
                size = os.fstat(stream.fileno()).st_size
                _check_member_size(size, full, self.limits)
                return stream.read()
        except OSError as exc:
            raise InputError(f"cannot be read ({exc.strerror})", full) from None

    def open_stream(self, name: str):
        """A binary stream for streaming parsers; zip members are streamed from the archive."""
        file, member = self.split(name)
        if member is not None:
            return io.BytesIO(self.read(name))
        return open(os.path.join(self.path, file), "rb")

    def display_name(self, name: str) -> str:
        file, member = self.split(name)
        shown = os.path.join(self.path, file) if self.path not in ("", ".") else file
        return f"{shown}!{member}" if member is not None else shown


def resolve_href(base_name: str, href: str, store: Store | None = None) -> str | None:
    """An href relative to the entry ``base_name`` of ``store``; None for absolute URLs
    (never fetched). The store says where a zip member's name starts (a file's own name
    may hold ``!``); without one, the last ``!`` does."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href) or href.startswith("/"):
        return None
    href = href.split("#", 1)[0]
    if store is not None:
        container, inner = store.split(base_name)
    else:
        head, sep, tail = base_name.rpartition("!")
        container, inner = (head, tail) if sep else (base_name, None)
    base = inner if inner is not None else container
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), href))
    return f"{container}!{joined}" if inner is not None else joined


_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]")


def sniff(head: bytes, name: str) -> str:
    """Classify an entry from its first bytes."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with its byte-order mark: sniff the text
        head = head[: len(head) // 2 * 2].decode("utf-16", errors="ignore").encode("utf-8")
    body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    stripped = body.lstrip()
    if not stripped:
        return OTHER
    if stripped[:1] in (b"{", b"["):
        return OIM_JSON if b'"documentInfo"' in head else OTHER
    if not stripped.startswith(b"<"):
        return OTHER
    if b"http://www.xbrl.org/2013/inlineXBRL" in head or b"http://www.xbrl.org/2008/inlineXBRL" in head:
        return INLINE
    pos = 0
    while True:
        m = _FIRST_ELEMENT.search(stripped, pos)
        if not m:
            return OTHER
        before = stripped[max(0, m.start() - 3): m.start() + 2]
        if b"<!" in before or b"<?" in before:
            pos = m.end()
            continue
        local = m.group(2).lower()
        break
    if local == b"xbrl":
        return INSTANCE if b"http://www.xbrl.org/2003/instance" in head else OTHER
    if local == b"linkbase":
        return LINKBASE
    if local == b"schema":
        return SCHEMA
    if local == b"html":
        # an SEC viewer page: a report table whose rows link to defref_ definitions
        return R_PAGE if b'class="report"' in head and b"defref_" in head else HTML
    return OTHER


@dataclass(frozen=True)
class Entry:
    """One document in a store, with what sniffing found it to be."""

    store: Store
    name: str
    kind: str

    @property
    def display(self) -> str:
        return self.store.display_name(self.name)

    def read(self) -> bytes:
        return self.store.read(self.name)


def classify(store: Store, names: list[str] | None = None) -> list[Entry]:
    entries = []
    for name in (names if names is not None else store.names()):
        lower = name.lower()
        if not lower.endswith(_SNIFFED_EXTENSIONS):
            continue
        entries.append(Entry(store, name, sniff(head_of(lambda size, name=name: store.read(name, size)), name)))
    return entries
