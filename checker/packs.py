"""Rule packs: YAML files read safely, validated against a JSON Schema, turned into rules.

Every mistake names ``file:line:column``. YAML is composed once with positions kept
(PyYAML's safe loader), the document is validated against the shipped schema, and
each expression is parsed by ``checker.grammar`` with its columns mapped back into
the YAML source, even inside folded block scalars.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import string
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import RulePackError
from .model import parse_amount
from .grammar import Comparison, ExpressionError, Node, Term, constant_value, params_of, parse_assertion, \
    parse_expression, parse_term, terms_of

MESSAGE_FIELDS = {"rule", "title", "left", "right", "difference", "tolerance", "period", "entity", "unit",
                  "dimensions", "explanation", "filing"}
TYPED_FORMS = ("assert", "translation", "exists", "calculation", "rollforward")
MAX_YAML_DEPTH = 32  # a rule pack nests five levels; far deeper is a mistake or an attack


@dataclass(frozen=True)
class Location:
    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Tolerance:
    """How far apart two sides may be: ``rounding`` (the facts' decimals), or a fixed amount."""

    kind: str = "rounding"  # rounding | absolute | relative
    amount: Decimal = Decimal(0)

    def __str__(self) -> str:
        if self.kind == "rounding":
            return "rounding"
        return f"{self.kind} {self.amount}"


@dataclass(frozen=True)
class Translation:
    source: str            # currency of the reported amounts, e.g. CNY; "*" for whichever is paired
    target: str            # currency of the convenience translation, e.g. USD
    rate: Node | None      # a number or a $parameter; None: inferred from the filing's pairs
    concepts: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Exists:
    condition: Term
    required: tuple[Term, ...]


@dataclass(frozen=True)
class Calculation:
    """Summation checks: the filing's own calculation linkbase, or one explicit summation."""

    mode: str = "round"
    partial: str = "warning"
    role: str = ""
    total: Term | None = None
    items: tuple[tuple[Term, Decimal], ...] = ()


@dataclass(frozen=True)
class When:
    document_types: tuple[str, ...] = ()
    holds: tuple[Comparison, ...] = ()
    no_dimensions: bool = False   # only contexts without dimensions (the consolidated figures)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: str
    kind: str                       # assert | translation | exists
    pack: str
    prefix: str
    location: Location
    assertion: Comparison | None = None
    translation: Translation | None = None
    exists: Exists | None = None
    calculation: Calculation | None = None
    expression: str = ""            # the source text of the assertion, for explanations
    message: str | None = None
    tolerance: Tolerance = Tolerance()
    references: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    when: When | None = None
    examples: tuple[tuple[str, str, str], ...] = ()   # (name, outcome pass|fail, facts CSV)
    # every concept the rule names: (prefix or the pack's, local name, file:line:column), for `rules validate`
    concepts: tuple[tuple[str, str, str], ...] = field(default=(), compare=False, repr=False)

    def terms(self) -> list[Term]:
        if self.assertion is not None:
            return terms_of(self.assertion)
        if self.exists is not None:
            return [self.exists.condition, *self.exists.required]
        if self.translation is not None:
            return list(self.translation.concepts)
        if self.calculation is not None and self.calculation.total is not None:
            return [self.calculation.total, *(term for term, _ in self.calculation.items)]
        return []


@dataclass(frozen=True)
class Pack:
    name: str
    path: str
    description: str
    prefix: str
    parameters: dict[str, Decimal] = field(hash=False)
    rules: tuple[Rule, ...] = ()


# --- YAML with positions --------------------------------------------------------------------

class _Positions:
    """Where each value (and each mapping key) of a YAML document sits in its file."""

    def __init__(self, file: str, source: str):
        self.file = file
        self.source = source
        self.nodes: dict[tuple, object] = {}   # yaml nodes, by path
        self.keys: dict[tuple, object] = {}

    def walk(self, root) -> None:
        """Record every node's path, iteratively. A node met twice is a YAML alias: rule
        packs have no use for anchors, and an alias is how a small file expands into
        billions of nodes (or into itself), so it is refused where it is used."""
        seen: set[int] = set()
        stack = [(root, ())]
        while stack:
            node, path = stack.pop()
            if id(node) in seen:
                raise RulePackError("the value anchored here (&name) is used again through an alias (*name): "
                                    "rule packs do not use anchors and aliases; write the value out",
                                    self.at_node(node))
            seen.add(id(node))
            if len(path) > MAX_YAML_DEPTH:
                raise RulePackError(f"nests deeper than {MAX_YAML_DEPTH} levels", self.at_node(node))
            self.nodes[path] = node
            kind = type(node).__name__  # yaml's node classes; yaml itself is imported only to read packs
            if kind == "MappingNode":
                names: dict[str, object] = {}
                for key, value in node.value:
                    name = key.value if type(key).__name__ == "ScalarNode" else str(key.start_mark)
                    if name in names:
                        raise RulePackError(f"the key {name!r} appears twice in one mapping (first at line "
                                            f"{names[name].start_mark.line + 1})", self.at_node(key))
                    names[name] = key
                    self.keys[path + (name,)] = key
                    stack.append((value, path + (name,)))
            elif kind == "SequenceNode":
                stack.extend((item, path + (index,)) for index, item in enumerate(node.value))

    def at_node(self, node) -> str:
        return str(Location(self.file, node.start_mark.line + 1, node.start_mark.column + 1))

    def at(self, path: tuple, key: bool = False) -> str:
        while path and path not in (self.keys if key else self.nodes):
            path = path[:-1]
            key = False
        node = (self.keys if key else self.nodes).get(path) or self.nodes.get(())
        if node is None:
            return f"{self.file}:1:1"
        return self.at_node(node)

    def location(self, path: tuple) -> Location:
        node = self.nodes[path]
        return Location(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def raw_scalar(self, path: tuple) -> str | None:
        node = self.nodes.get(path)
        return node.value if type(node).__name__ == "ScalarNode" else None

    def at_offset(self, path: tuple, offset: int) -> str:
        """The file position of character ``offset`` of the string value at ``path``.

        Non-blank characters of the value appear in the same order in the source span
        (folding only changes blanks and line breaks), so counting them maps the offset.
        """
        node = self.nodes.get(path)
        if type(node).__name__ != "ScalarNode":
            return self.at(path)
        value = node.value
        wanted = sum(1 for ch in value[:offset] if not ch.isspace())
        start, end = node.start_mark.index, node.end_mark.index
        span = self.source[start:end]
        skip = 0
        if node.style in ("|", ">"):
            skip = span.find("\n") + 1 if "\n" in span else len(span)
        elif node.style in ("'", '"'):
            skip = 1
        count = 0
        for index in range(skip, len(span)):
            if span[index].isspace():
                continue
            if count == wanted:
                absolute = start + index
                line = self.source.count("\n", 0, absolute)
                column = absolute - (self.source.rfind("\n", 0, absolute) + 1)
                return str(Location(self.file, line + 1, column + 1))
            count += 1
        return self.at_node(node)


def _check_nesting(source: str, path: str) -> None:
    """YAML's composer recurses once per level: refuse a document nested deeper than a pack
    ever is from its tokens, before composing (the scanner does not recurse)."""
    import yaml

    # a cheap upper bound first: block nesting needs indentation, flow nesting brackets; only a
    # document that could nest too deeply pays for the token scan (PyYAML's scanner is slow)
    indent = max((len(m.group()) for m in re.finditer(r"(?m)^[ \t-]*", source)), default=0)
    flow = deepest = 0
    for m in re.finditer(r"[\[\]{}]", source):
        flow += 1 if m.group() in "[{" else -1
        deepest = max(deepest, flow)
    if indent + deepest <= MAX_YAML_DEPTH:
        return
    depth = 0
    try:
        for token in yaml.scan(source, Loader=yaml.SafeLoader):
            name = type(token).__name__
            if name in ("BlockMappingStartToken", "BlockSequenceStartToken", "FlowMappingStartToken",
                        "FlowSequenceStartToken", "BlockEntryToken"):
                if name != "BlockEntryToken":
                    depth += 1
                if depth > MAX_YAML_DEPTH:
                    mark = token.start_mark
                    raise RulePackError(f"nests deeper than {MAX_YAML_DEPTH} levels",
                                        f"{path}:{mark.line + 1}:{mark.column + 1}")
            elif name in ("BlockEndToken", "FlowMappingEndToken", "FlowSequenceEndToken"):
                depth -= 1
    except yaml.YAMLError:
        return  # a syntax error: the loader reports it with its position


def _read_yaml(path: str) -> tuple[object, _Positions, str]:
    """The pack's data, where each value sits, and the digest of its bytes."""
    import yaml  # only runs that read packs need it

    try:
        with open(path, "rb") as stream:
            raw = stream.read()
    except OSError as exc:
        raise RulePackError(f"cannot be read ({exc.strerror})", path) from None
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RulePackError(f"is not UTF-8 text (byte {exc.start})", path) from None
    positions = _Positions(path, source)
    try:
        _check_nesting(source, path)
        # libyaml's parser where PyYAML has it (ten times faster; the same nodes and marks),
        # with SafeConstructor's types either way: never a Python object
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(source)
        try:
            node = loader.get_single_node()
            if node is None:
                raise RulePackError("is empty: a rule pack needs at least 'pack' and 'rules'", f"{path}:1:1")
            positions.walk(node)
            try:
                data = loader.construct_document(node)
            except (ValueError, OverflowError) as exc:  # e.g. an integer of more than 4,300 digits
                raise RulePackError(f"a value cannot be read: {str(exc).split(';')[0]}", path) from None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        problem = exc.problem or exc.context or "invalid YAML"
        raise RulePackError(f"YAML syntax: {problem}", where) from None
    except yaml.YAMLError as exc:
        raise RulePackError(f"YAML syntax: {exc}", path) from None
    return data, positions, hashlib.sha256(raw).hexdigest()


# --- schema --------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def pack_schema() -> dict:
    text = resources.files("checker").joinpath("schemas/rulepack.schema.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _schema_digest() -> str:
    return hashlib.sha256(json.dumps(pack_schema(), sort_keys=True).encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def _validator():
    import jsonschema  # only runs that read packs need it, and it is slow to import

    return jsonschema.Draft202012Validator(pack_schema())


def _cache_dir() -> Path | None:
    """Where checker keeps what it has worked out once: ``DISCHECK_CACHE_DIR`` (empty: no
    cache), else ``$XDG_CACHE_HOME/discheck``, else ``~/.cache/discheck``."""
    chosen = os.environ.get("DISCHECK_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    home = os.path.expanduser("~")
    base = os.environ.get("XDG_CACHE_HOME") or (os.path.join(home, ".cache") if os.path.isabs(home) else None)
    return Path(base) / "discheck" if base else None  # no home: no cache, never a "~" folder here


def _validated_marker(digest: str) -> Path | None:
    """The marker saying a pack of these bytes met this schema: validating costs more than the
    rest of reading a pack, jsonschema's import alone a tenth of a second, on every run."""
    folder = _cache_dir()
    if folder is None:
        return None
    return folder / "valid-packs" / f"{_schema_digest()}-{digest}"


def _schema_problems_cached(data, positions: _Positions, digest: str) -> list[tuple[str, str, tuple]]:
    marker = _validated_marker(digest)
    try:
        if marker is not None and marker.is_file():
            return []
    except OSError:   # a cache folder checker may not read: as if there were none
        marker = None
    problems = _schema_problems(data, positions)
    if not problems and marker is not None:
        try:  # best effort: a read-only home only means validating again next time
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            pass
    return problems


def _schema_problems(data, positions: _Positions) -> list[tuple[str, str, tuple]]:
    """Schema errors as ``(where, message, path)``, in file order."""
    problems = []
    for error in _validator().iter_errors(data):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = list((error.schema.get("properties") or {}).keys())
            for key in error.instance:
                if key not in allowed:
                    close = difflib.get_close_matches(str(key), allowed, n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else f" (allowed: {', '.join(allowed)})"
                    problems.append((positions.at(path + (key,), key=True), f"unknown key {key!r}{hint}",
                                     path))
            continue
        problems.append((positions.at(path), _describe(error, path), path))
    problems.sort(key=lambda p: _sort_key(p[0]))
    return problems


def _sort_key(where: str):
    parts = where.rsplit(":", 2)
    try:
        return (int(parts[1]), int(parts[2]))
    except (IndexError, ValueError):
        return (0, 0)


def _describe(error, path: tuple) -> str:
    field_name = ".".join(str(p) for p in path) or "the pack"
    if error.validator == "required":
        return f"{field_name} lacks {error.message.split(' is a required')[0]}"
    if error.validator == "enum":
        return f"{field_name}: {error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return f"{field_name} must be {'an' if expected[0] in 'aeiou' else 'a'} {expected}, not {_kind(error.instance)}"
    if error.validator == "pattern":
        return f"{field_name}: {error.instance!r} is not a valid name here (pattern {error.validator_value})"
    return f"{field_name}: {error.message}"


def _kind(value) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "true/false", type(None): "empty"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)


# --- building rules ---------------------------------------------------------------------------

def _decimal(raw: str | None, value, where: str, what: str) -> Decimal:
    try:
        return parse_amount(str(raw if raw is not None else value).replace("_", ""))
    except ValueError as exc:
        raise RulePackError(f"{what} {str(value)[:40]!r} {exc}", where) from None


def load_pack(path: str) -> Pack:
    data, positions, digest = _read_yaml(path)
    if not isinstance(data, dict):
        raise RulePackError(f"a rule pack is a mapping with 'pack' and 'rules', not {_kind(data)}",
                            positions.at(()))
    schema_problems = _schema_problems_cached(data, positions, digest)
    broken_rules = {p[2][1] for p in schema_problems if len(p[2]) >= 2 and p[2][0] == "rules"}
    problems = [(where, message) for where, message, _ in schema_problems]
    outside_rules = any(not (len(p[2]) >= 2 and p[2][0] == "rules") for p in schema_problems)
    if outside_rules or not isinstance(data.get("rules"), list):
        raise RulePackError.many(problems)  # the pack itself is malformed: nothing more to check
    prefix = data.get("prefix", "us-gaap")
    parameters = {}
    for name, value in (data.get("parameters") or {}).items():
        where = positions.at(("parameters", name))
        parameters[name] = _decimal(positions.raw_scalar(("parameters", name)), value, where,
                                    f"parameter {name}")
    defaults = data.get("defaults") or {}
    default_severity = defaults.get("severity", "error")
    default_tolerance = _tolerance(defaults.get("tolerance"), positions, ("defaults", "tolerance"))
    rules = []
    for index, raw in enumerate(data["rules"]):
        if index in broken_rules:
            continue
        try:
            rules.append(_rule(raw, ("rules", index), data["pack"], prefix, parameters, default_severity,
                               default_tolerance, positions))
        except RulePackError as exc:
            problems.extend(exc.problems)
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            problems.append((str(rule.location), f"rule id {rule.id!r} is used twice in this pack "
                                                 f"(first at {seen[rule.id].location})"))
        seen[rule.id] = rule
    if problems:
        problems.sort(key=lambda p: _sort_key(p[0]))
        raise RulePackError.many(problems)
    return Pack(data["pack"], path, data.get("description", ""), prefix, parameters, tuple(rules))


def _tolerance(raw, positions: _Positions, path: tuple) -> Tolerance:
    if not raw:
        return Tolerance()
    kind, value = next(iter(raw.items()))
    if kind == "rounding":
        return Tolerance()
    where = positions.at(path + (kind,))
    return Tolerance(kind, _decimal(positions.raw_scalar(path + (kind,)), value, where, f"tolerance {kind}"))


def _rule(raw: dict, path: tuple, pack: str, prefix: str, parameters: dict, default_severity: str,
          default_tolerance: Tolerance, positions: _Positions) -> Rule:
    where = positions.at(path)
    forms = [form for form in TYPED_FORMS if form in raw]
    if len(forms) != 1:
        found = ", ".join(forms) if forms else "none"
        raise RulePackError(f"rule {raw['id']!r} needs exactly one of assert, translation, exists, calculation, "
                            f"rollforward "
                            f"(found: {found})", where)
    form = forms[0]

    named: list[tuple[str, str, str]] = []

    def parsed(parse, subpath: tuple):
        text = raw
        for part in subpath[len(path):]:
            text = text[part]
        try:
            node = parse(text)
        except ExpressionError as exc:
            raise RulePackError(exc.message, positions.at_offset(subpath, exc.offset)) from None
        for term in [node] if isinstance(node, Term) else terms_of(node):
            named.append((term.prefix or prefix, term.local, positions.at_offset(subpath, term.offset)))
        for param in params_of(node) if not isinstance(node, Term) else []:
            if param.name not in parameters:
                known = ", ".join(f"${p}" for p in parameters) or "none are declared"
                raise RulePackError(f"unknown parameter ${param.name} (parameters: {known})",
                                    positions.at_offset(subpath, param.offset))
        return node

    fields: dict = {}
    if form == "assert":
        assertion = parsed(parse_assertion, path + ("assert",))
        if not any(not t.optional and t.period is None for t in terms_of(assertion)):
            raise RulePackError("the assertion needs at least one required term without @start/@end/@prior: "
                                "the rule is evaluated where such a term is reported",
                                positions.at(path + ("assert",)))
        fields.update(assertion=assertion, expression=" ".join(raw["assert"].split()))
    elif form == "translation":
        spec = raw["translation"]
        rate_path = path + ("translation", "rate")
        rate_raw = spec["rate"]
        if isinstance(rate_raw, str) and rate_raw.strip() == "infer":
            rate = None
        elif isinstance(rate_raw, str):
            rate = parsed(parse_expression, rate_path)
        else:
            from .grammar import Number
            rate = Number(0, _decimal(positions.raw_scalar(rate_path), rate_raw, positions.at(rate_path), "rate"))
        concepts = tuple(parsed(parse_term, path + ("translation", "concepts", i))
                         for i in range(len(spec.get("concepts", []))))
        if spec["from"] == spec["to"]:
            raise RulePackError("translation: from and to name the same currency", positions.at(path + ("translation",)))
        if rate is not None:
            try:
                value = constant_value(rate, parameters)
            except ZeroDivisionError:
                raise RulePackError("translation: the rate divides by zero", positions.at(rate_path)) from None
            if value is not None and value <= 0:
                raise RulePackError(f"translation: the rate is {value}: a rate must be a positive number of "
                                    f"{spec['from']} per {spec['to']}", positions.at(rate_path))
        fields.update(translation=Translation(spec["from"], spec["to"], rate, concepts))
    elif form == "rollforward":
        fields.update(calculation=Calculation("round", raw["rollforward"].get("partial", "warning")))
    elif form == "calculation":
        spec = raw["calculation"]
        total = parsed(parse_term, path + ("calculation", "total")) if "total" in spec else None
        items = tuple((parsed(parse_term, path + ("calculation", "items", i, "concept")),
                       _decimal(positions.raw_scalar(path + ("calculation", "items", i, "weight")), item.get("weight", 1),
                                positions.at(path + ("calculation", "items", i)), "weight"))
                      for i, item in enumerate(spec.get("items", [])))
        fields.update(calculation=Calculation(spec.get("mode", "round"), spec.get("partial", "warning"),
                                              spec.get("role", ""), total, items))
    else:
        spec = raw["exists"]
        then = spec["then"] if isinstance(spec["then"], list) else [spec["then"]]
        condition = parsed(parse_term, path + ("exists", "if"))
        then_paths = [path + ("exists", "then", i) for i in range(len(then))] if isinstance(spec["then"], list) \
            else [path + ("exists", "then")]
        fields.update(exists=Exists(condition, tuple(parsed(parse_term, p) for p in then_paths)))
    message = raw.get("message")
    if message is not None:
        _check_message(message, positions, path + ("message",), parameters)
    when = None
    if "when" in raw:
        holds = raw["when"].get("holds", [])
        holds_paths = [path + ("when", "holds", i) for i in range(len(holds))] if isinstance(holds, list) \
            else [path + ("when", "holds")]
        when = When(tuple(raw["when"].get("document_type", [])),
                    tuple(parsed(parse_assertion, p) for p in holds_paths),
                    raw["when"].get("dimensions") == "none")
    references = tuple(r if isinstance(r, str) else " — ".join(v for v in (r.get("standard"), r.get("guidance"),
                                                                           r.get("url")) if v)
                       for r in raw.get("references", []))
    tolerance = _tolerance(raw.get("tolerance"), positions, path + ("tolerance",)) \
        if "tolerance" in raw else default_tolerance
    return Rule(id=raw["id"], title=raw["title"], severity=raw.get("severity", default_severity), kind=form,
                pack=pack, prefix=prefix, location=positions.location(path), message=message,
                tolerance=tolerance, references=references, tags=tuple(raw.get("tags", [])), when=when,
                examples=tuple((e.get("name", ""), e["outcome"], e["facts"]) for e in raw.get("examples", [])),
                concepts=tuple(named), **fields)


def _check_message(message: str, positions: _Positions, path: tuple, parameters: dict) -> None:
    try:
        fields = list(string.Formatter().parse(message))
    except ValueError as exc:
        raise RulePackError(f"message template: {exc}", positions.at(path)) from None
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in MESSAGE_FIELDS and name not in parameters:
            offset = message.find("{" + name)
            raise RulePackError(f"message template: unknown field {{{name}}} (fields: "
                                f"{', '.join(sorted(MESSAGE_FIELDS))}, or a parameter)",
                                positions.at_offset(path, max(offset, 0)))
        if spec or conversion:
            raise RulePackError(f"message template: {{{name}}} takes no format or conversion",
                                positions.at(path))


# --- finding and loading many packs -----------------------------------------------------------

def shipped_rules_dir() -> Path | None:
    """The packs that run when no --rules is given: the installed copy, or ``rules/`` of a checkout."""
    installed = Path(__file__).resolve().parent / "shipped_rules"
    if installed.is_dir():
        return installed
    top = Path(__file__).resolve().parent.parent
    if (top / "pyproject.toml").is_file() and (top / "rules").is_dir():  # running from this repository
        return top / "rules"
    return None


SHIPPED = "shipped"  # --rules shipped: the packs that come with checker, beside one's own


def pack_files(paths: list[str]) -> list[str]:
    files = []
    for path in paths:
        if path == SHIPPED and not os.path.exists(path):
            shipped = shipped_rules_dir()
            if shipped is None:
                raise RulePackError("the shipped packs were not found", path)
            path = str(shipped)
        if os.path.isdir(path):
            found = sorted(str(p) for p in Path(path).rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
            if not found:
                raise RulePackError("holds no rule packs (*.yaml)", path)
            files.extend(found)
        elif os.path.isfile(path):
            files.append(path)
        else:
            raise RulePackError("does not exist", path)
    return files


def load_packs(paths: list[str], overrides: dict[str, str] | None = None) -> list[Pack]:
    """Load and validate every pack; rule ids must be unique across all of them."""
    packs, problems = [], []
    for file in pack_files(paths):
        try:
            packs.append(load_pack(file))
        except RulePackError as exc:
            problems.extend(exc.problems)
    if problems:
        raise RulePackError.many(problems)
    packs = _qualify_shared_ids(packs)
    if overrides:
        packs = _apply_overrides(packs, overrides)
    return packs


def _qualify_shared_ids(packs: list[Pack]) -> list[Pack]:
    """Rule ids are unique within a pack; where two packs use one (an example pack beside the
    shipped ones), each of those rules is named by its pack, ``receivables:AR.NET``, in every
    report, ``--select``/``--ignore`` and baseline. Two packs of one name cannot be told apart."""
    owners: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for pack in packs:
        if pack.name in names and names[pack.name] != pack.path:
            raise RulePackError(f"pack name {pack.name!r} is also the name of {names[pack.name]}: rules of two "
                                f"packs of one name could not be told apart", pack.path)
        names[pack.name] = pack.path
        for rule in pack.rules:
            owners.setdefault(rule.id, set()).add(pack.name)
    shared = {rule_id for rule_id, found in owners.items() if len(found) > 1}
    if not shared:
        return packs
    return [replace(pack, rules=tuple(replace(rule, id=f"{pack.name}:{rule.id}") if rule.id in shared else rule
                                      for rule in pack.rules)) for pack in packs]


def _apply_overrides(packs: list[Pack], overrides: dict[str, str]) -> list[Pack]:
    declared = {name for pack in packs for name in pack.parameters}
    for name, value in overrides.items():
        if name not in declared:
            raise RulePackError(f"--param {name}: no rule pack declares a parameter {name!r}"
                                + (f" (declared: {', '.join(sorted(declared))})" if declared else ""))
        try:
            parse_amount(value)
        except ValueError as exc:
            raise RulePackError(f"--param {name}={value[:40]}: {exc}") from None
    out = []
    for pack in packs:
        params = {k: parse_amount(overrides[k]) if k in overrides else v for k, v in pack.parameters.items()}
        out.append(Pack(pack.name, pack.path, pack.description, pack.prefix, params, pack.rules))
    return out
