"""Free-form context shown to the agent (the documented example uses string values)."""

from typing import Any, TypeAlias

StartConversationRequestContextParameters: TypeAlias = dict[str, Any]
"""Free-form context shown to the agent (the documented example uses string values)."""
