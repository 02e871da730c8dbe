"""`client.attachments`: upload links, create, get, download links, and the streamed upload/download."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from attachkit._async.base import AsyncResource
from attachkit._async.downloads import receive
from attachkit._async.raw import wrap
from attachkit._attempts import call_options
from attachkit._config import Timeout, check_storage_url
from attachkit._generated.talkdesk_attachments import AuthenticatedClient
from attachkit._generated.talkdesk_attachments.api.attachments import (
    create_attachment,
    get_attachment,
    get_attachment_download_link,
    request_upload_link,
)
from attachkit._generated.talkdesk_attachments.models import Attachment, DownloadLink, UploadLink
from attachkit._streams import Destination, FileSource, Progress, Sink, open_source
from attachkit.talkdesk._attachments import (
    PACKAGE,
    check_id,
    create_body,
    put_request,
    upload_link_body,
    upload_name,
)


class AsyncAttachments(AsyncResource[AuthenticatedClient]):
    """Talkdesk Attachments (`/attachments/2023-03`)."""

    _package = PACKAGE

    async def request_upload_link(
        self,
        allowed_mime_types: Sequence[str] | None = None,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> UploadLink:
        """Ask for a pre-signed URL to upload a file to (scope `attachments:request`).

        Returns the `UploadLink`: its `url` takes the bytes, its `request_id` then creates the attachment.
        """
        body = upload_link_body(allowed_mime_types)
        return await self._fetch(
            "request_upload_link",
            UploadLink,
            lambda: request_upload_link.asyncio_detailed(client=self._api, body=body),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )

    async def create(
        self,
        *,
        name: str | None = None,
        request_id: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Attachment:
        """Register uploaded bytes as an attachment (scope `attachments:write`).

        `request_id` comes from `request_upload_link`. Names are unique: a taken name raises `ConflictError`.
        The pages mark neither field required, so attachkit sends what it is given (None: not sent).
        Not retried after the server may have acted on it (it is not idempotent), so a dropped connection
        raises `APIConnectionError` and the attachment may or may not exist: look it up before recreating.
        """
        body = create_body(name, request_id, metadata)
        return await self._fetch(
            "create_attachment",
            Attachment,
            lambda: create_attachment.asyncio_detailed(client=self._api, body=body),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )

    async def get(
        self,
        attachment_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Attachment:
        """Fetch an attachment by id (scope `attachments:read`). An unknown id raises `NotFoundError`."""
        check_id("get_attachment", attachment_id)
        return await self._fetch(
            "get_attachment",
            Attachment,
            lambda: get_attachment.asyncio_detailed(attachment_id, client=self._api),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )

    async def download_link(
        self,
        attachment_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> DownloadLink:
        """Get a temporary download URL (scope `attachments:download`; valid `expire_time` seconds, 600 by default)."""
        check_id("get_attachment_download_link", attachment_id)
        return await self._fetch(
            "get_attachment_download_link",
            DownloadLink,
            lambda: get_attachment_download_link.asyncio_detailed(attachment_id, client=self._api),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
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
        extra_headers: Mapping[str, str] | None = None,
    ) -> Attachment:
        """Upload a file and create the attachment: upload link, pre-signed PUT, then create.

        `file` is a path, bytes, or a binary file object; it is streamed, never read whole into memory.
        `name` defaults to the file's name; `content_type` to a guess from the name.
        `progress(bytes_sent, total)` is called as the bytes go out. `extra_headers` go with the API calls, not
        with the pre-signed PUT, whose signature may cover its headers.
        """
        source = open_source(file, name=name, content_type=content_type, progress=progress)
        try:
            the_name = upload_name(source)
            create_body(the_name, "pending", metadata)  # check before sending anything
            link = await self.request_upload_link(timeout=timeout, max_retries=max_retries, extra_headers=extra_headers)
            storage = self._session.storage
            request = put_request(storage, link, source, self._session.settings)
            with call_options(timeout, max_retries):
                await (await storage.send(request)).aclose()
            return await self.create(
                name=the_name,
                request_id=link.request_id,
                metadata=metadata,
                timeout=timeout,
                max_retries=max_retries,
                extra_headers=extra_headers,
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
        extra_headers: Mapping[str, str] | None = None,
    ) -> int:
        """Stream an attachment's bytes to `destination` (a path or a binary file object).

        Returns the number of bytes written. A path is replaced only once every byte has arrived.
        `progress(bytes_received, total)` is called as the bytes arrive (`total` from Content-Length, if sent).
        `extra_headers` go with the API call for the link, not with the pre-signed download.
        """
        link = await self.download_link(
            attachment_id, timeout=timeout, max_retries=max_retries, extra_headers=extra_headers
        )
        url = check_storage_url(link.url, "download_link.url", self._session.settings)
        sink = Sink(destination)
        try:
            with call_options(timeout, max_retries):
                written = await receive(self._session.storage, url, sink, progress)
            sink.finish()
        except BaseException:
            sink.abort()
            raise
        return written


class AsyncAttachmentsWithRawResponse:
    """`client.with_raw_response.attachments`: each method returns a `RawResponse` of its last answer."""

    def __init__(self, resource: AsyncAttachments) -> None:
        self.request_upload_link = wrap(resource.request_upload_link)
        self.create = wrap(resource.create)
        self.get = wrap(resource.get)
        self.download_link = wrap(resource.download_link)
        self.upload = wrap(resource.upload)
        self.download = wrap(resource.download)
