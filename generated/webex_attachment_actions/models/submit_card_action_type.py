from typing import Literal

SubmitCardActionType = Literal["submit"]

SUBMIT_CARD_ACTION_TYPE_VALUES: set[SubmitCardActionType] = {
    "submit",
}


def check_submit_card_action_type(value: str) -> SubmitCardActionType:
    if value in SUBMIT_CARD_ACTION_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {SUBMIT_CARD_ACTION_TYPE_VALUES!r}"
    )
