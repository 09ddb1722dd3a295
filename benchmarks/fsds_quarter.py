"""A modern-size data set quarter through `discheck batch`: wall time, peak memory of the
whole process tree, violations and values per second, with 1 and 2 jobs and on a Dask
LocalCluster of 2 workers.

    python benchmarks/fsds_quarter.py [--quarter ../shared/corpus/fsds/quarter-2010q2/2010q2.zip]
                                      [--copies 25] [--runs local1,local2,dask2] [--keep DIR]

The quarter is built by repeating a corpus quarter's submissions under new accession
numbers (25 x 2010q2 = 13,050 submissions and 3.4 million values, about a modern quarter),
as a folder of sub.txt, num.txt and pre.txt. The violations found must be exactly
``copies`` times those of the original quarter: the run says so, or fails. Peak memory is
the largest sum of the resident memory of batch and every process under it, sampled from
/proc every 50 ms (Linux).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_QUARTER = os.path.join(REPO, "..", "shared", "corpus", "fsds", "quarter-2010q2", "2010q2.zip")


def _tables(quarter: str) -> dict[str, bytes]:
    with zipfile.ZipFile(quarter) as archive:
        names = {n.rsplit("/", 1)[-1].lower(): n for n in archive.namelist()}
        return {t: archive.read(names[t]) for t in ("sub.txt", "num.txt", "pre.txt") if t in names}


def _renamed(adsh: bytes, copy: int) -> bytes:
    """A new accession number of the same shape: the filer-agent part's first digits carry the copy."""
    return b"%02d" % copy + adsh[2:] if copy else adsh


def build(quarter: str, copies: int, folder: str) -> tuple[int, int]:
    """Write ``copies`` repetitions of ``quarter``'s submissions into ``folder``: (submissions, values)."""
    tables = _tables(quarter)
    os.makedirs(folder, exist_ok=True)
    submissions = values = 0
    for table, data in tables.items():
        header, _, body = data.partition(b"\n")
        column = header.decode().rstrip("\r").split("\t").index("adsh")
        rows = [line.split(b"\t") for line in body.split(b"\n") if line.strip()]
        originals = {row[column] for row in rows}
        for copy in range(copies):
            if len({_renamed(a, copy) for a in originals}) != len(originals):
                raise SystemExit(f"copy {copy}: renamed accession numbers collide")
        with open(os.path.join(folder, table), "wb") as out:
            out.write(header + b"\n")
            for copy in range(copies):
                for row in rows:
                    row = list(row)
                    row[column] = _renamed(row[column], copy)
                    out.write(b"\t".join(row) + b"\n")
        if table == "sub.txt":
            submissions = len(rows) * copies
        if table == "num.txt":
            values = len(rows) * copies
    return submissions, values


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and every process under it."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stream:
                fields = stream.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, []))
    return total


def measure(command: list[str]) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall seconds, peak resident bytes of the process tree, and the finished process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss(process.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    return wall, peak[0], subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _violations(report: str) -> int:
    with open(report) as stream:
        return json.load(stream)["summary"]["violations"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quarter", default=DEFAULT_QUARTER)
    parser.add_argument("--copies", type=int, default=25)
    parser.add_argument("--runs", default="local1,local2,dask2", help="engine and job count, comma-separated")
    parser.add_argument("--keep", metavar="DIR", help="build the quarter here and keep it")
    args = parser.parse_args()
    if not os.path.exists(args.quarter):
        print(f"no quarter at {args.quarter} (it comes with ../shared/corpus)", file=sys.stderr)
        return 2
    work = tempfile.mkdtemp(prefix="discheck-quarter-")
    folder = args.keep or os.path.join(work, "quarter")
    started = time.perf_counter()
    submissions, values = build(args.quarter, args.copies, folder)
    print(f"built {args.copies} x {os.path.basename(args.quarter)}: {submissions:,} submissions, {values:,} values "
          f"in {time.perf_counter() - started:.1f} s ({folder})")
    base = [sys.executable, "-m", "checker", "batch", "--fail-on", "never", "--no-progress", "-f", "json"]
    original_report = os.path.join(work, "original.json")
    subprocess.run(base + [args.quarter, "-j", "1", "-o", original_report], check=True, cwd=REPO,
                   capture_output=True)
    original = _violations(original_report)
    print(f"the original quarter: {original} violations; expected in the copy: {original * args.copies}")
    print(f"{'run':<8} {'wall s':>8} {'peak MiB':>9} {'violations':>10} {'values/s':>10}")
    walls = {}
    for run in args.runs.split(","):
        engine, jobs = run.rstrip("0123456789"), run[len(run.rstrip("0123456789")):] or "1"
        report = os.path.join(work, f"{run}.json")
        command = base + [folder, "-j", jobs, "--engine", engine, "-o", report]
        wall, peak, done = measure(command)
        if done.returncode not in (0, 1):
            print(f"{run}: exit {done.returncode}: {done.stderr.decode()[-2000:]}", file=sys.stderr)
            return 1
        found = _violations(report)
        walls[run] = wall
        print(f"{run:<8} {wall:8.1f} {peak / 2**20:9.0f} {found:10,} {values / wall:10,.0f}"
              + ("" if found == original * args.copies else f"  MISMATCH: expected {original * args.copies}"))
    if "local1" in walls and "local2" in walls:
        print(f"2 jobs vs 1: {walls['local1'] / walls['local2']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
