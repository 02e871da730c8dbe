"""The stand-in for pre-signed storage URLs: uploads streamed to disk, and expiring download links.

Upload bodies are written chunk by chunk as they arrive, so a large upload never sits in memory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import secrets
import uuid
from pathlib import Path

from starlette.requests import ClientDisconnect, Request

from ._clock import Clock
from ._dialects import Problem
from ._state import Attachment, DownloadLink, MockState, Upload
from ._transport import mark_consumed


def _denied(description: str) -> Problem:
    return Problem(403, "access_denied", "Access Denied", description=description)


class BlobStore:
    """Upload links, the uploaded bytes on disk, and download links."""

    def __init__(self, directory: Path, state: MockState, clock: Clock, *, enforce_mime_types: bool = False) -> None:
        self.directory = directory
        self._state = state
        self._clock = clock
        self._enforce_mime_types = enforce_mime_types

    def new_upload(self, allowed_mime_types: tuple[str, ...]) -> Upload:
        """Register a fresh upload link."""
        upload = Upload(uuid.uuid4().hex, secrets.token_urlsafe(24), allowed_mime_types)
        with self._state.transaction() as store:
            store.uploads[upload.request_id] = upload
            store.upload_tokens[upload.token] = upload.request_id
        return upload

    def _claim(self, token: str, content_type: str) -> Upload | Problem:
        # Atomically move the link from pending to uploading, so a concurrent second PUT is refused too.
        with self._state.transaction() as store:
            request_id = store.upload_tokens.get(token)
            upload = store.uploads.get(request_id) if request_id else None
            if upload is None:
                return _denied("unknown upload link")
            if upload.state != "pending":
                return _denied("this upload link has already been used")
            media_type = content_type.split(";")[0].strip().lower()
            allowed = {m.lower() for m in upload.allowed_mime_types}
            if self._enforce_mime_types and allowed and media_type not in allowed:
                return _denied(f"content type {media_type or '(none)'} is not allowed for this link")
            claimed = dataclasses.replace(upload, state="uploading")
            store.uploads[upload.request_id] = claimed
            return claimed

    def _release(self, upload: Upload) -> None:
        with self._state.transaction() as store:
            store.uploads[upload.request_id] = dataclasses.replace(upload, state="pending")

    def known_upload(self, token: str) -> bool:
        """Whether the token names an upload link (used or not)."""
        with self._state.transaction() as store:
            return token in store.upload_tokens

    async def receive(self, token: str, request: Request, content_length: int) -> Upload | Problem:
        """Stream one upload to disk. The link is consumed only when exactly ``content_length`` bytes arrive."""
        content_type = request.headers.get("content-type", "")
        claimed = self._claim(token, content_type)
        if isinstance(claimed, Problem):
            return claimed
        part = self.directory / f"{claimed.request_id}.part"
        digest = hashlib.md5(usedforsecurity=False)
        size = 0
        try:
            with part.open("wb") as sink:
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > content_length:
                        break
                    digest.update(chunk)
                    sink.write(chunk)
        except (ClientDisconnect, OSError):
            self._release(claimed)
            part.unlink(missing_ok=True)
            raise
        if size == content_length:
            mark_consumed(request)  # the stream ended at the declared length
        if size != content_length:
            self._release(claimed)
            part.unlink(missing_ok=True)
            return Problem(
                400,
                "incomplete_body",
                "Bad Request",
                description=f"received {'more' if size > content_length else 'fewer'} bytes than Content-Length",
            )
        final = self.directory / claimed.request_id
        part.replace(final)
        stored = dataclasses.replace(
            claimed,
            state="uploaded",
            path=final,
            size=size,
            content_type=content_type.split(";")[0].strip() or None,
            etag=f'"{digest.hexdigest()}"',
        )
        with self._state.transaction() as store:
            store.uploads[stored.request_id] = stored
        return stored

    def new_download_link(self, attachment_id: str, lifetime: int) -> DownloadLink:
        """A download link for an attachment, valid for ``lifetime`` seconds of mock time."""
        link = DownloadLink(secrets.token_urlsafe(24), attachment_id, self._clock.now() + lifetime)
        with self._state.transaction() as store:
            store.download_links[link.token] = link
        return link

    def resolve_download(self, token: str) -> Attachment | Problem:
        """The attachment a download link serves, or why it does not."""
        with self._state.transaction() as store:
            link = store.download_links.get(token)
            attachment = store.attachments.get(link.attachment_id) if link else None
        if link is None or attachment is None:
            return _denied("unknown download link")
        if link.expires_at <= self._clock.now():
            return _denied("Request has expired")
        return attachment

    def discard_partials(self) -> None:
        """Remove half-written uploads (on shutdown)."""
        for part in self.directory.glob("*.part"):
            with contextlib.suppress(OSError):
                part.unlink()
