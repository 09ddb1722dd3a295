"""Speed of `discheck check --calc` against Arelle's Calculations 1.1 check, side by side.

    python benchmarks/calc_speed.py [--facts 100000] [--runs 3] [--arelle PATH]

A synthetic filing: 20 summation networks of 5 items, each total and item reported in
every context until about FACTS facts exist, and 1% of the totals broken. Both tools run
as fresh processes on the same files; the script checks that each reports exactly the
broken totals, and prints medians, the ratio and peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NETWORKS, ITEMS = 20, 5
NS = "http://example.com/bench"


def generate(folder: Path, facts: int, seed: int = 7) -> set[tuple[str, str]]:
    """Write instance.xml, bench.xsd and bench_cal.xml; return the broken (total, context) pairs."""
    rng = random.Random(seed)
    per_context = NETWORKS * (ITEMS + 1)
    contexts = max(1, facts // per_context)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:link="http://www.xbrl.org/2003/linkbase" '
             f'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:iso4217="http://www.xbrl.org/2003/iso4217" '
             f'xmlns:xbrldi="http://xbrl.org/2006/xbrldi" xmlns:b="{NS}">',
             '<link:schemaRef xlink:type="simple" xlink:href="bench.xsd"/>',
             '<xbrli:unit id="usd"><xbrli:measure>iso4217:USD</xbrli:measure></xbrli:unit>']
    broken = set()
    for c in range(contexts):
        year, member = 1990 + c % 30, c // 30
        lines.append(f'<xbrli:context id="c{c}"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">1'
                     f'</xbrli:identifier><xbrli:segment><xbrldi:explicitMember dimension="b:RegionAxis">b:R{member}'
                     f'</xbrldi:explicitMember></xbrli:segment></xbrli:entity><xbrli:period><xbrli:instant>{year}-12-31'
                     f'</xbrli:instant></xbrli:period></xbrli:context>')
        for n in range(NETWORKS):
            items = [rng.randint(0, 10**6) * 1000 for _ in range(ITEMS)]
            total = sum(items)
            if rng.random() < 0.01:
                total += 1_000_000
                broken.add((f"T{n}", f"c{c}"))
            lines.append(f'<b:T{n} contextRef="c{c}" unitRef="usd" decimals="-3">{total}</b:T{n}>')
            for i, value in enumerate(items):
                lines.append(f'<b:I{n}_{i} contextRef="c{c}" unitRef="usd" decimals="-3">{value}</b:I{n}_{i}>')
    lines.append("</xbrli:xbrl>")
    (folder / "instance.xml").write_text("\n".join(lines))
    names = [f"T{n}" for n in range(NETWORKS)] + [f"I{n}_{i}" for n in range(NETWORKS) for i in range(ITEMS)]
    elements = "".join(f'<element name="{name}" id="b_{name}" type="xbrli:monetaryItemType" substitutionGroup='
                       f'"xbrli:item" nillable="true" xbrli:periodType="instant"/>' for name in names)
    elements += ('<element name="RegionAxis" id="b_RegionAxis" type="xbrli:stringItemType" abstract="true" '
                 'substitutionGroup="xbrldt:dimensionItem" nillable="true" xbrli:periodType="instant"/>')
    elements += "".join(f'<element name="R{m}" id="b_R{m}" type="xbrli:stringItemType" abstract="true" '
                        f'substitutionGroup="xbrli:item" nillable="true" xbrli:periodType="instant"/>'
                        for m in range(contexts // 30 + 1))
    (folder / "bench.xsd").write_text(
        f'<schema xmlns="http://www.w3.org/2001/XMLSchema" xmlns:xbrli="http://www.xbrl.org/2003/instance" '
        f'xmlns:xbrldt="http://xbrl.org/2005/xbrldt" xmlns:link="http://www.xbrl.org/2003/linkbase" '
        f'xmlns:xlink="http://www.w3.org/1999/xlink" targetNamespace="{NS}" elementFormDefault="qualified">'
        f'<annotation><appinfo><link:linkbaseRef xlink:type="simple" xlink:href="bench_cal.xml" '
        f'xlink:role="http://www.xbrl.org/2003/role/calculationLinkbaseRef" '
        f'xlink:arcrole="http://www.w3.org/1999/xlink/properties/linkbase"/></appinfo></annotation>'
        f'<import namespace="http://www.xbrl.org/2003/instance" '
        f'schemaLocation="http://www.xbrl.org/2003/xbrl-instance-2003-12-31.xsd"/>'
        f'<import namespace="http://xbrl.org/2005/xbrldt" schemaLocation="http://www.xbrl.org/2005/xbrldt-2005.xsd"/>'
        f'{elements}</schema>')
    links = []
    for n in range(NETWORKS):
        locs = f'<link:loc xlink:type="locator" xlink:label="t" xlink:href="bench.xsd#b_T{n}"/>'
        arcs = ""
        for i in range(ITEMS):
            locs += f'<link:loc xlink:type="locator" xlink:label="i{i}" xlink:href="bench.xsd#b_I{n}_{i}"/>'
            arcs += (f'<link:calculationArc xlink:type="arc" xlink:arcrole="http://www.xbrl.org/2003/arcrole/'
                     f'summation-item" xlink:from="t" xlink:to="i{i}" weight="1" order="{i + 1}"/>')
        links.append(f'<link:calculationLink xlink:type="extended" xlink:role="http://example.com/role/n{n}">'
                     f'{locs}{arcs}</link:calculationLink>')
    (folder / "bench_cal.xml").write_text(
        '<link:linkbase xmlns:link="http://www.xbrl.org/2003/linkbase" xmlns:xlink="http://www.w3.org/1999/xlink">'
        + "".join(links) + "</link:linkbase>")
    return broken


def timed(cmd: list[str], env=None) -> tuple[float, float, int]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--arelle", default="/tmp/arelle-venv/bin/arelleCmdLine")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="calc-bench-"))
    broken = generate(folder, args.facts)
    facts = sum(1 for line in (folder / "instance.xml").read_text().splitlines() if "contextRef" in line)
    print(f"{facts} facts, {NETWORKS} networks of {ITEMS} items, {len(broken)} broken totals; files in {folder}")

    report = folder / "checker.json"
    ours = [timed([sys.executable, "-m", "checker", "check", str(folder / "instance.xml"), "--calc", "--select", "CALC",
                   "-f", "json", "-o", str(report)]) for _ in range(args.runs)]
    # checker reports each break by period and dimensions: map them back to the generated contexts
    context_of = {(f"{1990 + c % 30}-12-31", f"b:RegionAxis=b:R{c // 30}"): f"c{c}"
                  for c in range(max(1, args.facts // (NETWORKS * (ITEMS + 1))))}
    checker_found = {(v["facts"][0]["concept"].split(":")[1], context_of[(v["period"], v["dimensions"])])
                     for f in json.loads(report.read_text())["filings"] for v in f["violations"]}

    home = folder / "arelle-home"
    log = folder / "arelle.log"
    theirs = []
    for _ in range(args.runs):
        if log.exists():
            log.unlink()
        theirs.append(timed([args.arelle, "--file", str(folder / "instance.xml"), "--validate", "--calc=c11r",
                             "--internetConnectivity=offline", f"--logFile={log}"],
                            env=dict(os.environ, XDG_CONFIG_HOME=str(home))))
    arelle_found = set(re.findall(r"Calculation inconsistent from (?:b:)?(T\d+) .*? context (c\d+) unit", log.read_text()))

    print(f"checker reported {len(checker_found)}, exactly the broken totals: {checker_found == broken}; "
          f"Arelle reported {len(arelle_found)}, exactly the broken totals: {arelle_found == broken}")
    for name, runs in (("checker", ours), ("arelle ", theirs)):
        times = [t for t, _, _ in runs]
        print(f"{name} median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}), "
              f"peak RSS {max(m for _, m, _ in runs):.0f} MiB")
    ratio = statistics.median(t for t, _, _ in theirs) / statistics.median(t for t, _, _ in ours)
    print(f"ratio: checker is {ratio:.1f}x faster")


if __name__ == "__main__":
    main()
