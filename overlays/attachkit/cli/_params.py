"""Parameter types and options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

from ._state import State

F = TypeVar("F", bound=Callable[..., Any])


class KeyValue(click.ParamType[tuple[str, str], str | tuple[str, str]]):
    """`key=value` into a `(key, value)` pair; the value may itself contain `=` and may be empty."""

    name = "key=value"

    def convert(
        self, value: str | tuple[str, str], param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, str]:
        """Split at the first `=`; a missing `=` or an empty key is a usage error."""
        if isinstance(value, tuple):
            return value  # click's contract: convert() must accept an already converted value
        key, sep, rest = value.partition("=")
        if not sep or not key.strip():
            self.fail(f"{value!r} is not key=value", param, ctx)
        return key.strip(), rest


KEY_VALUE = KeyValue()


def as_dict(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Pairs from a repeated `key=value` option as a dict; a key given twice keeps its last value."""
    return dict(pairs)


def _switch_on_json(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    state = ctx.find_object(State)
    if value and state is not None:
        state.output.json_mode = True


def json_option(command: F) -> F:
    """`--json` on a command, the same as the global `attachkit --json`, so it may go at either end."""
    return click.option(
        "--json",
        is_flag=True,
        expose_value=False,
        callback=_switch_on_json,
        help="Print the result as JSON on stdout (the same as `attachkit --json ...`).",
    )(command)
