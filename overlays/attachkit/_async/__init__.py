"""The async face of every client, resource, auth flow and transport: written once, here.

The sync face is generated from these modules by `scripts/unasync.py` into `attachkit._generated._sync`
(renaming `AsyncX` to `X`, dropping `async`/`await`), and `make test` fails when the committed sync face
differs from what the script would write. Imports here are absolute so that the generated copy, which
lives elsewhere, resolves them the same way.
"""
