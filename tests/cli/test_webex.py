"""`attachkit webex action ...` against the mock: create (from --input or --inputs-json) and get."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from attachkit.testing import MockServer

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
