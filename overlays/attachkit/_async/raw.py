"""Wrapping a resource method so that it returns a `RawResponse` of its last answer."""

from __future__ import annotations

import functools
from typing import ParamSpec, TypeVar

from attachkit._exchange import capture
from attachkit._faces import AsyncMethod
from attachkit._raw import RawResponse

P = ParamSpec("P")
R = TypeVar("R")


def wrap(method: AsyncMethod[P, R]) -> AsyncMethod[P, RawResponse[R]]:
    """`method`, returning the answer behind its result as well (`RawResponse`)."""

    @functools.wraps(method)
    async def raw(*args: P.args, **kwargs: P.kwargs) -> RawResponse[R]:
        with capture() as seen:
            value = await method(*args, **kwargs)
        return RawResponse(seen[-1], value)

    return raw
