"""The Adaptive Card itself (`{"type": "AdaptiveCard", "version": "1.3", "body": [...], "actions": [...]}`): any JSON
object. Its schema is Microsoft's (adaptivecards.io), versioned apart from Webex's API, and Webex renders the
versions and elements it supports, so nothing here constrains it."""

from typing import Any, TypeAlias

AdaptiveCard: TypeAlias = dict[str, Any]
"""The Adaptive Card itself (`{"type": "AdaptiveCard", "version": "1.3", "body": [...], "actions": [...]}`): any JSON
object. Its schema is Microsoft's (adaptivecards.io), versioned apart from Webex's API, and Webex renders the
versions and elements it supports, so nothing here constrains it."""
