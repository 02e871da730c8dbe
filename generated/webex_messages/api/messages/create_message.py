from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.message import Message
from ...models.message_create import MessageCreate
from ...models.message_create_multipart import MessageCreateMultipart
from ...types import Response


def _get_kwargs(
    *,
    body: MessageCreate | MessageCreateMultipart,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/messages",
    }

    if isinstance(body, MessageCreate):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, MessageCreateMultipart):
        _kwargs["files"] = body.to_multipart()

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Message | None:
    if response.status_code == 200:
        response_200 = Message.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 405:
        response_405 = Error.from_dict(response.json())

        return response_405

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

    if response.status_code == 410:
        response_410 = Error.from_dict(response.json())

        return response_410

    if response.status_code == 415:
        response_415 = Error.from_dict(response.json())

        return response_415

    if response.status_code == 423:
        response_423 = Error.from_dict(response.json())

        return response_423

    if response.status_code == 428:
        response_428 = Error.from_dict(response.json())

        return response_428

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = Error.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = Error.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = Error.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | Message]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: MessageCreate | MessageCreateMultipart,
) -> Response[Error | Message]:
    """Create a Message

     Post a plain text or rich text message, and optionally, a file attachment or a card, to a room.

    The `files` parameter is an array, which accepts multiple values to allow for future expansion, but
    currently only one file may be included with the message. File previews are only rendered for
    attachments of 1MB or less. A public URL of a file goes in the JSON body's `files`; a local file is
    uploaded with the `multipart/form-data` body, in a part named `files`.

    Args:
        body (MessageCreate): A new message, as JSON: one destination (`roomId`, or `toPersonId`
            or `toPersonEmail` for a private 1:1 message) and some content (`text`, `markdown`, a
            public file URL in `files`, a card in `attachments`). No field is required, as in Webex's
            published spec; attachkit checks that exactly one destination and some content are given,
            and that `text` and `markdown` fit in 7,439 bytes each, before sending.
        body (MessageCreateMultipart): A new message with a local file, as `multipart/form-data`
            (the REST basics guide, "Message Attachments"; not in Webex's published spec). The file
            goes in the part named `files`: one file per message, up to 100 MB, named by the part's
            filename. The other parts are the JSON body's plain fields; a card (`attachments`) cannot
            be sent this way. No part is required, as no field of the JSON body is; attachkit checks
            the destination, the content and the 7,439-byte text limits before sending.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Message]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: MessageCreate | MessageCreateMultipart,
) -> Error | Message | None:
    """Create a Message

     Post a plain text or rich text message, and optionally, a file attachment or a card, to a room.

    The `files` parameter is an array, which accepts multiple values to allow for future expansion, but
    currently only one file may be included with the message. File previews are only rendered for
    attachments of 1MB or less. A public URL of a file goes in the JSON body's `files`; a local file is
    uploaded with the `multipart/form-data` body, in a part named `files`.

    Args:
        body (MessageCreate): A new message, as JSON: one destination (`roomId`, or `toPersonId`
            or `toPersonEmail` for a private 1:1 message) and some content (`text`, `markdown`, a
            public file URL in `files`, a card in `attachments`). No field is required, as in Webex's
            published spec; attachkit checks that exactly one destination and some content are given,
            and that `text` and `markdown` fit in 7,439 bytes each, before sending.
        body (MessageCreateMultipart): A new message with a local file, as `multipart/form-data`
            (the REST basics guide, "Message Attachments"; not in Webex's published spec). The file
            goes in the part named `files`: one file per message, up to 100 MB, named by the part's
            filename. The other parts are the JSON body's plain fields; a card (`attachments`) cannot
            be sent this way. No part is required, as no field of the JSON body is; attachkit checks
            the destination, the content and the 7,439-byte text limits before sending.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Message
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: MessageCreate | MessageCreateMultipart,
) -> Response[Error | Message]:
    """Create a Message

     Post a plain text or rich text message, and optionally, a file attachment or a card, to a room.

    The `files` parameter is an array, which accepts multiple values to allow for future expansion, but
    currently only one file may be included with the message. File previews are only rendered for
    attachments of 1MB or less. A public URL of a file goes in the JSON body's `files`; a local file is
    uploaded with the `multipart/form-data` body, in a part named `files`.

    Args:
        body (MessageCreate): A new message, as JSON: one destination (`roomId`, or `toPersonId`
            or `toPersonEmail` for a private 1:1 message) and some content (`text`, `markdown`, a
            public file URL in `files`, a card in `attachments`). No field is required, as in Webex's
            published spec; attachkit checks that exactly one destination and some content are given,
            and that `text` and `markdown` fit in 7,439 bytes each, before sending.
        body (MessageCreateMultipart): A new message with a local file, as `multipart/form-data`
            (the REST basics guide, "Message Attachments"; not in Webex's published spec). The file
            goes in the part named `files`: one file per message, up to 100 MB, named by the part's
            filename. The other parts are the JSON body's plain fields; a card (`attachments`) cannot
            be sent this way. No part is required, as no field of the JSON body is; attachkit checks
            the destination, the content and the 7,439-byte text limits before sending.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Message]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: MessageCreate | MessageCreateMultipart,
) -> Error | Message | None:
    """Create a Message

     Post a plain text or rich text message, and optionally, a file attachment or a card, to a room.

    The `files` parameter is an array, which accepts multiple values to allow for future expansion, but
    currently only one file may be included with the message. File previews are only rendered for
    attachments of 1MB or less. A public URL of a file goes in the JSON body's `files`; a local file is
    uploaded with the `multipart/form-data` body, in a part named `files`.

    Args:
        body (MessageCreate): A new message, as JSON: one destination (`roomId`, or `toPersonId`
            or `toPersonEmail` for a private 1:1 message) and some content (`text`, `markdown`, a
            public file URL in `files`, a card in `attachments`). No field is required, as in Webex's
            published spec; attachkit checks that exactly one destination and some content are given,
            and that `text` and `markdown` fit in 7,439 bytes each, before sending.
        body (MessageCreateMultipart): A new message with a local file, as `multipart/form-data`
            (the REST basics guide, "Message Attachments"; not in Webex's published spec). The file
            goes in the part named `files`: one file per message, up to 100 MB, named by the part's
            filename. The other parts are the JSON body's plain fields; a card (`attachments`) cannot
            be sent this way. No part is required, as no field of the JSON body is; attachkit checks
            the destination, the content and the 7,439-byte text limits before sending.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Message
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
