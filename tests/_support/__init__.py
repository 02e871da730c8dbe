"""Support code the test suites share: plain-HTTP steps against the mock, the mock servers and their fixtures,
the environment variables, child processes' output, and waiting on conditions."""
