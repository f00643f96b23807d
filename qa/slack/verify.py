"""Slack request signatures: nothing in a request is trusted or acted on before this passes.

Slack signs ``v0:<timestamp>:<raw body>`` with the app's signing secret; requests older
than five minutes are refused so a captured request cannot be replayed.
"""

from __future__ import annotations

from collections.abc import Mapping

from slack_sdk.signature import SignatureVerifier

from core.errors import Unauthorized


def verify_request(signing_secret: str, body: bytes, headers: Mapping[str, str]) -> None:
    timestamp = headers.get("x-slack-request-timestamp")
    signature = headers.get("x-slack-signature")
    if not timestamp or not signature:
        raise Unauthorized("missing Slack signature headers")
    try:
        valid = SignatureVerifier(signing_secret).is_valid(body, timestamp, signature)
    except (ValueError, UnicodeDecodeError):  # a timestamp that is not a number, a body that is not UTF-8
        valid = False
    if not valid:
        raise Unauthorized("invalid or expired Slack signature")
