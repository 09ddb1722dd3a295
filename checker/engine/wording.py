"""How the engine words its findings: amounts as a reader writes them, and the facts a
binding used as plain result data. Shared by every rule kind and by attribution."""

from __future__ import annotations

from decimal import Decimal

from ..model import Fact, QName, decimals_text, dimensions_text, value_text
from ..results import FactUse
from .intervals import CTX


def fmt(value: Decimal) -> str:
    """Amounts as a reader writes them: 1,234,567.5 (every decimal a reported amount has)."""
    if not value.is_finite():
        return "∞" if value > 0 else "-∞"
    if not value:
        value = abs(value)  # -0 reads as 0
    # in the engine's 40-digit context: the default one (28 digits) cannot quantize every
    # amount a filing may report
    if value.adjusted() >= CTX.prec - 4:  # beyond what quantizing in 40 digits can hold: as format() rounds
        return format(value, ",.0f")
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1), context=CTX):,}"
    if value.as_tuple().exponent < -10:
        # a quotient (an amount at a rate): four places; a reported amount with up to ten
        # decimals is shown as it is, so 5.00001 never reads as 5 beside a 5
        value = value.quantize(Decimal("0.0001"), context=CTX)
    return f"{value.normalize(CTX):,f}"


def absent_use(term_text: str, concept: QName, labels) -> FactUse:
    """A term with no fact, counted as zero."""
    return FactUse(term_text, str(concept), "0", absent=True, label=labels.get(concept, ""))


def fact_use(term_text: str, fact: Fact, labels=None) -> FactUse:
    return FactUse(term_text, str(fact.concept), value_text(fact.value), decimals_text(fact.decimals),
                   str(fact.unit) if fact.unit else "", str(fact.period), dimensions_text(fact.dimensions),
                   fact.source.file, fact.source.line, fact.source.element_id,
                   label=labels.get(fact.concept, "") if labels is not None else "", column=fact.source.column,
                   place=fact.source.place or "")
