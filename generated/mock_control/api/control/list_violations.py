from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.violation_list import ViolationList
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/_mock/violations",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | ViolationList | None:
    if response.status_code == 200:
        response_200 = ViolationList.from_dict(response.json())

        return response_200

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
) -> Response[Error | ViolationList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | ViolationList]:
    """Read the contract violations

     Requests and responses that broke their spec, as the validating proxy (`attachkit mock --upstream`)
    records them, one entry per problem, the latest `record_limit` kept. The mock serving its own
    answers records none here (its own response checks are `MockServer.response_violations`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ViolationList]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> Error | ViolationList | None:
    """Read the contract violations

     Requests and responses that broke their spec, as the validating proxy (`attachkit mock --upstream`)
    records them, one entry per problem, the latest `record_limit` kept. The mock serving its own
    answers records none here (its own response checks are `MockServer.response_violations`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ViolationList
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | ViolationList]:
    """Read the contract violations

     Requests and responses that broke their spec, as the validating proxy (`attachkit mock --upstream`)
    records them, one entry per problem, the latest `record_limit` kept. The mock serving its own
    answers records none here (its own response checks are `MockServer.response_violations`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ViolationList]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> Error | ViolationList | None:
    """Read the contract violations

     Requests and responses that broke their spec, as the validating proxy (`attachkit mock --upstream`)
    records them, one entry per problem, the latest `record_limit` kept. The mock serving its own
    answers records none here (its own response checks are `MockServer.response_violations`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ViolationList
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
