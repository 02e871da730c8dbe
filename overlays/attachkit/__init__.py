"""attachkit: typed clients for attachments in customer conversations.

- `attachkit.talkdesk`: Talkdesk Attachments and Digital Connect (`TalkdeskClient`, `AsyncTalkdeskClient`).
- `attachkit.webex`: Webex attachment actions (`WebexClient`, `AsyncWebexClient`).
- `attachkit.errors`: every exception attachkit raises.
- `attachkit.testing`: a local, stateful mock of both vendors (extra `attachkit[mock]`).
"""

from . import errors
from ._clock import Clock, FakeClock, SystemClock
from ._raw import RawResponse
from ._retry import RetryPolicy
from ._version import __version__
from .talkdesk import AsyncTalkdeskClient, TalkdeskClient
from .webex import AsyncWebexClient, WebexClient

__all__ = [
    "AsyncTalkdeskClient",
    "AsyncWebexClient",
    "Clock",
    "FakeClock",
    "RawResponse",
    "RetryPolicy",
    "SystemClock",
    "TalkdeskClient",
    "WebexClient",
    "__version__",
    "errors",
]
