from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.upload_link import UploadLink
from ...models.upload_link_request import UploadLinkRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: UploadLinkRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/attachments/2023-03/upload-link",
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | UploadLink | None:
    if response.status_code == 200:
        response_200 = UploadLink.from_dict(response.json())

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
) -> Response[Error | UploadLink]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: UploadLinkRequest | Unset = UNSET,
) -> Response[Error | UploadLink]:
    """Get an attachment upload link

     Returns a pre-signed URL to upload the file to, and the `request_id` to create the attachment with.
    The HTTP verb for the upload is not documented; a pre-signed storage PUT is assumed.

    Args:
        body (UploadLinkRequest | Unset): Constraints for the file to be uploaded. The reference
            page shows `allowed_mime_types` at the top level by example only and does not say whether
            it is required, so it is optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UploadLink]
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
    client: AuthenticatedClient,
    body: UploadLinkRequest | Unset = UNSET,
) -> Error | UploadLink | None:
    """Get an attachment upload link

     Returns a pre-signed URL to upload the file to, and the `request_id` to create the attachment with.
    The HTTP verb for the upload is not documented; a pre-signed storage PUT is assumed.

    Args:
        body (UploadLinkRequest | Unset): Constraints for the file to be uploaded. The reference
            page shows `allowed_mime_types` at the top level by example only and does not say whether
            it is required, so it is optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UploadLink
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: UploadLinkRequest | Unset = UNSET,
) -> Response[Error | UploadLink]:
    """Get an attachment upload link

     Returns a pre-signed URL to upload the file to, and the `request_id` to create the attachment with.
    The HTTP verb for the upload is not documented; a pre-signed storage PUT is assumed.

    Args:
        body (UploadLinkRequest | Unset): Constraints for the file to be uploaded. The reference
            page shows `allowed_mime_types` at the top level by example only and does not say whether
            it is required, so it is optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UploadLink]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: UploadLinkRequest | Unset = UNSET,
) -> Error | UploadLink | None:
    """Get an attachment upload link

     Returns a pre-signed URL to upload the file to, and the `request_id` to create the attachment with.
    The HTTP verb for the upload is not documented; a pre-signed storage PUT is assumed.

    Args:
        body (UploadLinkRequest | Unset): Constraints for the file to be uploaded. The reference
            page shows `allowed_mime_types` at the top level by example only and does not say whether
            it is required, so it is optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UploadLink
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
