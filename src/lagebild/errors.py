"""One exception tree for lagebild.

Every message says what went wrong *and* what to do about it.  The CLI turns
any :class:`LagebildError` into a single ``Error: …`` line; anything else is a
bug and is shown with a traceback.
"""

from __future__ import annotations

__all__ = [
    "LagebildError",
    "ConfigError",
    "PipelineError",
    "StageContractError",
    "InputError",
    "EmptyInputError",
    "BinaryInputError",
    "DecodeError",
    "UnknownFormatError",
    "MalformedInputError",
    "InputTooLargeError",
    "InputAccessError",
    "NoArticlesError",
    "StoreError",
    "SchemaVersionError",
    "NotFoundError",
    "OutputError",
    "ReadOnlyError",
    "TooLargeError",
]


class LagebildError(Exception):
    """Base of every error lagebild raises on purpose."""


class ConfigError(LagebildError):
    """A configuration file or override is invalid."""


class PipelineError(LagebildError):
    """The stage list cannot run (unknown stage, unmet requirement)."""


class StageContractError(PipelineError):
    """A stage changed something it did not declare, or failed to set what it declared."""


class InputError(LagebildError):
    """One input could not be turned into articles.

    ``source`` names the input (a path, ``-`` for stdin, or ``path#record``).
    The message is one line: ``<source>: <problem> — <what to do>``.
    """

    def __init__(self, source: str, problem: str, hint: str = "") -> None:
        self.source = source
        self.problem = problem
        self.hint = hint
        msg = f"{source}: {problem}"
        if hint:
            msg += f" — {hint}"
        super().__init__(msg)

    def __reduce__(self):  # keep picklable across process boundaries
        return (type(self), (self.source, self.problem, self.hint))


class EmptyInputError(InputError):
    """The input holds no text at all."""


class BinaryInputError(InputError):
    """The input is binary data, not text, HTML, JSON or WARC."""


class DecodeError(InputError):
    """The bytes could not be decoded in any known encoding."""


class UnknownFormatError(InputError):
    """The input's format is not one lagebild reads."""


class MalformedInputError(InputError):
    """The input claims a format but does not follow it (broken JSON, WARC …)."""


class InputTooLargeError(InputError):
    """The input exceeds the configured size limit."""


class TooLargeError(InputTooLargeError):
    """An upload to the web app or API exceeds ``web.max_upload_bytes``."""


class InputAccessError(InputError):
    """The input cannot be opened (missing, no permission, a loop of links)."""


class NoArticlesError(InputError):
    """A folder, glob or file yielded no article."""


class StoreError(LagebildError):
    """The database cannot be opened, written or migrated."""


class SchemaVersionError(StoreError):
    """The database was written by a newer lagebild."""


class NotFoundError(LagebildError):
    """An id asked for does not exist in the store."""


class OutputError(LagebildError):
    """An output folder (``--out``) cannot be created or written."""


class ReadOnlyError(LagebildError):
    """A write was asked of something opened read-only (``lagebild serve --read-only``)."""
