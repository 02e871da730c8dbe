"""Webex Attachment Actions: create (200, or 202 by configuration) and get; and the ids every Webex handler shares.

Creating an action for a message the mock holds puts the action in that message's room, and schedules the
``attachmentActions``/``created`` webhook deliveries (whose ``data`` carries the action's id, not its inputs).
"""

from __future__ import annotations

import base64
import hashlib
import uuid

from ._clock import iso_millis
from ._config import MockConfig
from ._dialects import Problem
from ._handlers import Call, Handler, Reply, not_found
from ._state import Action


def webex_id(kind: str, value: uuid.UUID) -> str:
    """A Webex-style opaque id: base64 of ``ciscospark://us/KIND/uuid``, without padding."""
    return base64.urlsafe_b64encode(f"ciscospark://us/{kind}/{value}".encode()).decode().rstrip("=")


def derived_uuid(name: str) -> uuid.UUID:
    """A name-based UUID (like uuid5) that also takes strings no codec can encode, such as lone surrogates."""
    digest = hashlib.sha1(name.encode("utf-8", "surrogatepass"), usedforsecurity=False).digest()
    return uuid.UUID(bytes=digest[:16], version=5)


def person_id(config: MockConfig) -> str:
    """The person the Webex token belongs to (the bot): the author of its messages, the actor of its events."""
    return webex_id("PEOPLE", derived_uuid("person:" + config.account))


def person_email(config: MockConfig) -> str:
    """That person's (bot's) email address."""
    return f"{config.account}@webex.bot"


def org_id(config: MockConfig) -> str:
    """The organisation of the token's person."""
    return webex_id("ORGANIZATION", derived_uuid("org:" + config.account))


def app_id(config: MockConfig) -> str:
    """The application (integration or bot) the token was issued to."""
    return webex_id("APPLICATION", derived_uuid("app:" + config.account))


def _resource(action: Action) -> dict[str, object]:
    return {
        "id": action.id,
        "personId": action.person_id,
        "roomId": action.room_id,
        "type": action.type,
        "messageId": action.message_id,
        "inputs": dict(action.inputs),
        "created": action.created,
    }


def create_attachment_action(call: Call) -> Reply | Problem:
    """``POST /attachment/actions``: echo the submission with its new id, person, room and time."""
    message_id: str = call.body["messageId"]
    with call.services.state.transaction() as store:
        message = store.webex_messages.get(message_id)
        action = Action(
            id=webex_id("ATTACHMENT_ACTION", uuid.uuid4()),
            type=call.body["type"],
            message_id=message_id,
            inputs=call.body["inputs"],
            # Stable, derived ids: the same token is the same person, the same message lives in the same room
            # (the message's own, when the mock holds it).
            person_id=person_id(call.services.config),
            room_id=message.room_id if message else webex_id("ROOM", derived_uuid("room:" + message_id)),
            created=iso_millis(call.services.clock.now()),
        )
        store.actions[action.id] = action
    data = {k: v for k, v in _resource(action).items() if k != "inputs"}  # the webhook carries no inputs
    call.services.deliverer.publish("attachmentActions", "created", data, action.person_id)
    return Reply(call.services.config.webex_create_status, _resource(action))


def get_attachment_action(call: Call) -> Reply | Problem:
    """``GET /attachment/actions/{id}``."""
    action = call.services.state.actions.get(call.path_params["id"])
    if action is None:
        return not_found("The requested resource could not be found.")
    return Reply(200, _resource(action))


HANDLERS: dict[str, Handler] = {
    "create_attachment_action": create_attachment_action,
    "get_attachment_action": get_attachment_action,
}
