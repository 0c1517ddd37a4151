#!/usr/bin/env python3
"""A webhook receiver for tests: checks Duly's signatures with Python's own hmac and hashlib, independently of Duly.

    webhook_receiver.py SECRET OUT_FILE [--fail-first N]

Prints {"port": PORT} once it listens on 127.0.0.1, then serves until its standard input closes.
Each POST is appended to OUT_FILE as one JSON line:
    {"verified": bool, "timestamp": int, "event_id": ..., "event_type": ..., "replay": bool, "status": int,
     "body": {...}}
The first N requests are answered 500 (the line says so), the rest 200.
"""
import hashlib
import hmac
import http.server
import json
import signal
import sys
import threading

SECRET = sys.argv[1].encode()
OUT = sys.argv[2]
FAIL_FIRST = int(sys.argv[sys.argv.index("--fail-first") + 1]) if "--fail-first" in sys.argv else 0
lock = threading.Lock()
seen = 0


def verify(header, raw):
    """Duly-Signature: t=TIMESTAMP,v1=HEX where HEX = HMAC-SHA256(secret, "TIMESTAMP." + body)."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    timestamp = parts.get("t", "")
    expected = hmac.new(SECRET, timestamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", "")), int(timestamp or 0)


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global seen
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        verified, timestamp = verify(self.headers.get("Duly-Signature", ""), raw)
        with lock:
            seen += 1
            status = 500 if seen <= FAIL_FIRST else 200
            with open(OUT, "a", encoding="utf-8") as out:
                out.write(json.dumps({
                    "verified": verified, "timestamp": timestamp, "status": status,
                    "event_id": self.headers.get("Duly-Event-Id"),
                    "event_type": self.headers.get("Duly-Event-Type"),
                    "content_type": self.headers.get("Content-Type"),
                    "replay": self.headers.get("Duly-Replay") == "true",
                    "body": json.loads(raw),
                }) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
# A test runner may start us with SIGTERM ignored: restore it, and stop when the test closes our standard input.
signal.signal(signal.SIGTERM, signal.SIG_DFL)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(json.dumps({"port": server.server_address[1]}), flush=True)
sys.stdin.read()
server.shutdown()
