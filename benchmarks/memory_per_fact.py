"""Peak memory per fact of `discheck facts` and `discheck check`, for instance, inline and
FSDS input of growing size.

    python benchmarks/memory_per_fact.py [--sizes 20000,80000,320000] [--kinds instance,inline,fsds]

Each input is generated (distinct concepts, contexts and values, as a large filing has
them), then each command runs in a fresh process and its peak resident memory is read
from the operating system. The marginal cost per fact, between the smallest and the
largest size, is what the default 1 GiB input limit multiplies.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import zipfile

CONTEXTS = 40


def _contexts() -> str:
    out = []
    for i in range(CONTEXTS):
        year = 1990 + i
        out.append(f'<xbrli:context id="c{i}"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">'
                   f'0000000001</xbrli:identifier></xbrli:entity><xbrli:period><xbrli:instant>{year}-12-31'
                   f'</xbrli:instant></xbrli:period></xbrli:context>')
    return "\n".join(out)


def instance(path: str, facts: int) -> None:
    with open(path, "w") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance" '
                  'xmlns:iso4217="http://www.xbrl.org/2003/iso4217" xmlns:us-gaap="http://fasb.org/us-gaap/2024">\n')
        out.write(_contexts() + '\n<xbrli:unit id="usd"><xbrli:measure>iso4217:USD</xbrli:measure></xbrli:unit>\n')
        for i in range(facts):
            out.write(f'<us-gaap:Concept{i // CONTEXTS} id="f{i}" contextRef="c{i % CONTEXTS}" unitRef="usd" '
                      f'decimals="-3">{(i * 7919) % 10_000_000 * 1000}</us-gaap:Concept{i // CONTEXTS}>\n')
        out.write("</xbrli:xbrl>\n")


def inline(path: str, facts: int) -> None:
    with open(path, "w") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
                  'xmlns:ix="http://www.xbrl.org/2013/inlineXBRL" xmlns:xbrli="http://www.xbrl.org/2003/instance" '
                  'xmlns:link="http://www.xbrl.org/2003/linkbase" xmlns:xlink="http://www.w3.org/1999/xlink" '
                  'xmlns:iso4217="http://www.xbrl.org/2003/iso4217" xmlns:us-gaap="http://fasb.org/us-gaap/2024" '
                  'xmlns:ixt="http://www.xbrl.org/inlineXBRL/transformation/2020-02-12"><body>\n'
                  '<div style="display:none"><ix:header><ix:resources>\n')
        out.write(_contexts() + '\n<xbrli:unit id="usd"><xbrli:measure>iso4217:USD</xbrli:measure></xbrli:unit>\n')
        out.write("</ix:resources></ix:header></div>\n<table>\n")
        for i in range(facts):
            out.write(f'<tr><td>Line {i}</td><td><ix:nonFraction name="us-gaap:Concept{i // CONTEXTS}" id="f{i}" '
                      f'contextRef="c{i % CONTEXTS}" unitRef="usd" decimals="-3" scale="3" '
                      f'format="ixt:num-dot-decimal">{(i * 7919) % 10_000_000:,}</ix:nonFraction></td></tr>\n')
        out.write("</table></body></html>\n")


def fsds(path: str, facts: int) -> None:
    per = 2000  # facts per submission, as a large filer's
    subs = ["adsh\tcik\tname\tform\tperiod\tfy\tfp\tfiled"]
    nums = ["adsh\ttag\tversion\tcoreg\tddate\tqtrs\tuom\tvalue\tfootnote"]
    for i in range(facts):
        adsh = f"0000000001-24-{i // per:06d}"
        if i % per == 0:
            subs.append(f"{adsh}\t{i // per + 1}\tFILER {i // per}\t10-K\t20241231\t2024\tFY\t20250301")
        nums.append(f"{adsh}\tConcept{i % per // 4}\tus-gaap/2024\t\t{2024 - i % 4}1231\t{4 * (i % 2)}\tUSD\t"
                    f"{(i * 7919) % 10_000_000}000\t")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sub.txt", "\n".join(subs) + "\n")
        archive.writestr("num.txt", "\n".join(nums) + "\n")
    with open(path, "wb") as out:
        out.write(buffer.getvalue())


KINDS = {"instance": (instance, "x.xml"), "inline": (inline, "x.htm"), "fsds": (fsds, "2024q4.zip")}


def peak_mib(*args: str) -> float:
    proc = subprocess.Popen([sys.executable, "-m", "checker", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"discheck {' '.join(args)}: exit {code}: {proc.stderr.read().decode()[:300]}")
    return usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="20000,80000,320000")
    parser.add_argument("--kinds", default="instance,inline,fsds")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.kinds.split(","):
            make, name = KINDS[kind]
            rows = []
            for size in sizes:
                path = os.path.join(folder, f"{size}-{name}")
                make(path, size)
                megabytes = os.path.getsize(path) / 2**20
                facts = peak_mib("facts", path, "-o", os.devnull)
                checked = peak_mib("check", path, "-f", "json", "-o", os.devnull)
                rows.append((size, facts, checked))
                print(f"{kind:8} {size:>8} facts  {megabytes:7.1f} MiB input  facts peak {facts:7.1f} MiB  "
                      f"check peak {checked:7.1f} MiB", flush=True)
            (small, f0, c0), (large, f1, c1) = rows[0], rows[-1]
            print(f"{kind:8} per fact (marginal, {small}->{large}): facts {(f1 - f0) * 2**20 / (large - small):.0f} B,"
                  f" check {(c1 - c0) * 2**20 / (large - small):.0f} B", flush=True)


if __name__ == "__main__":
    main()
