from typing import Literal

WebhookCreateResource = Literal[
    "adminBatchJobs",
    "attachmentActions",
    "convergedRecordings",
    "dataSources",
    "meetingParticipants",
    "meetings",
    "meetingTranscripts",
    "memberships",
    "messages",
    "recordings",
    "rooms",
    "serviceApp",
    "telephony_calls",
    "telephony_conference",
    "telephony_mwi",
    "uc_counters",
]

WEBHOOK_CREATE_RESOURCE_VALUES: set[WebhookCreateResource] = {
    "adminBatchJobs",
    "attachmentActions",
    "convergedRecordings",
    "dataSources",
    "meetingParticipants",
    "meetings",
    "meetingTranscripts",
    "memberships",
    "messages",
    "recordings",
    "rooms",
    "serviceApp",
    "telephony_calls",
    "telephony_conference",
    "telephony_mwi",
    "uc_counters",
}


def check_webhook_create_resource(value: str) -> WebhookCreateResource:
    if value in WEBHOOK_CREATE_RESOURCE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {WEBHOOK_CREATE_RESOURCE_VALUES!r}"
    )
