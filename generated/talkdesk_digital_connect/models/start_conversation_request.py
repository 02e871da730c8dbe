from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.contact_person import ContactPerson
    from ..models.previous_message import PreviousMessage
    from ..models.start_conversation_request_context_parameters import (
        StartConversationRequestContextParameters,
    )


T = TypeVar("T", bound="StartConversationRequest")


@_attrs_define
class StartConversationRequest:
    """The conversation to start. The reference page shows this body by example only and marks no field required, so none
    is required here."""

    touchpoint_id: str | Unset = UNSET
    """The touchpoint the conversation arrives on (the documented example is `my-touchpoint-id`). Not marked
    required on the page. At least one character when sent, because the empty string names no touchpoint; no upper
    bound is documented."""
    subject: str | Unset = UNSET
    """What the contact wants to talk about."""
    contact_person: ContactPerson | Unset = UNSET
    """Who the contact is. The documented example carries only `email`; other keys are allowed."""
    context_parameters: StartConversationRequestContextParameters | Unset = UNSET
    """Free-form context shown to the agent: any keys, any JSON values (the documented example uses `contact_name`,
    `contact_phone`, `contact_reason` and `website_location`, all strings)."""
    previous_messages: list[PreviousMessage] | Unset = UNSET
    """Earlier messages of the exchange, to give the agent the history."""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        touchpoint_id = self.touchpoint_id

        subject = self.subject

        contact_person: dict[str, Any] | Unset = UNSET
        if not isinstance(self.contact_person, Unset):
            contact_person = self.contact_person.to_dict()

        context_parameters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.context_parameters, Unset):
            context_parameters = dict(self.context_parameters)

        previous_messages: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.previous_messages, Unset):
            previous_messages = []
            for previous_messages_item_data in self.previous_messages:
                previous_messages_item = previous_messages_item_data.to_dict()
                previous_messages.append(previous_messages_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if touchpoint_id is not UNSET:
            field_dict["touchpoint_id"] = touchpoint_id
        if subject is not UNSET:
            field_dict["subject"] = subject
        if contact_person is not UNSET:
            field_dict["contact_person"] = contact_person
        if context_parameters is not UNSET:
            field_dict["context_parameters"] = context_parameters
        if previous_messages is not UNSET:
            field_dict["previous_messages"] = previous_messages

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.contact_person import ContactPerson
        from ..models.previous_message import PreviousMessage
        from ..models.start_conversation_request_context_parameters import (
            StartConversationRequestContextParameters,
        )

        d = dict(src_dict)
        touchpoint_id = d.pop("touchpoint_id", UNSET)

        subject = d.pop("subject", UNSET)

        _contact_person = d.pop("contact_person", UNSET)
        contact_person: ContactPerson | Unset
        if isinstance(_contact_person, Unset):
            contact_person = UNSET
        else:
            contact_person = ContactPerson.from_dict(_contact_person)

        _context_parameters = d.pop("context_parameters", UNSET)
        context_parameters: StartConversationRequestContextParameters | Unset
        if isinstance(_context_parameters, Unset):
            context_parameters = UNSET
        else:
            context_parameters = StartConversationRequestContextParameters(
                _context_parameters
            )

        _previous_messages = d.pop("previous_messages", UNSET)
        previous_messages: list[PreviousMessage] | Unset = UNSET
        if _previous_messages is not UNSET:
            previous_messages = []
            for previous_messages_item_data in _previous_messages:
                previous_messages_item = PreviousMessage.from_dict(
                    previous_messages_item_data
                )

                previous_messages.append(previous_messages_item)

        start_conversation_request = cls(
            touchpoint_id=touchpoint_id,
            subject=subject,
            contact_person=contact_person,
            context_parameters=context_parameters,
            previous_messages=previous_messages,
        )

        start_conversation_request.additional_properties = d
        return start_conversation_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
