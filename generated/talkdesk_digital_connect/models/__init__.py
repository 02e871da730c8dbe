"""Contains all the data models used in inputs/outputs"""

from .contact_person import ContactPerson
from .conversation import Conversation
from .error import Error
from .error_field import ErrorField
from .message import Message
from .message_attachment import MessageAttachment
from .partial_message import PartialMessage
from .previous_message import PreviousMessage
from .send_message_request import SendMessageRequest
from .start_conversation_request import StartConversationRequest
from .start_conversation_request_context_parameters import (
    StartConversationRequestContextParameters,
)

__all__ = (
    "ContactPerson",
    "Conversation",
    "Error",
    "ErrorField",
    "Message",
    "MessageAttachment",
    "PartialMessage",
    "PreviousMessage",
    "SendMessageRequest",
    "StartConversationRequest",
    "StartConversationRequestContextParameters",
)
