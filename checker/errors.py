"""Errors a user can act on, and the exit codes the command returns."""

from __future__ import annotations

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2
EXIT_INTERNAL = 3   # a bug of ours: never 1, which a CI gate reads as "violations found"


class CheckerError(Exception):
    """A problem with the user's input: reported as one line, exit code 2, no traceback.

    ``where`` is the file, optionally with ``:line`` or ``:line:column``; ``fact``
    names the fact (concept and element id) when one is to blame.
    """

    def __init__(self, message: str, where: str | None = None, fact: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.fact = fact
        self._many: list[tuple[str | None, str]] | None = None

    @classmethod
    def many(cls, problems: list[tuple[str | None, str]]):
        """One error standing for several problems (every mistake in a pack is listed)."""
        first_where, first_message = problems[0]
        error = cls(first_message, first_where)
        error._many = list(problems)
        return error

    @property
    def problems(self) -> list[tuple[str | None, str]]:
        """``(where, message)`` pairs, one per mistake."""
        if self._many is not None:
            return self._many
        message = self.message + (f" (fact {self.fact})" if self.fact else "")
        return [(self.where, message)]

    def lines(self) -> list[str]:
        return [f"{where}: {message}" if where else message for where, message in self.problems]

    def __str__(self) -> str:
        return "\n".join(self.lines())


class InputError(CheckerError):
    """A filing or facts file that cannot be read."""


class RulePackError(CheckerError):
    """A rule pack with a mistake in it: ``where`` is ``file:line:column``."""
