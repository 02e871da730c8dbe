from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.fault_create import FaultCreate
from ...models.fault_rule import FaultRule
from ...types import Response


def _get_kwargs(
    *,
    body: FaultCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/_mock/faults",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | FaultRule | None:
    if response.status_code == 201:
        response_201 = FaultRule.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 413:
        response_413 = Error.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Error.from_dict(response.json())

        return response_415

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | FaultRule]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: FaultCreate,
) -> Response[Error | FaultRule]:
    """Add a fault rule

     Add one rule written in the fault language of `attachkit mock --fault` (`TARGET:ITEM[:ITEM...]`,
    e.g. `send_message:429:retry-after=2:times=1`). A rule that does not parse, names an unknown target
    or a status the target's spec does not document is a 400 naming `spec`.

    Args:
        body (FaultCreate): A fault rule to add.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | FaultRule]
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
    body: FaultCreate,
) -> Error | FaultRule | None:
    """Add a fault rule

     Add one rule written in the fault language of `attachkit mock --fault` (`TARGET:ITEM[:ITEM...]`,
    e.g. `send_message:429:retry-after=2:times=1`). A rule that does not parse, names an unknown target
    or a status the target's spec does not document is a 400 naming `spec`.

    Args:
        body (FaultCreate): A fault rule to add.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | FaultRule
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: FaultCreate,
) -> Response[Error | FaultRule]:
    """Add a fault rule

     Add one rule written in the fault language of `attachkit mock --fault` (`TARGET:ITEM[:ITEM...]`,
    e.g. `send_message:429:retry-after=2:times=1`). A rule that does not parse, names an unknown target
    or a status the target's spec does not document is a 400 naming `spec`.

    Args:
        body (FaultCreate): A fault rule to add.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | FaultRule]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: FaultCreate,
) -> Error | FaultRule | None:
    """Add a fault rule

     Add one rule written in the fault language of `attachkit mock --fault` (`TARGET:ITEM[:ITEM...]`,
    e.g. `send_message:429:retry-after=2:times=1`). A rule that does not parse, names an unknown target
    or a status the target's spec does not document is a 400 naming `spec`.

    Args:
        body (FaultCreate): A fault rule to add.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | FaultRule
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
