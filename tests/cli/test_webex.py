"""`attachkit webex ...` against the mock: card actions (create from --input or --inputs-json, get), messages (send
with a card or a file, get, delete), webhooks (create, ensure, list, get, update, delete, with secrets never printed),
downloads through malware scanning (names from Content-Disposition, the overwrite rules), and `listen` run as a real
process receiving the mock's signed deliveries."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from attachkit.cli._listen import SECRET_ENV
from attachkit.cli._webex import disposition_name
from attachkit.testing import MockServer
from tests._support.environment import mock_env
from tests._support.processes import lines_of
from tests._support.servers import strict_mock

from .conftest import Run, error_line

TRACKING = re.compile(r"\[tracking id: ATTACHKIT_[0-9a-f-]{36}\]$")


def test_create_from_inputs(run: Run, mock: MockServer) -> None:
    out = run.json("webex", "action", "create", "msg-1", "--input", "Name=Ada", "--input", "Note=x=y")
    assert out["messageId"] == "msg-1"
    assert out["type"] == "submit"
    assert out["inputs"] == {"Name": "Ada", "Note": "x=y"}
    assert mock.state.actions[out["id"]].inputs == {"Name": "Ada", "Note": "x=y"}


def test_create_from_a_json_file_keeps_value_types(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "inputs.json"
    path.write_text(json.dumps({"Name": "Ada", "Agree": True, "Rating": 5}))
    out = run.json("webex", "action", "create", "msg-2", "--inputs-json", str(path))
    assert out["inputs"] == {"Name": "Ada", "Agree": True, "Rating": 5}


def test_create_from_json_on_stdin(run: Run) -> None:
    out = run.json("webex", "action", "create", "msg-3", "--inputs-json", "-", input='{"Color": "blue"}')
    assert out["inputs"] == {"Color": "blue"}


def test_create_needs_exactly_one_source_of_inputs(run: Run, tmp_path: Path) -> None:
    neither = run("webex", "action", "create", "msg-1")
    assert neither.exit_code == 2
    assert "--input KEY=VALUE or --inputs-json FILE" in neither.stderr
    path = tmp_path / "inputs.json"
    path.write_text("{}")
    both = run("webex", "action", "create", "msg-1", "--input", "a=b", "--inputs-json", str(path))
    assert both.exit_code == 2
    assert "not both" in both.stderr


def test_inputs_json_must_be_an_object(run: Run) -> None:
    not_json = run("webex", "action", "create", "msg-1", "--inputs-json", "-", input="{nope")
    assert not_json.exit_code == 2
    assert "not JSON" in not_json.stderr
    a_list = run("webex", "action", "create", "msg-1", "--inputs-json", "-", input="[1, 2]")
    assert a_list.exit_code == 2
    assert "must be a JSON object" in a_list.stderr


def test_get_returns_what_create_printed(run: Run) -> None:
    created = run.json("webex", "action", "create", "msg-4", "--input", "Name=Ada")
    assert run.json("webex", "action", "get", created["id"]) == created


def test_get_human_output_flattens_inputs(run: Run) -> None:
    created = run.json("webex", "action", "create", "msg-5", "--input", "Name=Ada")
    result = run("webex", "action", "get", created["id"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "inputs.Name: Ada" in lines
    assert "messageId: msg-5" in lines


def test_get_unknown_id_is_one_line_with_the_tracking_id(run: Run) -> None:
    result = run("webex", "action", "get", "no-such-action")
    assert result.exit_code == 1
    assert result.stdout == ""
    line = error_line(result)
    assert line.startswith("error: 404 from Webex: ")
    assert TRACKING.search(line), line


def test_server_error_after_retries_names_status_and_tracking_id(run: Run, mock: MockServer) -> None:
    mock.faults.add_spec("get_attachment_action:502:retry-after=0")
    result = run("webex", "action", "get", "anything")
    assert result.exit_code == 1
    line = error_line(result)
    assert line.startswith("error: 502 from Webex")
    assert TRACKING.search(line), line


def test_wrong_token_is_refused_and_never_printed(run: Run) -> None:
    wrong = "token-" + uuid.uuid4().hex
    run.secrets.append(wrong)
    result = run("webex", "--token", wrong, "action", "get", "x")
    assert result.exit_code == 1
    line = error_line(result)
    assert line.startswith("error: 401 from Webex")
    assert TRACKING.search(line), line


def test_missing_token_is_a_validation_error(run: Run) -> None:
    result = run("webex", "action", "get", "x", env={"WEBEX_ACCESS_TOKEN": None})
    assert result.exit_code == 2
    assert error_line(result).startswith("error: access_token: is required")


# --- messages ------------------------------------------------------------------------------------------------------

CARD = {
    "type": "AdaptiveCard",
    "version": "1.3",
    "body": [{"type": "Input.Text", "id": "Name"}],
    "actions": [{"type": "Action.Submit", "title": "Send"}],
}
# The EICAR anti-virus test string, in two halves so that this file does not carry it whole.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-" + b"ANTIVIRUS-TEST-FILE!$H+H*"


def encrypted_zip() -> bytes:
    """A zip archive whose entry is flagged encrypted (general-purpose bit 0, in both headers): unscannable."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("secret.txt", "nothing to see")
    data = bytearray(buffer.getvalue())
    data[6] |= 0x01  # the local file header's flags
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x01  # the central directory entry's flags
    return bytes(data)


def send_file(run: Run, path: Path, *extra: str) -> str:
    """Post `path` to a room and return its content URL."""
    out = run.json("webex", "message", "send", "--room-id", "room-files", "--file", str(path), *extra)
    [url] = out["files"]
    assert isinstance(url, str)
    return url


def test_send_a_card_from_a_file_then_get_it(run: Run, mock: MockServer, tmp_path: Path) -> None:
    (tmp_path / "card.json").write_text(json.dumps(CARD))
    sent = run.json("webex", "message", "send", "--room-id", "room-1", "--text", "Rate us", "--card", "card.json")
    assert sent["roomId"] == "room-1"
    assert sent["text"] == "Rate us"
    assert sent["attachments"] == [{"contentType": "application/vnd.microsoft.card.adaptive", "content": CARD}]
    assert mock.state.webex_messages[sent["id"]].attachments[0]["content"] == CARD
    assert run.json("webex", "message", "get", sent["id"]) == sent


def test_send_takes_a_webex_attachment_on_stdin_too(run: Run) -> None:
    attachment = {"contentType": "application/vnd.microsoft.card.adaptive", "content": CARD}
    sent = run.json(
        "webex", "message", "send", "--to-person-email", "ada@example.com", "--card", "-", input=json.dumps(attachment)
    )
    assert sent["attachments"][0]["content"] == CARD
    assert sent["toPersonEmail"] == "ada@example.com"
    assert sent["roomType"] == "direct"


def test_send_human_output_shows_id_and_files(run: Run, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("notes")
    result = run("webex", "message", "send", "--room-id", "room-2", "--markdown", "**see**", "--file", "notes.txt")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(line.startswith("id: ") for line in lines)
    assert "markdown: **see**" in lines
    [files] = [line for line in lines if line.startswith("files: ")]
    assert "/webex/v1/contents/" in files


def test_send_needs_exactly_one_destination(run: Run) -> None:
    none = run("webex", "message", "send", "--text", "hi")
    assert none.exit_code == 2
    assert "one of --room-id, --to-person-id or --to-person-email" in none.stderr
    two = run("webex", "message", "send", "--room-id", "r", "--to-person-email", "ada@example.com", "--text", "hi")
    assert two.exit_code == 2
    assert "not --room-id and --to-person-email" in two.stderr


def test_send_refuses_bad_cards_and_a_card_with_a_file(run: Run, tmp_path: Path) -> None:
    not_json = run("webex", "message", "send", "--room-id", "r", "--card", "-", input="{nope")
    assert not_json.exit_code == 2
    assert "not JSON" in not_json.stderr
    a_list = run("webex", "message", "send", "--room-id", "r", "--card", "-", input="[]")
    assert a_list.exit_code == 2
    assert "must be a JSON object" in a_list.stderr
    (tmp_path / "a.txt").write_text("a")
    both = run("webex", "message", "send", "--room-id", "r", "--card", "-", "--file", "a.txt", input=json.dumps(CARD))
    assert both.exit_code == 2
    assert error_line(both).startswith("error: card: a message takes one card or one file")


def test_send_checks_limits_and_files_before_sending(run: Run, mock: MockServer) -> None:
    before = mock.state.counts("create_message").received
    too_long = run("webex", "message", "send", "--room-id", "r", "--text", "é" * 4000)
    assert too_long.exit_code == 2
    assert error_line(too_long).startswith("error: text: is 8000 bytes")
    missing = run("webex", "message", "send", "--room-id", "r", "--file", "no-such-file.pdf")
    assert missing.exit_code == 2
    assert "no-such-file.pdf" in error_line(missing)
    assert mock.state.counts("create_message").received == before


def test_send_a_file_from_stdin_under_its_name(run: Run, mock: MockServer) -> None:
    out = run.json(
        "webex", "message", "send", "--room-id", "r", "--file", "-", "--file-name", "logs.txt", input=b"log lines\n"
    )
    [url] = out["files"]
    content = mock.state.contents[url.rsplit("/", 1)[-1]]
    assert (content.filename, content.size) == ("logs.txt", 10)


def test_delete_then_get_is_404(run: Run, mock: MockServer) -> None:
    sent = run.json("webex", "message", "send", "--room-id", "r", "--text", "bye")
    assert run.json("webex", "message", "delete", sent["id"]) == {"id": sent["id"], "deleted": True}
    assert sent["id"] not in mock.state.webex_messages
    gone = run("webex", "message", "get", sent["id"])
    assert gone.exit_code == 1
    line = error_line(gone)
    assert line.startswith("error: 404 from Webex")
    assert TRACKING.search(line), line


# --- downloads -----------------------------------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return [path.name for path in folder.iterdir() if path.name.endswith(".part")]


def test_download_names_the_file_as_webex_does_and_never_overwrites(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "résumé 1.txt").write_text("first")
    url = send_file(run, source / "résumé 1.txt")
    out = run.json("webex", "download", url)
    assert out == {"id": url.rsplit("/", 1)[-1], "path": "résumé 1.txt", "bytes": 5}
    assert (tmp_path / "résumé 1.txt").read_text() == "first"

    (tmp_path / "résumé 1.txt").write_text("mine")
    again = run("webex", "download", url)
    assert again.exit_code == 2
    assert (
        error_line(again)
        == "error: 'résumé 1.txt' already exists; pass --force to replace it, or -o to write elsewhere"
    )
    assert (tmp_path / "résumé 1.txt").read_text() == "mine"
    assert leftovers(tmp_path) == []

    forced = run.json("webex", "download", url, "--force")
    assert forced["path"] == "résumé 1.txt"
    assert (tmp_path / "résumé 1.txt").read_text() == "first"
    assert leftovers(tmp_path) == []


def test_download_into_a_folder_by_id_and_a_dangling_link_is_not_replaced(run: Run, tmp_path: Path) -> None:
    (tmp_path / "report.csv").write_text("a,b\n")
    url = send_file(run, tmp_path / "report.csv")
    content = url.rsplit("/", 1)[-1]
    (tmp_path / "out").mkdir()
    out = run.json("webex", "download", content, "-o", "out")
    assert out == {"id": content, "path": str(Path("out") / "report.csv"), "bytes": 4}
    assert (tmp_path / "out" / "report.csv").read_text() == "a,b\n"
    (tmp_path / "linked").mkdir()
    (tmp_path / "linked" / "report.csv").symlink_to(tmp_path / "nowhere")
    refused = run("webex", "download", url, "-o", "linked/")
    assert refused.exit_code == 2
    assert "already exists" in error_line(refused)
    assert not (tmp_path / "nowhere").exists()
    assert leftovers(tmp_path / "linked") == []


def test_a_name_that_climbs_out_of_the_folder_is_cut_to_its_last_part(run: Run, tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("x")
    url = send_file(run, tmp_path / "x.txt", "--file-name", "../../escape.txt")
    (tmp_path / "here").mkdir()
    out = run.json("webex", "download", url, "-o", "here")
    assert out["path"] == str(Path("here") / "escape.txt")
    assert (tmp_path / "here" / "escape.txt").read_text() == "x"


def test_download_to_a_path_replaces_it_and_to_stdout(run: Run, tmp_path: Path) -> None:
    (tmp_path / "data.bin").write_bytes(b"\x00\x01binary")
    url = send_file(run, tmp_path / "data.bin")
    (tmp_path / "copy.bin").write_text("old")
    out = run.json("webex", "download", url, "-o", "copy.bin")
    assert out["path"] == "copy.bin"
    assert (tmp_path / "copy.bin").read_bytes() == b"\x00\x01binary"
    piped = run("webex", "download", url, "-o", "-")
    assert piped.exit_code == 0
    assert piped.stdout_bytes == b"\x00\x01binary"
    both = run("--json", "webex", "download", url, "-o", "-")
    assert both.exit_code == 2
    assert "--json cannot be combined with -o -" in both.stderr
    missing = run("webex", "download", url, "-o", "no-such-folder/")
    assert missing.exit_code == 2
    assert error_line(missing) == "error: folder 'no-such-folder/' does not exist"


def test_download_refuses_a_url_of_another_host(run: Run) -> None:
    result = run("webex", "download", "https://files.example.com/contents/abc")
    assert result.exit_code == 2
    assert "is not a content URL of this client's API" in error_line(result)
    assert os.listdir(".") == []


def test_an_infected_file_is_one_line_with_410(run: Run, tmp_path: Path) -> None:
    (tmp_path / "eicar.com").write_bytes(b"prefix " + EICAR)
    url = send_file(run, tmp_path / "eicar.com")
    (tmp_path / "out").mkdir()
    result = run("webex", "download", url, "-o", "out")
    assert result.exit_code == 1
    line = error_line(result)
    assert line.startswith("error: 410 from Webex: ")
    assert "malware" in line
    assert list((tmp_path / "out").iterdir()) == []


def test_an_unscannable_file_says_how_to_force_it(run: Run, tmp_path: Path) -> None:
    archive = encrypted_zip()
    (tmp_path / "locked.zip").write_bytes(archive)
    url = send_file(run, tmp_path / "locked.zip")
    (tmp_path / "out").mkdir()
    refused = run("webex", "download", url, "-o", "out")
    assert refused.exit_code == 1
    line = error_line(refused)
    assert line.startswith("error: 428 from Webex: ")
    assert "--allow-unscannable" in line
    assert "allow_unscannable=True" not in line
    assert list((tmp_path / "out").iterdir()) == []
    forced = run.json("webex", "download", url, "-o", "out", "--allow-unscannable")
    assert (tmp_path / "out" / "locked.zip").read_bytes() == archive
    assert forced["bytes"] == len(archive)


@pytest.fixture
def scanning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[MockServer, Run]]:
    """A mock of this test's own that scans each file for one second of its clock, and a runner for it."""
    monkeypatch.chdir(tmp_path)
    with strict_mock(webex_scan_seconds=1) as mock:
        yield mock, Run(env=mock_env(mock), secrets=[mock.client_secret, mock.webex_token])


def test_download_waits_while_the_file_is_scanned(scanning: tuple[MockServer, Run], tmp_path: Path) -> None:
    mock, run = scanning
    (tmp_path / "scan.txt").write_text("scan me")
    url = send_file(run, tmp_path / "scan.txt")
    (tmp_path / "out").mkdir()
    out = run.json("webex", "download", url, "-o", "out")
    assert (tmp_path / "out" / "scan.txt").read_text() == "scan me"
    assert out["bytes"] == 7
    assert mock.state.counts("get_content").statuses[423] >= 1


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ('attachment; filename="a b.txt"', "a b.txt"),
        ("attachment; filename=plain.txt", "plain.txt"),
        (r'attachment; filename="q\"uote.txt"', 'q"uote.txt'),
        ("attachment; filename=\"r_sum_.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt", "résumé.txt"),
        ("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.txt; filename=\"r_sum_.txt\"", "résumé.txt"),
        ("attachment; FILENAME*=iso-8859-1'en'%E9t%E9.txt", "été.txt"),
        ("attachment; filename=\"fallback.txt\"; filename*=UTF-8''%FF%FE.txt", "fallback.txt"),
        ("attachment; filename=\"fallback.txt\"; filename*=koi8-r''%C1.txt", "fallback.txt"),
        ('attachment; filename="line\nbreak.txt"', None),
        ("inline", None),
        ("", None),
        (None, None),
    ],
)
def test_disposition_name(header: str | None, name: str | None) -> None:
    assert disposition_name(header) == name


# --- webhooks ------------------------------------------------------------------------------------------------------


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[MockServer, Run]]:
    """A mock of this test's own (its webhook list holds only this test's) and a runner for it."""
    monkeypatch.chdir(tmp_path)
    with strict_mock() as mock:
        yield mock, Run(env=mock_env(mock), secrets=[mock.client_secret, mock.webex_token])


HOOK = ["--name", "cards", "--target-url", "http://127.0.0.1:9/hook", "--resource", "attachmentActions"]


def test_webhook_create_list_get_update_delete(fresh: tuple[MockServer, Run]) -> None:
    mock, run = fresh
    secret = "hook-secret-" + uuid.uuid4().hex
    run.secrets.append(secret)
    created = run.json("webex", "webhook", "create", *HOOK, "--event", "created", "--secret", secret)
    assert created["secret"] == "***"
    assert (created["name"], created["resource"], created["event"], created["status"]) == (
        "cards",
        "attachmentActions",
        "created",
        "active",
    )
    assert mock.state.webhooks[created["id"]].secret == secret

    listed = run("webex", "webhook", "list")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines() == [
        f"{created['id']}  active  attachmentActions/created  cards  http://127.0.0.1:9/hook"
    ]
    assert run.json("webex", "webhook", "list") == {"items": [created]}
    assert run.json("webex", "webhook", "get", created["id"]) == created

    renamed = run.json("webex", "webhook", "update", created["id"], "--name", "renamed")
    assert (renamed["name"], renamed["targetUrl"], renamed["secret"]) == ("renamed", "http://127.0.0.1:9/hook", "***")
    assert mock.state.webhooks[created["id"]].secret == secret  # kept when not given

    assert run.json("webex", "webhook", "delete", created["id"]) == {"id": created["id"], "deleted": True}
    empty = run("webex", "webhook", "list")
    assert (empty.exit_code, empty.stdout, empty.stderr) == (0, "", "no webhooks\n")
    gone = run("webex", "webhook", "get", created["id"])
    assert gone.exit_code == 1
    assert error_line(gone).startswith("error: 404 from Webex")


def test_webhook_secret_from_the_environment_is_never_printed(fresh: tuple[MockServer, Run]) -> None:
    mock, run = fresh
    secret = "env-secret-" + uuid.uuid4().hex
    run.secrets.append(secret)
    run.env[SECRET_ENV] = secret
    result = run("webex", "webhook", "create", *HOOK, "--event", "created")
    assert result.exit_code == 0, result.output
    assert "secret: ***" in result.stdout.splitlines()
    [hook] = mock.state.webhooks.values()
    assert hook.secret == secret


def test_webhook_ensure_is_idempotent_and_renames(fresh: tuple[MockServer, Run]) -> None:
    mock, run = fresh
    first = run.json("webex", "webhook", "ensure", *HOOK, "--event", "created")
    again = run.json("webex", "webhook", "ensure", *HOOK, "--event", "created")
    assert again == first
    assert len(mock.state.webhooks) == 1
    renamed = run.json("webex", "webhook", "ensure", *HOOK[:1], "renamed", *HOOK[2:], "--event", "created")
    assert (renamed["id"], renamed["name"]) == (first["id"], "renamed")
    other = run.json("webex", "webhook", "ensure", *HOOK, "--event", "deleted")
    assert other["id"] != first["id"]
    assert len(mock.state.webhooks) == 2


def test_webhook_ensure_reactivates_a_webhook_webex_deactivated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with strict_mock(webhook_failure_limit=1) as mock:
        run = Run(env=mock_env(mock), secrets=[mock.client_secret, mock.webex_token])
        hook = run.json("webex", "webhook", "create", *HOOK, "--event", "created")  # port 9: nobody listens
        run.json("webex", "action", "create", "msg-1", "--input", "Name=Ada")
        [failed] = mock.wait_for_deliveries(1)
        assert failed.status is None and failed.error
        assert run.json("webex", "webhook", "get", hook["id"])["status"] == "inactive"
        listed = run("webex", "webhook", "list")
        assert listed.stdout.split("  ")[1] == "inactive"
        ensured = run.json("webex", "webhook", "ensure", *HOOK, "--event", "created")
        assert (ensured["id"], ensured["status"]) == (hook["id"], "active")


def test_webhook_create_refuses_a_bad_resource_before_sending(fresh: tuple[MockServer, Run]) -> None:
    mock, run = fresh
    result = run("webex", "webhook", "create", *HOOK[:5], "nonsense", "--event", "created")
    assert result.exit_code == 2
    assert error_line(result).startswith("error: resource")
    assert mock.state.webhooks == {}


# --- listen --------------------------------------------------------------------------------------------------------

READY = re.compile(r"^listening on (http://127\.0\.0\.1:\d+/) \(Ctrl\+C to stop\)$")
STARTUP = 60.0  # seconds: a cold interpreter on a slow machine


class Listener:
    """`attachkit webex listen` as a real process: its URL once it listens, then its output once it has ended."""

    def __init__(self, mock: MockServer, secret: str, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TALKDESK_", "WEBEX_"))}
        env.update({k: v for k, v in mock_env(mock).items() if v is not None})
        env[SECRET_ENV] = secret
        self.process = subprocess.Popen(
            [sys.executable, "-m", "attachkit.cli", "webex", "listen", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        assert self.process.stderr is not None
        self._stderr = lines_of(self.process.stderr)
        self.stderr: list[str] = []
        line = self._next_line(STARTUP)
        match = READY.match(line)
        assert match, line
        self.url = match.group(1)

    def _next_line(self, timeout: float) -> str:
        line = self._stderr.get(timeout=timeout)
        assert line is not None, "listen exited early:\n" + "\n".join(self.stderr)
        self.stderr.append(line)
        return line

    def finish(self, timeout: float = 60.0) -> tuple[int, list[str], list[str]]:
        """Wait for the process to end by itself; its exit code, stdout lines and stderr lines."""
        assert self.process.stdout is not None
        code = self.process.wait(timeout=timeout)
        stdout = self.process.stdout.read().splitlines()
        while (line := self._stderr.get(timeout=timeout)) is not None:
            self.stderr.append(line)
        return code, stdout, self.stderr[1:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def listener_secret(fresh: tuple[MockServer, Run]) -> str:
    secret = "listen-secret-" + uuid.uuid4().hex
    fresh[1].secrets.append(secret)
    fresh[1].env[SECRET_ENV] = secret
    return secret


def submit_card(run: Run, listener: Listener, inputs: dict[str, str]) -> tuple[str, str]:
    """Register the listener for card submissions, post a card, submit it; the message and action ids."""
    run.json("webex", "webhook", "ensure", *HOOK[:3], listener.url, *HOOK[4:], "--event", "created")
    message = run.json(
        "webex", "message", "send", "--room-id", "room-loop", "--text", "card", "--card", "-", input=json.dumps(CARD)
    )
    pairs = [arg for key, value in inputs.items() for arg in ("--input", f"{key}={value}")]
    action = run.json("webex", "action", "create", message["id"], *pairs)
    return message["id"], action["id"]


def test_listen_prints_a_card_submission_with_its_inputs(fresh: tuple[MockServer, Run], listener_secret: str) -> None:
    mock, run = fresh
    listener = Listener(mock, listener_secret, "--max-events", "1")
    try:
        _, action_id = submit_card(run, listener, {"Name": "Ada", "Rating": "5"})
        code, stdout, stderr = listener.finish()
    finally:
        listener.stop()
    assert code == 0, stderr
    assert stdout == [f'attachmentActions created {action_id} inputs {{"Name": "Ada", "Rating": "5"}}']
    assert stderr == []
    [delivery] = mock.wait_until_idle()
    assert (delivery.status, delivery.target_url) == (200, listener.url)
    assert listener_secret not in "\n".join(stdout + stderr)


def test_listen_rejects_a_bad_signature_and_prints_json(fresh: tuple[MockServer, Run], listener_secret: str) -> None:
    mock, run = fresh
    mock.faults.add_spec("webhook_delivery:bad-signature:times=1")
    listener = Listener(mock, listener_secret, "--max-events", "1", "--json")
    try:
        message_id, first = submit_card(run, listener, {"Name": "Mallory"})
        [rejected] = mock.wait_for_deliveries(1)
        assert (rejected.status, rejected.fault) == (401, "webhook_delivery:bad-signature:times=1")
        second = run.json("webex", "action", "create", message_id, "--input", "Name=Ada")["id"]
        code, stdout, stderr = listener.finish()
    finally:
        listener.stop()
    assert code == 0, stderr
    [line] = stdout
    event = json.loads(line)
    assert (event["resource"], event["event"], event["data"]["id"]) == ("attachmentActions", "created", second)
    assert event["action"]["inputs"] == {"Name": "Ada"}
    assert event["action"]["messageId"] == message_id
    assert first not in line
    [warning] = stderr
    assert warning.startswith("warning: rejected a delivery from 127.0.0.1 with 401: the X-Spark-Signature header")
    assert [d.status for d in mock.wait_until_idle()] == [401, 200]


def test_listen_answers_a_forged_post_401_and_other_methods_405(
    fresh: tuple[MockServer, Run], listener_secret: str
) -> None:
    import httpx

    mock, run = fresh
    listener = Listener(mock, listener_secret, "--max-events", "1")
    try:
        with httpx.Client(timeout=10) as http:
            unsigned = http.post(listener.url + "any/path", content=b'{"id": "x"}')
            assert unsigned.status_code == 401
            assert http.get(listener.url).status_code == 405
        # A message event ends it: printed with no action to read.
        run.json("webex", "webhook", "ensure", *HOOK[:3], listener.url, "--resource", "messages", "--event", "created")
        sent = run.json("webex", "message", "send", "--room-id", "room-x", "--text", "hello")
        code, stdout, stderr = listener.finish()
    finally:
        listener.stop()
    assert code == 0, stderr
    assert stdout == [f"messages created {sent['id']}"]
    [warning] = stderr
    assert warning.startswith(
        "warning: rejected a delivery from 127.0.0.1 with 401: the request has no X-Spark-Signature"
    )


def test_listen_stops_quietly_on_ctrl_c(fresh: tuple[MockServer, Run], listener_secret: str) -> None:
    mock, _ = fresh
    listener = Listener(mock, listener_secret)
    try:
        listener.process.send_signal(signal.SIGINT)
        code, stdout, stderr = listener.finish()
    finally:
        listener.stop()
    assert (code, stdout, stderr) == (0, [], [])


def test_listen_needs_a_secret(run: Run) -> None:
    result = run("webex", "listen", "--port", "0", env={SECRET_ENV: None})
    assert result.exit_code == 2
    assert f"give the webhook's secret with --secret or {SECRET_ENV}" in result.stderr


def test_listen_on_a_port_in_use_is_one_line(run: Run) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("webex", "listen", "--port", str(port), "--secret", "s3cret-value")
    assert result.exit_code == 1
    assert error_line(result).startswith(f"error: cannot listen on 127.0.0.1:{port}: ")


def test_listen_without_the_mock_extra_says_which_to_install(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # `import uvicorn` now fails as if it were not installed
    monkeypatch.delitem(sys.modules, "attachkit.cli._receiver", raising=False)
    result = run("webex", "listen", "--port", "0", "--secret", "s3cret-value")
    assert result.exit_code == 2
    assert error_line(result) == (
        "error: `attachkit webex listen` needs the mock extra (module 'uvicorn' is missing): "
        "pip install 'attachkit[mock]'"
    )
