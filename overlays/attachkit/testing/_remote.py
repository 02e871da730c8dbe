"""``RemoteMock``: the handle of a mock running elsewhere (another process, a CI service), over its control plane.

Built on the client generated from ``openapi/mock-control.yaml`` (``attachkit._generated.mock_control``), as the
SDK's clients are built on theirs. Needs only httpx: not the ``mock`` extra.
"""

from __future__ import annotations

import os
from types import TracebackType
from typing import Any, TypeVar

import httpx

from .._generated.mock_control.api.control import (
    add_fault,
    advance_clock,
    clear_faults,
    get_state,
    list_deliveries,
    list_faults,
    list_requests,
    list_violations,
    reset,
)
from .._generated.mock_control.client import AuthenticatedClient
from .._generated.mock_control.models import (
    Clock,
    ClockAdvance,
    Delivery,
    DeliveryList,
    Error,
    FaultCreate,
    FaultList,
    FaultRule,
    FaultsCleared,
    RequestEntry,
    RequestList,
    State,
    Violation,
    ViolationList,
)
from .._generated.mock_control.types import UNSET, Response, Unset
from ..errors import AttachkitError
from ._faults import DropWhen, RetryAfter, as_retry_after
from ._faults import FaultRule as LocalRule

__all__ = ["RemoteClock", "RemoteFaults", "RemoteMock", "RemoteMockError"]

URL_ENV = "ATTACHKIT_MOCK_URL"
ADMIN_TOKEN_ENV = "ATTACHKIT_MOCK_ADMIN_TOKEN"  # noqa: S105 - a variable name, not a secret

T = TypeVar("T")


class RemoteMockError(AttachkitError):
    """The control plane refused a call (``status`` and the mock's message), or could not be reached
    (``status`` None)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class RemoteFaults:
    """A remote mock's fault rules: ``add``, ``add_spec``, ``rules`` and ``clear`` as on :class:`Faults`."""

    def __init__(self, mock: RemoteMock) -> None:
        self._mock = mock

    def add_spec(self, spec: str) -> FaultRule:
        """Add a rule in the fault language (``send_message:429:retry-after=2:times=1``); returns it as installed.

        RemoteMockError (status 400) when the mock refuses it: it does not parse, names an unknown target or a
        status the target's spec does not document.
        """
        return self._mock._call(add_fault.sync_detailed, FaultRule, body=FaultCreate(spec=spec))

    def add(
        self,
        target: str,
        *,
        status: int | None = None,
        retry_after: RetryAfter | int | str | None = None,
        html: bool = False,
        latency: float = 0.0,
        drop: DropWhen | None = None,
        times: int | None = None,
        probability: float | None = None,
        seed: int | None = None,
        duplicate: bool = False,
        bad_signature: bool = False,
    ) -> FaultRule:
        """Add a rule with the keywords of :meth:`Faults.add` (checked here first, then by the mock)."""
        rule = LocalRule(
            target=target,
            status=status,
            retry_after=as_retry_after(retry_after),
            html=html,
            latency=latency,
            drop=drop,
            times=times,
            probability=probability,
            seed=seed,
            duplicate=duplicate,
            bad_signature=bad_signature,
        )
        return self.add_spec(rule.describe())

    @property
    def rules(self) -> list[FaultRule]:
        """The rules, in the order they are tried, with how often each fired."""
        return self._mock._call(list_faults.sync_detailed, FaultList).items

    def clear(self) -> int:
        """Remove every rule; returns how many there were."""
        return self._mock._call(clear_faults.sync_detailed, FaultsCleared).cleared


class RemoteClock:
    """A remote mock's clock."""

    def __init__(self, mock: RemoteMock) -> None:
        self._mock = mock

    def advance(self, seconds: float) -> Clock:
        """Move the mock's time forward by ``seconds`` (never backwards); returns the clock after the move."""
        if not seconds >= 0:
            raise ValueError("the clock only moves forward")
        return self._mock._call(advance_clock.sync_detailed, Clock, body=ClockAdvance(seconds=seconds))

    @property
    def offset(self) -> float:
        """How far ahead of wall-clock time the mock's time is, in seconds."""
        return self._mock.state.clock.offset_seconds


class RemoteMock:
    """The same handle as :class:`MockServer` for a mock running elsewhere, over its control plane::

        remote = RemoteMock(os.environ["ATTACHKIT_MOCK_URL"], os.environ["ATTACHKIT_MOCK_ADMIN_TOKEN"])
        remote.faults.add_spec("send_message:429:times=1")
        ...                                    # the system under test talks to the mock
        [sent] = remote.history("send_message", limit=1)
        assert sent.status == 429 and "***" in sent.request.headers["authorization"]
        remote.reset()

    ``url`` is the mock's root (``ATTACHKIT_MOCK_URL``), ``admin_token`` its ``ATTACHKIT_MOCK_ADMIN_TOKEN``;
    :meth:`from_env` reads both. Every call is one HTTP request; answers are the models generated from
    ``mock-control.yaml``. A refused call raises :class:`RemoteMockError`. ``http_client`` replaces the
    ``httpx.Client`` used (its base URL and auth are set here), e.g. one over an in-process transport.
    """

    def __init__(
        self, url: str, admin_token: str, *, timeout: float = 10.0, http_client: httpx.Client | None = None
    ) -> None:
        if not admin_token:
            raise ValueError(f"admin_token is required (the mock prints it as {ADMIN_TOKEN_ENV})")
        self.url = url.rstrip("/")
        self._client = AuthenticatedClient(
            base_url=self.url, token=admin_token, timeout=httpx.Timeout(timeout), raise_on_unexpected_status=False
        )
        if http_client is not None:
            http_client.base_url = httpx.URL(self.url)
            http_client.headers["Authorization"] = f"Bearer {admin_token}"
            self._client.set_httpx_client(http_client)
        self.faults = RemoteFaults(self)
        self.clock = RemoteClock(self)

    @classmethod
    def from_env(cls, *, timeout: float = 10.0) -> RemoteMock:
        """A handle from ``ATTACHKIT_MOCK_URL`` and ``ATTACHKIT_MOCK_ADMIN_TOKEN`` (the mock's export lines)."""
        url, token = os.environ.get(URL_ENV), os.environ.get(ADMIN_TOKEN_ENV)
        if not url or not token:
            raise RemoteMockError(f"set {URL_ENV} and {ADMIN_TOKEN_ENV} (the mock prints both as export lines)")
        return cls(url, token, timeout=timeout)

    # What it holds --------------------------------------------------------------------------------------------------

    @property
    def state(self) -> State:
        """A snapshot of the state (fetched on each access): records held and dropped by kind, request counts
        by operation, the history's size, limit and drops, the clock, the fault rules and deliveries in flight."""
        return self._call(get_state.sync_detailed, State)

    def history(
        self, operation: str | None = None, *, since: int | None = None, limit: int | None = None
    ) -> list[RequestEntry]:
        """The request history, oldest first, secrets redacted: only ``operation``'s requests if given, only those
        after the entry with id ``since``, and the last ``limit`` of those."""
        found = self._call(
            list_requests.sync_detailed,
            RequestList,
            operation=UNSET if operation is None else operation,
            since=UNSET if since is None else since,
            limit=UNSET if limit is None else limit,
        )
        return found.items

    def history_dropped(self) -> int:
        """How many requests the history has let go (beyond the mock's ``history_limit``)."""
        return self.state.history.dropped

    @property
    def deliveries(self) -> list[Delivery]:
        """The webhook deliveries made so far, in the order they finished."""
        return self._call(list_deliveries.sync_detailed, DeliveryList).items

    @property
    def violations(self) -> list[Violation]:
        """Requests and responses that broke their spec (a validating proxy's findings)."""
        return self._call(list_violations.sync_detailed, ViolationList).items

    def reset(self) -> State:
        """Back to a fresh mock (records, counts, history, deliveries, faults, clock); returns the state after."""
        return self._call(reset.sync_detailed, State)

    # Plumbing ------------------------------------------------------------------------------------------------------

    def _call(self, endpoint: Any, expected: type[T], **kwargs: Any) -> T:
        try:
            response: Response[Any] = endpoint(client=self._client, **kwargs)
        except httpx.HTTPError as exc:
            raise RemoteMockError(f"cannot reach the mock's control plane at {self.url}: {exc}") from None
        parsed = response.parsed
        if isinstance(parsed, expected):
            return parsed
        message = parsed.message if isinstance(parsed, Error) and not isinstance(parsed.message, Unset) else ""
        raise RemoteMockError(
            f"the mock at {self.url} answered {int(response.status_code)}" + (f": {message}" if message else ""),
            int(response.status_code),
        )

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.get_httpx_client().close()

    def __enter__(self) -> RemoteMock:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"RemoteMock({self.url!r})"
