"""The ``discheck`` command: it only parses arguments and wires loaders, engine and formatters."""

from __future__ import annotations

import argparse
import contextlib
import sys

from . import __version__
from .errors import EXIT_ERROR, EXIT_OK, CheckerError
from .loaders import DEFAULT_LIMITS, ParseLimits, load_filing


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 2 with one line (its default also prints usage)."""

    def error(self, message: str):  # noqa: D401
        self.exit(EXIT_ERROR, f"discheck: error: {message} (see 'discheck --help')\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be positive")
    return value


def _add_limits(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--max-xml-bytes", type=_positive_int, default=DEFAULT_LIMITS.max_bytes,
                        metavar="N", help="refuse XML documents larger than N bytes (default 1 GiB)")
    parser.add_argument("--max-xml-depth", type=_positive_int, default=DEFAULT_LIMITS.max_depth,
                        metavar="N", help="refuse XML nested deeper than N elements (default 256)")


def _limits(args) -> ParseLimits:
    return ParseLimits(max_bytes=args.max_xml_bytes, max_depth=args.max_xml_depth)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="discheck", description="Consistency checks for XBRL financial disclosures.")
    parser.add_argument("--version", action="version", version=f"discheck {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    facts = commands.add_parser("facts", help="list the facts extracted from a filing",
                                description="Every fact of the filing, one row each.")
    facts.add_argument("filing", metavar="FILING",
                       help="instance (.xml), inline XBRL (.htm), folder or .zip package, "
                            "xBRL-JSON, or a facts table (.csv/.json)")
    facts.add_argument("--format", choices=("csv", "json"), default="csv")
    facts.add_argument("--output", "-o", metavar="FILE", help="write here instead of standard output")
    _add_limits(facts)
    facts.set_defaults(run=_run_facts)
    return parser


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

    filing = load_filing(args.filing, _limits(args))
    for warning in filing.warnings:
        print(f"discheck: warning: {warning}", file=sys.stderr)
    with _output(args.output) as out:
        if args.format == "json":
            write_json(filing.facts, out, filing.documents)
        else:
            write_csv(filing.facts, out)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except CheckerError as exc:
        print(f"discheck: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("discheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
