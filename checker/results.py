"""What a check produces: plain frozen data that every formatter reads and none recomputes.

Amounts are kept as exact decimal strings, so JSON consumers never see a float.
"""

from __future__ import annotations

import os

import hashlib
from dataclasses import asdict, dataclass, field, fields, replace

SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class FactUse:
    """A fact a rule used (or an optional term that was absent and counted as zero)."""

    term: str
    concept: str
    value: str
    decimals: str = ""
    unit: str = ""
    period: str = ""
    dimensions: str = ""
    file: str = ""
    line: int | None = None
    element_id: str | None = None
    absent: bool = False
    label: str = ""   # the filing's own label for the concept, where its label linkbase has one
    column: int | None = None   # where on its line the fact's element starts (inline documents)
    place: str = ""             # the row and column of a rendered table (an R page)

    @property
    def source(self) -> str:
        if not self.file:
            return ""
        where = self.file if not self.line else \
            f"{self.file}:{self.line}:{self.column}" if self.column else f"{self.file}:{self.line}"
        return f"{where} {self.place}" if self.place else where

    def to_dict(self) -> dict:
        return {"term": self.term, "concept": self.concept, "value": self.value, "decimals": self.decimals,
                "unit": self.unit, "period": self.period, "dimensions": self.dimensions, "file": self.file,
                "line": self.line, "column": self.column, "element_id": self.element_id, "absent": self.absent,
                "label": self.label, "place": self.place, "source": self.source}


TAGGING = frozenset({"sign", "scale", "reported-line"})   # the page adds up; the tagging differs


@dataclass(frozen=True, slots=True)
class Attribution:
    """Why a binding failed, as the filing's own facts and linkbases show it.

    ``arithmetic``: every term reported and nothing the filing reports closes the gap;
    ``sign`` / ``scale``: the identity holds with one term's sign reversed, or scaled by a
    power of ten; ``reported-line``: the gap is an amount the filing reports beside the
    identity's terms; ``dimension`` / ``partial``: items of a calculation or roll-forward
    are not reported in the context (only under a dimension, or not at all); ``absent``:
    a fact an ``exists`` rule requires is not reported.
    """

    kind: str
    text: str                       # what explains the break, in plain words
    concept: str = ""               # the term (sign, scale) or reported line that closes the gap
    evidence: str = ""              # reported-line: where the line sits (statement, calculation, context)
    facts: tuple[FactUse, ...] = ()  # the reported line, as evidence

    @property
    def is_tagging(self) -> bool:
        return self.kind in TAGGING

    @property
    def heading(self) -> str:
        """How formats name the finding: ``arithmetic``, ``tagging (sign)``, ``partial``..."""
        kind = self.kind.replace("-", " ")
        return f"tagging ({kind})" if self.is_tagging else kind

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "concept": self.concept, "evidence": self.evidence,
                "facts": [f.to_dict() for f in self.facts]}


def reading_rank(attribution: Attribution | None) -> int:
    """Arithmetic errors first, then tagging findings, then bindings with items missing."""
    if attribution is None or attribution.kind in ("arithmetic", "absent"):
        return 0
    return 1 if attribution.is_tagging else 2


def reading_key(violation: "Violation") -> tuple:
    """The order a reviewer reads violations in: arithmetic errors first, then tagging
    findings, then partial bindings (possibly modelling gaps); within each, the more
    severe first. Sorting by it is stable, so rule order is kept within a class."""
    return (reading_rank(violation.attribution), -SEVERITY_ORDER[violation.severity], violation.binding == "partial")


@dataclass(frozen=True, slots=True)
class Violation:
    rule_id: str
    severity: str
    title: str
    message: str
    filing: str
    entity: str
    period: str
    unit: str
    dimensions: str
    left: str
    right: str
    difference: str
    tolerance: str
    explanation: str
    facts: tuple[FactUse, ...] = ()
    baselined: bool = False   # accepted in a baseline: reported, but does not fail the gate
    binding: str = ""         # calculation breaks: "determinate" (every item reported) or "partial"
    attribution: Attribution | None = None   # what explains the break (engine-computed)
    rule_severity: str = ""   # the rule's own severity, where the attribution lowered it

    @property
    def concept(self) -> str:
        """The concept a violation is about: its first term's (the left side of the rule)."""
        return self.facts[0].concept if self.facts else ""

    @property
    def key(self) -> str:
        """Identity across runs: rule id, concept and context aspects, never line numbers.

        Baselines match on it and SARIF fingerprints are made from it.
        """
        parts = (self.rule_id, self.concept, self.entity, self.period, self.unit, self.dimensions)
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]

    def to_dict(self) -> dict:
        return dict(_with_fact_sources(self), key=self.key)


def _with_fact_sources(item) -> dict:
    """The item's fields, each fact with its ``file:line`` spelled out for readers of the JSON.

    Flat on purpose: ``dataclasses.asdict`` deep-copies recursively, which is slow for
    reports with thousands of facts.
    """
    data = {f.name: getattr(item, f.name) for f in fields(item) if f.name not in ("facts", "attribution")}
    data["facts"] = [f.to_dict() for f in item.facts]
    if hasattr(item, "attribution"):
        data["attribution"] = item.attribution.to_dict() if item.attribution is not None else None
    return data


@dataclass(frozen=True, slots=True)
class Problem:
    """A binding that could not be evaluated for a reason worth fixing (an error outcome),
    or a finding about the filing itself (inconsistent duplicate facts)."""

    kind: str            # inconsistent-duplicates | division-by-zero | calculation-linkbase | no-decimals |
    #                      rendered-mismatch | input | internal-error (the result schema lists them)
    message: str
    filing: str
    rule_id: str | None = None
    severity: str = "error"
    facts: tuple[FactUse, ...] = ()

    def to_dict(self) -> dict:
        return _with_fact_sources(self)


@dataclass(frozen=True, slots=True)
class Coverage:
    """How each binding of one rule ended, in one filing (or summed over many)."""

    rule_id: str
    title: str
    severity: str
    passed: int = 0
    failed: int = 0
    not_evaluated: int = 0
    errors: int = 0

    @property
    def evaluated(self) -> int:
        return self.passed + self.failed

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(self.rule_id, self.title, self.severity, self.passed + other.passed,
                        self.failed + other.failed, self.not_evaluated + other.not_evaluated,
                        self.errors + other.errors)

    def to_dict(self) -> dict:
        # spelt out: asdict's recursive copy is most of a large batch report's cost
        return {"rule_id": self.rule_id, "title": self.title, "severity": self.severity, "passed": self.passed,
                "failed": self.failed, "not_evaluated": self.not_evaluated, "errors": self.errors}


@dataclass(frozen=True, slots=True)
class FilingResult:
    filing: str
    kind: str
    documents: tuple[str, ...]
    fact_count: int
    violations: tuple[Violation, ...]
    problems: tuple[Problem, ...]
    coverage: tuple[Coverage, ...]
    notes: tuple[str, ...] = ()     # what a reader should know, e.g. an inferred translation rate
    description: str = ""           # the registrant and form, where the input says

    def to_dict(self) -> dict:
        return {"filing": self.filing, "kind": self.kind, "documents": list(self.documents),
                "description": self.description, "notes": list(self.notes), "fact_count": self.fact_count,
                "violations": [v.to_dict() for v in self.violations],
                "problems": [p.to_dict() for p in self.problems],
                "coverage": [c.to_dict() for c in self.coverage]}


@dataclass(frozen=True)
class RuleInfo:
    id: str
    title: str
    severity: str
    kind: str
    pack: str
    location: str
    expression: str = ""
    references: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class BaselineEntry:
    """An accepted violation, as a baseline file records it."""

    key: str
    rule_id: str
    concept: str
    entity: str
    period: str
    unit: str
    dimensions: str
    filing: str = ""   # the filing it was accepted in, as the run named it ("" in older baselines)

    @classmethod
    def of(cls, violation: Violation) -> BaselineEntry:
        return cls(violation.key, violation.rule_id, violation.concept, violation.entity, violation.period,
                   violation.unit, violation.dimensions, violation.filing)

    def is_about(self, filing: str) -> bool:
        """Whether this entry was accepted in ``filing`` (the same path, however spelt)."""
        if not self.filing:
            return False
        return os.path.normpath(self.filing) == os.path.normpath(filing) \
            or os.path.abspath(self.filing) == os.path.abspath(filing)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Unbound:
    """A rule that bound nowhere in any filing of the run: a misspelled concept passes
    silently otherwise. ``missing`` are its concepts no filing reports, ``nearest`` what the
    filings do report that looks like one of them (a did-you-mean)."""

    rule_id: str
    pack: str
    missing: tuple[str, ...]
    nearest: tuple[tuple[str, str], ...] = ()   # (missing concept, a reported concept like it)

    def to_dict(self) -> dict:
        return {"rule_id": self.rule_id, "pack": self.pack, "missing": list(self.missing),
                "nearest": [{"concept": c, "did_you_mean": m} for c, m in self.nearest]}


@dataclass(frozen=True)
class CheckResult:
    filings: tuple[FilingResult, ...]
    rules: tuple[RuleInfo, ...]
    parameters: dict = field(default_factory=dict, hash=False)
    stale_baseline: tuple[BaselineEntry, ...] = ()   # baseline entries no violation matched
    unbound: tuple[Unbound, ...] = ()   # rules that bound nowhere in any filing

    @property
    def violations(self) -> list[Violation]:
        return [v for f in self.filings for v in f.violations]

    def reading_order(self, filing: FilingResult) -> list[Violation]:
        """A filing's violations as a reviewer should read them: arithmetic errors first,
        then tagging findings, then partial bindings (possibly modelling gaps); within
        each, the more severe first, rule order kept."""
        return sorted(filing.violations, key=reading_key)

    @property
    def new_violations(self) -> list[Violation]:
        """The violations not accepted in a baseline: the ones that fail the gate."""
        return [v for v in self.violations if not v.baselined]

    def with_baseline(self, entries: list[BaselineEntry]) -> CheckResult:
        """This result with the violations ``entries`` accept marked, and the stale entries listed.

        An entry is stale only if the filing it was accepted in was part of this run and no
        violation matches it any more: a baseline kept for many filings is not all stale when
        one of them is checked. Entries from older baselines name no filing and are judged by
        the whole run, as before."""
        accepted = {e.key for e in entries}
        matched: set[str] = set()
        filings = []
        for filing in self.filings:
            violations = []
            for violation in filing.violations:
                if violation.key in accepted:
                    matched.add(violation.key)
                    violation = replace(violation, baselined=True)
                violations.append(violation)
            filings.append(replace(filing, violations=tuple(violations)))
        checked = [f.filing for f in self.filings]
        stale = tuple(e for e in entries if e.key not in matched
                      and (not e.filing or any(e.is_about(name) for name in checked)))
        return replace(self, filings=tuple(filings), stale_baseline=stale)

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.filings for p in f.problems]

    def coverage(self) -> list[Coverage]:
        """Per rule, summed over every filing, in rule order."""
        totals: dict[str, Coverage] = {r.id: Coverage(r.id, r.title, r.severity) for r in self.rules}
        for filing in self.filings:
            for cov in filing.coverage:
                totals[cov.rule_id] = totals[cov.rule_id] + cov
        return list(totals.values())

    def counts(self) -> dict[str, int]:
        """Violations (not accepted in a baseline) and problems, by severity."""
        counts = {"error": 0, "warning": 0, "info": 0}
        for item in [*self.new_violations, *self.problems]:
            counts[item.severity] += 1
        return counts

    def worst_severity(self) -> str | None:
        found = [s for s, n in self.counts().items() if n]
        return max(found, key=SEVERITY_ORDER.__getitem__) if found else None

    def to_dict(self, filings: bool = True) -> dict:
        """The JSON report; ``filings=False`` leaves the filings out (a writer streams them)."""
        coverage = self.coverage()
        document = {
            "version": 1,
            "summary": {"filings": len(self.filings), "rules": len(self.rules),
                        "violations": len(self.violations), "problems": len(self.problems),
                        "baselined": len(self.violations) - len(self.new_violations),
                        "stale_baseline": len(self.stale_baseline),
                        "by_severity": self.counts(),
                        "bindings": {"passed": sum(c.passed for c in coverage),
                                     "failed": sum(c.failed for c in coverage),
                                     "not_evaluated": sum(c.not_evaluated for c in coverage),
                                     "errors": sum(c.errors for c in coverage)}},
            "parameters": {k: str(v) for k, v in self.parameters.items()},
            "rules": [r.to_dict() for r in self.rules],
            "filings": [f.to_dict() for f in self.filings] if filings else [],
            "stale_baseline": [e.to_dict() for e in self.stale_baseline],
            "unbound": [u.to_dict() for u in self.unbound],
        }
        if not filings:
            del document["filings"]
        return document


# --- reading a filing's result back (batch --results: a rerun skips filings already done) ----------

def _known(cls, data: dict) -> dict:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def _fact_uses(items) -> tuple[FactUse, ...]:
    return tuple(FactUse(**_known(FactUse, item)) for item in items)


def filing_result_from_dict(data: dict, shared: dict | None = None) -> FilingResult:
    """The inverse of ``FilingResult.to_dict``. ``shared``: a dict kept across calls, so that
    the coverage entries thousands of filings have alike (most are) are one object each."""
    violations = []
    for item in data["violations"]:
        attribution = item.get("attribution")
        if attribution is not None:
            attribution = Attribution(**dict(_known(Attribution, attribution),
                                             facts=_fact_uses(attribution.get("facts", ()))))
        violations.append(Violation(**dict(_known(Violation, item), facts=_fact_uses(item["facts"]),
                                           attribution=attribution)))
    problems = [Problem(**dict(_known(Problem, item), facts=_fact_uses(item["facts"]))) for item in data["problems"]]
    coverage = []
    for item in data["coverage"]:
        entry = Coverage(**item)
        coverage.append(shared.setdefault(entry, entry) if shared is not None else entry)
    return FilingResult(data["filing"], data["kind"], tuple(data["documents"]), data["fact_count"], tuple(violations),
                        tuple(problems), tuple(coverage), tuple(data["notes"]), data.get("description", ""))
