"""Free-form context shown to the agent: any keys, any JSON values (the documented example uses `contact_name`,
`contact_phone`, `contact_reason` and `website_location`, all strings)."""

from typing import Any, TypeAlias

StartConversationRequestContextParameters: TypeAlias = dict[str, Any]
"""Free-form context shown to the agent: any keys, any JSON values (the documented example uses `contact_name`,
`contact_phone`, `contact_reason` and `website_location`, all strings)."""
