"""What every client and every resource shares: owning the session, closing, and the typed seam to the
generated code."""

from __future__ import annotations

from http import HTTPStatus
from types import TracebackType
from typing import Generic, Protocol, Self, TypeVar

import httpx

from attachkit._async.http import AsyncSession
from attachkit._attempts import call_options
from attachkit._config import Timeout
from attachkit._error_mapping import unexpected_success
from attachkit._exchange import Exchange, exchange
from attachkit._faces import AsyncCall
from attachkit.errors import UnexpectedResponseError

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
G = TypeVar("G")


class Detailed(Protocol[T_co]):
    """What a generated `*_detailed` function returns (each generated package has its own `Response`)."""

    @property
    def status_code(self) -> HTTPStatus: ...

    @property
    def parsed(self) -> T_co | None: ...


class Answer(Generic[T_co]):
    """A response the API sent for one call, and the generated code's reading of its body."""

    def __init__(self, operation: str, response: httpx.Response, parsed: T_co | None) -> None:
        self.operation = operation
        self.response = response
        self.parsed = parsed

    @property
    def status_code(self) -> int:
        return self.response.status_code


class AsyncClientBase:
    """Owns a client's session; closes its connection pool."""

    _session: AsyncSession

    async def close(self) -> None:
        """Close the connection pool. The client cannot be used afterwards."""
        await self._session.api.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


class AsyncResource(Generic[G]):
    """The base of a resource (`client.attachments`, ...): calls the generated code through its session.

    `G` is the generated client class of the resource's spec.
    """

    def __init__(self, session: AsyncSession, api: G) -> None:
        self._session = session
        self._api = api

    async def _call(
        self, operation: str, send: AsyncCall[Detailed[T]], *, timeout: Timeout, max_retries: int | None
    ) -> Answer[T]:
        """Make one call into the generated code for `operation`, with per-call options.

        A failure of the generated parser on a received response becomes `UnexpectedResponseError` with the
        real response; any failure before a response arrived is not the server's and surfaces as itself.
        """
        with call_options(timeout, max_retries), exchange(operation) as seen:
            try:
                detailed = await send()
            except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
                if seen.response is None:
                    raise
                raise _unreadable(self._session, seen, exc) from exc
        if seen.response is None:  # the generated code always sends; this would be a bug of ours
            raise RuntimeError(f"{operation}: the generated code returned without sending a request")
        return Answer(operation, seen.response, detailed.parsed)

    async def _fetch(
        self,
        operation: str,
        expected: type[T],
        send: AsyncCall[Detailed[object]],
        *,
        timeout: Timeout,
        max_retries: int | None,
    ) -> T:
        """`_call`, then the documented model of the answer."""
        answer = await self._call(operation, send, timeout=timeout, max_retries=max_retries)
        return self._expect(answer, expected)

    def _expect(self, answer: Answer[object], expected: type[T]) -> T:
        """The answer's model when it is an `expected`, else `UnexpectedResponseError` with the response."""
        if isinstance(answer.parsed, expected):
            return answer.parsed
        raise unexpected_success(
            self._session.settings.vendor,
            answer.response,
            f"{answer.operation} answered {answer.status_code}, which its spec does not describe",
        )


def _unreadable(session: AsyncSession, seen: Exchange, exc: Exception) -> UnexpectedResponseError:
    assert seen.response is not None
    return unexpected_success(
        session.settings.vendor,
        seen.response,
        f"{seen.operation}: the response body does not match the spec ({type(exc).__name__}: {exc})",
    )
