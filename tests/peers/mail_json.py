"""Parses a mail with Python's own email package (an independent parser) and prints JSON:
{"from", "to", "subject", "message_id", "content_type", "text", "html"}.
Usage: python3 mail_json.py FILE.eml"""
import email
import email.policy
import json
import sys


def to_json(raw: bytes) -> dict:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    return {
        "from": str(msg["From"]),
        "to": str(msg["To"]),
        "subject": str(msg["Subject"]),
        "message_id": str(msg["Message-ID"]),
        "content_type": msg.get_content_type(),
        "text": text.get_content() if text is not None else None,
        "html": html.get_content() if html is not None else None,
    }


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        print(json.dumps(to_json(f.read())))
