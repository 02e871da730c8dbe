"""`client.messages` (post a card or a file, read, delete) and `client.contents` (download a message's file)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from attachkit._async.base import AsyncResource
from attachkit._async.downloads import receive
from attachkit._async.raw import wrap
from attachkit._attempts import call_options
from attachkit._config import Timeout
from attachkit._error_mapping import unexpected_success
from attachkit._exchange import exchange
from attachkit._generated.webex_messages import AuthenticatedClient
from attachkit._generated.webex_messages.api.messages import create_message, delete_message, get_message
from attachkit._generated.webex_messages.models import Message, MessageCreate, MessageCreateMultipart
from attachkit._streams import Destination, FileSource, Progress, Sink
from attachkit.errors import APIError, LockedError, ValidationError
from attachkit.webex._messages import (
    DEFAULT_SCAN_WAIT,
    PACKAGE,
    Checked,
    FilePart,
    check_message_id,
    check_scan_wait,
    content_id,
    explained,
    json_body,
    message_fields,
    multipart_body,
    open_file,
    open_sink,
    scan_poll,
)


class AsyncMessages(AsyncResource[AuthenticatedClient]):
    """Webex messages (`/messages`): post a card or a file to a room or a person, read one, delete one."""

    _package = PACKAGE

    async def create(
        self,
        *,
        room_id: str | None = None,
        to_person_id: str | None = None,
        to_person_email: str | None = None,
        text: str | None = None,
        markdown: str | None = None,
        parent_id: str | None = None,
        card: Mapping[str, Any] | None = None,
        file: FileSource | None = None,
        file_name: str | None = None,
        content_type: str | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Message:
        """Post a message to one place: a room (`room_id`) or a person (`to_person_id` or `to_person_email`).

        It needs some content: `text`, `markdown`, a card or a file.

        `card` is an Adaptive Card as a mapping (sent as the message's one attachment, with `text` as its
        fallback for clients that cannot show cards). `file` is a path, bytes or a binary file object, streamed
        as `multipart/form-data` (named `file_name`, default the file's own name); a message takes one card or
        one file, not both. `text` and `markdown` take at most 7,439 bytes of UTF-8 each, a file at most 100 MB:
        checked before anything is sent. Returns the message; its `files` lists the content URLs that
        `contents.download` takes. Not retried after Webex may have posted it: it has no idempotency key.
        """
        fields = message_fields(
            room_id=room_id,
            to_person_id=to_person_id,
            to_person_email=to_person_email,
            parent_id=parent_id,
            text=text,
            markdown=markdown,
            attached=card is not None or file is not None,
        )
        if file is None:
            body: MessageCreate | MessageCreateMultipart = json_body(fields, card)
            return await self._send(body, None, timeout, max_retries, extra_headers)
        if card is not None:
            raise ValidationError("card", "a message takes one card or one file: post them as two messages")
        part = open_file(file, name=file_name, content_type=content_type)
        try:
            return await self._send(multipart_body(fields, part), part, timeout, max_retries, extra_headers)
        finally:
            part.close()

    async def _send(
        self,
        body: MessageCreate | MessageCreateMultipart,
        part: FilePart | None,
        timeout: Timeout,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None,
    ) -> Message:
        answer = await self._call(
            "create_message",
            lambda: create_message.asyncio_detailed(client=self._api, body=body),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            uploads=part is not None,  # a 100 MB file is bounded per read, not as a whole
        )
        return self._expect(answer, Message)

    async def get(
        self,
        message_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Message:
        """Read a message by id: its text, its card (`attachments`) and its files' content URLs (`files`)."""
        check_message_id("get_message", message_id)
        return await self._fetch(
            "get_message",
            Message,
            lambda: get_message.asyncio_detailed(message_id, client=self._api),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )

    async def delete(
        self,
        message_id: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> None:
        """Delete a message by id (Webex answers 204). An unknown id raises `NotFoundError`."""
        check_message_id("delete_message", message_id)
        answer = await self._call(
            "delete_message",
            lambda: delete_message.asyncio_detailed(message_id, client=self._api),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
        )
        self._expect_no_content(answer, "the message may have been deleted")


class AsyncContents(AsyncResource[AuthenticatedClient]):
    """Webex contents (`/contents/{contentId}`): the files of messages, downloaded through malware scanning."""

    _package = PACKAGE

    async def download(
        self,
        url_or_id: str,
        dest: Destination,
        *,
        allow_unscannable: bool = False,
        progress: Progress | None = None,
        max_scan_wait: float = DEFAULT_SCAN_WAIT,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> int:
        """Stream a message's file to `dest` (a path or a binary file object); returns the bytes written.

        `url_or_id` is a content URL from `Message.files` (it must be under this client's API, where the token
        may go) or a content id. A path is replaced only once every byte has arrived. `progress(received, total)`
        is called as the bytes arrive.

        Webex scans each file for malware before it lets it out. While it scans it answers 423 Locked, and
        `download` waits as its `Retry-After` says (5 s when it says nothing, at least 1 s) until `max_scan_wait`
        seconds (300 by default) have passed since it started, then raises `LockedError`. The first waits are
        the retry budget's: a 423 is retried `max_retries` times like any refused request (waiting its
        `Retry-After` when that is at most the policy's `max_retry_wait`), and those waits alone may outlast a
        `max_scan_wait` shorter than them; the waits after them stay within `max_scan_wait`.

        A file found infected raises `GoneError` (410). A file that cannot be scanned, such as an encrypted
        archive, raises `PreconditionRequiredError` (428), unless `allow_unscannable=True` asks for it anyway.
        """
        content = content_id(url_or_id, self._session.settings.base_url)
        check_scan_wait(max_scan_wait)
        sink = open_sink(dest)
        try:
            written = await self._download(
                content, sink, allow_unscannable, progress, max_scan_wait, timeout, max_retries, extra_headers
            )
            sink.finish()
        except BaseException:
            sink.abort()
            raise
        return written

    async def _download(
        self,
        content: str,
        sink: Sink,
        allow_unscannable: bool,
        progress: Progress | None,
        max_scan_wait: float,
        timeout: Timeout,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None,
    ) -> int:
        clock = self._session.settings.clock
        give_up = clock.monotonic() + max_scan_wait
        params = {"allow": "unscannable"} if allow_unscannable else {}
        url = "/contents/" + quote(content, safe="")
        while True:
            try:
                with call_options(timeout, max_retries, extra_headers), exchange("get_content") as seen:
                    checked = Checked(sink, seen)
                    written = await receive(self._session.api, url, Sink(checked), progress, params=params)
            except LockedError as exc:
                wait = scan_poll(exc.retry_after)
                left = give_up - clock.monotonic()
                if left <= 0:
                    raise
                await clock.asleep(min(wait, left))
                continue
            except APIError as exc:
                raise explained(exc, content) from None
            other = checked.unexpected()
            if other is not None:
                raise unexpected_success(
                    self._session.settings.vendor,
                    other,
                    f"get_content answered {other.status_code}, which its spec does not describe; nothing was written",
                )
            return written


class AsyncMessagesWithRawResponse:
    """`client.with_raw_response.messages`: each method returns a `RawResponse` of its answer."""

    def __init__(self, resource: AsyncMessages) -> None:
        self.create = wrap(resource.create)
        self.get = wrap(resource.get)
        self.delete = wrap(resource.delete)


class AsyncContentsWithRawResponse:
    """`client.with_raw_response.contents`: each method returns a `RawResponse` of its answer."""

    def __init__(self, resource: AsyncContents) -> None:
        self.download = wrap(resource.download)
