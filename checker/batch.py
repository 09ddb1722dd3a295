"""Checking many filings: discovery, work units, a local process pool or a Dask cluster,
and results kept per filing so that an interrupted run resumes where it stopped.

A work unit is a path (a filing's folder, zip or document, or a data set quarter):
workers read the files themselves, so nothing but a path and the run's options travels
to them, and each worker parses the rule packs once. Every unit ends as a list of
filing results in their JSON form (what ``--results`` stores), or as an input problem
of that unit: one unreadable filing never stops the batch.
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
    from .loaders.fsds import is_fsds
    found = Discovery()
    for path in paths:
        if not os.path.exists(path):
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


def check_unit(path: str, options: BatchOptions) -> dict:
    """Check every filing at ``path``: ``{"path", "results": [FilingResult dicts], "reported":
    [concepts]}``. A filing that cannot be read is an input problem of its own; a bug of
    ours is an ``internal-error`` problem (the batch goes on, and ends with exit 3)."""
    from .api import check_one
    from .loaders import load_filings
    _packs, pairs = _pairs(options)
    results, reported = [], set()
    try:
        for filing in load_filings(path, options.limits):
            results.append(check_one(filing, pairs, options.tagging, options.rendered, options.limits).to_dict())
            reported.update(str(fact.concept) for fact in filing.facts)
    except InputError as exc:
        results.append(_problem_result(path, "input", str(exc)))
    except MemoryError:
        results.append(_problem_result(path, "input", f"{path}: ran out of memory reading it"))
    except Exception as exc:  # noqa: BLE001 - a bug of ours must not stop the other filings
        results.append(_problem_result(path, "internal-error",
                                       f"{path}: internal error ({type(exc).__name__}: {exc}); please report it"))
    return {"path": path, "results": results, "reported": sorted(reported)}


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

def _run_local(units: list[str], options: BatchOptions, jobs: int, done):
    if jobs <= 1 or len(units) <= 1:
        for path in units:
            done(path, check_unit(path, options))
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed
    import multiprocessing
    context = multiprocessing.get_context("spawn" if sys.platform == "win32" else "forkserver")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {pool.submit(check_unit, path, options): path for path in units}
        for future in as_completed(futures):
            done(futures[future], future.result())


def _run_dask(units: list[str], options: BatchOptions, jobs: int, scheduler: str | None, done):
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
        by_key = {f.key: path for f, path in zip(futures, units, strict=True)}
        for future in as_completed(futures):
            done(by_key[future.key], future.result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_batch(paths: list[str], options: BatchOptions, jobs: int | None = None, engine: str = "local",
              scheduler: str | None = None, results_dir: str | None = None, progress: bool = False,
              verbose: bool = False, log=sys.stderr) -> tuple[CheckResult, Discovery, int]:
    """Check every filing found under ``paths``; returns the combined result (filings in
    discovery order, whatever finished first), what was skipped, and how many units came
    from ``results_dir`` without being checked again."""
    from .api import combined_result
    packs, pairs = rule_pairs(options)   # a pack's mistake is exit 2 before any work starts
    found = discover(paths)
    if verbose:
        for path, why in found.skipped:
            print(f"discheck: skipped {path}: {why}", file=log)
    jobs = jobs or os.cpu_count() or 1
    outcomes: dict[str, dict] = {}
    store = keys = None
    if results_dir:
        store = ResultStore(results_dir, run_fingerprint(options))
        keys = {path: unit_key(path, store.fingerprint) for path in found.units}
        for path in found.units:
            kept = store.get(keys[path])
            if kept is not None and kept.get("path") == path:
                outcomes[path] = kept
    reused = len(outcomes)
    todo = [path for path in found.units if path not in outcomes]
    bar = _progress(len(found.units), reused) if progress else None
    violations = [0]

    def done(path: str, outcome: dict) -> None:
        outcomes[path] = outcome
        if store is not None:
            store.put(keys[path], outcome)
        if bar is not None:
            violations[0] += sum(len(r["violations"]) for r in outcome["results"])
            bar.set_postfix_str(f"{violations[0]:,} violations", refresh=False)
            bar.update(1)

    try:
        if engine == "dask":
            _run_dask(todo, options, jobs, scheduler, done)
        else:
            _run_local(todo, options, jobs, done)
    finally:
        if bar is not None:
            bar.close()
    filings, reported = [], set()
    for path in found.units:
        outcome = outcomes[path]
        filings.extend(filing_result_from_dict(item) for item in outcome["results"])
        reported.update(outcome["reported"])
    from .model import QName
    concepts = {QName(*c.split(":", 1)) if ":" in c else QName("", c) for c in reported}
    return combined_result(filings, packs, pairs, concepts), found, reused


def _progress(total: int, initial: int):
    """A progress bar on a terminal (tqdm, an optional extra), else None."""
    if not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, initial=initial, unit="filing", dynamic_ncols=True, file=sys.stderr)
