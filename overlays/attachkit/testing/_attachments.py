"""Talkdesk Attachments: upload links, attachments and download links."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from ._dialects import DOWNLOAD_PREFIX, UPLOAD_PREFIX, FieldError, Problem
from ._handlers import Call, Handler, Reply, not_found
from ._state import Attachment

PUBLISHED = "published"  # the state an uploaded, created attachment is in; the API leaves the set open


def _bad_request_id(description: str) -> Problem:
    return Problem(400, "invalid_request", "Request validation failed", fields=(FieldError("request_id", description),))


def _resource(call: Call, attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.id,
        "name": attachment.name,
        "state": attachment.state,
        "size": attachment.size,
        "type": attachment.type,
        "metadata": dict(attachment.metadata),
        "_links": {
            "self": {"href": call.url_for("get_attachment", attachment_id=attachment.id)},
            "download_link": {"href": call.url_for("get_attachment_download_link", attachment_id=attachment.id)},
        },
    }


def request_upload_link(call: Call) -> Reply | Problem:
    """``POST /attachments/2023-03/upload-link``: a fresh link on the mock's storage endpoint."""
    body = call.body if isinstance(call.body, dict) else {}
    upload = call.services.blobs.new_upload(tuple(body.get("allowed_mime_types") or ()))
    return Reply(200, {"request_id": upload.request_id, "url": f"{call.base_url}{UPLOAD_PREFIX}/{upload.token}"})


def _missing(field: str, description: str) -> Problem:
    return Problem(400, "invalid_request", "Request validation failed", fields=(FieldError(field, description),))


def create_attachment(call: Call) -> Reply | Problem:
    """``POST /attachments/2023-03``: register uploaded bytes under a unique name.

    The spec leaves `name` and `request_id` optional (the pages mark nothing required), but this mock can only
    find the upload by its `request_id` and must answer an attachment with a `name`: without either it answers
    400 in Talkdesk's shape, the status the page documents for a request it cannot carry out.
    """
    name = call.body.get("name")
    request_id = call.body.get("request_id")
    if not isinstance(request_id, str):
        return _missing("request_id", "this mock finds the uploaded file by its request_id")
    if not isinstance(name, str):
        return _missing("name", "this mock stores an attachment under its name")
    with call.services.state.transaction() as store:
        upload = store.uploads.get(request_id)
        if upload is None:
            return _bad_request_id("unknown request_id")
        if upload.state != "uploaded" or upload.path is None or upload.size is None:
            return _bad_request_id("nothing was uploaded with this request_id")
        if name in store.names:
            return Problem(
                409, "conflict", "Attachment naming conflict", description="Already has an attachment with this name"
            )
        if upload.attachment_id is not None:
            return _bad_request_id("this request_id already created an attachment")
        metadata = call.body.get("metadata") or {}
        attachment = Attachment(
            id=uuid.uuid4().hex,
            name=name,
            state=PUBLISHED,
            size=upload.size,
            type=upload.content_type or str(metadata.get("type") or "application/octet-stream"),
            metadata=metadata,
            request_id=request_id,
            path=upload.path,
        )
        store.attachments[attachment.id] = attachment
        store.names[name] = attachment.id
        store.uploads[request_id] = dataclasses.replace(upload, attachment_id=attachment.id)
    return Reply(200, _resource(call, attachment))


def get_attachment(call: Call) -> Reply | Problem:
    """``GET /attachments/2023-03/{attachment_id}``."""
    attachment = call.services.state.attachments.get(call.path_params["attachment_id"])
    if attachment is None:
        return not_found("Attachment not found")
    return Reply(200, _resource(call, attachment))


def get_attachment_download_link(call: Call) -> Reply | Problem:
    """``GET /attachments/2023-03/{attachment_id}/download-link``: a link that expires."""
    attachment_id = call.path_params["attachment_id"]
    if attachment_id not in call.services.state.attachments:
        return not_found("Attachment not found")
    lifetime = call.services.config.download_expire_time
    link = call.services.blobs.new_download_link(attachment_id, lifetime)
    return Reply(200, {"url": f"{call.base_url}{DOWNLOAD_PREFIX}/{link.token}", "expire_time": lifetime})


HANDLERS: dict[str, Handler] = {
    "request_upload_link": request_upload_link,
    "create_attachment": create_attachment,
    "get_attachment": get_attachment,
    "get_attachment_download_link": get_attachment_download_link,
}
