"""What every attachkit client shares: owning its httpx clients, closing, context management, and
turning a generated `Response` into a result."""

from __future__ import annotations

import os
from types import ModuleType, TracebackType
from typing import Any, Self, TypeVar

import httpx

from ._http import LAST_RESPONSE, APIClient, AsyncAPIClient, Settings, build_async, build_sync
from ._transport import call_options
from .errors import AttachkitError, UnexpectedResponseError, unexpected_success

Timeout = float | httpx.Timeout | None

T = TypeVar("T")
G = TypeVar("G")


def env(name: str, given: str | None) -> str | None:
    """An explicit argument, else the environment variable, else None."""
    if given is not None:
        return given
    value = os.environ.get(name, "").strip()
    return value or None


class SyncBase:
    """Owns the API and storage httpx clients of a sync attachkit client."""

    _api: APIClient
    _storage: APIClient
    _settings: Settings

    def _connect(self, auth: httpx.Auth, http_client: httpx.Client | None) -> None:
        self._api, self._storage = build_sync(self._settings, auth, http_client)

    def _bind(self, generated: type[G]) -> G:
        """A generated client sending through this client's httpx client.

        Its own token is unused: the httpx client's auth flow signs requests.
        """
        return generated(base_url=self._settings.base_url, token="").set_httpx_client(self._api)  # type: ignore[call-arg, attr-defined, no-any-return]

    def close(self) -> None:
        """Close the connection pool. The client cannot be used afterwards."""
        self._api.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncBase:
    """Owns the API and storage httpx clients of an async attachkit client."""

    _api: AsyncAPIClient
    _storage: AsyncAPIClient
    _settings: Settings

    def _connect(self, auth: httpx.Auth, http_client: httpx.AsyncClient | None) -> None:
        self._api, self._storage = build_async(self._settings, auth, http_client)

    def _bind(self, generated: type[G]) -> G:
        return generated(base_url=self._settings.base_url, token="").set_async_httpx_client(self._api)  # type: ignore[call-arg, attr-defined, no-any-return]

    async def close(self) -> None:
        """Close the connection pool. The client cannot be used afterwards."""
        await self._api.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


def _name(endpoint: ModuleType) -> str:
    return endpoint.__name__.rpartition(".")[2]


def parsed(response: Any, expected: type[T], settings: Settings, endpoint: ModuleType) -> T:
    """The parsed model of a generated `Response`, or `UnexpectedResponseError` when it is not one."""
    value = response.parsed
    if isinstance(value, expected):
        return value
    status = int(response.status_code)
    raise unexpected_success(
        settings.vendor, LAST_RESPONSE.get(), f"{_name(endpoint)} answered {status}, which its spec does not describe"
    )


class SyncResource:
    """The base of a sync resource (`client.attachments`, ...): sends through a generated endpoint module."""

    def __init__(self, client: Any, api: Any) -> None:
        self._client = client
        self._api = api  # the generated client of the resource's spec

    def _send(self, endpoint: ModuleType, *args: Any, timeout: Timeout, max_retries: int | None, **kwargs: Any) -> Any:
        """Call `endpoint.sync_detailed`; a success body the generated parser cannot read becomes a typed error."""
        with call_options(timeout, max_retries):
            try:
                return endpoint.sync_detailed(*args, client=self._api, **kwargs)
            except AttachkitError:
                raise
            except (ValueError, KeyError, TypeError) as exc:
                raise unreadable(self._client._settings, endpoint, exc) from exc

    def _fetch(
        self,
        endpoint: ModuleType,
        expected: type[T],
        *args: Any,
        timeout: Timeout,
        max_retries: int | None,
        **kwargs: Any,
    ) -> T:
        """`_send`, then the documented model of the answer."""
        response = self._send(endpoint, *args, timeout=timeout, max_retries=max_retries, **kwargs)
        return parsed(response, expected, self._client._settings, endpoint)


class AsyncResource:
    """The base of an async resource; the twin of `SyncResource`."""

    def __init__(self, client: Any, api: Any) -> None:
        self._client = client
        self._api = api

    async def _send(
        self, endpoint: ModuleType, *args: Any, timeout: Timeout, max_retries: int | None, **kwargs: Any
    ) -> Any:
        with call_options(timeout, max_retries):
            try:
                return await endpoint.asyncio_detailed(*args, client=self._api, **kwargs)
            except AttachkitError:
                raise
            except (ValueError, KeyError, TypeError) as exc:
                raise unreadable(self._client._settings, endpoint, exc) from exc

    async def _fetch(
        self,
        endpoint: ModuleType,
        expected: type[T],
        *args: Any,
        timeout: Timeout,
        max_retries: int | None,
        **kwargs: Any,
    ) -> T:
        response = await self._send(endpoint, *args, timeout=timeout, max_retries=max_retries, **kwargs)
        return parsed(response, expected, self._client._settings, endpoint)


def unreadable(settings: Settings, endpoint: ModuleType, exc: Exception) -> UnexpectedResponseError:
    """The error for a success response whose body the generated parser could not read."""
    return unexpected_success(
        settings.vendor,
        LAST_RESPONSE.get(),
        f"{_name(endpoint)}: the response body does not match the spec ({type(exc).__name__}: {exc})",
    )
