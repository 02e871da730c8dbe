from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.message import Message
from ...models.partial_message import PartialMessage
from ...models.send_message_request import SendMessageRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    conversation_id: str,
    *,
    body: SendMessageRequest,
    x_idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_idempotency_key, Unset):
        headers["x-idempotency-key"] = x_idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/digital-connect/conversations/{conversation_id}/messages".format(
            conversation_id=quote(str(conversation_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Message | PartialMessage | None:
    if response.status_code == 201:
        response_201 = Message.from_dict(response.json())

        return response_201

    if response.status_code == 206:
        response_206 = PartialMessage.from_dict(response.json())

        return response_206

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

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

    if response.status_code == 423:
        response_423 = Error.from_dict(response.json())

        return response_423

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
) -> Response[Error | Message | PartialMessage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    body: SendMessageRequest,
    x_idempotency_key: str | Unset = UNSET,
) -> Response[Error | Message | PartialMessage]:
    """Send a message

     Create a Digital Connect conversation inbound message. Attachments are referenced by the ids the
    Attachments API returned. A 206 means the message was created but some attachments had problems;
    `partial_fail_reason` says which.

    Args:
        conversation_id (str): A conversation or message identifier; 1..255 characters, as the
            pages document for these ids.
        x_idempotency_key (str | Unset):
        body (SendMessageRequest): The contact's message. The reference page shows this body by
            example only and marks no field required, so none is required here: a message may carry
            attachments without `content`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Message | PartialMessage]
    """

    kwargs = _get_kwargs(
        conversation_id=conversation_id,
        body=body,
        x_idempotency_key=x_idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    body: SendMessageRequest,
    x_idempotency_key: str | Unset = UNSET,
) -> Error | Message | PartialMessage | None:
    """Send a message

     Create a Digital Connect conversation inbound message. Attachments are referenced by the ids the
    Attachments API returned. A 206 means the message was created but some attachments had problems;
    `partial_fail_reason` says which.

    Args:
        conversation_id (str): A conversation or message identifier; 1..255 characters, as the
            pages document for these ids.
        x_idempotency_key (str | Unset):
        body (SendMessageRequest): The contact's message. The reference page shows this body by
            example only and marks no field required, so none is required here: a message may carry
            attachments without `content`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Message | PartialMessage
    """

    return sync_detailed(
        conversation_id=conversation_id,
        client=client,
        body=body,
        x_idempotency_key=x_idempotency_key,
    ).parsed


async def asyncio_detailed(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    body: SendMessageRequest,
    x_idempotency_key: str | Unset = UNSET,
) -> Response[Error | Message | PartialMessage]:
    """Send a message

     Create a Digital Connect conversation inbound message. Attachments are referenced by the ids the
    Attachments API returned. A 206 means the message was created but some attachments had problems;
    `partial_fail_reason` says which.

    Args:
        conversation_id (str): A conversation or message identifier; 1..255 characters, as the
            pages document for these ids.
        x_idempotency_key (str | Unset):
        body (SendMessageRequest): The contact's message. The reference page shows this body by
            example only and marks no field required, so none is required here: a message may carry
            attachments without `content`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Message | PartialMessage]
    """

    kwargs = _get_kwargs(
        conversation_id=conversation_id,
        body=body,
        x_idempotency_key=x_idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    body: SendMessageRequest,
    x_idempotency_key: str | Unset = UNSET,
) -> Error | Message | PartialMessage | None:
    """Send a message

     Create a Digital Connect conversation inbound message. Attachments are referenced by the ids the
    Attachments API returned. A 206 means the message was created but some attachments had problems;
    `partial_fail_reason` says which.

    Args:
        conversation_id (str): A conversation or message identifier; 1..255 characters, as the
            pages document for these ids.
        x_idempotency_key (str | Unset):
        body (SendMessageRequest): The contact's message. The reference page shows this body by
            example only and marks no field required, so none is required here: a message may carry
            attachments without `content`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Message | PartialMessage
    """

    return (
        await asyncio_detailed(
            conversation_id=conversation_id,
            client=client,
            body=body,
            x_idempotency_key=x_idempotency_key,
        )
    ).parsed
