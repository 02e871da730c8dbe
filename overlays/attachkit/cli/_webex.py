"""`attachkit webex ...`: the card loop from the command line: post messages (a card, a file), register webhooks,
receive and verify their events (`listen`), submit and read card actions, and download files through malware scanning.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, TypeVar
from urllib.parse import unquote, urlsplit

import click

from .._environment import WEBEX as WEBEX_ENV
from .._generated.webex_webhooks.models import Webhook
from .._streams import _UMASK
from ..errors import LockedError, PreconditionRequiredError
from ..webex import WebexClient
from ..webex._messages import CARD_CONTENT_TYPE, DEFAULT_SCAN_WAIT
from ._errors import CommandError, ExitCode
from ._listen import SECRET_ENV, listen, secret_option
from ._params import KEY_VALUE, as_dict, json_option
from ._progress import transfer
from ._state import State, pass_state
from ._talkdesk import _file_name

F = TypeVar("F", bound=Callable[..., Any])


@click.group()
@click.option(
    "--token",
    metavar="TOKEN",
    help="Access token; prefer the variable, which stays out of shell history. [env: WEBEX_ACCESS_TOKEN]",
)
@click.option(
    "--base-url", metavar="URL", help="Override https://webexapis.com/v1, e.g. the mock. [env: WEBEX_BASE_URL]"
)
@pass_state
def webex(state: State, token: str | None, base_url: str | None) -> None:
    """Webex messages with cards and files, webhooks, card actions and file downloads.

    The token comes from --token or WEBEX_ACCESS_TOKEN (the variable the SDK reads) and is never printed;
    nor is a webhook's secret (--secret or WEBEX_WEBHOOK_SECRET).

    \b
    Examples:
      read -rs WEBEX_ACCESS_TOKEN && export WEBEX_ACCESS_TOKEN
      attachkit webex message send --room-id "$ROOM" --text "Rate us" --card card.json
      attachkit webex webhook ensure --name cards --target-url "$URL" --resource attachmentActions --event created
      attachkit webex listen --port 8000
      attachkit webex action get "$ACTION_ID"
      attachkit webex download "$CONTENT_URL" -o ~/Downloads/
    """
    state.output.add_secret(token)
    state.output.add_secret(os.environ.get(WEBEX_ENV["access_token"]))
    state.output.add_secret(os.environ.get(SECRET_ENV))
    # None means "not given": the SDK then reads the variable, so there is one source of truth.
    state.webex = functools.partial(WebexClient, access_token=token, base_url=base_url)


webex.add_command(listen)


@webex.group()
def action() -> None:
    """Submit a card action, or read one.

    \b
    Examples:
      attachkit webex action create "$MESSAGE_ID" --input Name=Ada --input Rating=5
      attachkit webex action get "$ACTION_ID" --json
    """


def _inputs(pairs: tuple[tuple[str, str], ...], inputs_json: IO[str] | None) -> dict[str, Any]:
    """The card inputs from exactly one of `--input` or `--inputs-json`."""
    if pairs and inputs_json is not None:
        raise click.UsageError("give the inputs with --input or with --inputs-json, not both")
    if inputs_json is None:
        if not pairs:
            raise click.UsageError("give the card's inputs with --input KEY=VALUE or --inputs-json FILE")
        return as_dict(pairs)
    try:
        data = json.load(inputs_json)
    except ValueError as exc:
        raise click.BadParameter(f"not JSON: {exc}", param_hint="'--inputs-json'") from exc
    if not isinstance(data, dict):
        raise click.BadParameter("must be a JSON object of input ids to values", param_hint="'--inputs-json'")
    return data


@action.command()
@click.argument("message_id")
@click.option("--input", "pairs", multiple=True, type=KEY_VALUE, help="A card input (a string value); repeat for more.")
@click.option(
    "--inputs-json",
    type=click.File("r", encoding="utf-8"),
    metavar="FILE",
    help="The inputs as one JSON object, from FILE or `-` for stdin (for values that are not strings).",
)
@json_option
@pass_state
def create(state: State, message_id: str, pairs: tuple[tuple[str, str], ...], inputs_json: IO[str] | None) -> None:
    """Submit a card action on the message MESSAGE_ID and print the action.

    \b
    Examples:
      attachkit webex action create "$MESSAGE_ID" --input Name=Ada --input Rating=5
      echo '{"Name": "Ada", "Agree": true}' | attachkit webex action create "$MESSAGE_ID" --inputs-json -
    """
    inputs = _inputs(pairs, inputs_json)
    with state.webex_client() as wx:
        created = wx.attachment_actions.create(message_id=message_id, inputs=inputs)
    # A 204 carries no action: say so rather than print nothing.
    state.output.result(created.to_dict() if created is not None else {"accepted": True, "action": None})


@action.command()
@click.argument("action_id", metavar="ID")
@json_option
@pass_state
def get(state: State, action_id: str) -> None:
    """Print the card action ID: who submitted it, on which message, and its inputs.

    \b
    Examples:
      attachkit webex action get "$ACTION_ID"
      attachkit webex action get "$ACTION_ID" --json | jq .inputs
    """
    with state.webex_client() as wx:
        found = wx.attachment_actions.get(action_id)
    state.output.result(found.to_dict())


# --- messages ------------------------------------------------------------------------------------------------------


@webex.group()
def message() -> None:
    """Post a message (text, an Adaptive Card or a file), read one, delete one.

    \b
    Examples:
      attachkit webex message send --room-id "$ROOM" --text "Rate us" --card card.json
      attachkit webex message send --to-person-email ada@example.com --file report.pdf
      attachkit webex message get "$MESSAGE_ID" --json | jq -r '.files[]'
    """


def _card(source: IO[str]) -> dict[str, Any]:
    """The Adaptive Card in `--card`: the card itself, or a Webex attachment that wraps it."""
    try:
        data = json.load(source)
    except ValueError as exc:
        raise click.BadParameter(f"not JSON: {exc}", param_hint="'--card'") from exc
    if not isinstance(data, dict):
        raise click.BadParameter("must be a JSON object: an Adaptive Card", param_hint="'--card'")
    # Webex's own examples show the attachment ({"contentType": ..., "content": card}): take that too.
    if data.get("contentType") == CARD_CONTENT_TYPE and isinstance(data.get("content"), dict):
        return dict(data["content"])
    return data


@message.command()
@click.option("--room-id", metavar="ID", help="The room to post to.")
@click.option("--to-person-id", metavar="ID", help="Or the person to message directly, by id.")
@click.option("--to-person-email", metavar="ADDRESS", help="Or the person to message directly, by email address.")
@click.option("--text", help="The text (at most 7,439 bytes); with a card, what clients without cards show.")
@click.option("--markdown", help="The text as Markdown (at most 7,439 bytes).")
@click.option("--parent-id", metavar="ID", help="Reply in the thread of this message.")
@click.option(
    "--card",
    type=click.File("r", encoding="utf-8"),
    metavar="FILE",
    help="An Adaptive Card as JSON, from FILE or `-` for stdin (the card, or a Webex attachment holding it).",
)
# Not `exists=True`: the SDK checks the file before sending anything and reports it as one line (exit 2).
@click.option(
    "--file",
    type=click.Path(readable=False, allow_dash=True),
    metavar="PATH",
    help="A file to attach (at most 100 MB), streamed; `-` reads stdin (then --file-name is required).",
)
@click.option("--file-name", metavar="NAME", help="The file's name in Webex. Default: its own name.")
@click.option("--content-type", metavar="MIME", help="The file's MIME type. Default: guessed from its name.")
@json_option
@pass_state
def send(
    state: State,
    room_id: str | None,
    to_person_id: str | None,
    to_person_email: str | None,
    text: str | None,
    markdown: str | None,
    parent_id: str | None,
    card: IO[str] | None,
    file: str | None,
    file_name: str | None,
    content_type: str | None,
) -> None:
    """Post a message to a room or a person, and print it (its id, and the content URLs of its file).

    A message carries one card or one file, not both. Its `files` are the URLs `attachkit webex download` takes.

    \b
    Examples:
      attachkit webex message send --room-id "$ROOM" --markdown "**Hello**"
      attachkit webex message send --room-id "$ROOM" --text "Rate us" --card card.json
      attachkit webex message send --to-person-email ada@example.com --file report.pdf
      tar cz logs | attachkit webex message send --room-id "$ROOM" --file - --file-name logs.tgz
    """
    targets = [
        flag
        for flag, value in (
            ("--room-id", room_id),
            ("--to-person-id", to_person_id),
            ("--to-person-email", to_person_email),
        )
        if value is not None
    ]
    if len(targets) != 1:
        raise click.UsageError(
            "give where the message goes with one of --room-id, --to-person-id or --to-person-email"
            + (f", not {' and '.join(targets)}" if targets else "")
        )
    content = _card(card) if card is not None else None
    source: Any = None if file is None else click.open_file("-", "rb") if file == "-" else file
    with state.webex_client() as wx:
        posted = wx.messages.create(
            room_id=room_id,
            to_person_id=to_person_id,
            to_person_email=to_person_email,
            text=text,
            markdown=markdown,
            parent_id=parent_id,
            card=content,
            file=source,
            file_name=file_name,
            content_type=content_type,
        )
    state.output.result(posted.to_dict())


@message.command("get")
@click.argument("message_id", metavar="ID")
@json_option
@pass_state
def get_message(state: State, message_id: str) -> None:
    """Print the message ID: its text, its card and the content URLs of its files.

    \b
    Examples:
      attachkit webex message get "$MESSAGE_ID"
      attachkit webex message get "$MESSAGE_ID" --json | jq -r '.files[]'
    """
    with state.webex_client() as wx:
        found = wx.messages.get(message_id)
    state.output.result(found.to_dict())


@message.command("delete")
@click.argument("message_id", metavar="ID")
@json_option
@pass_state
def delete_message(state: State, message_id: str) -> None:
    """Delete the message ID (with its card and its files).

    \b
    Examples:
      attachkit webex message delete "$MESSAGE_ID"
    """
    with state.webex_client() as wx:
        wx.messages.delete(message_id)
    state.output.result({"id": message_id, "deleted": True})


# --- webhooks ------------------------------------------------------------------------------------------------------


@webex.group()
def webhook() -> None:
    """Register where Webex POSTs events (card submissions, messages), and keep it registered.

    A webhook's secret is never printed: a webhook that has one shows `secret: ***`.

    \b
    Examples:
      read -rs WEBEX_WEBHOOK_SECRET && export WEBEX_WEBHOOK_SECRET
      attachkit webex webhook ensure --name cards --target-url https://bot.example.com/hook \\
          --resource attachmentActions --event created
      attachkit webex webhook list
    """


def _shown(hook: Webhook) -> dict[str, Any]:
    """A webhook as printed: everything but its secret, which shows as `***` when it has one."""
    data = hook.to_dict()
    if data.get("secret"):
        data["secret"] = "***"  # noqa: S105 - the mask shown in place of a secret
    return data


def _registration(command: F) -> F:
    """The options `create` and `ensure` share: what a webhook delivers, and where."""
    for decorator in reversed(
        [
            click.option("--name", required=True, help="A name for people reading the list."),
            click.option("--target-url", required=True, metavar="URL", help="Where Webex POSTs the events."),
            click.option(
                "--resource",
                required=True,
                metavar="RESOURCE",
                help="What the events are about: attachmentActions (card submissions), messages, ...",
            ),
            click.option("--event", required=True, metavar="EVENT", help="Which events: created, deleted, all, ..."),
            click.option(
                "--filter", "filter_", metavar="FILTER", help="Narrow the events, e.g. roomId=... (key=value&...)."
            ),
            secret_option("Sign each delivery with this secret, for `listen` or verify_webhook to check."),
        ]
    ):
        command = decorator(command)
    return command


@webhook.command("create")
@_registration
@json_option
@pass_state
def create_webhook(
    state: State, name: str, target_url: str, resource: str, event: str, filter_: str | None, secret: str | None
) -> None:
    """Register a webhook and print it. Running it twice registers two: `ensure` is the one to repeat.

    \b
    Examples:
      attachkit webex webhook create --name cards --target-url https://bot.example.com/hook \\
          --resource attachmentActions --event created --secret "$WEBHOOK_SECRET"
    """
    state.output.add_secret(secret)
    with state.webex_client() as wx:
        hook = wx.webhooks.create(
            name=name, target_url=target_url, resource=resource, event=event, filter=filter_, secret=secret
        )
    state.output.result(_shown(hook))


@webhook.command()
@_registration
@json_option
@pass_state
def ensure(
    state: State, name: str, target_url: str, resource: str, event: str, filter_: str | None, secret: str | None
) -> None:
    """Make sure a webhook delivers these events to --target-url, and print it; safe to run at every start.

    A webhook that already delivers the same events (and filter) to the same URL is kept, and updated when it
    is inactive (Webex deactivates one after repeated failed deliveries), named otherwise, or a secret is given;
    one is created only when none matches.

    \b
    Examples:
      attachkit webex webhook ensure --name cards --target-url https://bot.example.com/hook \\
          --resource attachmentActions --event created
    """
    state.output.add_secret(secret)
    with state.webex_client() as wx:
        hook = wx.webhooks.ensure(
            name=name, target_url=target_url, resource=resource, event=event, filter=filter_, secret=secret
        )
    state.output.result(_shown(hook))


@webhook.command("list")
@click.option("--max", "page_size", type=click.IntRange(min=1), metavar="N", help="Page size (every page is read).")
@click.option("--owned-by", metavar="OWNER", help="Only the webhooks of this owner, e.g. org.")
@json_option
@pass_state
def list_webhooks(state: State, page_size: int | None, owned_by: str | None) -> None:
    """Print every webhook, one a line: id, status, resource/event, name, target URL (and filter).

    With --json, one object: `{"items": [...]}`, as Webex lists them.

    \b
    Examples:
      attachkit webex webhook list
      attachkit webex webhook list --json | jq -r '.items[] | select(.status == "inactive") | .id'
    """
    with state.webex_client() as wx:
        hooks = wx.webhooks.list(max=page_size, owned_by=owned_by)
    if state.output.json_mode:
        state.output.result({"items": [_shown(hook) for hook in hooks]})
        return
    for hook in hooks:
        shown = _shown(hook)
        fields = [shown["id"], shown.get("status") or "-", f"{shown.get('resource')}/{shown.get('event')}"]
        fields += [shown.get("name") or "-", shown.get("targetUrl") or "-"]
        if shown.get("filter"):
            fields.append(shown["filter"])
        state.output.line("  ".join(str(field) for field in fields))
    if not hooks:
        state.output.note("no webhooks")


@webhook.command("get")
@click.argument("webhook_id", metavar="ID")
@json_option
@pass_state
def get_webhook(state: State, webhook_id: str) -> None:
    """Print the webhook ID, with its status (inactive after repeated failed deliveries).

    \b
    Examples:
      attachkit webex webhook get "$WEBHOOK_ID"
    """
    with state.webex_client() as wx:
        hook = wx.webhooks.get(webhook_id)
    state.output.result(_shown(hook))


@webhook.command("update")
@click.argument("webhook_id", metavar="ID")
@click.option("--name", help="A new name. Default: the current one.")
@click.option("--target-url", metavar="URL", help="A new target URL. Default: the current one.")
@secret_option("A new secret to sign deliveries with. Default: the current one.")
@click.option(
    "--status", type=click.Choice(["active", "inactive"]), help="active reactivates a webhook Webex deactivated."
)
@json_option
@pass_state
def update_webhook(
    state: State,
    webhook_id: str,
    name: str | None,
    target_url: str | None,
    secret: str | None,
    status: str | None,
) -> None:
    """Change the webhook ID and print it. Webex needs the name and target URL on every update: the current
    ones are read first when not given.

    \b
    Examples:
      attachkit webex webhook update "$WEBHOOK_ID" --status active
      attachkit webex webhook update "$WEBHOOK_ID" --target-url https://bot.example.com/new-hook
    """
    state.output.add_secret(secret)
    with state.webex_client() as wx:
        if name is None or target_url is None:
            current = wx.webhooks.get(webhook_id).to_dict()
            name = str(current.get("name", "")) if name is None else name
            target_url = str(current.get("targetUrl", "")) if target_url is None else target_url
        hook = wx.webhooks.update(webhook_id, name=name, target_url=target_url, secret=secret, status=status)
    state.output.result(_shown(hook))


@webhook.command("delete")
@click.argument("webhook_id", metavar="ID")
@json_option
@pass_state
def delete_webhook(state: State, webhook_id: str) -> None:
    """Delete the webhook ID: Webex stops sending its events.

    \b
    Examples:
      attachkit webex webhook delete "$WEBHOOK_ID"
    """
    with state.webex_client() as wx:
        wx.webhooks.delete(webhook_id)
    state.output.result({"id": webhook_id, "deleted": True})


# --- downloads -----------------------------------------------------------------------------------------------------

# RFC 6266 parameters after the disposition type: a token name, then a token or a quoted string.
_PARAM = re.compile(r';\s*([!#$%&\'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def disposition_name(value: str | None) -> str | None:
    """The file name a Content-Disposition header gives: `filename*` (RFC 5987, UTF-8 or Latin-1) when it can
    be read, else `filename`; None when there is none, or it holds a control character."""
    if not value:
        return None
    params: dict[str, str] = {}
    for match in _PARAM.finditer(value):
        raw = match[2].strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        params.setdefault(match[1].lower(), raw)
    names = []
    charset, _, rest = params.get("filename*", "").partition("'")
    _, quoted, encoded = rest.partition("'")
    if quoted and charset.lower() in ("utf-8", "iso-8859-1"):
        with contextlib.suppress(UnicodeDecodeError):
            names.append(unquote(encoded, encoding=charset, errors="strict"))
    names.append(params.get("filename", ""))
    for name in names:
        if name and not any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
            return name
    return None


def _content_id(url_or_id: str) -> str:
    """The content id in a content URL (the SDK has checked it by then), or the id itself."""
    if "://" not in url_or_id:
        return url_or_id
    return unquote(urlsplit(url_or_id).path.rsplit("/", 1)[-1])


def _place(tmp: Path, target: Path, force: bool) -> None:
    """Move the finished download to `target`; an existing file there is replaced only with `force`."""
    exists = CommandError(f"{str(target)!r} already exists; pass --force to replace it, or -o to write elsewhere")
    if force:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)  # fails if anything has that name, even a dangling link: no window for a race
    except FileExistsError:
        raise exists from None
    except OSError:  # a file system without hard links: check, then rename
        if os.path.lexists(target):
            raise exists from None
        os.replace(tmp, target)
        return
    tmp.unlink()


@contextlib.contextmanager
def _scan_errors(max_scan_wait: float) -> Iterator[None]:
    """Around a download: Webex's scanning answers said in the command line's terms."""
    try:
        yield
    except PreconditionRequiredError as exc:
        text = str(exc)
        hint = "--allow-unscannable"
        message = (
            text.replace("allow_unscannable=True", hint)
            if "allow_unscannable=True" in text
            else (f"{text}; pass {hint} to download it anyway")
        )
        raise CommandError(message, ExitCode.ERROR) from exc
    except LockedError as exc:
        raise CommandError(
            f"{exc}; the file was still being scanned for malware after {max_scan_wait:g} s: try again later, "
            "or wait longer with --max-scan-wait",
            ExitCode.ERROR,
        ) from exc


@webex.command()
@click.argument("url_or_id", metavar="URL_OR_ID")
@click.option(
    "-o",
    "--output",
    "output_path",
    type=click.Path(),
    help="File or folder to write to; `-` writes the bytes to stdout. Default: the file's name, here.",
)
@click.option("--force", is_flag=True, help="Replace an existing file that has the file's name.")
@click.option(
    "--allow-unscannable",
    is_flag=True,
    help="Download a file Webex cannot scan for malware (an encrypted archive, say); only if you trust its sender.",
)
@click.option(
    "--max-scan-wait",
    type=click.FloatRange(min=0),
    default=DEFAULT_SCAN_WAIT,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait while Webex scans the file for malware (it answers 423 meanwhile).",
)
@json_option
@pass_state
def download(
    state: State, url_or_id: str, output_path: str | None, force: bool, allow_unscannable: bool, max_scan_wait: float
) -> None:
    """Download a message's file: a content URL (from the message's `files`) or a content id.

    Webex scans each file for malware first: the download waits while it does (up to --max-scan-wait), fails
    with exit 1 for a file found infected (410), and for one that cannot be scanned (428) unless
    --allow-unscannable is given. The file appears only once every byte has arrived, with a progress bar on a
    terminal. Without -o, or when -o names a folder, it gets the name Webex sends with it (Content-Disposition),
    or the content id when there is none; an existing file of that name is left alone unless --force is given
    (the name arrives with the bytes, so the download is discarded). A file path given to -o is replaced.

    \b
    Examples:
      attachkit webex download "$CONTENT_URL"
      attachkit webex download "$CONTENT_URL" -o ~/Downloads/ --force
      attachkit webex download "$CONTENT_URL" -o - --allow-unscannable > archive.zip
    """
    options: dict[str, Any] = {"allow_unscannable": allow_unscannable, "max_scan_wait": max_scan_wait}
    if output_path == "-":
        if state.output.json_mode:
            raise click.UsageError("--json cannot be combined with -o - (the file's bytes are the output)")
        with state.webex_client() as wx, _scan_errors(max_scan_wait):
            wx.contents.download(url_or_id, click.open_file("-", "wb"), **options)
        return
    if output_path is not None and not Path(output_path).is_dir():
        if output_path.endswith(("/", os.sep)):
            # Path() drops the trailing slash: without this, `-o new/` would write a file named `new`.
            raise CommandError(f"folder {output_path!r} does not exist")
        target = Path(output_path)  # named by the user: replaced, like `cp` or `curl -o` would
        with (
            state.webex_client() as wx,
            _scan_errors(max_scan_wait),
            transfer(f"download {target.name}", enabled=state.output.interactive) as progress,
        ):
            # The SDK writes to a temporary file beside the target and renames it only when complete.
            written = wx.contents.download(url_or_id, target, progress=progress, **options)
    else:
        target, written = _download_named(state, url_or_id, Path(output_path or "."), force, options)
    state.output.result({"id": _content_id(url_or_id), "path": str(target), "bytes": written})


def _download_named(
    state: State, url_or_id: str, folder: Path, force: bool, options: Mapping[str, Any]
) -> tuple[Path, int]:
    """Download into `folder` under the name Webex sends with the bytes; the file appears once complete.

    The name comes in the answer's Content-Disposition, so the bytes go to a temporary file in the folder first
    (on the same file system, for the rename); no extra request is made to learn the name.
    """
    fd, name = tempfile.mkstemp(prefix=".attachkit-", suffix=".part", dir=folder)
    tmp = Path(name)
    try:
        with (
            os.fdopen(fd, "wb") as file,
            state.webex_client() as wx,
            _scan_errors(options["max_scan_wait"]),
            transfer("download", enabled=state.output.interactive) as progress,
        ):
            raw = wx.with_raw_response.contents.download(url_or_id, file, progress=progress, **options)
        written = raw.parse()
        given = disposition_name(raw.headers.get("content-disposition"))
        target = folder / _file_name(given or "", _content_id(url_or_id))
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp made it 0600; give it the mode a plain open() would have
        _place(tmp, target, force)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target, written
