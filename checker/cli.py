"""The ``discheck`` command: it only parses arguments and wires loaders, engine and formatters."""

from __future__ import annotations

import argparse
import contextlib
import difflib
import inspect
import os
import re
import sys
import time

from . import __version__
from .errors import EXIT_ERROR, EXIT_INTERNAL, EXIT_OK, EXIT_VIOLATIONS, CheckerError
from .loaders import DEFAULT_LIMITS, ParseLimits, load_filing, load_filings
from .loaders.xmlsafe import MAX_DEPTH_LIMIT
from .formatters import FORMATS, printable
from .results import SEVERITY_ORDER

FAIL_ON = ("error", "warning", "info", "never")
CALC_MODES = ("round", "truncate", "xbrl21")
PARTIAL_SEVERITIES = ("error", "warning", "info", "ignore")
TAGGING_SEVERITIES = ("error", "warning", "info")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 2 with one line (its default also prints usage)."""

    def error(self, message: str):  # noqa: D401
        choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if choice:
            options = re.findall(r"'([^']*)'", choice.group(2))
            close = difflib.get_close_matches(choice.group(1), options, n=1)
            if close:
                message += f"; did you mean {close[0]!r}?"
        self.exit(EXIT_ERROR, f"discheck: error: {message} (see 'discheck --help')\n")


EXPLAIN_BINDINGS = 20  # per outcome, unless --all


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be positive")
    return value


def _depth(text: str) -> int:
    value = _positive_int(text)
    if value > MAX_DEPTH_LIMIT:
        raise argparse.ArgumentTypeError(f"{text!r} is over {MAX_DEPTH_LIMIT}, the deepest libxml2 parses")
    return value


def _add_limits(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--max-xml-bytes", type=_positive_int, default=DEFAULT_LIMITS.max_bytes,
                        metavar="N", help="refuse XML documents larger than N bytes (default 1 GiB)")
    parser.add_argument("--max-xml-depth", type=_depth, default=DEFAULT_LIMITS.max_depth,
                        metavar="N", help=f"refuse XML nested deeper than N elements (default 256, at most "
                                          f"{MAX_DEPTH_LIMIT}, libxml2's own bound)")
    parser.add_argument("--max-facts", type=_positive_int, default=DEFAULT_LIMITS.max_facts, metavar="N",
                        help=f"refuse a filing of more than N facts (default {DEFAULT_LIMITS.max_facts:,}, far "
                             f"beyond any real filing: check needs about 2.5 GiB at it)")


def _limits(args) -> ParseLimits:
    return ParseLimits(max_bytes=args.max_xml_bytes, max_depth=args.max_xml_depth, max_facts=args.max_facts)


def _add_check_options(check) -> None:
    """The options ``check`` and ``batch`` share."""
    check.add_argument("--rules", "-r", action="append", metavar="PATH",
                       help="a rule pack or a folder of packs (repeatable; default: the shipped packs, which "
                            "'--rules shipped' keeps beside your own)")
    check.add_argument("--format", "-f", action=_FormatAction, dest="reports", choices=FORMATS, metavar="FORMAT",
                       help=f"report format: {', '.join(FORMATS)}; repeatable, e.g. -f sarif -o a.sarif -f junit "
                            f"-o b.xml (default text, or github under GitHub Actions)")
    check.add_argument("--output", "-o", action=_OutputAction, dest="reports", metavar="FILE",
                       help="write the report of the --format just before it here instead of standard output")
    check.add_argument("--calc", action="store_true",
                       help="also check each filing against its own calculation linkbase (besides the shipped "
                            "packs, or the --rules given)")
    check.add_argument("--calc-mode", choices=CALC_MODES, default="round",
                       help="round: Calculations 1.1 round-to-nearest (default); truncate: Calculations 1.1 "
                            "truncation; xbrl21: classic XBRL 2.1 with inferred precision")
    check.add_argument("--calc-partial", choices=("auto", *PARTIAL_SEVERITIES), default="auto",
                       help="severity of a calculation break where some items are not reported; auto (default): "
                            "warning, but info where fewer than half of the items are reported in that context and "
                            "none of the missing ones under a dimension (a summation bound where the filer tagged "
                            "one or two of its items for another purpose)")
    check.add_argument("--rollforwards", action="store_true",
                       help="also check the roll-forwards the filing's presentation linkbase shows (opening + "
                            "movements = closing); warnings, since movements are read off the presentation")
    check.add_argument("--rollforwards-partial", choices=PARTIAL_SEVERITIES, default="warning",
                       help="severity of a roll-forward break where some movements are not reported "
                            "(default warning)")
    check.add_argument("--rendered", action="store_true",
                       help="also compare every numeric cell of the SEC viewer R pages beside the filing (R2.htm ... "
                            "with FilingSummary.xml) with the filing's XBRL facts, as displayed: a cell the XBRL "
                            "does not support is an error naming page, row and column")
    check.add_argument("--baseline", metavar="FILE",
                       help="violations accepted in this baseline are reported but do not fail the gate")
    check.add_argument("--write-baseline", metavar="FILE",
                       help="record this run's violations as the accepted baseline")
    check.add_argument("--fail-on", choices=FAIL_ON, default="error",
                       help="exit 1 when a violation at or above this severity is found (default: error)")
    check.add_argument("--fail-on-unbound", action="store_true",
                       help="exit 1 when a rule bound nowhere in any filing (a gate that must not pass vacuously: "
                            "use it with your own packs or --select, since the shipped packs hold IFRS and US GAAP "
                            "rules side by side)")
    check.add_argument("--tagging", choices=TAGGING_SEVERITIES, default="warning",
                       help="severity of a break the filing's own tagging explains (a sign, a scale, a reported "
                            "line the identity leaves out), never above the rule's (default: warning)")
    check.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                       help="override a pack parameter, e.g. --param rate=7.30")
    check.add_argument("--select", action="append", default=[], metavar="ID|TAG",
                       help="run only rules with this id (globs allowed) or tag")
    check.add_argument("--ignore", action="append", default=[], metavar="ID|TAG",
                       help="skip rules with this id (globs allowed) or tag")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="discheck", description="Consistency checks for XBRL financial disclosures.")
    parser.add_argument("--version", action="version", version=f"discheck {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="on an internal error, print the traceback (to report the bug)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    facts = commands.add_parser("facts", help="list the facts extracted from a filing",
                                description="Every fact of the filing, one row each.")
    facts.add_argument("filings", nargs="+", metavar="FILING",
                       help="instance (.xml), inline XBRL (.htm), folder or .zip package, "
                            "xBRL-JSON, or a facts table (.csv/.json); several give one table")
    facts.add_argument("--format", choices=("csv", "json"), default="csv",
                       help="csv (default; one row per fact) or json (the facts with the documents read)")
    facts.add_argument("--output", "-o", metavar="FILE", help="write here instead of standard output")
    _add_limits(facts)
    facts.set_defaults(run=_run_facts)

    check = commands.add_parser("check", help="check filings against rule packs",
                                description="Evaluate rule packs against filings and report every break.")
    check.add_argument("filings", nargs="+", metavar="FILING",
                       help="a filing: an instance, inline XBRL document or set, zip, xBRL-JSON, facts table, "
                            "R pages, a data set quarter, or one submission of it (QUARTER.zip!ADSH)")
    _add_check_options(check)
    _add_limits(check)
    check.set_defaults(run=_run_check)

    batch = commands.add_parser("batch", help="check many filings: folders searched, work spread over processes",
                                description="Check every filing under the paths (a folder per filing as EDGAR lays "
                                            "them out, filing zips, loose documents, data set quarters) and write one "
                                            "combined report. A filing that cannot be read is reported as an input "
                                            "problem and the batch goes on.")
    batch.add_argument("filings", nargs="+", metavar="PATH",
                       help="folders searched for filings as EDGAR lays them out, or filings themselves")
    _add_check_options(batch)
    batch.add_argument("--jobs", "-j", type=int, metavar="N",
                       help="processes (or Dask workers) to use (default: the CPU count)")
    batch.add_argument("--engine", choices=("local", "dask"), default="local",
                       help="local: a process pool (default); dask: a Dask cluster (pip install 'discheck[dask]')")
    batch.add_argument("--scheduler", metavar="ADDRESS",
                       help="with --engine dask: the scheduler to use, e.g. tcp://10.0.0.5:8786 (default: a local "
                            "cluster of --jobs workers)")
    batch.add_argument("--results", metavar="DIR",
                       help="keep each filing's result here as it finishes; a rerun with the same DIR skips filings "
                            "already done (keyed by path, content, options and packs)")
    batch.add_argument("--no-progress", action="store_true",
                       help="no progress bar (it is shown only on a terminal, with tqdm installed)")
    batch.add_argument("--verbose", "-v", action="store_true", help="list what was skipped, and why")
    _add_limits(batch)
    batch.set_defaults(run=_run_batch)

    rules = commands.add_parser("rules", help="validate, list and explain rule packs")
    rule_commands = rules.add_subparsers(dest="rules_command", metavar="ACTION", parser_class=_Parser)
    rule_commands.required = True
    validate = rule_commands.add_parser(
        "validate", help="validate rule packs; exit 2 on any mistake",
        description="Checks every pack's syntax, keys, expressions and parameters (exit 2 on any mistake), and "
                    "warns about a concept with a standard prefix (us-gaap, ifrs-full, dei, srt) that is surely "
                    "misspelt: a misspelt prefix, the wrong case, or a name a slip away from a standard element.")
    validate.add_argument("paths", nargs="+", metavar="PATH", help="rule pack files or folders of them")
    validate.add_argument("--strict", action="store_true",
                          help="exit 2 on a concept warning too (for CI gates on a repository of packs)")
    validate.set_defaults(run=_run_rules_validate)
    listing = rule_commands.add_parser("list", help="list the rules of packs (default: the shipped packs)")
    listing.add_argument("--rules", "-r", action="append", metavar="PATH",
                         help="the packs to list (default: the shipped packs)")
    listing.set_defaults(run=_run_rules_list)
    explain = rule_commands.add_parser("explain", help="show one rule in full, and where it binds in a filing",
                                       description="Everything that decides where the rule binds; with FILING, "
                                                   "every place it bound there, its outcome, and for each binding "
                                                   "not evaluated the term that was missing.")
    explain.add_argument("rule_id", metavar="ID", help="the rule's id (pack:ID where two packs share it)")
    explain.add_argument("filing", metavar="FILING", nargs="?", help="a filing to evaluate the rule against")
    explain.add_argument("--rules", "-r", action="append", metavar="PATH",
                         help="the packs to look in (default: the shipped packs)")
    explain.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                         help="set a pack parameter, as for check")
    explain.add_argument("--all", action="store_true", help=f"list every binding (default: the first "
                                                           f"{EXPLAIN_BINDINGS} of each outcome)")
    _add_limits(explain)
    explain.set_defaults(run=_run_rules_explain)
    from_calc = rule_commands.add_parser("from-calc", help="write a rule pack from a filing's calculation linkbase",
                                         description="One rule per summation of the filing's calculation "
                                                     "linkbase; checking with the pack gives the --calc results.")
    from_calc.add_argument("filing", metavar="FILING", help="a filing with a calculation linkbase")
    from_calc.add_argument("--output", "-o", metavar="FILE", help="write the pack here instead of standard output")
    from_calc.add_argument("--mode", choices=CALC_MODES, default="round",
                           help="the calculation semantics the rules carry, as check --calc-mode (default round)")
    from_calc.add_argument("--partial", choices=("auto", *PARTIAL_SEVERITIES), default="auto",
                           help="severity of partial bindings, as --calc-partial (default auto)")
    _add_limits(from_calc)
    from_calc.set_defaults(run=_run_rules_from_calc)
    for sub in [*commands.choices.values(), *rule_commands.choices.values()]:
        # accepted after the subcommand too (`discheck check f.xml --debug`)
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def _refuse_overwriting_inputs(outputs: list[str | None], inputs: list[str]) -> None:
    """A report written over a filing, a pack or a baseline would destroy the user's file:
    refused before anything is read. An existing file inside an input folder is an input too."""
    existing = [os.path.realpath(p) for p in inputs if p and os.path.exists(p)]
    for output in outputs:
        if not output or output == "-" or not os.path.exists(output):
            continue
        target = os.path.realpath(output)
        for source in existing:
            if target == source or (os.path.isdir(source) and os.path.commonpath([source, target]) == source):
                raise CheckerError(f"is an input of this run ({source}); write the report elsewhere", output)


@contextlib.contextmanager
def _output(path: str | None):
    if path is None or path == "-":
        yield sys.stdout
        return
    try:
        stream = open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise CheckerError(f"cannot be written ({exc.strerror})", path) from None
    with stream:
        yield stream


def _run_facts(args) -> int:
    from .formatters.facts_table import write_csv, write_json

    _refuse_overwriting_inputs([args.output], args.filings)
    filings = [filing for path in args.filings for filing in load_filings(path, _limits(args))]
    for filing in filings:
        for warning in filing.warnings:
            print(f"discheck: warning: {warning}", file=sys.stderr)
    facts = [fact for filing in filings for fact in filing.facts]
    documents = sorted({d for filing in filings for d in filing.documents})
    with _output(args.output) as out:
        if args.format == "json":
            write_json(facts, out, documents)
        else:
            write_csv(facts, out)
    return EXIT_OK


def _params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CheckerError(f"--param {pair!r}: write NAME=VALUE, e.g. --param rate=7.30")
        out[name.strip()] = value.strip()
    return out


class _FormatAction(argparse.Action):
    """``--format F`` starts a report; the ``--output`` that follows it says where it goes."""

    def __call__(self, parser, namespace, value, option_string=None):
        reports = list(getattr(namespace, self.dest) or [])
        reports.append([value, None])
        setattr(namespace, self.dest, reports)


class _OutputAction(argparse.Action):
    def __call__(self, parser, namespace, value, option_string=None):
        reports = list(getattr(namespace, self.dest) or [])
        if not reports:
            reports.append([None, value])  # the default format, to this file
        elif reports[-1][1] is None:
            reports[-1][1] = value
        else:
            parser.error(f"--output {value}: each --output follows its own --format")
        setattr(namespace, self.dest, reports)


def _reports(reports: list | None) -> list[tuple[str, str | None]]:
    default = "github" if os.environ.get("GITHUB_ACTIONS") else "text"  # any value, as the README says
    pairs = [(fmt or default, path) for fmt, path in (reports or [[None, None]])]
    if sum(1 for _, path in pairs if path in (None, "-")) > 1:
        raise CheckerError("only one report can go to standard output: give the others an --output FILE")
    return pairs


def _run_check(args) -> int:
    from .api import check
    from .baseline import read_baseline
    from .formatters import writer

    reports = _reports(args.reports)
    _refuse_overwriting_inputs([path for _, path in reports] + [args.write_baseline],
                               [*args.filings, *(args.rules or []), args.baseline])
    writers = [(writer(fmt), path) for fmt, path in reports]  # fails early if an extra is missing
    baseline = read_baseline(args.baseline) if args.baseline else None
    result = check(args.filings, rules=args.rules, params=_params(args.param), select=args.select,
                   ignore=args.ignore, limits=_limits(args), calc=args.calc_mode if args.calc else None,
                   calc_partial=args.calc_partial, rollforwards=args.rollforwards,
                   rollforwards_partial=args.rollforwards_partial, tagging=args.tagging,
                   rendered=args.rendered)
    return _report(result, args, writers, baseline)


def _run_batch(args) -> int:
    from .baseline import read_baseline
    from .batch import BatchOptions, run_batch
    from .formatters import writer

    reports = _reports(args.reports)
    _refuse_overwriting_inputs([path for _, path in reports] + [args.write_baseline],
                               [*args.filings, *(args.rules or []), args.baseline])
    writers = [(writer(fmt), path) for fmt, path in reports]
    baseline = read_baseline(args.baseline) if args.baseline else None
    if args.jobs is not None and args.jobs < 1:
        raise CheckerError(f"--jobs {args.jobs}: give at least 1")
    options = BatchOptions(tuple(args.rules) if args.rules else None, tuple(sorted(_params(args.param).items())),
                           tuple(args.select), tuple(args.ignore), _limits(args),
                           args.calc_mode if args.calc else None, args.calc_partial, args.rollforwards,
                           args.rollforwards_partial, args.tagging, args.rendered)
    started = time.monotonic()
    result, found, reused = run_batch(args.filings, options, args.jobs, args.engine, args.scheduler, args.results,
                                      progress=not args.no_progress, verbose=args.verbose)
    unreadable = sum(1 for f in result.filings if f.kind == "unreadable")
    print(f"discheck: {len(found.units)} unit{'s' if len(found.units) != 1 else ''} "
          f"({len(result.filings)} filings, {unreadable} unreadable, {reused} from --results), "
          f"{len(found.skipped)} skipped{'' if args.verbose or not found.skipped else ' (-v lists them)'}, "
          f"in {time.monotonic() - started:.1f} s", file=sys.stderr)
    if not found.units:
        raise CheckerError("no filing found under " + ", ".join(args.filings))
    code = _report(result, args, writers, baseline)
    if any(p.kind == "internal-error" for p in result.problems):
        print("discheck: internal error in some filings (see the report); please report it", file=sys.stderr)
        return EXIT_INTERNAL
    if unreadable == len(result.filings):
        print("discheck: no filing could be read", file=sys.stderr)
        return EXIT_ERROR
    return code


def _report(result, args, writers, baseline) -> int:
    from .baseline import write_baseline

    if args.write_baseline:
        entries = write_baseline(result, args.write_baseline)
        print(f"discheck: wrote {len(entries)} accepted violation(s) to {args.write_baseline}", file=sys.stderr)
        baseline = entries
    if baseline is not None:
        result = result.with_baseline(baseline)
    for write, path in writers:
        try:
            with _output(path) as out:
                accepts = inspect.signature(write).parameters
                options = {"fail_on": args.fail_on} if "fail_on" in accepts else {}  # junit: what fails the run
                if "report" in accepts:  # html: links to the filing relative to the page
                    options["report"] = path
                write(result, out, **options)
        except BrokenPipeError:  # the reader left (`| head`): the gate's answer still stands
            _silence_stdout()
    worst = result.worst_severity()
    if args.fail_on != "never" and worst is not None \
            and SEVERITY_ORDER[worst] >= SEVERITY_ORDER[args.fail_on]:
        return EXIT_VIOLATIONS
    if args.fail_on_unbound and result.unbound:
        print(f"discheck: {len(result.unbound)} rule(s) bound nowhere: {', '.join(u.rule_id for u in result.unbound)}",
              file=sys.stderr)
        return EXIT_VIOLATIONS
    return EXIT_OK


def _packs(paths: list[str] | None):
    from .api import default_rule_paths
    from .packs import load_packs

    return load_packs(paths or default_rule_paths())


def _run_rules_validate(args) -> int:
    from .concepts import concept_problem

    packs = _packs(args.paths)
    count = sum(len(p.rules) for p in packs)
    warnings = []
    for pack in packs:
        for rule in pack.rules:
            for family, local, where in dict.fromkeys(rule.concepts):
                problem = concept_problem(family, local)
                if problem:
                    warnings.append(f"{where}: warning: {problem}")
    for warning in warnings:
        print(printable(warning), file=sys.stderr)
    summary = f"{len(packs)} pack{'s' if len(packs) != 1 else ''}, {count} rule{'s' if count != 1 else ''}: valid"
    if warnings:
        summary += f", {len(warnings)} concept warning{'s' if len(warnings) != 1 else ''}"
    print(summary)
    return EXIT_ERROR if warnings and args.strict else EXIT_OK


def _run_rules_list(args) -> int:
    packs = _packs(args.rules)
    width = max([len(rule.id) for pack in packs for rule in pack.rules] + [8])
    for pack in packs:
        print(f"{pack.name}  ({pack.path})")
        for rule in pack.rules:
            tags = f"  [{', '.join(rule.tags)}]" if rule.tags else ""
            print(f"  {rule.id:<{width}}  {rule.severity:<8} {rule.title}{tags}")
    return EXIT_OK


def _run_rules_explain(args) -> int:
    from .engine.evaluate import anchor_terms

    from .api import rule_set

    packs = rule_set(args.rules, _params(args.param))[0]
    for pack in packs:
        for rule in pack.rules:
            if rule.id != args.rule_id:
                continue
            print(f"{rule.id}: {rule.title}")
            print(f"  pack:      {pack.name} ({rule.location})")
            print(f"  severity:  {rule.severity}")
            print(f"  kind:      {rule.kind}")
            if rule.assertion is not None:
                print(f"  assert:    {rule.expression}")
                anchors = [t.text for t in anchor_terms(rule.terms())]
                print(f"  binds on:  every context where {' or '.join(dict.fromkeys(anchors))} is reported")
                optional = [t.text for t in rule.terms() if t.optional]
                if optional:
                    print(f"  optional:  {', '.join(dict.fromkeys(optional))} (absent counts as zero)")
            if rule.translation is not None:
                t = rule.translation
                source = "reporting currency's" if t.source == "*" else t.source
                print(f"  translate: every amount in {t.target} equals the {source} amount of the same context "
                      f"divided by the rate")
                print("  rate:      " + ("inferred from the filing's pairs (the roundest rate most pairs allow)"
                                         if t.rate is None else _node_text(t.rate)))
                if t.concepts:
                    print(f"  concepts:  {', '.join(c.text for c in t.concepts)}")
            if rule.exists is not None:
                print(f"  exists:    if {rule.exists.condition.text} is reported, then "
                      f"{', '.join(x.text for x in rule.exists.required)} must be")
            if rule.when is not None:
                when = rule.when
                if when.document_types:
                    print(f"  only for:  {', '.join(when.document_types)} (dei:DocumentType)")
                if when.no_dimensions:
                    print("  only in:   contexts without dimensions (the consolidated figures)")
                for condition in when.holds:
                    print(f"  only where: {_node_text(condition)} holds")
            print(f"  tolerance: {rule.tolerance}")
            for ref in rule.references:
                print(f"  reference: {ref}")
            if rule.tags:
                print(f"  tags:      {', '.join(rule.tags)}")
            from .grammar import params_of
            used = {p.name for node in _rule_nodes(rule) for p in params_of(node)}
            if used:
                print(f"  parameters: {', '.join(f'${k} = {v}' for k, v in pack.parameters.items() if k in used)}")
            if args.filing:
                _explain_in_filing(rule, pack.parameters, args)
            return EXIT_OK
    ids = [rule.id for pack in packs for rule in pack.rules]
    close = difflib.get_close_matches(args.rule_id, ids, n=1)
    raise CheckerError(f"no rule has the id {args.rule_id!r}" + (f"; did you mean {close[0]!r}?" if close else ""))


def _explain_in_filing(rule, parameters: dict, args) -> None:
    """Where the rule bound in one filing, and with what outcome."""
    from .engine import trace_rule

    filing = load_filing(args.filing, _limits(args))
    coverage, traces = trace_rule(filing, rule, parameters)
    print()
    print(f"In {args.filing} ({len(filing.facts)} facts): {coverage.passed} passed, {coverage.failed} failed, "
          f"{coverage.not_evaluated} not evaluated, {coverage.errors} error{'s' if coverage.errors != 1 else ''}")
    if not traces and not (coverage.passed or coverage.failed or coverage.not_evaluated or coverage.errors):
        print("  it bound nowhere: no fact of a concept it binds on is reported here")
    shown: dict[str, int] = {}
    hidden: dict[str, int] = {}
    order = {"failed": 0, "error": 1, "not evaluated": 2, "passed": 3}
    for trace in sorted(traces, key=lambda t: order.get(t.outcome, 4)):
        if not args.all and shown.get(trace.outcome, 0) >= EXPLAIN_BINDINGS:
            hidden[trace.outcome] = hidden.get(trace.outcome, 0) + 1
            continue
        shown[trace.outcome] = shown.get(trace.outcome, 0) + 1
        print(printable(f"  {trace.outcome:<13}  {trace.binding}" + (f": {trace.detail}" if trace.detail else "")))
    for outcome, count in hidden.items():
        print(f"  ... and {count} more {outcome} (--all lists them)")
    if rule.kind in ("calculation", "rollforward") and coverage.not_evaluated:
        print(f"  ({coverage.not_evaluated} summation binding(s) not evaluated: a total or item is not reported "
              f"there; check --calc lists partial bindings)")


def _rule_nodes(rule) -> list:
    """The expressions of a rule that may name $parameters."""
    nodes = [rule.assertion] if rule.assertion is not None else []
    if rule.translation is not None and rule.translation.rate is not None:
        nodes.append(rule.translation.rate)
    if rule.when is not None:
        nodes.extend(rule.when.holds)
    return nodes


def _node_text(node) -> str:
    from .grammar import to_text
    return to_text(node)


def _run_rules_from_calc(args) -> int:
    from .linkbases import read_calculations
    from .packwriter import calculation_pack_yaml

    _refuse_overwriting_inputs([args.output], [args.filing])
    filing = load_filing(args.filing, _limits(args))
    calculations = read_calculations(filing)
    if not calculations.summations:
        raise CheckerError("has no calculation linkbase with summations", args.filing)
    text = calculation_pack_yaml(filing, calculations.summations, args.mode, args.partial)
    with _output(args.output) as out:
        out.write(text)
    if args.output:
        print(f"discheck: wrote {len(calculations.summations)} summation rules to {args.output}", file=sys.stderr)
    return EXIT_OK


def _silence_stdout() -> None:
    """After a broken pipe, send what is left (and the interpreter's final flush) nowhere."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    if not (sys.argv[1:] if argv is None else argv):  # `discheck` alone: what it can do
        build_parser().print_help()
        return EXIT_OK
    for stream in (sys.stdout, sys.stderr):  # a console or redirect that is not UTF-8: escape, never crash
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except CheckerError as exc:
        from .formatters import printable
        for line in exc.lines():
            print(f"discheck: error: {printable(line)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("discheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `discheck facts ... | head`: the reader has what it wanted
        _silence_stdout()
        return EXIT_OK
    except MemoryError:
        print("discheck: internal error: ran out of memory (is the input larger than this machine can hold?)",
              file=sys.stderr)
        return EXIT_INTERNAL
    except Exception as exc:  # a bug of ours: one line, never exit 1 ("violations found")
        if getattr(args, "debug", False):
            import traceback
            traceback.print_exc()
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        print(f"discheck: internal error: {type(exc).__name__}{': ' + detail if detail else ''} "
              f"(a bug in discheck; --debug shows the traceback)", file=sys.stderr)
        return EXIT_INTERNAL
