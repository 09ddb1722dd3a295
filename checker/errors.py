"""Errors a user can act on, and the exit codes the command returns."""

from __future__ import annotations

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2


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

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.fact:
            text += f" (fact {self.fact})"
        return text


class InputError(CheckerError):
    """A filing or facts file that cannot be read."""


class RulePackError(CheckerError):
    """A rule pack with a mistake in it: ``where`` is ``file:line:column``."""
