"""The project's scripts. Each runs as a file (`python scripts/<name>.py`); this makes them importable as
`scripts.<name>` from the repo root too, for the tests."""
