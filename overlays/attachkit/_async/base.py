"""What every client and every resource shares: owning the session, closing, and the typed seam to the
generated code."""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Mapping
from http import HTTPStatus
from types import TracebackType
from typing import Any, ClassVar, Final, Generic, Protocol, Self, TypeVar

import httpx

from attachkit._async.http import AsyncSession
from attachkit._attempts import call_options
from attachkit._config import Timeout
from attachkit._error_mapping import unexpected_success
from attachkit._exchange import UNDECODED, Exchange, exchange, take_json
from attachkit._faces import AsyncCall
from attachkit._response_checks import check_response
from attachkit.errors import UnexpectedResponseError

log: Final = logging.getLogger("attachkit")

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
    """Owns a client's session; closes its connection pool; makes copies with other options."""

    _session: AsyncSession

    def _bind(self, session: AsyncSession) -> None:
        """Use `session`: set it, and build the client's resources over it."""
        raise NotImplementedError

    def with_options(
        self,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> Self:
        """A copy of this client with other defaults, sharing its connection pool, token cache and cooldown.

        `default_headers` are added to (and override) this client's. Closing the copy leaves the pool open:
        close the client it came from.
        """
        clone = copy.copy(self)
        clone._bind(
            self._session.with_options(timeout=timeout, max_retries=max_retries, default_headers=default_headers)
        )
        return clone

    async def close(self) -> None:
        """Close the connection pool. The client cannot be used afterwards (nor can its `with_options` copies)."""
        await self._session.aclose()

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

    _package: ClassVar[str]
    """The generated package whose spec holds the resource's operations."""

    def __init__(self, session: AsyncSession, api: G) -> None:
        self._session = session
        self._api = api

    async def _call(
        self,
        operation: str,
        send: AsyncCall[Detailed[T]],
        *,
        timeout: Timeout,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None = None,
        uploads: bool = False,
    ) -> Answer[T]:
        """Make one call into the generated code for `operation`, with per-call options.

        `uploads`: the request streams a file out, so no overall deadline bounds its attempts (see `_deadline`).
        A failure of the generated parser on a received response becomes `UnexpectedResponseError` with the
        real response; any failure before a response arrived is not the server's and surfaces as itself.
        """
        with call_options(timeout, max_retries, extra_headers, uploads=uploads), exchange(operation) as seen:
            try:
                detailed = await send()
            except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
                if seen.response is None:
                    raise
                check_contract(self._session, self._package, operation, seen.response)  # names the field
                raise _unreadable(self._session, seen, exc) from exc
        if seen.response is None:  # the generated code always sends; this would be a bug of ours
            raise RuntimeError(f"{operation}: the generated code returned without sending a request")
        check_contract(self._session, self._package, operation, seen.response)
        return Answer(operation, seen.response, detailed.parsed)

    async def _fetch(
        self,
        operation: str,
        expected: type[T],
        send: AsyncCall[Detailed[object]],
        *,
        timeout: Timeout,
        max_retries: int | None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> T:
        """`_call`, then the documented model of the answer."""
        answer = await self._call(
            operation, send, timeout=timeout, max_retries=max_retries, extra_headers=extra_headers
        )
        return self._expect(answer, expected)

    def _expect_no_content(self, answer: Answer[object], consequence: str) -> None:
        """A delete's answer: a 204, else `UnexpectedResponseError` with the response, saying `consequence` (what
        the server may have done all the same)."""
        if answer.status_code != HTTPStatus.NO_CONTENT:
            raise unexpected_success(
                self._session.settings.vendor,
                answer.response,
                f"{answer.operation} answered {answer.status_code}, which its spec does not describe; {consequence}",
            )

    def _expect(self, answer: Answer[object], expected: type[T]) -> T:
        """The answer's model when it is an `expected`, else `UnexpectedResponseError` with the response."""
        if isinstance(answer.parsed, expected):
            return answer.parsed
        raise unexpected_success(
            self._session.settings.vendor,
            answer.response,
            f"{answer.operation} answered {answer.status_code}, which its spec does not describe",
        )


def check_contract(session: AsyncSession, package: str, operation: str, response: httpx.Response) -> None:
    """Hold a success's body to the operation's response schema.

    A wrong type or a missing required field would make the typed result lie: `UnexpectedResponseError` naming the
    field, carrying the response (and saying so when the request may have changed something). Bent constraints
    (lengths, formats, enums a vendor may grow) are contract warnings on the `attachkit` logger, or errors when
    the client was built with `strict_responses=True`.
    """
    body: Any = take_json(response)  # what the generated parser decoded (strictly) is not decoded again
    # A 204 has no content (RFC 9110, 15.3.5), so bytes sent with one are not a body to hold to a schema.
    if response.status_code == 204 or not response.content:
        return
    if "json" not in response.headers.get("content-type", "json"):
        return
    if body is UNDECODED:
        body = _decoded(session, operation, response)
        if body is UNDECODED:
            return  # not JSON at all: the generated parser says so
    breaking, bent = check_response(package, operation, response.status_code, body)
    if not breaking and not bent:
        return
    if breaking or session.settings.strict_responses:
        problem = (breaking or bent)[0]
        acted = "" if response.request.method in ("GET", "HEAD") else "; the server may have acted on the request"
        raise unexpected_success(
            session.settings.vendor,
            response,
            f"{operation} answered {response.status_code} with a body its spec does not allow: "
            f"`{problem.path}` {problem.message}{acted}",
        )
    for problem in bent:
        log.warning(
            "%s: contract warning: `%s` %s (%s %s)",
            operation,
            problem.path,
            problem.message,
            response.status_code,
            session.settings.vendor.name,
            extra={"attachkit_operation": operation, "attachkit_field": problem.path},
        )


def _decoded(session: AsyncSession, operation: str, response: httpx.Response) -> Any:
    """The body decoded as JSON, `UNDECODED` when it is not JSON; `UnexpectedResponseError` when it is not UTF-8."""
    try:
        # JSON is UTF-8 (RFC 8259); decoded strictly, so that an encoded surrogate cannot reach a result.
        return json.loads(response.content.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise unexpected_success(
            session.settings.vendor, response, f"{operation} answered a body that is not UTF-8 ({exc.reason})"
        ) from None
    except (ValueError, RecursionError):
        return UNDECODED


def missing(session: AsyncSession, answer: Answer[object], field: str, hint: str) -> UnexpectedResponseError:
    """The error for a success that lacks a field its result needs; `hint` says what the caller may do now."""
    return unexpected_success(
        session.settings.vendor,
        answer.response,
        f"{answer.operation} answered {answer.status_code} without `{field}`, which the result needs; {hint}",
    )


def _unreadable(session: AsyncSession, seen: Exchange, exc: Exception) -> UnexpectedResponseError:
    assert seen.response is not None
    return unexpected_success(
        session.settings.vendor,
        seen.response,
        f"{seen.operation}: the response body does not match the spec ({type(exc).__name__}: {exc})",
    )
