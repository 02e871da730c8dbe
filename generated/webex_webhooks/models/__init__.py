"""Contains all the data models used in inputs/outputs"""

from .error import Error
from .error_detail import ErrorDetail
from .webhook import Webhook
from .webhook_collection import WebhookCollection
from .webhook_create import WebhookCreate
from .webhook_create_event import WebhookCreateEvent
from .webhook_create_resource import WebhookCreateResource
from .webhook_event import WebhookEvent
from .webhook_event_data import WebhookEventData
from .webhook_update import WebhookUpdate
from .webhook_update_status import WebhookUpdateStatus

__all__ = (
    "Error",
    "ErrorDetail",
    "Webhook",
    "WebhookCollection",
    "WebhookCreate",
    "WebhookCreateEvent",
    "WebhookCreateResource",
    "WebhookEvent",
    "WebhookEventData",
    "WebhookUpdate",
    "WebhookUpdateStatus",
)
