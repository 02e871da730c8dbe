"""`attachkit talkdesk ...` against the mock: upload, get, download, download-link, start, send."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx
import pytest

from attachkit.testing import MockServer

from .conftest import Run, error_line


def a_file(folder: Path, data: bytes = b"hello, attachkit\n", suffix: str = ".txt") -> Path:
    """A file with a name no other test uses (attachment names are unique on the server)."""
    path = folder / f"file-{uuid.uuid4().hex[:12]}{suffix}"
    path.write_bytes(data)
    return path


def uploaded(run: Run, folder: Path, data: bytes = b"hello, attachkit\n") -> dict[str, object]:
    """Upload a new file through the CLI and return the attachment it printed."""
    attachment: dict[str, object] = run.json("talkdesk", "upload", str(a_file(folder, data)))
    return attachment


# upload ----------------------------------------------------------------------------------------------------------


def test_upload_prints_the_attachment_as_json(run: Run, mock: MockServer, tmp_path: Path) -> None:
    path = a_file(tmp_path, b"%PDF-1.7 invoice", ".pdf")
    out = run.json("talkdesk", "upload", str(path), "--metadata", "flow_id=f-1", "--metadata", "note=a=b")
    assert out["name"] == path.name
    assert out["size"] == 16
    assert out["type"] == "application/pdf"
    assert out["metadata"] == {"flow_id": "f-1", "note": "a=b"}
    assert mock.state.attachments[out["id"]].path.read_bytes() == b"%PDF-1.7 invoice"


def test_upload_takes_name_and_type(run: Run, mock: MockServer, tmp_path: Path) -> None:
    name = f"scan-{uuid.uuid4().hex[:8]}.png"
    out = run.json("talkdesk", "upload", str(a_file(tmp_path, suffix=".bin")), "--name", name, "--type", "image/png")
    assert (out["name"], out["type"]) == (name, "image/png")
    assert mock.state.attachments[out["id"]].type == "image/png"


def test_upload_human_output_is_key_value_lines(run: Run, tmp_path: Path) -> None:
    path = a_file(tmp_path)
    result = run("talkdesk", "upload", str(path), "--metadata", "flow_id=f-9")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert f"name: {path.name}" in lines
    assert "metadata.flow_id: f-9" in lines
    assert any(line.startswith("id: ") for line in lines)
    assert result.stderr == ""  # no progress bar: stderr is not a terminal


def test_upload_reads_stdin_with_a_name(run: Run, mock: MockServer) -> None:
    name = f"piped-{uuid.uuid4().hex[:8]}.txt"
    out = run.json("talkdesk", "upload", "-", "--name", name, input=b"from a pipe")
    assert out["name"] == name
    assert mock.state.attachments[out["id"]].path.read_bytes() == b"from a pipe"


def test_upload_from_stdin_without_a_name_is_a_validation_error(run: Run, mock: MockServer) -> None:
    before = mock.state.requests.get("request_upload_link", 0)
    result = run("talkdesk", "upload", "-", input=b"bytes")
    assert result.exit_code == 2
    assert error_line(result).startswith("error: name: is required")
    assert mock.state.requests.get("request_upload_link", 0) == before  # nothing was sent


@pytest.mark.parametrize("file", ["no-such-file.pdf", "a-folder"])
def test_upload_of_a_missing_file_is_one_usage_error_line(
    run: Run, mock: MockServer, tmp_path: Path, file: str
) -> None:
    (tmp_path / "a-folder").mkdir()
    before = mock.state.requests.get("request_upload_link", 0)
    result = run("talkdesk", "upload", file)
    assert result.exit_code == 2
    assert f"'{file}'" in error_line(result)  # one line: no usage text, no traceback
    assert result.stdout == ""
    assert mock.state.requests.get("request_upload_link", 0) == before  # nothing was sent


def test_metadata_must_be_key_value(run: Run, tmp_path: Path) -> None:
    result = run("talkdesk", "upload", str(a_file(tmp_path)), "--metadata", "flow_id")
    assert result.exit_code == 2
    assert "'flow_id' is not key=value" in result.stderr


def test_a_taken_name_is_an_api_error(run: Run, tmp_path: Path) -> None:
    path = a_file(tmp_path)
    run.json("talkdesk", "upload", str(path))
    result = run("talkdesk", "upload", str(path))
    assert result.exit_code == 1
    line = error_line(result)
    assert line.startswith("error: 409 from Talkdesk [")
    assert f"an attachment named '{path.name}' exists: attach it by id" in line


def test_send_of_a_file_already_uploaded_exits_1_with_a_hint(run: Run, mock: MockServer, tmp_path: Path) -> None:
    path = a_file(tmp_path)
    run.json("talkdesk", "upload", str(path))
    conv = conversation(run)
    sent_before = len(mock.state.messages)
    result = run("talkdesk", "send", conv, "--content", "hi", "--attach", str(path))
    assert result.exit_code == 1
    assert "attach it by id" in error_line(result)
    assert len(mock.state.messages) == sent_before  # nothing was sent


# get -------------------------------------------------------------------------------------------------------------


def test_get_prints_the_attachment(run: Run, tmp_path: Path) -> None:
    created = uploaded(run, tmp_path)
    assert run.json("talkdesk", "get", str(created["id"])) == created


def test_json_may_follow_the_command(run: Run, tmp_path: Path) -> None:
    created = uploaded(run, tmp_path)
    result = run("talkdesk", "get", str(created["id"]), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == created


def test_get_unknown_id_exits_1_with_one_line(run: Run) -> None:
    result = run("talkdesk", "get", "no-such-attachment")
    assert result.exit_code == 1
    assert result.stdout == ""
    line = error_line(result)
    assert line.startswith("error: 404 from Talkdesk [0000404]: ")
    assert "/attachments/2023-03/no-such-attachment" in line


def test_get_with_a_server_error_names_the_status(run: Run, mock: MockServer) -> None:
    mock.faults.add_spec("get_attachment:503:retry-after=0")
    result = run("talkdesk", "get", "anything")
    assert result.exit_code == 1
    assert error_line(result).startswith("error: 503 from Talkdesk")
    assert mock.state.requests["get_attachment"] >= 3  # the SDK retried before the CLI reported


def test_a_dropped_connection_exits_1(run: Run, mock: MockServer) -> None:
    mock.faults.add_spec("get_attachment:drop-before")
    result = run("talkdesk", "get", "anything")
    assert result.exit_code == 1
    assert "connection" in error_line(result).lower()


def test_wrong_client_secret_flag_is_refused_and_never_printed(run: Run) -> None:
    wrong = "s3cr3t-" + uuid.uuid4().hex
    run.secrets.append(wrong)  # the runner asserts it appears nowhere
    result = run("talkdesk", "--client-secret", wrong, "get", "x")
    assert result.exit_code == 1
    assert error_line(result).startswith("error: 401 from Talkdesk OAuth")


def test_missing_credentials_are_a_validation_error(run: Run) -> None:
    result = run("talkdesk", "get", "x", env={"TALKDESK_CLIENT_ID": None})
    assert result.exit_code == 2
    assert error_line(result).startswith("error: client_id: is required")


def test_flags_override_the_environment(run: Run, mock: MockServer, tmp_path: Path) -> None:
    created = uploaded(run, tmp_path)
    env = {name: None for name in run.env if name.startswith("TALKDESK_")}
    kwargs = mock.talkdesk_kwargs()
    result = run(
        "--json",
        "talkdesk",
        "--client-id",
        kwargs["client_id"],
        "--client-secret",
        kwargs["client_secret"],
        "--base-url",
        kwargs["base_url"],
        "--token-url",
        kwargs["token_url"],
        "get",
        str(created["id"]),
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == created["id"]


# download-link and download --------------------------------------------------------------------------------------


def test_download_link_prints_a_bare_url(run: Run, tmp_path: Path) -> None:
    created = uploaded(run, tmp_path, b"linked bytes")
    result = run("talkdesk", "download-link", str(created["id"]))
    assert result.exit_code == 0
    assert result.stderr == "expires in 600 s\n"
    url = result.stdout.strip()
    assert result.stdout == url + "\n"  # one line, nothing else: usable as $(...)
    assert httpx.get(url).content == b"linked bytes"


def test_download_link_json(run: Run, tmp_path: Path) -> None:
    created = uploaded(run, tmp_path)
    out = run.json("talkdesk", "download-link", str(created["id"]))
    assert out["expire_time"] == 600
    assert out["url"].startswith("http://127.0.0.1:")


def test_download_link_unknown_id_exits_1(run: Run) -> None:
    result = run("talkdesk", "download-link", "no-such-attachment")
    assert result.exit_code == 1
    assert error_line(result).startswith("error: 404 from Talkdesk")


def test_download_writes_the_attachment_name_here(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    data = bytes(range(256)) * 1000
    created = uploaded(run, source, data)
    out = run.json("talkdesk", "download", str(created["id"]))
    target = tmp_path / str(created["name"])
    assert out == {"id": created["id"], "path": created["name"], "bytes": len(data)}
    assert target.read_bytes() == data


@pytest.mark.parametrize("into", [None, "out", "out/"])
def test_download_under_the_servers_name_keeps_an_existing_file(run: Run, tmp_path: Path, into: str | None) -> None:
    source, folder = tmp_path / "src", tmp_path / "out"
    source.mkdir()
    folder.mkdir()
    created = uploaded(run, source, b"new")
    name = str(created["name"])
    existing = tmp_path / name if into is None else folder / name
    existing.write_bytes(b"mine")
    before = sorted(tmp_path.rglob("*"))
    result = run("talkdesk", "download", str(created["id"]), *([] if into is None else ["-o", into]))
    assert result.exit_code == 2
    shown = name if into is None else f"out/{name}"
    assert (
        error_line(result) == f"error: {shown!r} already exists; pass --force to replace it, or -o to write elsewhere"
    )
    assert existing.read_bytes() == b"mine"
    assert sorted(tmp_path.rglob("*")) == before  # and no leftover part file


def test_download_does_not_replace_a_dangling_link_of_the_servers_name(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    created = uploaded(run, source, b"new")
    link = tmp_path / str(created["name"])
    link.symlink_to(tmp_path / "nowhere")
    result = run("talkdesk", "download", str(created["id"]), "-o", ".")
    assert result.exit_code == 2
    assert "already exists" in error_line(result)
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("into", [None, "out/"])
def test_download_with_force_replaces_a_file_of_the_servers_name(run: Run, tmp_path: Path, into: str | None) -> None:
    source, folder = tmp_path / "src", tmp_path / "out"
    source.mkdir()
    folder.mkdir()
    created = uploaded(run, source, b"new")
    existing = (tmp_path if into is None else folder) / str(created["name"])
    existing.write_bytes(b"mine")
    output = [] if into is None else ["-o", into]
    out = run.json("talkdesk", "download", str(created["id"]), *output, "--force")
    assert out["bytes"] == 3
    assert existing.read_bytes() == b"new"


def test_download_to_a_file_path_replaces_it(run: Run, tmp_path: Path) -> None:
    created = uploaded(run, tmp_path, b"new")
    (tmp_path / "copy.bin").write_bytes(b"mine")
    run.json("talkdesk", "download", str(created["id"]), "-o", "copy.bin")  # the user named it: no --force
    assert (tmp_path / "copy.bin").read_bytes() == b"new"


def test_download_to_a_path_and_into_a_folder(run: Run, tmp_path: Path) -> None:
    created = uploaded(run, tmp_path, b"payload")
    out = run.json("talkdesk", "download", str(created["id"]), "-o", "copy.bin")
    assert out["bytes"] == 7
    assert (tmp_path / "copy.bin").read_bytes() == b"payload"
    folder = tmp_path / "into"
    folder.mkdir()
    out = run.json("talkdesk", "download", str(created["id"]), "--output", str(folder))
    assert (folder / str(created["name"])).read_bytes() == b"payload"
    assert out["path"] == str(folder / str(created["name"]))


def test_download_to_stdout(run: Run, tmp_path: Path) -> None:
    created = uploaded(run, tmp_path, b"\x00binary\xff")
    result = run("talkdesk", "download", str(created["id"]), "-o", "-")
    assert result.exit_code == 0
    assert result.stdout_bytes == b"\x00binary\xff"


def test_download_to_stdout_with_json_is_a_usage_error(run: Run) -> None:
    result = run("--json", "talkdesk", "download", "x", "-o", "-")
    assert result.exit_code == 2
    assert "--json cannot be combined with -o -" in result.stderr


def test_download_unknown_id_leaves_no_file(run: Run, tmp_path: Path) -> None:
    result = run("talkdesk", "download", "no-such-attachment", "-o", "out.bin")
    assert result.exit_code == 1
    assert error_line(result).startswith("error: 404 from Talkdesk")
    assert list(tmp_path.iterdir()) == []


def test_download_into_a_missing_folder_is_a_validation_error(run: Run, tmp_path: Path) -> None:
    created = uploaded(run, tmp_path)
    result = run("talkdesk", "download", str(created["id"]), "-o", "missing/out.bin")
    assert result.exit_code == 2
    assert error_line(result).startswith("error: destination: folder")


def test_download_into_a_missing_folder_named_with_a_slash_writes_nothing(run: Run, tmp_path: Path) -> None:
    created = uploaded(run, tmp_path)
    before = sorted(tmp_path.iterdir())
    result = run("talkdesk", "download", str(created["id"]), "-o", "missing/")
    assert result.exit_code == 2
    assert error_line(result) == "error: folder 'missing/' does not exist"
    assert sorted(tmp_path.iterdir()) == before  # not a file named `missing`


# start and send --------------------------------------------------------------------------------------------------


def test_start_prints_the_conversation(run: Run, mock: MockServer) -> None:
    out = run.json("talkdesk", "start", "--touchpoint", "tp-1", "--subject", "Invoice", "--email", "ada@example.com")
    assert set(out) == {"id", "idempotency_key"}
    assert uuid.UUID(out["idempotency_key"])  # generated, and printed so the start can be found again
    conversation = mock.state.conversations[out["id"]]
    assert conversation.touchpoint_id == "tp-1"
    assert conversation.request["subject"] == "Invoice"
    assert conversation.request["contact_person"] == {"email": "ada@example.com"}


def test_start_with_the_same_idempotency_key_finds_the_same_conversation(run: Run) -> None:
    key = uuid.uuid4().hex
    first = run.json("talkdesk", "start", "--touchpoint", "tp-1", "--idempotency-key", key)
    again = run.json("talkdesk", "start", "--touchpoint", "tp-1", "--idempotency-key", key)
    assert first["id"] == again["id"]
    assert first["idempotency_key"] == again["idempotency_key"] == key


def test_start_without_a_touchpoint_starts_one_without_it(run: Run, mock: MockServer) -> None:
    # The page marks no field of the request required: nothing given, nothing sent.
    out = run.json("talkdesk", "start")
    conversation = mock.state.conversations[out["id"]]
    assert conversation.touchpoint_id is None
    assert conversation.request == {}


def test_start_with_an_empty_touchpoint_is_a_validation_error(run: Run, mock: MockServer) -> None:
    before = mock.state.requests.get("start_conversation", 0)
    result = run("talkdesk", "start", "--touchpoint", "")
    assert result.exit_code == 2
    assert error_line(result).startswith("error: touchpoint_id: ")
    assert mock.state.requests.get("start_conversation", 0) == before  # nothing was sent


def conversation(run: Run) -> str:
    conversation_id: str = run.json("talkdesk", "start", "--touchpoint", "tp-1")["id"]
    return conversation_id


def test_send_uploads_files_and_attaches_ids(run: Run, mock: MockServer, tmp_path: Path) -> None:
    conv = conversation(run)
    existing = uploaded(run, tmp_path)
    path = a_file(tmp_path, b"new file")
    out = run.json(
        "talkdesk", "send", conv, "--content", "see attached", "--attach", str(path), "--attach", str(existing["id"])
    )
    assert out["status_code"] == 201
    assert out["partial"] is False
    assert out["conversation_id"] == conv
    new_id = out["attachments"][0]
    assert out["attachments"] == [new_id, existing["id"]]
    assert mock.state.attachments[new_id].name == path.name
    message = next(m for m in mock.state.messages if m.message_id == out["message_id"])
    assert (message.content, message.attachment_ids) == ("see attached", (new_id, existing["id"]))


def test_send_without_content_sends_an_attachment_only_message(run: Run, mock: MockServer, tmp_path: Path) -> None:
    conv = conversation(run)
    existing = uploaded(run, tmp_path)
    out = run.json("talkdesk", "send", conv, "--attach", str(existing["id"]))
    assert (out["status_code"], out["partial"], out["attachments"]) == (201, False, [existing["id"]])
    message = next(m for m in mock.state.messages if m.message_id == out["message_id"])
    assert (message.content, message.attachment_ids) == (None, (existing["id"],))
    assert "content" not in message.request


def test_send_human_output_names_each_upload(run: Run, tmp_path: Path) -> None:
    conv = conversation(run)
    path = a_file(tmp_path)
    result = run("talkdesk", "send", conv, "--content", "hi", "--attach", str(path))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"uploaded {path} as attachment ")
    assert "status_code: 201" in result.stdout.splitlines()


def test_send_partial_success_warns_and_exits_3(run: Run, mock: MockServer) -> None:
    conv = conversation(run)
    result = run("--json", "talkdesk", "send", conv, "--content", "hi", "--attach", "no-such-attachment")
    assert result.exit_code == 3
    out = json.loads(result.stdout)
    assert out["status_code"] == 206
    assert out["partial"] is True
    assert out["partial_fail_reason"] == "attachment not found: no-such-attachment"
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"warning: message {out['message_id']} was created")
    assert lines[0].endswith("attachment not found: no-such-attachment")


def test_send_with_the_same_idempotency_key_does_not_duplicate(run: Run, mock: MockServer) -> None:
    conv = conversation(run)
    key = uuid.uuid4().hex
    first = run.json("talkdesk", "send", conv, "--content", "once", "--idempotency-key", key)
    again = run.json("talkdesk", "send", conv, "--content", "once", "--idempotency-key", key)
    assert first["message_id"] == again["message_id"]
    assert first["idempotency_key"] == key
    assert [m.message_id for m in mock.state.messages].count(first["message_id"]) == 1


def test_send_prints_the_generated_idempotency_key(run: Run) -> None:
    out = run.json("talkdesk", "send", conversation(run), "--content", "hi")
    assert uuid.UUID(out["idempotency_key"])


def test_send_to_an_unknown_conversation_exits_1(run: Run) -> None:
    result = run("talkdesk", "send", "no-such-conversation", "--content", "hi")
    assert result.exit_code == 1
    assert error_line(result).startswith("error: 404 from Talkdesk")


def test_send_with_an_empty_conversation_id_is_a_validation_error(run: Run, mock: MockServer) -> None:
    before = mock.state.requests.get("send_message", 0)
    result = run("talkdesk", "send", "", "--content", "hi")
    assert result.exit_code == 2
    assert error_line(result) == "error: conversation_id: must not be empty"
    assert mock.state.requests.get("send_message", 0) == before


def test_send_attach_of_a_folder_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    result = run("talkdesk", "send", "c-1", "--content", "hi", "--attach", "folder")
    assert result.exit_code == 2
    assert error_line(result) == "error: --attach: 'folder' exists but is not a file"
