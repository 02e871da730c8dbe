"""Exit codes, and how an exception becomes one of them plus a one-line message."""

from __future__ import annotations

import enum

from ..errors import AttachkitError, PartialSuccessError, ValidationError


class ExitCode(enum.IntEnum):
    """What `attachkit` exits with. Scripts may rely on these numbers."""

    OK = 0
    ERROR = 1
    """The API answered an error, no answer came (connection, timeout), or a local file could not be used."""
    USAGE = 2
    """A bad command line, or an argument the API's contract rejects (`ValidationError`): nothing was sent."""
    PARTIAL = 3
    """Digital Connect created the message but not all of its attachments (HTTP 206)."""


class CommandError(Exception):
    """A problem the CLI itself finds after parsing (e.g. a file it will not overwrite), with its exit code."""

    def __init__(self, message: str, code: ExitCode = ExitCode.USAGE) -> None:
        self.code = code
        super().__init__(message)


def classify(exc: BaseException) -> tuple[ExitCode, str] | None:
    """The exit code and the message for an error the CLI reports itself, or None for anything else (a bug)."""
    if isinstance(exc, CommandError):
        return exc.code, str(exc)
    if isinstance(exc, ValidationError):
        return ExitCode.USAGE, str(exc)
    if isinstance(exc, PartialSuccessError):
        return ExitCode.PARTIAL, str(exc)
    if isinstance(exc, AttachkitError):
        # An APIError's `str()` is already one line naming the status, vendor, code and tracking id;
        # an APIConnectionError's names the request.
        return ExitCode.ERROR, str(exc)
    if isinstance(exc, OSError):
        return ExitCode.ERROR, _os_error(exc)
    return None


def _os_error(exc: OSError) -> str:
    reason = exc.strerror or str(exc) or type(exc).__name__
    return f"{reason}: {exc.filename}" if exc.filename else reason
