from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.request_list import RequestList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    operation: str | Unset = UNSET,
    since: int | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["operation"] = operation

    params["since"] = since

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/_mock/requests",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | RequestList | None:
    if response.status_code == 200:
        response_200 = RequestList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | RequestList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    operation: str | Unset = UNSET,
    since: int | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[Error | RequestList]:
    """Read the request history

     The requests the mock received (not the control plane's), oldest first, with secrets redacted; with
    `limit`, the last `limit` of those that match.

    Args:
        operation (str | Unset):
        since (int | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | RequestList]
    """

    kwargs = _get_kwargs(
        operation=operation,
        since=since,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    operation: str | Unset = UNSET,
    since: int | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Error | RequestList | None:
    """Read the request history

     The requests the mock received (not the control plane's), oldest first, with secrets redacted; with
    `limit`, the last `limit` of those that match.

    Args:
        operation (str | Unset):
        since (int | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | RequestList
    """

    return sync_detailed(
        client=client,
        operation=operation,
        since=since,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    operation: str | Unset = UNSET,
    since: int | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[Error | RequestList]:
    """Read the request history

     The requests the mock received (not the control plane's), oldest first, with secrets redacted; with
    `limit`, the last `limit` of those that match.

    Args:
        operation (str | Unset):
        since (int | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | RequestList]
    """

    kwargs = _get_kwargs(
        operation=operation,
        since=since,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    operation: str | Unset = UNSET,
    since: int | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Error | RequestList | None:
    """Read the request history

     The requests the mock received (not the control plane's), oldest first, with secrets redacted; with
    `limit`, the last `limit` of those that match.

    Args:
        operation (str | Unset):
        since (int | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | RequestList
    """

    return (
        await asyncio_detailed(
            client=client,
            operation=operation,
            since=since,
            limit=limit,
        )
    ).parsed
