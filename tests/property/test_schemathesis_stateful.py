"""The stateful phase: the specs' OpenAPI links drive schemathesis' state machine through the workflows.

- Attachments: request an upload link -> (the presigned upload, done by a hook) -> create -> get / download link.
- Digital Connect: start a conversation -> send a message (201, and 206 when an attachment id is unknown).
- Webex: create an attachment action (200) -> get it.

Each spec runs against its own fresh mock app in-process, with every check on every step. Afterwards the test
asserts that each workflow was walked to its end with successful answers, so a passing run is not a run that
never left the first step.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import Phase, settings

from tests.property import stats
from tests.property._schemathesis import (
    PREFIXES,
    ResettableApp,
    add_auth,
    load_schema,
    operation_id,
    upload_after_upload_link,
)

# The successful (operation, status) answers each workflow must reach.
WORKFLOWS = {
    "talkdesk-attachments": {
        ("request_upload_link", 200),
        ("upload", 200),
        ("create_attachment", 200),
        ("get_attachment", 200),
        ("get_attachment_download_link", 200),
    },
    "talkdesk-digital-connect": {("start_conversation", 201), ("send_message", 201), ("send_message", 206)},
    "webex-attachment-actions": {("create_attachment_action", 200), ("get_attachment_action", 200)},
    "webex-messages": {("create_message", 200), ("get_message", 200), ("delete_message", 204)},
    "webex-webhooks": {
        ("create_webhook", 200),
        ("get_webhook", 200),
        ("update_webhook", 200),
        ("delete_webhook", 204),
    },
}
# Scenarios per spec, and steps per scenario. Derandomized, so a run draws the same scenarios each time.
# Not shrunk: a replay against the app meets new ids and tokens, so Hypothesis could not shrink reliably; a
# failure is reported as found, with schemathesis' curl line for each failing step.
SCENARIOS = 40
MAX_STEPS = 8
STATEFUL_SETTINGS = settings(
    max_examples=SCENARIOS,
    stateful_step_count=MAX_STEPS,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
)


@pytest.mark.parametrize("name", sorted(PREFIXES))
def test_workflows_pass_through_the_links(name: str) -> None:
    app = ResettableApp()
    schema = load_schema(name, app=app)
    add_auth(schema, name)
    seen: Counter[tuple[str, int]] = Counter()

    @schema.hook
    def map_case(context: Any, case: Any) -> Any:
        # The mock delivers webhook events only on loopback and answers 400 to any other target (schemathesis.toml);
        # a loopback target (nothing listens on port 9) lets the workflow through create, update and delete.
        if isinstance(case.body, dict) and "targetUrl" in case.body:
            case.body["targetUrl"] = "http://127.0.0.1:9/webex/events"
        return case

    @schema.hook
    def after_call(context: Any, case: Any, response: Any) -> None:
        if case.meta is None or case.meta.phase.name != "stateful":
            return
        stats.count(f"schemathesis stateful {name}")
        seen[(operation_id(case), response.status_code)] += 1
        if upload_after_upload_link(case, response, app=app):
            seen[("upload", 200)] += 1

    class Machine(schema.as_state_machine()):
        def setup(self) -> None:
            app.reset()

    try:
        Machine.run(settings=STATEFUL_SETTINGS)
    except Exception:
        stats.failed(f"schemathesis stateful {name}")
        raise
    finally:
        app.close()
    missing = WORKFLOWS[name] - set(seen)
    assert not missing, f"the state machine never reached {sorted(missing)}; it saw {sorted(seen)}"
