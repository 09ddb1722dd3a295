"""Checking many filings: discovery, work units, a local process pool or a Dask cluster,
and results kept per filing so that an interrupted run resumes where it stopped.

A work unit is a path (a filing's folder, zip or document) or a chunk of a data set
quarter (its tables' paths and the byte runs of some submissions, found in one pass by
the parent): workers read the files themselves, so nothing but paths, offsets and the
run's options travels to them, never facts, and each worker parses the rule packs once.
Every unit ends as a list of filing results in their JSON form (what ``--results``
stores), or as an input problem of that unit: one unreadable filing never stops the batch.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field

from .errors import CheckerError, InputError
from .loaders import DEFAULT_LIMITS, ParseLimits
from .loaders import package
from .loaders.fsds import FsdsIndex
from .results import CheckResult, FilingResult, Problem, filing_result_from_dict

_FILING_KINDS = {package.INLINE, package.INSTANCE, package.OIM_JSON, package.R_PAGE}
_DOCUMENT_EXTENSIONS = (".xml", ".htm", ".html", ".xhtml", ".json", ".xbrl")


@dataclass(frozen=True)
class BatchOptions:
    """What ``check`` takes, as plain data a worker process or a Dask worker receives."""

    rules: tuple[str, ...] | None = None
    params: tuple[tuple[str, str], ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    limits: ParseLimits = DEFAULT_LIMITS
    calc: str | None = None
    calc_partial: str = "auto"
    rollforwards: bool = False
    rollforwards_partial: str = "warning"
    tagging: str = "warning"
    rendered: bool = False


@dataclass(frozen=True)
class FsdsChunk:
    """Some submissions of a data set, as a work unit: the index restricted to them."""

    data_set: str
    index: FsdsIndex

    @property
    def name(self) -> str:
        slices = self.index.slices
        return f"{self.data_set}!{slices[0].adsh}" + (f"..{slices[-1].adsh}" if len(slices) > 1 else "")

    @property
    def filings(self) -> int:
        return len(self.index.slices)


CHUNK_ROWS = (2_000, 50_000)   # rows of num.txt per data set chunk: at least, at most


def fsds_chunks(data_set: str, index: FsdsIndex, jobs: int) -> list[FsdsChunk]:
    """The submissions of a data set in ``sub.txt`` order, cut into chunks of similar row
    counts: several per worker, so that they balance, few enough that scheduling is cheap."""
    from dataclasses import replace
    total = sum(s.rows for s in index.slices)
    target = min(max(total // max(1, jobs * 8), CHUNK_ROWS[0]), CHUNK_ROWS[1])
    chunks, current, rows = [], [], 0
    for piece in index.slices:
        current.append(piece)
        rows += piece.rows
        if rows >= target:
            chunks.append(FsdsChunk(data_set, replace(index, slices=tuple(current))))
            current, rows = [], 0
    if current:
        chunks.append(FsdsChunk(data_set, replace(index, slices=tuple(current))))
    return chunks


def unit_name(unit) -> str:
    return unit.name if isinstance(unit, FsdsChunk) else unit


@dataclass
class Discovery:
    units: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (path, why)


# --- discovery -------------------------------------------------------------------------------------

def discover(paths: list[str]) -> Discovery:
    """Filings under ``paths`` as EDGAR lays them out: a folder holding a filing's documents
    (instance or inline set, R pages) is one filing; a data set quarter (zip or folder) is
    one unit; a zip is a filing; a loose document is a filing. Everything passed over is
    listed with the reason."""
    from .loaders import fsds_submission
    from .loaders.fsds import is_fsds
    found = Discovery()
    for path in paths:
        if not os.path.exists(path):
            if fsds_submission(path) is not None:   # one submission of a data set, as reports name it
                found.units.append(path)
                continue
            raise CheckerError("does not exist", path)
        if os.path.isdir(path):
            _walk(path, found, is_fsds)
        else:
            found.units.append(path)   # named explicitly: read (and reported if it cannot be)
    return found


def _walk(folder: str, found: Discovery, is_fsds) -> None:
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        found.skipped.append((folder, f"cannot be listed ({exc.strerror})"))
        return
    if is_fsds(names):
        found.units.append(folder)
        return
    files = [n for n in names if os.path.isfile(os.path.join(folder, n)) and not n.startswith(".")]
    kinds = {n: _sniff(os.path.join(folder, n)) for n in files if n.lower().endswith(_DOCUMENT_EXTENSIONS)}
    if any(kind in _FILING_KINDS for kind in kinds.values()):
        found.units.append(folder)
        for name in files:
            if name.lower().endswith(".zip"):
                found.skipped.append((os.path.join(folder, name), "a zip beside the filing's own documents: read "
                                                                    "with the folder's filing, not on its own"))
        return
    zips = {n: _zip_holds(os.path.join(folder, n), is_fsds) for n in files if n.lower().endswith(".zip")}
    filing_zips = [n for n, holds in zips.items() if holds == "filing"]
    subfolders = [n for n in names if os.path.isdir(os.path.join(folder, n)) and not n.startswith(".")]
    if len(filing_zips) == 1 and not subfolders and all(holds != "data set" for holds in zips.values()):
        # one filing zipped with its linkbases zipped beside it: the folder is the filing
        found.units.append(folder)
        return
    for name in files:
        path = os.path.join(folder, name)
        lower = name.lower()
        if lower.endswith(".zip"):
            if zips[name] in ("filing", "data set"):
                found.units.append(path)
            else:
                found.skipped.append((path, zips[name]))
        elif lower.endswith(".csv"):
            found.skipped.append((path, "a table beside no filing: name it to check it as a facts table"))
        elif name in kinds:
            found.skipped.append((path, f"not a filing ({kinds[name]})"))
        else:
            found.skipped.append((path, "not a filing document"))
    for name in names:
        sub = os.path.join(folder, name)
        if os.path.isdir(sub) and not name.startswith("."):
            _walk(sub, found, is_fsds)


def _zip_holds(path: str, is_fsds) -> str:
    """"filing", "data set", or why the zip is passed over (its members are sniffed)."""
    import zipfile
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if is_fsds(names):
                return "data set"
            for name in names:
                if name.lower().endswith(_DOCUMENT_EXTENSIONS):
                    with archive.open(name) as member:
                        if package.sniff(member.read(package.SNIFF_BYTES), name) in _FILING_KINDS:
                            return "filing"
    except package.ZIP_ERRORS:
        return "a zip that cannot be read"
    except (OSError, RuntimeError, NotImplementedError) as exc:
        return f"a zip that cannot be read ({exc})"
    return "a zip holding no filing document (linkbases, schemas or other files only)"


def _sniff(path: str) -> str:
    try:
        with open(path, "rb") as stream:
            head = package.head_of(stream.read)
    except OSError:
        return package.OTHER
    return package.sniff(head, os.path.basename(path))


# --- one unit ---------------------------------------------------------------------------------------

_worker_rules: dict = {}


def _pairs(options: BatchOptions):
    """The run's (rule, parameters) pairs, parsed once per process."""
    key = (options.rules, options.params, options.select, options.ignore, options.calc, options.calc_partial,
           options.rollforwards, options.rollforwards_partial)
    if key not in _worker_rules:
        _worker_rules.clear()
        _worker_rules[key] = rule_pairs(options)
    return _worker_rules[key]


def rule_pairs(options: BatchOptions):
    from .api import rule_set
    return rule_set(list(options.rules) if options.rules is not None else None, dict(options.params),
                    options.select, options.ignore, options.calc, options.calc_partial, options.rollforwards,
                    options.rollforwards_partial)


def check_unit(unit, options: BatchOptions) -> dict:
    """Check every filing of ``unit`` (a path, or a data set chunk): ``{"path", "results":
    [FilingResult dicts], "reported": [concepts]}``. A filing that cannot be read is an
    input problem of its own; a bug of ours is an ``internal-error`` problem (the batch goes
    on, and ends with exit 3)."""
    from .api import check_one
    from .loaders import iter_filings
    _packs, pairs = _pairs(options)
    name = unit_name(unit)
    results, reported = [], set()

    def checked(filing) -> None:
        results.append(check_one(filing, pairs, options.tagging, options.rendered, options.limits).to_dict())
        reported.update(str(fact.concept) for fact in filing.facts)

    if isinstance(unit, FsdsChunk):
        from .loaders.fsds import SubmissionReader
        reader = SubmissionReader(unit.index)
        for piece in unit.index.slices:   # one submission at a time; a damaged one is its own problem
            where = f"{unit.index.tables.prefix}{piece.adsh}"
            _guarded(lambda p=piece: checked(reader.filing(p, options.limits)), where, results)
    else:
        _guarded(lambda: [checked(filing) for filing in iter_filings(unit, options.limits)], name, results)
    return {"path": name, "results": results, "reported": sorted(reported)}


def _guarded(work, path: str, results: list) -> None:
    try:
        work()
    except InputError as exc:
        results.append(_problem_result(path, "input", str(exc)))
    except MemoryError:
        results.append(_problem_result(path, "input", f"{path}: ran out of memory reading it"))
    except Exception as exc:  # noqa: BLE001 - a bug of ours must not stop the other filings
        results.append(_problem_result(path, "internal-error",
                                       f"{path}: internal error ({type(exc).__name__}: {exc}); please report it"))


def _problem_result(path: str, kind: str, message: str) -> dict:
    return FilingResult(path, "unreadable", (), 0, (), (Problem(kind, message, path, None, "error"),), ()).to_dict()


# --- resuming ---------------------------------------------------------------------------------------

def unit_key(path: str, run_fingerprint: str) -> str:
    """The path and the content of every file under it, with the run's options and packs."""
    digest = hashlib.sha256(run_fingerprint.encode())
    digest.update(os.path.abspath(path).encode())
    for name in _files_under(path):
        digest.update(os.path.relpath(name, path).encode() + b"\0")
        with open(name, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:40]


def _files_under(path: str) -> list[str]:
    if not os.path.isdir(path):
        return [path]
    out = []
    for root, dirs, files in os.walk(path):
        dirs.sort()
        out.extend(os.path.join(root, f) for f in sorted(files))
    return out


def run_fingerprint(options: BatchOptions) -> str:
    """The options and the text of every pack: a changed rule makes every result stale."""
    from .api import default_rule_paths
    digest = hashlib.sha256(repr(options).encode())
    for root in (list(options.rules) if options.rules is not None else default_rule_paths()):
        for name in _files_under(root) if os.path.exists(root) else []:
            with open(name, "rb") as stream:
                digest.update(stream.read())
    return digest.hexdigest()


class ResultStore:
    """``--results DIR``: one JSON file per unit, written when it finishes."""

    def __init__(self, folder: str, fingerprint: str):
        self.folder, self.fingerprint = folder, fingerprint
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise CheckerError(f"cannot be created ({exc.strerror})", folder) from None

    def _file(self, key: str) -> str:
        return os.path.join(self.folder, key + ".json")

    def get(self, key: str) -> dict | None:
        try:
            with open(self._file(key), encoding="utf-8") as stream:
                return json.load(stream)
        except (OSError, ValueError):
            return None

    def put(self, key: str, outcome: dict) -> None:
        temporary = self._file(key) + ".part"
        with open(temporary, "w", encoding="utf-8") as stream:
            json.dump(outcome, stream)
        os.replace(temporary, self._file(key))


# --- engines ----------------------------------------------------------------------------------------

def _run_local(units: list, options: BatchOptions, jobs: int, done):
    if jobs <= 1 or len(units) <= 1:
        for unit in units:
            done(unit, check_unit(unit, options))
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed
    import multiprocessing
    context = multiprocessing.get_context("spawn" if sys.platform == "win32" else "forkserver")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {pool.submit(check_unit, unit, options): unit for unit in units}
        for future in as_completed(futures):
            done(futures[future], future.result())


def _run_dask(units: list, options: BatchOptions, jobs: int, scheduler: str | None, done):
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise CheckerError("--engine dask needs Dask: pip install 'discheck[dask]'") from None
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        futures = client.map(check_unit, units, options=options, pure=False)
        by_key = {f.key: unit for f, unit in zip(futures, units, strict=True)}
        pending = as_completed(futures)
        del futures   # each result is released from the cluster once it is taken
        for future in pending:
            outcome = future.result()
            future.release()
            done(by_key[future.key], outcome)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_batch(paths: list[str], options: BatchOptions, jobs: int | None = None, engine: str = "local",
              scheduler: str | None = None, results_dir: str | None = None, progress: bool = False,
              verbose: bool = False, log=sys.stderr) -> tuple[CheckResult, Discovery, int]:
    """Check every filing found under ``paths``; returns the combined result (filings in
    discovery order, whatever finished first), what was skipped, and how many filings'
    results came from ``results_dir`` without being checked again."""
    from .api import combined_result
    packs, pairs = rule_pairs(options)   # a pack's mistake is exit 2 before any work starts
    found = discover(paths)
    if verbose:
        for path, why in found.skipped:
            print(f"discheck: skipped {path}: {why}", file=log)
    jobs = jobs or os.cpu_count() or 1
    work, indexes = _work_units(found.units, options, jobs)
    try:
        outcomes, reused = _run_units(work, options, jobs, engine, scheduler, results_dir, progress)
    finally:
        for index in indexes:
            index.close()
    filings, reported = [], set()
    for unit in work:
        results, concepts = outcomes[unit_name(unit)]
        filings.extend(results)
        reported.update(concepts)
    from .model import QName
    concepts = {QName(*c.split(":", 1)) if ":" in c else QName("", c) for c in reported}
    return combined_result(filings, packs, pairs, concepts), found, reused


def _work_units(units: list[str], options: BatchOptions, jobs: int) -> tuple[list, list[FsdsIndex]]:
    """The discovered units, with each data set indexed (one pass, in this process) and cut
    into chunks; a data set that cannot be indexed stays a path, reported as unreadable."""
    from .loaders import _is_fsds
    from .loaders.fsds import index_fsds
    work: list = []
    indexes: list[FsdsIndex] = []
    for path in units:
        if not _is_fsds(path):
            work.append(path)
            continue
        try:
            index = index_fsds(path, options.limits)
        except (InputError, OSError):
            work.append(path)   # check_unit reads it again and says why it cannot
            continue
        indexes.append(index)
        work.extend(fsds_chunks(path, index, jobs) if index.slices else [path])
    return work, indexes


def _run_units(work: list, options: BatchOptions, jobs: int, engine: str, scheduler: str | None,
               results_dir: str | None, progress: bool) -> tuple[dict[str, tuple], int]:
    """Every unit's outcome by name, ``(filing results, concepts reported)``, from
    ``results_dir`` where kept there, else checked. Each outcome is turned into result
    objects as it arrives, so a quarter's worth of JSON never piles up."""
    outcomes: dict[str, tuple] = {}
    shared: dict = {}   # one object per concept name and per coverage entry, however many filings repeat it

    def kept(outcome: dict) -> tuple:
        return (tuple(filing_result_from_dict(item, shared) for item in outcome["results"]),
                frozenset(shared.setdefault(c, c) for c in outcome["reported"]))

    store = None
    keys: dict[str, str] = {}
    if results_dir:
        store = ResultStore(results_dir, run_fingerprint(options))
        contents: dict[str, str] = {}   # a data set's content is hashed once for all its chunks
        for unit in work:
            name = unit_name(unit)
            if isinstance(unit, FsdsChunk):
                if unit.data_set not in contents:
                    contents[unit.data_set] = unit_key(unit.data_set, store.fingerprint)
                keys[name] = hashlib.sha256(f"{contents[unit.data_set]}\0{name}".encode()).hexdigest()[:40]
            else:
                keys[name] = unit_key(unit, store.fingerprint)
            stored = store.get(keys[name])
            if stored is not None and stored.get("path") == name:
                outcomes[name] = kept(stored)
    reused = sum(len(results) for results, _ in outcomes.values())   # filings, not units
    todo = [unit for unit in work if unit_name(unit) not in outcomes]
    expected = sum(unit.filings if isinstance(unit, FsdsChunk) else 1 for unit in work)
    bar = _progress(expected, reused) if progress else None
    violations = [0]

    def done(unit, outcome: dict) -> None:
        name = unit_name(unit)
        outcomes[name] = kept(outcome)
        if store is not None:
            store.put(keys[name], outcome)
        if bar is not None:
            violations[0] += sum(len(r["violations"]) for r in outcome["results"])
            bar.set_postfix_str(f"{violations[0]:,} violations", refresh=False)
            bar.update(len(outcome["results"]))

    try:
        if engine == "dask":
            _run_dask(todo, options, jobs, scheduler, done)
        else:
            _run_local(todo, options, jobs, done)
    finally:
        if bar is not None:
            bar.close()
    return outcomes, reused


def _progress(total: int, initial: int):
    """A progress bar on a terminal (tqdm, an optional extra), else None."""
    if not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, initial=initial, unit="filing", dynamic_ncols=True, file=sys.stderr)
