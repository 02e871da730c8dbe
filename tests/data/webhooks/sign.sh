#!/bin/sh
# Writes signatures.tsv: the X-Spark-Signature of each stored body, computed by OpenSSL, not by Python, so the
# tests hold attachkit to an independent HMAC-SHA1. Made with OpenSSL 3.0.19; any OpenSSL prints the same.
#
# Each signature is exactly:   openssl dgst -sha1 -hmac "$SECRET" -r < "$BODY"
# (-r prints "<hex> *stdin"; the hex is the signature). The secret is passed as the bytes of this file, which
# is UTF-8, so a non-ASCII secret is keyed by its UTF-8 bytes, as Webex keys it. Run from anywhere:
#     sh tests/data/webhooks/sign.sh
set -eu
cd "$(dirname "$0")"
out=signatures.tsv
printf '# body\tsecret\tsignature: openssl dgst -sha1 -hmac "$SECRET" -r < "$BODY" (written by sign.sh)\n' > "$out"
sign() {
    hex=$(openssl dgst -sha1 -hmac "$2" -r < "$1" | cut -d ' ' -f 1)
    printf '%s\t%s\t%s\n' "$1" "$2" "$hex" >> "$out"
}
# attachmentActions/created, compact, as Webex sends it; then the same JSON with a trailing newline, and re-indented:
# the same event, different bytes, different signatures.
sign attachment_action_created.json 's3cr3t-webhook-key'
sign attachment_action_created_newline.json 's3cr3t-webhook-key'
sign attachment_action_created_pretty.json 's3cr3t-webhook-key'
# messages/created, the guide's example laid out over lines (the file ends with a newline, part of the body).
sign message_created.json 's3cr3t-webhook-key'
# A body with non-ASCII UTF-8 (not \u escapes), under an ASCII and a non-ASCII secret.
sign message_created_utf8.json 's3cr3t-webhook-key'
sign message_created_utf8.json 'clé secrète 🔑'
# A secret longer than SHA-1's 64-byte block, which HMAC hashes before use.
sign attachment_action_created.json 'a-secret-longer-than-the-sixty-four-byte-block-of-sha1-so-hmac-hashes-it-first-0123456789'
