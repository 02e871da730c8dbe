"""The attachment action's inputs: the card's input ids mapped to the values submitted, any key and any JSON value
(Adaptive Cards submit strings, but nothing documented limits the values to strings). The page lists `Name`, `Url`,
`Email` and `Tel`: the input ids of its sample card, shown in the example."""

from typing import Any, TypeAlias

Inputs: TypeAlias = dict[str, Any]
"""The attachment action's inputs: the card's input ids mapped to the values submitted, any key and any JSON value
(Adaptive Cards submit strings, but nothing documented limits the values to strings). The page lists `Name`, `Url`,
`Email` and `Tel`: the input ids of its sample card, shown in the example."""
