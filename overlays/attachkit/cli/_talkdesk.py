"""`attachkit talkdesk ...`: Talkdesk Attachments (upload, get, download, download-link) and Digital Connect
(start, send)."""

from __future__ import annotations

import functools
import os
from pathlib import Path, PurePosixPath
from typing import Any

import attrs
import click

from .._environment import TALKDESK as TALKDESK_ENV
from ..errors import ConflictError
from ..talkdesk import REGIONS, TalkdeskClient
from ..talkdesk._regions import region as find_region
from ..talkdesk.models import Attachment
from ._errors import CommandError, ExitCode
from ._params import KEY_VALUE, as_dict, json_option
from ._progress import transfer
from ._state import State, pass_state


@click.group()
@click.option("--account", metavar="NAME", help="Talkdesk account name; names the token host. [env: TALKDESK_ACCOUNT]")
@click.option("--client-id", metavar="ID", help="OAuth client id. [env: TALKDESK_CLIENT_ID]")
@click.option(
    "--client-secret",
    metavar="SECRET",
    help="OAuth client secret; prefer the variable, which stays out of shell history. [env: TALKDESK_CLIENT_SECRET]",
)
@click.option(
    "--region",
    type=click.Choice(sorted(REGIONS), case_sensitive=False),
    help="API gateway and token host region (default us). [env: TALKDESK_REGION]",
)
@click.option("--base-url", metavar="URL", help="Override the API gateway, e.g. the mock. [env: TALKDESK_BASE_URL]")
@click.option("--token-url", metavar="URL", help="Override the OAuth token endpoint. [env: TALKDESK_TOKEN_URL]")
@pass_state
def talkdesk(
    state: State,
    account: str | None,
    client_id: str | None,
    client_secret: str | None,
    region: str | None,
    base_url: str | None,
    token_url: str | None,
) -> None:
    """Talkdesk Attachments and Digital Connect.

    Credentials come from the flags or, when a flag is absent, from the TALKDESK_* variables
    (the same ones the SDK reads). The client secret is never printed.

    \b
    Examples:
      export TALKDESK_ACCOUNT=acme TALKDESK_CLIENT_ID=my-client
      read -rs TALKDESK_CLIENT_SECRET && export TALKDESK_CLIENT_SECRET
      attachkit talkdesk upload invoice.pdf
      attachkit talkdesk --region eu get 4f1c0e1a
    """
    state.output.add_secret(client_secret)
    state.output.add_secret(os.environ.get(TALKDESK_ENV["client_secret"]))
    # None means "not given": the SDK then reads the variable, so there is one source of truth.
    state.talkdesk = functools.partial(
        TalkdeskClient,
        account=account,
        client_id=client_id,
        client_secret=client_secret,
        region=None if region is None else find_region(region).name,
        base_url=base_url,
        token_url=token_url,
    )


def upload_file(
    state: State,
    td: TalkdeskClient,
    file: str,
    *,
    name: str | None = None,
    content_type: str | None = None,
    metadata: dict[str, str] | None = None,
) -> Attachment:
    """Upload a path (or `-` for stdin) with a progress bar on a terminal; shared by `upload` and `send`."""
    source: Any = click.open_file("-", "rb") if file == "-" else file
    label = name or ("stdin" if file == "-" else Path(file).name)
    try:
        with transfer(f"upload {label}", enabled=state.output.interactive) as progress:
            return td.attachments.upload(
                source, name=name, content_type=content_type, metadata=metadata, progress=progress
            )
    except ConflictError as exc:
        # Names are unique in the account, so sending the same file twice collides: say how to go on.
        raise CommandError(
            f"{exc}; an attachment named {label!r} exists: attach it by id, or upload under another name "
            "(attachkit talkdesk upload FILE --name NEW)",
            ExitCode.ERROR,
        ) from exc


@talkdesk.command()
# Not `exists=True`: click would report a missing file as a usage message plus help lines. The SDK checks it
# before sending anything and raises a ValidationError, which the CLI prints as one line (exit 2).
@click.argument("file", type=click.Path(readable=False, allow_dash=True))
@click.option("--name", help="The attachment's name, unique in the account. Default: the file's name.")
@click.option("--type", "content_type", metavar="MIME", help="Its MIME type. Default: guessed from the name.")
@click.option("--metadata", multiple=True, type=KEY_VALUE, help="A metadata entry; repeat for more.")
@json_option
@pass_state
def upload(
    state: State, file: str, name: str | None, content_type: str | None, metadata: tuple[tuple[str, str], ...]
) -> None:
    """Upload FILE and print the new attachment. FILE `-` reads stdin (then --name is required).

    \b
    Examples:
      attachkit talkdesk upload invoice.pdf
      attachkit talkdesk upload scan.bin --name scan-42.png --type image/png --metadata flow_id=f-1
      pg_dump shop | attachkit --json talkdesk upload - --name shop.sql
    """
    with state.talkdesk_client() as td:
        attachment = upload_file(
            state, td, file, name=name, content_type=content_type, metadata=as_dict(metadata) or None
        )
    state.output.result(attachment.to_dict())


@talkdesk.command()
@click.argument("attachment_id", metavar="ID")
@json_option
@pass_state
def get(state: State, attachment_id: str) -> None:
    """Print the attachment ID: name, state, size, type and metadata.

    \b
    Examples:
      attachkit talkdesk get 4f1c0e1a
      attachkit talkdesk get 4f1c0e1a --json | jq .state
    """
    with state.talkdesk_client() as td:
        attachment = td.attachments.get(attachment_id)
    state.output.result(attachment.to_dict())


@talkdesk.command("download-link")
@click.argument("attachment_id", metavar="ID")
@json_option
@pass_state
def download_link(state: State, attachment_id: str) -> None:
    """Print a temporary download URL for the attachment ID.

    Without --json, stdout is the bare URL, so it can be used as $(...); the expiry goes to stderr.

    \b
    Examples:
      attachkit talkdesk download-link 4f1c0e1a
      curl -o invoice.pdf "$(attachkit talkdesk download-link 4f1c0e1a)"
    """
    with state.talkdesk_client() as td:
        link = td.attachments.download_link(attachment_id)
    if state.output.json_mode:
        state.output.result(link.to_dict())
    else:
        state.output.line(link.url)
        state.output.note(f"expires in {link.expire_time} s")


def _file_name(name: str, fallback: str) -> str:
    """A server-given name reduced to one safe path component, so it cannot write outside the folder."""
    for candidate in (name, fallback):
        base = PurePosixPath(candidate.replace("\\", "/")).name
        if base not in ("", ".", "..") and "\x00" not in base:
            return base
    return "attachment"


@talkdesk.command()
@click.argument("attachment_id", metavar="ID")
@click.option(
    "-o",
    "--output",
    "output_path",
    type=click.Path(),
    help="File or folder to write to; `-` writes the bytes to stdout. Default: the attachment's name, here.",
)
@click.option("--force", is_flag=True, help="Replace an existing file that has the attachment's name.")
@json_option
@pass_state
def download(state: State, attachment_id: str, output_path: str | None, force: bool) -> None:
    """Download the attachment ID, with a progress bar on a terminal.

    The file appears only once every byte has arrived. Without -o, or when -o names a folder, the file gets
    the attachment's own name, and an existing file of that name is left alone unless --force is given.
    A file path given to -o is replaced.

    \b
    Examples:
      attachkit talkdesk download 4f1c0e1a
      attachkit talkdesk download 4f1c0e1a -o ~/Downloads/ --force
      attachkit talkdesk download 4f1c0e1a -o - | sha256sum
    """
    if output_path == "-":
        if state.output.json_mode:
            raise click.UsageError("--json cannot be combined with -o - (the file's bytes are the output)")
        with state.talkdesk_client() as td:
            td.attachments.download(attachment_id, click.open_file("-", "wb"))
        return
    if output_path is not None and not Path(output_path).is_dir():
        if output_path.endswith(("/", os.sep)):
            # Path() drops the trailing slash: without this, `-o new/` would write a file named `new`.
            raise CommandError(f"folder {output_path!r} does not exist")
        target: Path | None = Path(output_path)  # named by the user: replaced, like `cp` or `curl -o` would
    else:
        target = None  # the attachment's name, in the folder given or here
    with state.talkdesk_client() as td:
        total: int | None = None
        if target is None:
            attachment = td.attachments.get(attachment_id)
            total = attachment.size if isinstance(attachment.size, int) else None
            target = Path(output_path or ".") / _file_name(attachment.name, attachment_id)
            # The server chose this name, so the user cannot know which of their files it would replace.
            if not force and os.path.lexists(target):  # lexists: a dangling link would be replaced too
                raise CommandError(
                    f"{str(target)!r} already exists; pass --force to replace it, or -o to write elsewhere"
                )
        # The SDK writes to a temporary file beside the target and renames it only when complete.
        with transfer(f"download {target.name}", enabled=state.output.interactive) as progress:
            written = td.attachments.download(
                attachment_id, target, progress=lambda done, size: progress(done, size or total)
            )
    state.output.result({"id": attachment_id, "path": str(target), "bytes": written})


@talkdesk.command()
@click.option("--touchpoint", "touchpoint_id", metavar="ID", help="The touchpoint to start it on.")
@click.option("--subject", help="The conversation's subject.")
@click.option("--email", metavar="ADDRESS", help="The contact's email address.")
@click.option(
    "--idempotency-key",
    metavar="KEY",
    help="Reuse a key to make a retried start find the first conversation. Default: a new random key.",
)
@json_option
@pass_state
def start(
    state: State, touchpoint_id: str | None, subject: str | None, email: str | None, idempotency_key: str | None
) -> None:
    """Start a Digital Connect conversation and print its id.

    \b
    Examples:
      attachkit talkdesk start --touchpoint tp-1 --subject "Invoice question" --email ada@example.com
      CONV=$(attachkit --json talkdesk start --touchpoint tp-1 | jq -r .id)
    """
    with state.talkdesk_client() as td:
        conversation = td.conversations.start(
            touchpoint_id=touchpoint_id,
            subject=subject,
            contact_person={"email": email} if email is not None else None,
            idempotency_key=idempotency_key,
        )
    state.output.result(
        {**conversation.additional_properties, "id": conversation.id, "idempotency_key": conversation.idempotency_key}
    )


def _attachment_ref(state: State, td: TalkdeskClient, value: str) -> Attachment | dict[str, str]:
    """An `--attach` value: an existing file is uploaded first, anything else is an attachment id."""
    path = Path(value)
    if path.is_file():
        attachment = upload_file(state, td, value)
        state.output.note(f"uploaded {value} as attachment {attachment.id}")
        return attachment
    if path.exists():
        raise CommandError(f"--attach: {value!r} exists but is not a file")  # one line, like every other error
    return {"id": value}


@talkdesk.command()
@click.argument("conversation_id")
@click.option("--content", metavar="TEXT", help="The message text; a message may carry only attachments.")
@click.option(
    "--attach",
    multiple=True,
    metavar="FILE_OR_ID",
    help="A file to upload and attach, or the id of an existing attachment; repeat for more.",
)
@click.option(
    "--idempotency-key",
    metavar="KEY",
    help="Sending again with the same key cannot duplicate the message. Default: a new random key (printed).",
)
@json_option
@pass_state
def send(
    state: State, conversation_id: str, content: str | None, attach: tuple[str, ...], idempotency_key: str | None
) -> None:
    """Send a message, with attachments, into the conversation CONVERSATION_ID.

    Files are uploaded first (printing each new attachment id, to reuse if you send again). When Digital
    Connect creates the message but not all of its attachments (HTTP 206), the message is printed, a warning
    naming the reason goes to stderr, and the exit code is 3.

    \b
    Examples:
      attachkit talkdesk send "$CONV" --content "see attached" --attach invoice.pdf
      attachkit talkdesk send "$CONV" --content "again" --attach 4f1c0e1a --idempotency-key retry-7
    """
    with state.talkdesk_client() as td:
        refs = [_attachment_ref(state, td, value) for value in attach]
        sent = td.conversations.send_message(
            conversation_id, content=content, attachments=refs, idempotency_key=idempotency_key
        )
    data = attrs.asdict(sent)
    data["partial"] = sent.partial
    data["attachments"] = [ref.id if isinstance(ref, Attachment) else ref["id"] for ref in refs]
    state.output.result(data)
    if sent.partial:
        state.output.warn(
            f"message {sent.message_id} was created, but not all attachments were: "
            f"{sent.partial_fail_reason or '(no reason given)'}"
        )
        click.get_current_context().exit(ExitCode.PARTIAL)
