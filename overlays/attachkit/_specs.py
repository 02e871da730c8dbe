"""Where the OpenAPI documents live, installed or in a checkout.

The wheel ships `openapi/*.yaml` as `attachkit/_openapi/`; an editable install reads them from the
repository's `openapi/` folder. Both the mock and the tests find a spec through `spec_path()`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

SpecName = Literal[
    "talkdesk-attachments",
    "talkdesk-digital-connect",
    "webex-attachment-actions",
    "webex-messages",
    "webex-webhooks",
]
SPEC_NAMES: tuple[SpecName, ...] = (
    "talkdesk-attachments",
    "talkdesk-digital-connect",
    "webex-attachment-actions",
    "webex-messages",
    "webex-webhooks",
)

_HERE = Path(__file__).resolve().parent


def spec_dir() -> Path:
    """The folder that holds the OpenAPI documents."""
    for candidate in (_HERE / "_openapi", _HERE.parent.parent / "openapi"):
        if (candidate / "webex-attachment-actions.yaml").is_file():
            return candidate
    raise FileNotFoundError("attachkit's OpenAPI documents are missing from this installation")


def spec_path(name: SpecName) -> Path:
    """The path of one OpenAPI document, e.g. `spec_path("webex-attachment-actions")`."""
    return spec_dir() / f"{name}.yaml"
