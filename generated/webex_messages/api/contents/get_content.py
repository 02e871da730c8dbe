from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.get_content_allow import GetContentAllow
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    content_id: str,
    *,
    allow: GetContentAllow | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_allow: str | Unset = UNSET
    if not isinstance(allow, Unset):
        json_allow = allow

    params["allow"] = json_allow

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/contents/{content_id}".format(
            content_id=quote(str(content_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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
) -> Response[Error | File]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    content_id: str,
    *,
    client: AuthenticatedClient | Client,
    allow: GetContentAllow | Unset = UNSET,
) -> Response[Error | File]:
    """Download a File

     Download a file attached to a message: `GET` on one of the message's `files` URLs, with the same
    bearer token (the REST basics guide, "Message Attachments"; not in Webex's published spec).

    Webex scans every file for malware before it can be downloaded. While the scan runs the answer is
    423 Locked, with `Retry-After` when Webex knows how long it takes: wait and ask again. An infected
    file is 410 Gone, for good. A file that cannot be scanned, such as an encrypted archive, is 428
    Precondition Required: repeat the request with `allow=unscannable` to download it anyway, at your
    own risk.

    Args:
        content_id (str):
        allow (GetContentAllow | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | File]
    """

    kwargs = _get_kwargs(
        content_id=content_id,
        allow=allow,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    content_id: str,
    *,
    client: AuthenticatedClient | Client,
    allow: GetContentAllow | Unset = UNSET,
) -> Error | File | None:
    """Download a File

     Download a file attached to a message: `GET` on one of the message's `files` URLs, with the same
    bearer token (the REST basics guide, "Message Attachments"; not in Webex's published spec).

    Webex scans every file for malware before it can be downloaded. While the scan runs the answer is
    423 Locked, with `Retry-After` when Webex knows how long it takes: wait and ask again. An infected
    file is 410 Gone, for good. A file that cannot be scanned, such as an encrypted archive, is 428
    Precondition Required: repeat the request with `allow=unscannable` to download it anyway, at your
    own risk.

    Args:
        content_id (str):
        allow (GetContentAllow | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | File
    """

    return sync_detailed(
        content_id=content_id,
        client=client,
        allow=allow,
    ).parsed


async def asyncio_detailed(
    content_id: str,
    *,
    client: AuthenticatedClient | Client,
    allow: GetContentAllow | Unset = UNSET,
) -> Response[Error | File]:
    """Download a File

     Download a file attached to a message: `GET` on one of the message's `files` URLs, with the same
    bearer token (the REST basics guide, "Message Attachments"; not in Webex's published spec).

    Webex scans every file for malware before it can be downloaded. While the scan runs the answer is
    423 Locked, with `Retry-After` when Webex knows how long it takes: wait and ask again. An infected
    file is 410 Gone, for good. A file that cannot be scanned, such as an encrypted archive, is 428
    Precondition Required: repeat the request with `allow=unscannable` to download it anyway, at your
    own risk.

    Args:
        content_id (str):
        allow (GetContentAllow | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | File]
    """

    kwargs = _get_kwargs(
        content_id=content_id,
        allow=allow,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    content_id: str,
    *,
    client: AuthenticatedClient | Client,
    allow: GetContentAllow | Unset = UNSET,
) -> Error | File | None:
    """Download a File

     Download a file attached to a message: `GET` on one of the message's `files` URLs, with the same
    bearer token (the REST basics guide, "Message Attachments"; not in Webex's published spec).

    Webex scans every file for malware before it can be downloaded. While the scan runs the answer is
    423 Locked, with `Retry-After` when Webex knows how long it takes: wait and ask again. An infected
    file is 410 Gone, for good. A file that cannot be scanned, such as an encrypted archive, is 428
    Precondition Required: repeat the request with `allow=unscannable` to download it anyway, at your
    own risk.

    Args:
        content_id (str):
        allow (GetContentAllow | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | File
    """

    return (
        await asyncio_detailed(
            content_id=content_id,
            client=client,
            allow=allow,
        )
    ).parsed
