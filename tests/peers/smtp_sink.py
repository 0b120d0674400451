"""A real SMTP server for the tests (aiosmtpd): every message it accepts is written to
OUT_DIR as NNN.eml, with NNN.json beside it (parsed by Python's email package).
While OUT_DIR/refuse exists, recipients are refused with a temporary error (450).
Usage: python3 smtp_sink.py PORT OUT_DIR"""
import json
import os
import signal
import sys
import threading
import time

from aiosmtpd.controller import Controller

sys.path.insert(0, os.path.dirname(__file__))
from mail_json import to_json  # noqa: E402


class Sink:
    def __init__(self, out):
        self.out = out
        self.lock = threading.Lock()
        self.n = len([f for f in os.listdir(out) if f.endswith(".eml")])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if os.path.exists(os.path.join(self.out, "refuse")):
            return "450 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.n += 1
            base = os.path.join(self.out, f"{time.time_ns()}-{self.n:05d}")
        with open(base + ".eml", "wb") as f:
            f.write(envelope.content)
        parsed = to_json(envelope.content)
        parsed["envelope_to"] = envelope.rcpt_tos
        with open(base + ".json.tmp", "w") as f:
            json.dump(parsed, f)
        os.rename(base + ".json.tmp", base + ".json")
        return "250 Message accepted"


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    controller = Controller(Sink(out), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
