"""Free-form metadata. The documented example carries flow_id, name, size and type."""

from typing import Any, TypeAlias

Metadata: TypeAlias = dict[str, Any]
"""Free-form metadata. The documented example carries flow_id, name, size and type."""
