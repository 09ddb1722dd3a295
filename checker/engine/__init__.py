"""The engine: index a filing's facts once, then evaluate every rule against the index."""

from __future__ import annotations

from ..linkbases import Summation, read_calculations, read_labels, read_rollforwards
from ..loaders import Filing
from ..model import QName
from ..packs import Pack, Rule
from ..results import FilingResult, Problem, reading_key
from .attribution import Attributor, Evidence
from .calculation import CalcOptions, check_calculations
from .evaluate import BindingTrace, RuleEvaluator
from .rendered import compare_rendered
from .wording import fact_use
from .index import FactIndex
from .rollforward import check_rollforwards

__all__ = ["check_filing", "trace_rule", "BindingTrace", "FactIndex"]


class Labels:
    """The filer's concept labels, read from its label linkbase the first time one is needed."""

    def __init__(self, filing: Filing):
        self._filing = filing
        self._labels: dict | None = None

    def get(self, concept, default: str = "") -> str:
        if self._labels is None:
            self._labels = read_labels(self._filing)
        return self._labels.get(concept, default)


def check_filing(filing: Filing, rules: list[tuple[Rule, dict]], tagging: str = "warning",
                 rendered: Filing | None = None) -> FilingResult:
    """Evaluate ``(rule, parameters)`` pairs against one filing. Every break is attributed
    (see ``engine.attribution``); one the filing's tagging explains is reported at
    ``tagging`` severity at most. ``rendered``: the filing's R pages, whose every numeric
    cell is compared with the XBRL (see ``engine.rendered``)."""
    index = FactIndex(filing.facts)
    labels = Labels(filing)
    attributor = Attributor(Evidence(filing, index, labels), tagging)
    violations, problems, coverage, notes = [], [], [], list(filing.notes)
    problems.extend(Problem("input", warning, filing.path, None, "warning") for warning in filing.warnings)
    if rendered is not None:
        comparison = compare_rendered(filing, rendered)
        notes.extend(rendered.notes)
        notes.append(comparison.note)
        problems.extend(Problem("input", warning, filing.path, None, "warning") for warning in rendered.warnings)
        problems.extend(comparison.problems)
    for entry in index.inconsistent:
        first = entry.facts[0]
        values = ", ".join(f"{f.value} ({f.source})" for f in entry.facts)
        problems.append(Problem(
            "inconsistent-duplicates",
            f"{first.concept} is reported {len(entry.facts)} times for the same context with values that "
            f"rounding cannot reconcile: {values}; rules that use it are not evaluated there",
            filing.path, None, "error", tuple(fact_use(str(f.concept), f, labels) for f in entry.facts)))
    linkbase = rollforwards = None  # each linkbase is read once per filing, when a rule first needs it
    for rule, params in rules:
        if rule.kind == "rollforward":
            if rollforwards is None:
                rollforwards = read_rollforwards(filing)
                if not filing.linkbases_of("presentation"):
                    notes.append(f"{rule.id}: no presentation linkbase found (looked for the schemaRef's linkbaseRefs, "
                                  f"linkbaseRefs in the filing and *_pre.xml beside it): no roll-forward to check")
            cov, found, _ = check_rollforwards(rollforwards, index, filing.path, rule.id, rule.title,
                                               rule.severity, rule.calculation.partial, labels, attributor)
            violations.extend(found)
            coverage.append(cov)
            continue
        if rule.kind == "calculation":
            if rule.calculation.total is None and linkbase is None:
                linkbase = read_calculations(filing)
                if not filing.linkbases_of("calculation"):
                    notes.append(f"{rule.id}: no calculation linkbase found (looked for the schemaRef's linkbaseRefs, "
                                  f"linkbaseRefs in the filing and *_cal.xml beside it): nothing to check")
                problems.extend(Problem("calculation-linkbase", f"{where}: {message}", filing.path, rule.id)
                                for where, message in linkbase.problems)
            summations = linkbase.summations if rule.calculation.total is None else [explicit_summation(rule)]
            cov, found, trouble = check_calculations(summations, index, filing.path, calc_options(rule), labels,
                                                     attributor)
            violations.extend(found)
            problems.extend(trouble)
            coverage.append(cov)
            continue
        outcome = RuleEvaluator(rule, params, index, filing.path, labels, attributor).run()
        violations.extend(outcome.violations)
        problems.extend(outcome.problems)
        coverage.append(outcome.coverage)
        notes.extend(outcome.notes)
    violations.sort(key=reading_key)  # every format lists arithmetic errors first
    return FilingResult(filing.path, filing.kind, tuple(filing.documents), len(filing.facts),
                        tuple(violations), tuple(problems), tuple(coverage), tuple(notes), filing.description)


def trace_rule(filing: Filing, rule: Rule, params: dict, tagging: str = "warning"):
    """One rule over one filing, binding by binding: ``(coverage, traces)``, where each trace
    says what was found there (the values used, the break, or the term that was missing).
    Summation and roll-forward rules are checked in full and their breaks listed; their
    not-evaluated bindings are counted, not itemised."""
    if rule.kind in ("calculation", "rollforward"):
        result = check_filing(filing, [(rule, params)], tagging)
        traces = [BindingTrace(" ".join(p for p in (v.period, v.unit, v.dimensions) if p), "failed",
                               f"{v.severity}: {v.explanation}") for v in result.violations]
        return result.coverage[0], traces
    index = FactIndex(filing.facts)
    labels = Labels(filing)
    traces: list[BindingTrace] = []
    evaluator = RuleEvaluator(rule, params, index, filing.path, labels,
                              Attributor(Evidence(filing, index, labels), tagging), trace=traces)
    return evaluator.run().coverage, traces


def calc_options(rule: Rule) -> CalcOptions:
    spec = rule.calculation
    return CalcOptions(rule.id, rule.title, rule.severity, spec.mode, spec.partial)


def explicit_summation(rule: Rule) -> Summation:
    """The summation a rule spells out (as ``rules from-calc`` writes them)."""
    spec = rule.calculation
    concept = lambda term: QName(term.prefix or rule.prefix, term.local)  # noqa: E731
    return Summation(spec.role, concept(spec.total), tuple((concept(t), w) for t, w in spec.items),
                     str(rule.location))


def rules_with_parameters(packs: list[Pack]) -> list[tuple[Rule, dict]]:
    return [(rule, pack.parameters) for pack in packs for rule in pack.rules]
