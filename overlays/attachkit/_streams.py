"""Streaming file bodies in and out: what `upload` sends and where `download` writes.

Uploads never hold the file in memory: a path is read chunk by chunk, a seekable file object from
its current position, bytes as they are. A non-seekable stream is spooled to a temporary file first
(memory up to 8 MiB, disk beyond), because a pre-signed PUT needs its length up front. The body can
be read more than once, so a retried PUT sends the whole file again.

Downloads write to a path through a temporary file in the same folder that replaces the target only
when every byte has arrived, so a failed download never leaves a truncated file behind.
"""

from __future__ import annotations

import io
import mimetypes
import os
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import IO, Any, Final

import httpx

from .errors import ValidationError

CHUNK: Final = 256 * 1024
_SPOOL_IN_MEMORY: Final = 8 * 1024 * 1024

# The process umask, read once (os.umask can only be read by setting it).
_UMASK: Final = os.umask(0o022)
os.umask(_UMASK)

Progress = Callable[[int, int | None], None]
"""Called as `progress(bytes_done, total_bytes_or_None)` after each chunk."""

FileSource = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]
Destination = str | os.PathLike[str] | IO[bytes]


class UploadBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A re-readable request body over a path, bytes or a seekable binary file."""

    def __init__(
        self,
        *,
        path: Path | None = None,
        data: bytes | None = None,
        file: IO[bytes] | None = None,
        size: int,
        progress: Progress | None = None,
    ) -> None:
        self._path = path
        self._data = data
        self._file = file
        self._start = file.tell() if file is not None else 0
        self.size = size
        self._progress = progress

    def _chunks(self) -> Iterator[bytes]:
        if self._data is not None:
            view = memoryview(self._data)
            for i in range(0, len(view), CHUNK):
                yield bytes(view[i : i + CHUNK])
            return
        if self._path is not None:
            with self._path.open("rb") as f:
                yield from iter(lambda: f.read(CHUNK), b"")
            return
        assert self._file is not None
        self._file.seek(self._start)
        yield from iter(lambda: self._file.read(CHUNK), b"")  # type: ignore[union-attr]

    def __iter__(self) -> Iterator[bytes]:
        # The length was declared up front (a pre-signed PUT needs it): a file that grows or shrinks while it
        # is sent is refused here, before a byte too many goes out, rather than by the HTTP library mid-write.
        # One chunk is held back until the next is read, so the last declared byte is never sent before the
        # end of the file is known: the connection is then dropped with the body incomplete, and the server
        # stores nothing.
        done = 0
        pending: bytes | None = None
        for chunk in self._chunks():
            held = len(pending) if pending is not None else 0
            if done + held + len(chunk) > self.size:
                raise ValidationError("file", f"grew while it was being uploaded (declared {self.size} bytes)")
            if pending is not None:
                done += len(pending)
                yield pending
                if self._progress is not None:
                    self._progress(done, self.size)
            pending = chunk
        if done + (len(pending) if pending is not None else 0) != self.size:
            read = done + (len(pending) if pending is not None else 0)
            raise ValidationError(
                "file", f"shrank while it was being uploaded ({read} of the declared {self.size} bytes)"
            )
        if pending is not None:
            done += len(pending)
            yield pending
            if self._progress is not None:
                self._progress(done, self.size)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        # Local file reads in 256 KiB chunks; the event loop is blocked only for one chunk at a time.
        for chunk in self:
            yield chunk


class Source:
    """A file to upload, with the name and content type it should get."""

    def __init__(self, body: UploadBody, name: str | None, content_type: str, cleanup: Callable[[], None]) -> None:
        self.body = body
        self.name = name
        self.content_type = content_type
        self.cleanup = cleanup


def open_source(file: Any, *, name: str | None, content_type: str | None, progress: Progress | None) -> Source:
    """Interpret `file` (a path, bytes or a binary file object) as something to upload."""
    nothing: Callable[[], None] = lambda: None  # noqa: E731
    if isinstance(file, str | os.PathLike):
        path = Path(os.fspath(file))
        if not path.is_file():
            raise ValidationError("file", f"{str(path)!r} is not a readable file")
        body = UploadBody(path=path, size=path.stat().st_size, progress=progress)
        return Source(body, name or path.name, content_type or guess_type(path.name), nothing)
    if isinstance(file, bytes | bytearray | memoryview):
        data = bytes(file)
        return Source(
            UploadBody(data=data, size=len(data), progress=progress), name, _type(content_type, name), nothing
        )
    if hasattr(file, "read"):
        if isinstance(file, io.TextIOBase) or "b" not in getattr(file, "mode", "b"):
            raise ValidationError("file", "must be opened in binary mode ('rb')")
        guessed = name or file_name(file)
        if seekable(file):
            start = file.tell()
            size = file.seek(0, os.SEEK_END) - start
            file.seek(start)
            return Source(
                UploadBody(file=file, size=size, progress=progress), guessed, _type(content_type, guessed), nothing
            )
        spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115 - closed by cleanup
        for chunk in iter(lambda: file.read(CHUNK), b""):
            if not isinstance(chunk, bytes):
                spool.close()
                raise ValidationError("file", "must be a binary file object (read() returned text)")
            spool.write(chunk)
        size = spool.tell()
        spool.seek(0)
        body = UploadBody(file=spool, size=size, progress=progress)
        return Source(body, guessed, _type(content_type, guessed), spool.close)
    raise ValidationError("file", f"must be a path, bytes or a binary file object, not {type(file).__name__}")


def content_length(response: httpx.Response) -> int | None:
    """The response's declared length, when it declared a sane one."""
    value = response.headers.get("content-length", "")
    return int(value) if value.isdigit() else None


def seekable(file: Any) -> bool:
    """Whether a file object can seek (and so be measured and sent again)."""
    try:
        return bool(file.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def file_name(file: Any) -> str | None:
    """The base name of the file a file object was opened from, when it has a real one."""
    name = getattr(file, "name", None)
    return os.path.basename(name) if isinstance(name, str) and name and not name.startswith("<") else None


def guess_type(name: str | None) -> str:
    """The media type a file name suggests, else `application/octet-stream`."""
    guessed = mimetypes.guess_type(name)[0] if name else None
    return guessed or "application/octet-stream"


def _type(content_type: str | None, name: str | None) -> str:
    return content_type or guess_type(name)


class Sink:
    """Where downloaded bytes go: a binary file object as given, or a path replaced atomically."""

    def __init__(self, destination: Any) -> None:
        self._tmp: Path | None = None
        self._target: Path | None = None
        if isinstance(destination, str | os.PathLike):
            self._target = Path(os.fspath(destination))
            if self._target.is_dir():
                raise ValidationError("destination", f"{str(self._target)!r} is a folder; give a file path")
            if not self._target.parent.is_dir():
                raise ValidationError("destination", f"folder {str(self._target.parent)!r} does not exist")
            fd, tmp = tempfile.mkstemp(prefix=f".{self._target.name}.", suffix=".part", dir=self._target.parent)
            self._tmp = Path(tmp)
            self.file: IO[bytes] = os.fdopen(fd, "wb")
        elif hasattr(destination, "write"):
            if isinstance(destination, io.TextIOBase):
                raise ValidationError("destination", "must be opened in binary mode ('wb')")
            self.file = destination
        else:
            raise ValidationError(
                "destination", f"must be a path or a binary file object, not {type(destination).__name__}"
            )

    def finish(self) -> None:
        if self._tmp is not None and self._target is not None:
            self.file.close()
            # mkstemp creates the file 0600; give it the mode a plain open() would have.
            os.chmod(self._tmp, 0o666 & ~_UMASK)
            os.replace(self._tmp, self._target)
            self._tmp = None

    def abort(self) -> None:
        if self._tmp is not None:
            self.file.close()
            self._tmp.unlink(missing_ok=True)
            self._tmp = None
