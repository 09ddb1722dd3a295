"""Wall time and peak memory of `discheck facts` on given filings, as a user runs it.

    python benchmarks/facts_speed.py [--runs 7] FILING...

Each run is a fresh process (`python -m checker facts FILING -o /dev/null`); the
median and the spread of wall time are printed with the peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time


def measure(filing: str, runs: int) -> None:
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "checker", "facts", filing, "-o", os.devnull])
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{filing}: exit {os.waitstatus_to_exitcode(status)}")
    print(f"{os.path.basename(filing):40} median {statistics.median(times):.3f}s "
          f"(min {min(times):.3f}, max {max(times):.3f}, {runs} runs)  peak RSS {max(peaks):.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("filings", nargs="+")
    args = parser.parse_args()
    for filing in args.filings:
        measure(filing, args.runs)


if __name__ == "__main__":
    main()
