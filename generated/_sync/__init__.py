"""The sync face of attachkit, generated from `attachkit._async` by `scripts/unasync.py`."""
