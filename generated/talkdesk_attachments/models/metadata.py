"""Free-form metadata: any keys, any JSON values. The documented example carries `flow_id`, `name`, `size` and `type`;
no key is documented as required or reserved."""

from typing import Any, TypeAlias

Metadata: TypeAlias = dict[str, Any]
"""Free-form metadata: any keys, any JSON values. The documented example carries `flow_id`, `name`, `size` and `type`;
no key is documented as required or reserved."""
