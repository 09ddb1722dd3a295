"""The expression grammar: what it accepts, and where it points when it does not."""

from decimal import Decimal

import pytest

from checker.grammar import ANY_MEMBER, DEFAULT_MEMBER, Binary, Call, ExpressionError, Number, Param, Unary, parse_assertion, parse_term, terms_of


def test_precedence_and_terms():
    tree = parse_assertion("Net == Gross - Allowance * 2 + -Other / $rate")
    assert tree.op == "=="
    right = tree.right
    assert isinstance(right, Binary) and right.op == "+"
    assert isinstance(right.left, Binary) and right.left.op == "-"
    assert isinstance(right.left.right, Binary) and right.left.right.op == "*"
    assert isinstance(right.right, Binary) and right.right.op == "/"
    assert isinstance(right.right.left, Unary) and isinstance(right.right.right, Param)
    assert [t.local for t in terms_of(tree)] == ["Net", "Gross", "Allowance", "Other"]


def test_hyphens_belong_to_prefixes_only():
    tree = parse_assertion("us-gaap:Assets-ifrs-full:Liabilities==0")
    left = tree.left
    assert isinstance(left, Binary) and left.op == "-"
    assert (left.left.prefix, left.left.local) == ("us-gaap", "Assets")
    assert (left.right.prefix, left.right.local) == ("ifrs-full", "Liabilities")


def test_qualifiers():
    term = parse_term("X[srt:ProductOrServiceAxis=us-gaap:ServiceMember, Axis2=default]@end@USD?")
    assert term.period == "end" and term.unit == ("iso4217", "USD") and term.optional
    assert term.dims == ((("srt", "ProductOrServiceAxis"), ("us-gaap", "ServiceMember")),
                         ((None, "Axis2"), DEFAULT_MEMBER))
    assert parse_term("Shares@shares@prior").unit == ("xbrli", "shares")
    assert parse_term("X?@start").period == "start"


def test_wildcard_sum_and_functions():
    tree = parse_assertion("Revenues == sum(Revenues[StatementBusinessSegmentsAxis=*])")
    call = tree.right
    assert isinstance(call, Call) and call.name == "sum" and call.args[0].dims[0][1] == ANY_MEMBER
    parse_assertion("abs(A) <= max(B, C, 1.5) + round(D, 2) + min(E)")


def test_numbers_are_exact():
    tree = parse_assertion("A == 0.1 + 0.2")
    assert tree.right.left == Number(0, Decimal("0.1"))


@pytest.mark.parametrize("text,offset,message", [
    ("A = B", 2, "write =="),
    ("A == B == C", 7, "only one comparison"),
    ("A + B", 5, "expected a comparison"),
    ("A == foo(B)", 5, "unknown function 'foo'"),
    ("A == (B + C", 11, "to close the parenthesis"),
    ("A == B@yesterday", 7, "unknown qualifier @yesterday"),
    ("A == B[Axis=]", 12, "expected a member name"),
    ("A == B[Axis=*]", 5, "inside sum()"),
    ("A == round(B, C)", 14, "number of digits"),
    ("A == B; import os", 6, "unexpected character ';'"),
    ("__import__('os').system('x') == 1", 11, "unexpected character"),
    ("A == abs(B, C)", 5, "takes 1 argument"),
    ("", 0, "empty"),
])
def test_errors_point_at_the_column(text, offset, message):
    with pytest.raises(ExpressionError) as info:
        parse_assertion(text)
    assert message in info.value.message
    assert info.value.offset == offset
