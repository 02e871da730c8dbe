"""What an operation handler receives and returns. Handlers are plain functions, one per operationId."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.datastructures import Headers

from ._clock import Clock
from ._config import MockConfig
from ._contract import Operation
from ._dialects import Problem
from ._state import MockState
from ._storage import BlobStore

if TYPE_CHECKING:
    from ._deliveries import Deliverer


@dataclasses.dataclass(frozen=True)
class Services:
    """What handlers work with: the configuration, the stored state, time, the blob store, the routes and the
    webhook deliverer."""

    config: MockConfig
    state: MockState
    clock: Clock
    blobs: BlobStore
    operations: Mapping[str, Operation]
    deliverer: Deliverer


@dataclasses.dataclass(frozen=True)
class Call:
    """One validated request to an operation. ``body`` is the parsed JSON, or a ``_forms.Form`` for a
    ``multipart/form-data`` body; ``query`` holds the query parameters (the last value of a repeated one)."""

    operation: Operation
    body: Any
    path_params: Mapping[str, str]
    headers: Headers
    base_url: str
    services: Services
    query: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def url_for(self, operation_id: str, **params: str) -> str:
        """The absolute URL of another operation on this mock, built from the spec's path template."""
        route = self.services.operations[operation_id].route
        for name, value in params.items():
            route = route.replace("{" + name + "}", quote(value, safe=""))
        return self.base_url + route


@dataclasses.dataclass(frozen=True)
class Reply:
    """A successful answer: status, JSON body (None for an empty body) and extra headers.

    ``content`` (with ``media_type``) is a body that is not JSON, such as a downloaded file; ``body`` is then None.
    """

    status: int
    body: Mapping[str, Any] | None
    headers: Mapping[str, str] = dataclasses.field(default_factory=dict)
    content: bytes | None = dataclasses.field(default=None, repr=False)
    media_type: str | None = None


# A handler answers at once, or (when it has to wait for something, like fetching a file) as a coroutine.
Handler = Callable[[Call], Reply | Problem | Awaitable[Reply | Problem]]


def fingerprint(body: Any) -> str:
    """A stable digest of a JSON body, to tell a replay from a different request under the same key."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def not_found(message: str) -> Problem:
    """A 404 in the vendor-neutral vocabulary."""
    return Problem(404, "not_found", message)
