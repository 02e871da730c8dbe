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
    """The exit code and the message for an error the CLI reports itself, or None for anything else (a bug).

    The message may span lines; `Output.error` prints it as one.
    """
    if isinstance(exc, CommandError):
        return exc.code, _text(exc)
    if isinstance(exc, ValidationError):
        return ExitCode.USAGE, _text(exc)
    if isinstance(exc, PartialSuccessError):
        return ExitCode.PARTIAL, _text(exc)
    if isinstance(exc, AttachkitError):
        # An APIError's `str()` is already one line naming the status, vendor, code and tracking id;
        # an APIConnectionError's names the request.
        return ExitCode.ERROR, _text(exc)
    if isinstance(exc, OSError):
        return ExitCode.ERROR, _os_error(exc)
    return None


def _text(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__  # never a bare `error: `


def _os_error(exc: OSError) -> str:
    reason = exc.strerror or _text(exc)
    if exc.filename is None:
        return reason
    # A failed rename names both ends (`filename2`), e.g. the download's temporary file and its target.
    files = f"{exc.filename} -> {exc.filename2}" if exc.filename2 is not None else f"{exc.filename}"
    return f"{reason}: {files}"
