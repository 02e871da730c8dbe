"""Property-based API tests: schemathesis against the mock, Hypothesis properties of the client."""
