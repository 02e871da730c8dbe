"""The environment variables attachkit reads, by the client argument they stand in for.

One table: the clients read these when an argument is omitted, the mock prints `export` lines with
these names so the SDK and the CLI find it, and the CLI scrubs the secret ones from its output.
"""

from __future__ import annotations

from typing import Final

TALKDESK: Final = {
    "account": "TALKDESK_ACCOUNT",
    "client_id": "TALKDESK_CLIENT_ID",
    "client_secret": "TALKDESK_CLIENT_SECRET",
    "region": "TALKDESK_REGION",
    "base_url": "TALKDESK_BASE_URL",
    "token_url": "TALKDESK_TOKEN_URL",
}

WEBEX: Final = {
    "access_token": "WEBEX_ACCESS_TOKEN",
    "base_url": "WEBEX_BASE_URL",
}
