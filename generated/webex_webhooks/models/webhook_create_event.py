from typing import Literal

WebhookCreateEvent = Literal[
    "authorized",
    "created",
    "deauthorized",
    "deleted",
    "ended",
    "joined",
    "left",
    "migrated",
    "started",
    "statusChanged",
    "updated",
]

WEBHOOK_CREATE_EVENT_VALUES: set[WebhookCreateEvent] = {
    "authorized",
    "created",
    "deauthorized",
    "deleted",
    "ended",
    "joined",
    "left",
    "migrated",
    "started",
    "statusChanged",
    "updated",
}


def check_webhook_create_event(value: str) -> WebhookCreateEvent:
    if value in WEBHOOK_CREATE_EVENT_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {WEBHOOK_CREATE_EVENT_VALUES!r}"
    )
