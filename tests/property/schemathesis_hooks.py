"""Hooks for the `schemathesis run` CLI, loaded by scripts/fuzz.py through SCHEMATHESIS_HOOKS.

They register globally, so nothing imports this module but the CLI (pytest builds its schemas with the same
pieces, registered on each schema: tests/property/_schemathesis.py).

Read from the environment that scripts/fuzz.py prepares:
- ATTACHKIT_FUZZ_SPEC: which spec this run fuzzes (talkdesk-attachments, talkdesk-digital-connect, webex-...).
- Talkdesk: TALKDESK_TOKEN_URL, TALKDESK_CLIENT_ID, TALKDESK_CLIENT_SECRET (client credentials, HTTP Basic).
- Webex: WEBEX_ACCESS_TOKEN.
- ATTACHKIT_FUZZ_UPLOADS=1: in the stateful phase, PUT bytes to each upload link before it is used.
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis

from tests.property._schemathesis import Credentials, TalkdeskAuth, WebexAuth, upload_after_upload_link

SPEC = os.environ.get("ATTACHKIT_FUZZ_SPEC", "")
CREDENTIALS = Credentials(
    token_url=os.environ.get("TALKDESK_TOKEN_URL"),
    client_id=os.environ.get("TALKDESK_CLIENT_ID"),
    client_secret=os.environ.get("TALKDESK_CLIENT_SECRET"),
    webex_token=os.environ.get("WEBEX_ACCESS_TOKEN"),
)
_BASE = WebexAuth if SPEC.startswith("webex") else TalkdeskAuth


@schemathesis.auth()
class VendorAuth(_BASE):
    def __init__(self) -> None:
        super().__init__(CREDENTIALS)


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    if os.environ.get("ATTACHKIT_FUZZ_UPLOADS") == "1":
        upload_after_upload_link(case, response)
