"""The fact index: built once per filing, so every term lookup is a dictionary hit.

Facts are keyed by all their aspects. Several facts under one key are duplicates:
consistent ones (each agrees with the most precise within its own rounding)
collapse to the most precise; inconsistent ones are kept as a finding and poison
the key, so no rule is evaluated on them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from ..model import INF, Dimensions, Entity, Fact, Period, QName, Unit
from .intervals import half_width

Key = tuple  # (concept, entity, period, unit, dimensions)
Binding = tuple  # (entity, period, unit, dimensions)


@dataclass(frozen=True)
class Inconsistent:
    """Duplicates that disagree beyond rounding: reported once, and never used."""

    facts: tuple[Fact, ...]


def _precision(fact: Fact) -> float:
    return INF if fact.decimals is None else fact.decimals


def resolve_duplicates(facts: list[Fact]) -> Fact | Inconsistent:
    """One fact for a key: duplicates (same aspects, same tuple parent) collapse or are
    inconsistent. Facts in different tuples are not duplicates; the outermost stand for the key."""
    if len(facts) == 1:
        return facts[0]
    if len({f.tuple_path for f in facts}) > 1:
        outermost = min(len(f.tuple_path) for f in facts)
        paths = sorted({f.tuple_path for f in facts if len(f.tuple_path) == outermost})
        facts = [f for f in facts if f.tuple_path == paths[0]]
        if len(facts) == 1:
            return facts[0]
    reported = [f for f in facts if not f.is_nil]
    if not reported:
        return facts[0]
    if not reported[0].is_numeric:
        values = {f.value for f in reported}
        return reported[0] if len(values) == 1 else Inconsistent(tuple(reported))
    best = max(reported, key=_precision)
    for fact in reported:
        if abs(fact.value - best.value) > half_width(fact.decimals):
            return Inconsistent(tuple(reported))
    return best


class FactIndex:
    """Memory is one dictionary entry per key and one list slot per key's concept: no list
    per fact, no tuple per binding (a filing of millions of facts must fit)."""

    def __init__(self, facts: list[Fact]):
        entries: dict[Key, Fact | Inconsistent] = {}
        duplicates: dict[Key, list[Fact]] = {}
        for fact in facts:
            key = (fact.concept, fact.entity, fact.period, fact.unit, fact.dimensions)
            prior = entries.setdefault(key, fact)
            if prior is not fact:
                group = duplicates.get(key)
                if group is None:
                    duplicates[key] = [prior, fact]
                else:
                    group.append(fact)
        self.facts = facts
        self.entries = entries
        self.duplicates = duplicates  # keys reported more than once: every fact, in document order
        self.inconsistent: list[Inconsistent] = []
        # concept -> the keys it is reported under: each key is (concept, entity, period, unit, dims)
        self.bindings_of: dict[QName, list[Key]] = defaultdict(list)
        self._members: dict[tuple[QName, QName], dict] = {}
        self._periods: tuple[dict, dict] | None = None
        self._document_types: set | None = None
        for key, group in duplicates.items():
            entry = entries[key] = resolve_duplicates(group)
            if type(entry) is Inconsistent:
                self.inconsistent.append(entry)
        bindings_of = self.bindings_of
        for key in entries:
            bindings_of[key[0]].append(key)

    def facts_at(self, key: Key) -> list[Fact]:
        """Every fact reported under ``key`` (the calculation modes treat duplicates themselves)."""
        group = self.duplicates.get(key)
        if group is not None:
            return group
        entry = self.entries.get(key)
        return [] if entry is None else [entry]

    @property
    def document_types(self) -> set:
        """The filing's dei:DocumentType values (rules may apply to some forms only)."""
        if self._document_types is None:
            self._document_types = {f.value for f in self.facts if f.concept.local == "DocumentType"
                                    and f.concept.family == "dei" and f.value}
        return self._document_types

    def _period_tables(self) -> tuple[dict, dict]:
        """Durations by (entity, end) and instants by entity: built for the first @prior."""
        if self._periods is None:
            durations: dict = defaultdict(list)
            instants: dict = defaultdict(set)
            for entity, period in {(k[1], k[2]) for k in self.entries}:
                if period.is_duration:
                    durations[(entity, period.end)].append(period)
                elif period.is_instant:
                    instants[entity].add(period.end)
            self._periods = (durations, instants)
        return self._periods

    def get(self, concept: QName, entity: Entity, period: Period, unit: Unit | None,
            dims: Dimensions) -> Fact | Inconsistent | None:
        return self.entries.get((concept, entity, period, unit, dims))

    def members(self, concept: QName, axis: QName) -> dict:
        """``(entity, period, unit, other dims) -> [entries]`` over every member of ``axis``.

        Built on first use for each (concept, axis) a rule totals over.
        """
        found = self._members.get((concept, axis))
        if found is None:
            found = defaultdict(list)
            for key in self.bindings_of.get(concept, ()):
                _, entity, period, unit, dims = key
                rest = tuple(pair for pair in dims if pair[0] != axis)
                if len(rest) != len(dims):
                    found[(entity, period, unit, rest)].append(self.entries[key])
            self._members[(concept, axis)] = found
        return found

    def prior_period(self, entity: Entity, period: Period) -> Period | None:
        """The same-length period just before ``period``, as the filing reports it.

        A duration's prior ends where it starts, with the closest length (52/53-week
        years and quarters differ by days); an instant's prior is the reported
        instant nearest to one year earlier, within a week.
        """
        durations_ending, instants = self._period_tables()
        if period.is_duration:
            length = period.end - period.start
            candidates = durations_ending.get((entity, period.start), [])
            close = [p for p in candidates if abs((p.end - p.start) - length) <= timedelta(days=7)]
            return min(close, key=lambda p: abs((p.end - p.start) - length)) if close else None
        if period.is_instant:
            try:
                target = period.end.replace(year=period.end.year - 1)
            except ValueError:  # 29 February
                target = period.end.replace(year=period.end.year - 1, day=28)
            near = [m for m in instants.get(entity, ()) if abs(m - target) <= timedelta(days=7)]
            return Period.instant(min(near, key=lambda m: abs(m - target))) if near else None
        return None


