"""The rule expression language: our own tokenizer and recursive-descent parser.

    assertion  := sum COMPARE sum
    sum        := product (('+' | '-') product)*
    product    := unary (('*' | '/') unary)*
    unary      := '-' unary | primary
    primary    := NUMBER | '$' NAME | NAME '(' args ')' | '(' sum ')' | term
    term       := NAME (':' NAME)? ( '[' dims ']' | '@' QUALIFIER | '?' )*
    dims       := dim (',' dim)*          dim := NAME '=' (NAME | 'default' | '*')

Nothing here evaluates anything; the parser returns frozen nodes that carry their
offset in the expression text, so a mistake can be pointed at by column.
A prefix may contain hyphens (``us-gaap:Assets``) but a bare name may not, so
``Assets-Liabilities`` reads as a subtraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .model import MAX_DECIMALS, parse_amount

FUNCTIONS = {"abs": (1, 1), "min": (1, None), "max": (1, None), "sum": (1, None), "round": (1, 2)}
COMPARISONS = ("==", "!=", "<=", ">=", "<", ">")
PERIOD_QUALIFIERS = ("start", "end", "prior")
UNIT_WORDS = {"shares": ("xbrli", "shares"), "pure": ("xbrli", "pure")}

DEFAULT_MEMBER = "default"
ANY_MEMBER = "*"


class ExpressionError(ValueError):
    """A mistake in an expression, at ``offset`` characters into its text."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message = message
        self.offset = offset


# --- the tree --------------------------------------------------------------------------

@dataclass(frozen=True)
class Node:
    offset: int = field(compare=False)


@dataclass(frozen=True)
class Number(Node):
    value: Decimal


@dataclass(frozen=True)
class Param(Node):
    name: str


@dataclass(frozen=True)
class Term(Node):
    """A concept reference with its qualifiers, as written in the rule."""

    prefix: str | None
    local: str
    dims: tuple[tuple[tuple[str | None, str], str | tuple[str | None, str]], ...] = ()
    period: str | None = None        # start | end | prior
    unit: tuple[str, str] | None = None  # (prefix, local) of the measure, e.g. ("iso4217", "USD")
    optional: bool = False
    text: str = ""

    @property
    def has_wildcard(self) -> bool:
        return any(member == ANY_MEMBER for _, member in self.dims)


@dataclass(frozen=True)
class Unary(Node):
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call(Node):
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Comparison(Node):
    op: str
    left: Node
    right: Node


def walk(node: Node):
    """Every node of a tree, depth first, left to right."""
    yield node
    if isinstance(node, (Binary, Comparison)):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, Unary):
        yield from walk(node.operand)
    elif isinstance(node, Call):
        for arg in node.args:
            yield from walk(arg)


def terms_of(node: Node) -> list[Term]:
    """Every term in a tree, left to right."""
    return [n for n in walk(node) if isinstance(n, Term)]


def params_of(node: Node) -> list[Param]:
    return [n for n in walk(node) if isinstance(n, Param)]


# --- tokens ------------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+)
  | (?P<name>(?:[A-Za-z_][\w.-]*:)?[A-Za-z_][\w.]*)
  | (?P<param>\$[A-Za-z_]\w*)
  | (?P<op>==|!=|<=|>=|[-+*/()<>\[\],=@?])
""", re.VERBOSE | re.ASCII)  # ASCII only: a fullwidth digit or a Cyrillic look-alike is refused, never read
MAX_NESTING = 64   # parentheses, unary minuses and calls inside one another
MAX_DEPTH = 400    # levels of the parsed tree (each operand of a chain of + or - is one more)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    offset: int


def tokenize(text: str) -> list[Token]:
    tokens = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            char = text[pos]
            hint = " (write == to compare)" if char == "=" else ""
            if not char.isascii():
                import unicodedata
                hint = (f" ({unicodedata.name(char, 'U+%04X' % ord(char))}: expressions are ASCII; a look-alike "
                        f"letter or digit would silently match nothing)")
            raise ExpressionError(f"unexpected character {char!r}{hint}", pos)
        kind = m.lastgroup
        if kind != "space":
            tokens.append(Token(kind, m.group(), pos))
        pos = m.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# --- parser ------------------------------------------------------------------------------

class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0
        self.nesting = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def at(self, *texts: str) -> bool:
        return self.token.kind == "op" and self.token.text in texts

    def expect(self, text: str, what: str) -> Token:
        if not self.at(text):
            raise ExpressionError(f"expected {text!r} {what}, found {self._describe()}", self.token.offset)
        return self.advance()

    def _describe(self) -> str:
        return "the end of the expression" if self.token.kind == "end" else repr(self.token.text)

    def assertion(self) -> Comparison:
        left = self.sum()
        if not (self.token.kind == "op" and self.token.text in COMPARISONS):
            if self.at("="):
                raise ExpressionError("'=' is not a comparison: write ==", self.token.offset)
            raise ExpressionError(f"expected a comparison (== != < <= > >=), found {self._describe()}",
                                  self.token.offset)
        op = self.advance()
        right = self.sum()
        if self.token.kind == "op" and self.token.text in COMPARISONS:
            raise ExpressionError("only one comparison is allowed in an assertion", self.token.offset)
        self.finish()
        node = _bounded(Comparison(op.offset, op.text, left, right))
        _check_wildcards(node)
        return node

    def finish(self) -> None:
        if self.token.kind != "end":
            raise ExpressionError(f"unexpected {self._describe()}", self.token.offset)

    def _nest(self) -> None:
        """Parentheses, calls and unary signs nest: bounded, so parsing never exhausts the stack."""
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise ExpressionError(f"the expression nests more than {MAX_NESTING} levels deep", self.token.offset)

    def sum(self) -> Node:
        self._nest()
        node = self.product()
        while self.at("+", "-"):
            op = self.advance()
            node = Binary(op.offset, op.text, node, self.product())
        self.nesting -= 1
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.at("*", "/"):
            op = self.advance()
            node = Binary(op.offset, op.text, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.at("-", "+"):
            self._nest()
            op = self.advance()
            operand = self.unary()
            self.nesting -= 1
            return Unary(op.offset, "-", operand) if op.text == "-" else operand
        return self.primary()

    def primary(self) -> Node:
        token = self.token
        if token.kind == "number":
            self.advance()
            try:
                return Number(token.offset, parse_amount(token.text))
            except ValueError as exc:
                raise ExpressionError(f"the number {token.text[:40]} {exc}", token.offset) from None
        if token.kind == "param":
            self.advance()
            return Param(token.offset, token.text[1:])
        if self.at("("):
            self.advance()
            node = self.sum()
            self.expect(")", "to close the parenthesis")
            return node
        if token.kind == "name":
            if self.tokens[self.pos + 1].kind == "op" and self.tokens[self.pos + 1].text == "(":
                return self.call()
            return self.term()
        raise ExpressionError(f"expected a number, a concept, a $parameter or '(', found {self._describe()}",
                              token.offset)

    def call(self) -> Call:
        name = self.advance()
        if name.text not in FUNCTIONS:
            raise ExpressionError(f"unknown function {name.text!r} (known: {', '.join(sorted(FUNCTIONS))})",
                                  name.offset)
        self.expect("(", "after the function name")
        args = [self.sum()]
        while self.at(","):
            self.advance()
            args.append(self.sum())
        self.expect(")", f"to close {name.text}(")
        low, high = FUNCTIONS[name.text]
        if len(args) < low or (high is not None and len(args) > high):
            count = f"{low}" if low == high else f"{low} to {high}" if high else f"at least {low}"
            raise ExpressionError(f"{name.text}() takes {count} argument(s), not {len(args)}", name.offset)
        if name.text == "round" and len(args) == 2 and not (
                isinstance(args[1], Number) and args[1].value == args[1].value.to_integral_value()
                and abs(args[1].value) <= MAX_DECIMALS):
            raise ExpressionError(f"round()'s second argument must be a whole number of digits within "
                                  f"±{MAX_DECIMALS}", args[1].offset)
        return Call(name.offset, name.text, tuple(args))

    def term(self) -> Term:
        start = self.token
        name = self.advance().text
        prefix, _, local = name.rpartition(":")
        dims: list = []
        period = unit = None
        optional = False
        while True:
            if self.at("["):
                self.advance()
                dims.extend(self.dims())
                self.expect("]", "to close the dimensions")
            elif self.at("@"):
                at = self.advance()
                word = self.token
                if word.kind != "name" or ":" in word.text:
                    raise ExpressionError("expected a qualifier after '@': start, end, prior, a currency "
                                          "code such as USD, or shares", word.offset)
                self.advance()
                if word.text in PERIOD_QUALIFIERS:
                    if period is not None:
                        raise ExpressionError("a term can have one period qualifier", at.offset)
                    period = word.text
                elif word.text in UNIT_WORDS:
                    unit = UNIT_WORDS[word.text]
                elif re.fullmatch(r"[A-Z]{3}", word.text):
                    unit = ("iso4217", word.text)
                else:
                    raise ExpressionError(f"unknown qualifier @{word.text} (use @start, @end, @prior, a "
                                          f"three-letter currency code such as @USD, @shares or @pure)",
                                          word.offset)
            elif self.at("?"):
                self.advance()
                optional = True
            else:
                break
        end = self.tokens[self.pos - 1]
        text = self.text[start.offset:end.offset + len(end.text)]
        return Term(start.offset, prefix or None, local, tuple(dims), period, unit, optional, text)

    def dims(self) -> list:
        out = [self.dim()]
        while self.at(","):
            self.advance()
            out.append(self.dim())
        return out

    def dim(self):
        axis = self.token
        if axis.kind != "name":
            raise ExpressionError(f"expected an axis name, found {self._describe()}", axis.offset)
        self.advance()
        self.expect("=", "between the axis and its member")
        member = self.token
        if member.kind == "name":
            self.advance()
            value = DEFAULT_MEMBER if member.text == DEFAULT_MEMBER else _split(member.text)
        elif self.at("*"):
            self.advance()
            value = ANY_MEMBER
        else:
            raise ExpressionError(f"expected a member name, 'default' or '*', found {self._describe()}",
                                  member.offset)
        return (_split(axis.text), value)


def _check_wildcards(node: Node, inside_sum: bool = False) -> None:
    """``X[Axis=*]`` means every member: it is only meaningful as an argument of sum()."""
    if isinstance(node, Term):
        if node.has_wildcard and not inside_sum:
            raise ExpressionError("[Axis=*] totals over members: use it inside sum()", node.offset)
    elif isinstance(node, (Binary, Comparison)):
        _check_wildcards(node.left)
        _check_wildcards(node.right)
    elif isinstance(node, Unary):
        _check_wildcards(node.operand)
    elif isinstance(node, Call):
        for arg in node.args:
            _check_wildcards(arg, inside_sum=node.name == "sum")


def _split(name: str) -> tuple[str | None, str]:
    prefix, _, local = name.rpartition(":")
    return (prefix or None, local)


def parse_assertion(text: str) -> Comparison:
    """Parse one assertion such as ``A == B - C``."""
    if not text.strip():
        raise ExpressionError("the assertion is empty", 0)
    return _Parser(text).assertion()


def parse_term(text: str) -> Term:
    """Parse a single concept reference with qualifiers (the typed forms use these)."""
    parser = _Parser(text)
    if parser.token.kind != "name":
        raise ExpressionError(f"expected a concept name, found {parser._describe()}", parser.token.offset)
    term = parser.term()
    parser.finish()
    return term


def parse_expression(text: str) -> Node:
    parser = _Parser(text)
    node = _bounded(parser.sum())
    parser.finish()
    _check_wildcards(node)
    return node


def to_text(node: Node) -> str:
    """An expression written back as a rule author writes it (parenthesised where it nests)."""
    if isinstance(node, Comparison):
        return f"{to_text(node.left)} {node.op} {to_text(node.right)}"
    if isinstance(node, Binary):
        def side(child):
            return f"({to_text(child)})" if isinstance(child, Binary) and (
                node.op in "*/" and child.op in "+-" or child is node.right and node.op in "-/") else to_text(child)
        return f"{side(node.left)} {node.op} {side(node.right)}"
    if isinstance(node, Unary):
        return f"-({to_text(node.operand)})" if isinstance(node.operand, Binary) else f"-{to_text(node.operand)}"
    if isinstance(node, Call):
        return f"{node.name}({', '.join(to_text(arg) for arg in node.args)})"
    if isinstance(node, Param):
        return f"${node.name}"
    if isinstance(node, Number):
        return f"{node.value.normalize():f}"
    return node.text  # a term, as written


def constant_value(node: Node, params: dict) -> Decimal | None:
    """The value of an expression of numbers and $parameters only (a stated rate), or None
    when it names a concept or an unknown parameter: what validation can know without a filing.
    Division by zero raises ZeroDivisionError."""
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Param):
        return params.get(node.name)
    if isinstance(node, Unary):
        inner = constant_value(node.operand, params)
        return None if inner is None else -inner
    if isinstance(node, Binary):
        left, right = constant_value(node.left, params), constant_value(node.right, params)
        if left is None or right is None:
            return None
        if node.op == "/" and not right:
            raise ZeroDivisionError
        return {"+": left + right, "-": left - right, "*": left * right}.get(node.op) \
            if node.op != "/" else left / right
    return None


def _bounded(tree: Node) -> Node:
    """Refuse a tree deeper than the engine can walk (evaluation and explanation recurse):
    a chain of a thousand terms is a mistake, or an attack, never a rule."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError(f"the expression is more than {MAX_DEPTH} levels deep (a sum of that many "
                                  f"terms?): split it into rules", node.offset)
        if isinstance(node, (Binary, Comparison)):
            stack += [(node.left, depth + 1), (node.right, depth + 1)]
        elif isinstance(node, Unary):
            stack.append((node.operand, depth + 1))
        elif isinstance(node, Call):
            stack += [(arg, depth + 1) for arg in node.args]
    return tree
