"""What every attachkit client shares: owning its httpx clients, closing, context management, and
turning a generated `Response` into a result."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Self, TypeVar

from ._http import APIClient, AsyncAPIClient, Settings
from .errors import AttachkitError, UnexpectedResponseError

T = TypeVar("T")


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

    async def close(self) -> None:
        """Close the connection pool. The client cannot be used afterwards."""
        await self._api.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


def parsed(response: Any, expected: type[T], settings: Settings, what: str) -> T:
    """The parsed model of a generated `Response`, or `UnexpectedResponseError` when it is not one."""
    value = response.parsed
    if isinstance(value, expected):
        return value
    raise UnexpectedResponseError(
        status_code=int(response.status_code),
        vendor=settings.vendor.name,
        message=f"{what} answered {int(response.status_code)} without the documented body",
        headers=response.headers,
        body=response.content[:2048],
    )


def call(settings: Settings, what: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a generated `sync_detailed`, turning a parse failure of a success body into a typed error."""
    try:
        return fn(*args, **kwargs)
    except AttachkitError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise unreadable(settings, what, exc) from exc


async def acall(settings: Settings, what: str, fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
    """Call a generated `asyncio_detailed`, as `call` does."""
    try:
        return await fn(*args, **kwargs)
    except AttachkitError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise unreadable(settings, what, exc) from exc


def unreadable(settings: Settings, what: str, exc: Exception) -> UnexpectedResponseError:
    """The error for a success response whose body the generated parser could not read."""
    return UnexpectedResponseError(
        status_code=0,
        vendor=settings.vendor.name,
        message=f"{what}: the response body does not match the spec ({type(exc).__name__}: {exc})",
    )
