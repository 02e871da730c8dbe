"""Talkdesk regions: where each region's API gateway and token endpoint are. Data, in one place."""

from __future__ import annotations

import re
from typing import Final, Literal

import attrs

from ..errors import ValidationError

RegionName = Literal["us", "eu", "ca"]


@attrs.frozen
class Region:
    """A Talkdesk region: its API gateway and the host suffix of its token endpoint."""

    name: RegionName
    api_base_url: str
    token_host: str

    def token_url(self, account: str) -> str:
        """`https://{account}.talkdeskid.com/oauth/token` and its regional twins."""
        return f"https://{account}.{self.token_host}/oauth/token"


REGIONS: Final[dict[RegionName, Region]] = {
    "us": Region("us", "https://api.talkdeskapp.com", "talkdeskid.com"),
    "eu": Region("eu", "https://api.talkdeskapp.eu", "talkdeskid.eu"),
    "ca": Region("ca", "https://api.talkdeskappca.com", "talkdeskidca.com"),
}

# Looked up by any string the user or the environment gives.
_BY_NAME: Final[dict[str, Region]] = {name: r for name, r in REGIONS.items()}

# An account name becomes a host name label: refuse anything that could change the host.
_ACCOUNT: Final = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", re.IGNORECASE)


def region(name: str) -> Region:
    """The region called `name` ("us", "eu" or "ca"; any case)."""
    found = _BY_NAME.get(name.lower()) if isinstance(name, str) else None
    if found is None:
        raise ValidationError("region", f"must be one of {', '.join(map(repr, REGIONS))}, not {name!r}")
    return found


def check_account(account: str) -> str:
    if not isinstance(account, str) or not _ACCOUNT.match(account):
        raise ValidationError("account", "must be the Talkdesk account name, a DNS label such as 'acme'")
    return account
