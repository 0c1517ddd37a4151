#!/usr/bin/env python3
"""A stand-in SMS gateway for tests: checks Duly's webhook signature with Python's own hmac, independently of Duly.

    sms_gateway.py SECRET OUT_FILE      prints the port it listens on (127.0.0.1), then serves until its standard
                                        input closes or it gets SIGTERM.

Each POST is appended to OUT_FILE as one JSON line: {"verified": bool, "body": {...}, "idempotency_key": ...}.
Recipients containing "invalid" get 400, "tempfail" get 503; everything else 200.
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


class Gateway(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        header = self.headers.get("Duly-Signature", "")
        parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
        expected = hmac.new(SECRET, parts.get("t", "").encode() + b"." + raw, hashlib.sha256).hexdigest()
        verified = hmac.compare_digest(expected, parts.get("v1", ""))
        body = json.loads(raw)
        with open(OUT, "a", encoding="utf-8") as out:
            out.write(json.dumps({"verified": verified, "body": body,
                                  "idempotency_key": self.headers.get("Idempotency-Key")}) + "\n")
        status = 400 if "invalid" in body["to"] else 503 if "tempfail" in body["to"] else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Gateway)
# A test runner may start us with SIGTERM ignored (the disposition is inherited): restore it, and also stop when the
# test closes our standard input, so no gateway outlives its test.
signal.signal(signal.SIGTERM, signal.SIG_DFL)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_address[1], flush=True)
sys.stdin.read()
server.shutdown()
