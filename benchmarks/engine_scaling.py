"""How the engine's cost grows with facts and rules (issue: linear in facts x rules).

    python benchmarks/engine_scaling.py [--runs 3] [--facts 10000 100000 1000000] [--rules 10 100 1000]

Synthetic filing: 300 concepts in 100 triples (A = B + C, consistent), every concept
reported in each of N/300 contexts. Rule i checks triple i mod 100, so each rule has
N/300 bindings and the work is rules x N/300 bindings. Facts are built in memory, so
this measures the engine (index once + evaluate), not XML parsing. Prints medians and
the cost per binding evaluated, which stays flat when growth is linear.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from checker.engine import check_filing, rules_with_parameters
from checker.loaders import Filing
from checker.model import Entity, Fact, Period, QName, Source, Unit, make_dimensions

CONCEPTS = 300
ENTITY = Entity("http://www.sec.gov/CIK", "0000000001")
USD = Unit.of([QName("iso4217", "USD")])


def make_facts(n: int) -> list[Fact]:
    rng = random.Random(n)
    contexts = max(1, n // CONCEPTS)
    facts = []
    names = [QName("ex", f"C{i}") for i in range(CONCEPTS)]
    axis = QName("ex", "RegionAxis")
    for ctx in range(contexts):
        day = datetime(2000, 1, 1) + timedelta(days=ctx % 9000)
        period = Period.instant(day)
        dims = make_dimensions([(axis, QName("ex", f"R{ctx // 9000}"))]) if ctx >= 9000 else ()
        for triple in range(CONCEPTS // 3):
            b, c = Decimal(rng.randint(0, 10**9)) * 1000, Decimal(rng.randint(0, 10**9)) * 1000
            for offset, value in enumerate((b + c, b, c)):
                concept = names[3 * triple + offset]
                facts.append(Fact.of(concept, ENTITY, period, USD, dims, value, -3, Source("synthetic", ctx)))
    return facts


def make_rules(count: int, folder: Path):
    lines = ["pack: scaling", "prefix: ex", "rules:"]
    for i in range(count):
        t = i % (CONCEPTS // 3)
        lines += [f"  - id: R{i}", f"    title: triple {t}", f"    assert: C{3 * t} == C{3 * t + 1} + C{3 * t + 2}"]
    path = folder / f"rules-{count}.yaml"
    path.write_text("\n".join(lines) + "\n")
    from checker.packs import load_packs
    return rules_with_parameters(load_packs([str(path)]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--facts", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--rules", type=int, nargs="+", default=[10, 100, 1000])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    packs = {count: make_rules(count, folder) for count in args.rules}
    print(f"{'facts':>9} {'rules':>6} {'bindings':>10} {'median s':>9} {'min s':>8} {'µs/binding':>11} {'index s':>8}")
    for n in args.facts:
        facts = make_facts(n)
        filing = Filing("synthetic", "table", facts, ["synthetic"])
        for count in args.rules:
            times, index_times = [], []
            for _ in range(args.runs):
                gc.collect()
                start = time.perf_counter()
                from checker.engine.index import FactIndex
                FactIndex(facts)
                index_times.append(time.perf_counter() - start)
                start = time.perf_counter()
                result = check_filing(filing, packs[count])
                times.append(time.perf_counter() - start)
            bindings = sum(c.evaluated + c.not_evaluated for c in result.coverage)
            assert not result.violations, "the synthetic filing is consistent"
            median = statistics.median(times)
            print(f"{len(facts):>9} {count:>6} {bindings:>10} {median:>9.3f} {min(times):>8.3f} "
                  f"{1e6 * median / max(bindings, 1):>11.2f} {statistics.median(index_times):>8.3f}", flush=True)


if __name__ == "__main__":
    main()
