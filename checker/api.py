"""The Python API: ``checker.check(filing, rules=...)`` for notebooks and other tools."""

from __future__ import annotations

import difflib
import fnmatch
import os
from dataclasses import replace
from typing import Iterable

from .engine import check_filing, rules_with_parameters
from .errors import CheckerError
from .gcpause import gc_paused
from .loaders import DEFAULT_LIMITS, Filing, ParseLimits, iter_filings, load_rendered
from .packs import Calculation, Location, Pack, Rule, load_packs, shipped_rules_dir
from .model import QName
from .results import SEVERITY_ORDER, CheckResult, FilingResult, RuleInfo, Unbound


def select_rules(packs: list[Pack], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Pack]:
    """Keep the rules matching ``select`` (all when empty) and not matching ``ignore``.

    A pattern matches a rule id (globs allowed: ``AR.*``) or one of its tags.
    """
    select, ignore = list(select), list(ignore)

    def matches(rule: Rule, patterns: list[str]) -> bool:
        # a rule named by its pack (receivables:AR.NET) answers to its bare id too
        bare = rule.id.split(":", 1)[-1]
        return any(fnmatch.fnmatchcase(rule.id, p) or fnmatch.fnmatchcase(bare, p) or p in rule.tags
                   for p in patterns)

    known = {r.id for p in packs for r in p.rules} | {r.id.split(":", 1)[-1] for p in packs for r in p.rules} \
        | {t for p in packs for r in p.rules for t in r.tags}
    for pattern in select + ignore:
        if not any(fnmatch.fnmatchcase(name, pattern) for name in known):
            raise CheckerError(f"--select/--ignore {pattern!r} matches no rule id or tag")
    out = []
    for pack in packs:
        rules = tuple(r for r in pack.rules if (not select or matches(r, select)) and not matches(r, ignore))
        out.append(Pack(pack.name, pack.path, pack.description, pack.prefix, pack.parameters, rules))
    return out


def default_rule_paths() -> list[str]:
    found = shipped_rules_dir()
    if found is None:
        raise CheckerError("no rule packs were given and the shipped packs were not found; use --rules PATH")
    return [str(found)]


def calculation_pack(mode: str = "round", partial: str = "auto") -> Pack:
    """The rule ``--calc`` adds: the filing's own calculation linkbase, Calculations 1.1."""
    rule = Rule(id="CALC", title="The filing's own calculation linkbase holds", severity="error",
                kind="calculation", pack="--calc", prefix="us-gaap", location=Location("--calc", 1, 1),
                calculation=Calculation(mode, partial),
                references=("XBRL Calculations 1.1" if mode != "xbrl21" else "XBRL 2.1 section 5.2.5.2",),
                tags=("calculation",))
    return Pack("--calc", "--calc", "the filing's calculation linkbase", "us-gaap", {}, (rule,))


def rollforward_pack(partial: str = "warning") -> Pack:
    """The rule ``--rollforwards`` adds: roll-forwards read from the presentation linkbase.

    A warning: which lines are movements is inferred from how the filer presents them."""
    rule = Rule(id="ROLLFORWARD", title="Presented roll-forwards close", severity="warning", kind="rollforward",
                pack="--rollforwards", prefix="us-gaap", location=Location("--rollforwards", 1, 1),
                calculation=Calculation("round", partial), tags=("rollforward",))
    return Pack("--rollforwards", "--rollforwards", "roll-forwards from the presentation linkbase", "us-gaap", {},
                (rule,))


def check(filings: str | os.PathLike | Filing | Iterable, rules: Iterable[str] | str | None = None,
          params: dict[str, str] | None = None, select: Iterable[str] = (), ignore: Iterable[str] = (),
          limits: ParseLimits = DEFAULT_LIMITS, calc: str | None = None, calc_partial: str = "auto",
          only_calc: bool = False, rollforwards: bool = False, tagging: str = "warning",
          rollforwards_partial: str = "warning", rendered: bool = False) -> CheckResult:
    """Check one filing (a path or a loaded ``Filing``) or several against rule packs.

    ``rules`` are pack files or folders (the shipped packs when None; none when
    ``only_calc``). ``calc`` (a mode: round, truncate, xbrl21) adds the check of each
    filing's own calculation linkbase. ``tagging`` is the severity (at most the rule's)
    of a break the filing's own tagging explains: a sign, a scale, a reported line
    (see ``engine.attribution``). ``rendered`` compares each numeric cell of the SEC
    viewer R pages beside a filing with its XBRL facts. Raises ``CheckerError`` for
    unreadable filings or invalid packs.
    """
    if tagging not in SEVERITY_ORDER:
        raise CheckerError(f"tagging severity {tagging!r}: choose one of {', '.join(SEVERITY_ORDER)}")
    if isinstance(filings, (str, os.PathLike, Filing)):
        filings = [filings]
    if rules is None and only_calc:
        rule_paths: list[str] | None = []
    else:
        rule_paths = [rules] if isinstance(rules, str) else list(rules) if rules is not None else None
    packs, pairs = rule_set(rule_paths, params, select, ignore, calc, calc_partial, rollforwards, rollforwards_partial)
    results = []
    reported: set = set()  # every concept any filing reports: for rules that bound nowhere
    for item in filings:
        for filing in [item] if isinstance(item, Filing) else iter_filings(item, limits):
            results.append(check_one(filing, pairs, tagging, rendered, limits))
            reported.update(fact.concept for fact in filing.facts)
    return combined_result(results, packs, pairs, reported)


def rule_set(rule_paths: list[str] | None, params: dict[str, str] | None = None, select: Iterable[str] = (),
             ignore: Iterable[str] = (), calc: str | None = None, calc_partial: str = "auto",
             rollforwards: bool = False, rollforwards_partial: str = "warning") -> tuple[list[Pack], list]:
    """The run's packs (``rule_paths`` None: the shipped ones) with the ``--calc`` and
    ``--rollforwards`` packs, selected, and their ``(rule, parameters)`` pairs."""
    if rule_paths is None:
        rule_paths = default_rule_paths()
    packs = load_packs(rule_paths, params) if rule_paths else []
    if calc is not None:
        packs.append(calculation_pack(calc, calc_partial))
    if rollforwards:
        packs.append(rollforward_pack(rollforwards_partial))
    packs = select_rules(packs, select, ignore)
    return packs, rules_with_parameters(packs)


def check_one(filing: Filing, pairs: list, tagging: str, rendered: bool, limits: ParseLimits) -> FilingResult:
    """One loaded filing against the rules, with its R pages compared where asked."""
    pages = load_rendered(filing, limits) if rendered else None
    with gc_paused():
        result = check_filing(filing, pairs, tagging, pages)
    if rendered and pages is None:
        note = "--rendered: no SEC viewer R pages beside the filing to compare" + (
            " (the filing is the R pages themselves)" if filing.kind == "r-pages" else "")
        result = replace(result, notes=(*result.notes, note))
    return result


def combined_result(results: list[FilingResult], packs: list[Pack], pairs: list, reported: set) -> CheckResult:
    """The run's result: every filing's, the rules, the parameters, the rules that bound nowhere."""
    infos = tuple(RuleInfo(r.id, r.title, r.severity, r.kind, r.pack, str(r.location), r.expression,
                           r.references, r.tags) for r, _ in pairs)
    parameters = {f"{pack.name}.{k}": v for pack in packs for k, v in pack.parameters.items()}
    return CheckResult(tuple(results), infos, parameters, unbound=unbound_rules(pairs, results, reported))


def unbound_rules(pairs: list, results: list, reported: set) -> tuple[Unbound, ...]:
    """Rules with concepts of their own that evaluated nowhere: each with its concepts no
    filing reports and, where one is near, the reported concept it was probably meant to be
    (a typo, a case slip, ``us_gaap`` for ``us-gaap``)."""
    evaluated: dict[str, int] = {}
    for result in results:
        for cov in result.coverage:
            evaluated[cov.rule_id] = evaluated.get(cov.rule_id, 0) + cov.passed + cov.failed + cov.errors
    by_local: dict[str, list] = {}
    for concept in reported:
        by_local.setdefault(concept.local.lower(), []).append(concept)
    locals_ = list(by_local)
    shipped = shipped_rules_dir()
    from .concepts import standard_concepts
    known = standard_concepts()
    out = []
    for rule, _ in pairs:
        terms = rule.terms()
        if not terms or evaluated.get(rule.id, 0):
            continue
        # the shipped packs name standard concepts: a near name in a filing is another concept
        # (AssetsCurrent beside AssetsNoncurrent), not what the rule meant
        curated = shipped is not None and os.path.abspath(rule.location.file).startswith(os.path.abspath(shipped))
        missing, nearest = [], []
        for term in terms:
            concept = QName(term.prefix or rule.prefix, term.local)
            if concept in reported or str(concept) in missing:
                continue
            missing.append(str(concept))
            if curated or str(concept) in known.names:
                # a standard element the filings do not report: a near name they do report is
                # another element (GrossCurrent beside NetCurrent), not what the rule meant
                continue  # (and difflib over every reported name is the costly part of this)
            close = by_local.get(term.local.lower()) or [
                c for m in difflib.get_close_matches(term.local.lower(), locals_, n=1, cutoff=0.85) for c in by_local[m]]
            if close:
                nearest.append((str(concept), str(sorted(close, key=str)[0])))
        out.append(Unbound(rule.id, rule.pack, tuple(missing), tuple(nearest)))
    return tuple(out)
