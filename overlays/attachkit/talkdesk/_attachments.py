"""Checking and building the calls of `client.attachments`, shared by both faces.

Each operation is three steps: check and build the call (here), send it through the generated function
(`attachkit._async.talkdesk_attachments` and its generated sync face), and read the result. Only the
pre-signed URLs, which are outside the API, are sent with httpx directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import httpx

from attachkit._generated.talkdesk_attachments.models import CreateAttachmentRequest, UploadLink, UploadLinkRequest
from attachkit._generated.talkdesk_attachments.types import UNSET, Unset

from .._config import Settings, check_storage_url
from .._deadline import STREAMED
from .._streams import Source
from .._validation import contract
from ..errors import ValidationError

PACKAGE: Final = "attachkit._generated.talkdesk_attachments"


def upload_link_body(allowed_mime_types: Sequence[str] | None) -> UploadLinkRequest | Unset:
    """The body of `request_upload_link`, checked; none at all when no MIME types are given."""
    if allowed_mime_types is None:
        contract(PACKAGE, "request_upload_link").check()
        return UNSET
    if isinstance(allowed_mime_types, str):
        raise ValidationError("allowed_mime_types", "must be a list of MIME types, not a single string")
    body = {
        "allowed_mime_types": list(allowed_mime_types)
        if isinstance(allowed_mime_types, Sequence)
        else allowed_mime_types
    }
    contract(PACKAGE, "request_upload_link").check(body=body)
    return UploadLinkRequest.from_dict(body)


def create_body(
    name: str | None, request_id: str | None, metadata: Mapping[str, Any] | None
) -> CreateAttachmentRequest:
    """The body of `create_attachment`, checked; None is not sent."""
    body: dict[str, Any] = {
        key: value for key, value in (("name", name), ("request_id", request_id)) if value is not None
    }
    if metadata is not None:
        body["metadata"] = dict(metadata) if isinstance(metadata, Mapping) else metadata
    contract(PACKAGE, "create_attachment").check(body=body)
    return CreateAttachmentRequest.from_dict(body)


def check_id(operation_id: str, attachment_id: str) -> None:
    """Refuse an attachment id the operation's contract does not allow, before anything is sent."""
    contract(PACKAGE, operation_id).check(params={"attachment_id": attachment_id})


def put_request(
    storage: httpx.Client | httpx.AsyncClient, link: UploadLink, source: Source, settings: Settings
) -> httpx.Request:
    """The pre-signed PUT of `source` to the upload link: streamed, so held to per-operation timeouts only."""
    url = check_storage_url(link.url, "upload_link.url", settings)
    headers = {"Content-Type": source.content_type, "Content-Length": str(source.body.size)}
    # Build with a placeholder body, then attach ours: httpx.Request(stream=...) would skip the Host and
    # client headers, and an empty `content` would be cached as the body. Ours can be read again, so a
    # retried PUT sends the whole file again. Content-Length is given, so no chunked encoding is added.
    request = storage.build_request("PUT", url, headers=headers, content=iter(()), extensions={STREAMED: True})
    request.stream = source.body
    return request


def upload_name(source: Source) -> str:
    """The name an uploaded file gets; bytes and anonymous file objects need one given."""
    if source.name is None:
        raise ValidationError("name", "is required when uploading bytes or a file object without a name")
    return source.name
