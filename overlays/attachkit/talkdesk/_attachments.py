"""`client.attachments`: upload links, create, get, download links, and the streamed upload/download.

Each operation is three steps: check and build the call (shared), send it through the generated
function (sync or async), and read the result (shared). Only the pre-signed URLs, which are outside
the API, are sent with httpx directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import httpx

from attachkit._generated.talkdesk_attachments.api.attachments import (
    create_attachment,
    get_attachment,
    get_attachment_download_link,
    request_upload_link,
)
from attachkit._generated.talkdesk_attachments.models import (
    Attachment,
    CreateAttachmentRequest,
    DownloadLink,
    UploadLink,
    UploadLinkRequest,
)

from .._base import AsyncResource, SyncResource, Timeout
from .._http import check_url, connection_error
from .._streams import Destination, FileSource, Progress, Sink, Source, open_source
from .._transport import call_options
from .._validation import MISSING, contract
from ..errors import ValidationError

PACKAGE: Final = "attachkit._generated.talkdesk_attachments"


def _upload_link_body(allowed_mime_types: Sequence[str] | None) -> UploadLinkRequest | Any:
    if allowed_mime_types is None:
        contract(PACKAGE, "request_upload_link").check()
        return MISSING
    if isinstance(allowed_mime_types, str):
        raise ValidationError("allowed_mime_types", "must be a list of MIME types, not a single string")
    body = {
        "allowed_mime_types": list(allowed_mime_types)
        if isinstance(allowed_mime_types, Sequence)
        else allowed_mime_types
    }
    contract(PACKAGE, "request_upload_link").check(body=body)
    return UploadLinkRequest.from_dict(body)


def _create_body(name: str, request_id: str, metadata: Mapping[str, Any] | None) -> CreateAttachmentRequest:
    body: dict[str, Any] = {"name": name, "request_id": request_id}
    if metadata is not None:
        body["metadata"] = dict(metadata) if isinstance(metadata, Mapping) else metadata
    contract(PACKAGE, "create_attachment").check(body=body)
    return CreateAttachmentRequest.from_dict(body)


def _check_id(operation_id: str, attachment_id: str) -> None:
    contract(PACKAGE, operation_id).check(params={"attachment_id": attachment_id})


def _put_request(
    storage: httpx.Client | httpx.AsyncClient, link: UploadLink, source: Source, allow_insecure_http: bool
) -> httpx.Request:
    url = check_url(link.url, "upload_link.url", allow_insecure_http=allow_insecure_http)
    headers = {"Content-Type": source.content_type, "Content-Length": str(source.body.size)}
    # Build with a placeholder body, then attach ours: httpx.Request(stream=...) would skip the Host and
    # client headers, and an empty `content` would be cached as the body. Ours can be read again, so a
    # retried PUT sends the whole file again. Content-Length is given, so no chunked encoding is added.
    request = storage.build_request("PUT", url, headers=headers, content=iter(()))
    request.stream = source.body
    return request


def _length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length", "")
    return int(value) if value.isdigit() else None


def _upload_name(source: Source) -> str:
    if source.name is None:
        raise ValidationError("name", "is required when uploading bytes or a file object without a name")
    return source.name


class Attachments(SyncResource):
    """Talkdesk Attachments (`/attachments/2023-03`)."""

    def request_upload_link(
        self,
        allowed_mime_types: Sequence[str] | None = None,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> UploadLink:
        """Ask for a pre-signed URL to upload a file to (scope `attachments:request`).

        Returns the `UploadLink`: its `url` takes the bytes, its `request_id` then creates the attachment.
        """
        body = _upload_link_body(allowed_mime_types)
        extra = {} if body is MISSING else {"body": body}
        return self._fetch(request_upload_link, UploadLink, timeout=timeout, max_retries=max_retries, **extra)

    def create(
        self,
        *,
        name: str,
        request_id: str,
        metadata: Mapping[str, Any] | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> Attachment:
        """Register uploaded bytes as an attachment (scope `attachments:write`).

        `request_id` comes from `request_upload_link`. Names are unique: a taken name raises `ConflictError`.
        Not retried after the server may have acted on it (it is not idempotent), so a dropped connection
        raises `APIConnectionError` and the attachment may or may not exist: look it up before recreating.
        """
        body = _create_body(name, request_id, metadata)
        return self._fetch(create_attachment, Attachment, body=body, timeout=timeout, max_retries=max_retries)

    def get(self, attachment_id: str, *, timeout: Timeout = None, max_retries: int | None = None) -> Attachment:
        """Fetch an attachment by id (scope `attachments:read`). An unknown id raises `NotFoundError`."""
        _check_id("get_attachment", attachment_id)
        return self._fetch(get_attachment, Attachment, attachment_id, timeout=timeout, max_retries=max_retries)

    def download_link(
        self, attachment_id: str, *, timeout: Timeout = None, max_retries: int | None = None
    ) -> DownloadLink:
        """Get a temporary download URL (scope `attachments:download`; valid `expire_time` seconds, 600 by default)."""
        _check_id("get_attachment_download_link", attachment_id)
        return self._fetch(
            get_attachment_download_link, DownloadLink, attachment_id, timeout=timeout, max_retries=max_retries
        )

    def upload(
        self,
        file: FileSource,
        name: str | None = None,
        content_type: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        progress: Progress | None = None,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> Attachment:
        """Upload a file and create the attachment: upload link, pre-signed PUT, then create.

        `file` is a path, bytes, or a binary file object; it is streamed, never read whole into memory.
        `name` defaults to the file's name; `content_type` to a guess from the name.
        `progress(bytes_sent, total)` is called as the bytes go out.
        """
        source = open_source(file, name=name, content_type=content_type, progress=progress)
        try:
            body = _create_body(_upload_name(source), "pending", metadata)  # check before sending anything
            link = self.request_upload_link(timeout=timeout, max_retries=max_retries)
            request = _put_request(self._client._storage, link, source, self._client._allow_insecure_http)
            with call_options(timeout, max_retries):
                self._client._storage.send(request).close()
            return self.create(
                name=body.name,
                request_id=link.request_id,
                metadata=metadata,
                timeout=timeout,
                max_retries=max_retries,
            )
        finally:
            source.cleanup()

    def download(
        self,
        attachment_id: str,
        destination: Destination,
        progress: Progress | None = None,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> int:
        """Stream an attachment's bytes to `destination` (a path or a binary file object).

        Returns the number of bytes written. A path is replaced only once every byte has arrived.
        `progress(bytes_received, total)` is called as the bytes arrive (`total` from Content-Length, if sent).
        """
        link = self.download_link(attachment_id, timeout=timeout, max_retries=max_retries)
        url = check_url(link.url, "download_link.url", allow_insecure_http=self._client._allow_insecure_http)
        sink = Sink(destination)
        written = 0
        try:
            with call_options(timeout, max_retries), self._client._storage.stream("GET", url) as response:
                total = _length(response)
                try:
                    for chunk in response.iter_bytes():
                        sink.file.write(chunk)
                        written += len(chunk)
                        if progress is not None:
                            progress(written, total)
                except httpx.TransportError as exc:
                    raise connection_error(exc, response.request) from exc
            sink.finish()
        except BaseException:
            sink.abort()
            raise
        return written


class AsyncAttachments(AsyncResource):
    """Talkdesk Attachments, async. Every method mirrors `Attachments` with `await`."""

    async def request_upload_link(
        self,
        allowed_mime_types: Sequence[str] | None = None,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> UploadLink:
        """Ask for a pre-signed URL to upload a file to (scope `attachments:request`)."""
        body = _upload_link_body(allowed_mime_types)
        extra = {} if body is MISSING else {"body": body}
        return await self._fetch(request_upload_link, UploadLink, timeout=timeout, max_retries=max_retries, **extra)

    async def create(
        self,
        *,
        name: str,
        request_id: str,
        metadata: Mapping[str, Any] | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> Attachment:
        """Register uploaded bytes as an attachment (scope `attachments:write`). See `Attachments.create`."""
        body = _create_body(name, request_id, metadata)
        return await self._fetch(create_attachment, Attachment, body=body, timeout=timeout, max_retries=max_retries)

    async def get(self, attachment_id: str, *, timeout: Timeout = None, max_retries: int | None = None) -> Attachment:
        """Fetch an attachment by id (scope `attachments:read`)."""
        _check_id("get_attachment", attachment_id)
        return await self._fetch(get_attachment, Attachment, attachment_id, timeout=timeout, max_retries=max_retries)

    async def download_link(
        self, attachment_id: str, *, timeout: Timeout = None, max_retries: int | None = None
    ) -> DownloadLink:
        """Get a temporary download URL (scope `attachments:download`)."""
        _check_id("get_attachment_download_link", attachment_id)
        return await self._fetch(
            get_attachment_download_link, DownloadLink, attachment_id, timeout=timeout, max_retries=max_retries
        )

    async def upload(
        self,
        file: FileSource,
        name: str | None = None,
        content_type: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        progress: Progress | None = None,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> Attachment:
        """Upload a file and create the attachment. See `Attachments.upload`."""
        source = open_source(file, name=name, content_type=content_type, progress=progress)
        try:
            body = _create_body(_upload_name(source), "pending", metadata)
            link = await self.request_upload_link(timeout=timeout, max_retries=max_retries)
            request = _put_request(self._client._storage, link, source, self._client._allow_insecure_http)
            with call_options(timeout, max_retries):
                await (await self._client._storage.send(request)).aclose()
            return await self.create(
                name=body.name,
                request_id=link.request_id,
                metadata=metadata,
                timeout=timeout,
                max_retries=max_retries,
            )
        finally:
            source.cleanup()

    async def download(
        self,
        attachment_id: str,
        destination: Destination,
        progress: Progress | None = None,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> int:
        """Stream an attachment's bytes to `destination`. See `Attachments.download`."""
        link = await self.download_link(attachment_id, timeout=timeout, max_retries=max_retries)
        url = check_url(link.url, "download_link.url", allow_insecure_http=self._client._allow_insecure_http)
        sink = Sink(destination)
        written = 0
        try:
            with call_options(timeout, max_retries):
                async with self._client._storage.stream("GET", url) as response:
                    total = _length(response)
                    try:
                        async for chunk in response.aiter_bytes():
                            sink.file.write(chunk)
                            written += len(chunk)
                            if progress is not None:
                                progress(written, total)
                    except httpx.TransportError as exc:
                        raise connection_error(exc, response.request) from exc
            sink.finish()
        except BaseException:
            sink.abort()
            raise
        return written
