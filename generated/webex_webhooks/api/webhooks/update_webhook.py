from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.webhook import Webhook
from ...models.webhook_update import WebhookUpdate
from ...types import Response


def _get_kwargs(
    webhook_id: str,
    *,
    body: WebhookUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/webhooks/{webhook_id}".format(
            webhook_id=quote(str(webhook_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Webhook | None:
    if response.status_code == 200:
        response_200 = Webhook.from_dict(response.json())

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
) -> Response[Error | Webhook]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    webhook_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: WebhookUpdate,
) -> Response[Error | Webhook]:
    """Update a Webhook

     Updates a webhook, by ID. You cannot use this call to deactivate a webhook, only to activate a
    webhook that was auto deactivated. The fields that can be updated are `name`, `targetUrl`, `secret`
    and `status`. All other fields, if supplied, are ignored.

    Specify the webhook ID in the `webhookId` parameter in the URI.

    Args:
        webhook_id (str):
        body (WebhookUpdate): A webhook's new settings. `name` and `targetUrl` are required, as
            Webex's published spec marks them; `status: active` reactivates a webhook Webex
            deactivated. Fields other than `name`, `targetUrl`, `secret` and `status` are ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Webhook]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    webhook_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: WebhookUpdate,
) -> Error | Webhook | None:
    """Update a Webhook

     Updates a webhook, by ID. You cannot use this call to deactivate a webhook, only to activate a
    webhook that was auto deactivated. The fields that can be updated are `name`, `targetUrl`, `secret`
    and `status`. All other fields, if supplied, are ignored.

    Specify the webhook ID in the `webhookId` parameter in the URI.

    Args:
        webhook_id (str):
        body (WebhookUpdate): A webhook's new settings. `name` and `targetUrl` are required, as
            Webex's published spec marks them; `status: active` reactivates a webhook Webex
            deactivated. Fields other than `name`, `targetUrl`, `secret` and `status` are ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Webhook
    """

    return sync_detailed(
        webhook_id=webhook_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    webhook_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: WebhookUpdate,
) -> Response[Error | Webhook]:
    """Update a Webhook

     Updates a webhook, by ID. You cannot use this call to deactivate a webhook, only to activate a
    webhook that was auto deactivated. The fields that can be updated are `name`, `targetUrl`, `secret`
    and `status`. All other fields, if supplied, are ignored.

    Specify the webhook ID in the `webhookId` parameter in the URI.

    Args:
        webhook_id (str):
        body (WebhookUpdate): A webhook's new settings. `name` and `targetUrl` are required, as
            Webex's published spec marks them; `status: active` reactivates a webhook Webex
            deactivated. Fields other than `name`, `targetUrl`, `secret` and `status` are ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Webhook]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    webhook_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: WebhookUpdate,
) -> Error | Webhook | None:
    """Update a Webhook

     Updates a webhook, by ID. You cannot use this call to deactivate a webhook, only to activate a
    webhook that was auto deactivated. The fields that can be updated are `name`, `targetUrl`, `secret`
    and `status`. All other fields, if supplied, are ignored.

    Specify the webhook ID in the `webhookId` parameter in the URI.

    Args:
        webhook_id (str):
        body (WebhookUpdate): A webhook's new settings. `name` and `targetUrl` are required, as
            Webex's published spec marks them; `status: active` reactivates a webhook Webex
            deactivated. Fields other than `name`, `targetUrl`, `secret` and `status` are ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Webhook
    """

    return (
        await asyncio_detailed(
            webhook_id=webhook_id,
            client=client,
            body=body,
        )
    ).parsed
