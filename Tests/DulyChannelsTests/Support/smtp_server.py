#!/usr/bin/env python3
"""A real SMTP server on loopback for Duly's tests (aiosmtpd 1.4.6).

    python3 smtp_server.py DIR [--port N] [--starttls] [--implicit-tls] [--auth USER:PASS]
                               [--auth-mechanisms PLAIN,LOGIN] [--no-8bitmime] [--smtputf8] [--mute]

Listens on 127.0.0.1 (port 0 picks a free one) and prints one JSON line on stdout once it accepts connections:
{"port": N, "cert": "DIR/cert.pem" or null}. Each accepted message is saved as DIR/<n>.eml (the bytes as received,
dot-unstuffed) after DIR/<n>.json, which holds the envelope and Python's own reading of the message (decoded headers
and parts), so the tests compare against an independent MIME parser.

Recipients steer the answers:
  *tempfail*   451 4.3.0 the first time the address is seen, accepted afterwards (for retries)
  *bounce*     550 5.1.1 always
  *dropafter*  the message is stored, then the connection is closed without a reply (the uncertain window)

With --smtputf8 it offers SMTPUTF8 (RFC 6531; aiosmtpd's enable_SMTPUTF8); without it, it refuses non-ASCII
commands as a server without the extension does.
With --mute it accepts connections and never answers (for timeouts).

The server exits on SIGTERM or when its standard input closes (the test process went away).
"""

import argparse
import asyncio
import base64
import datetime
import email
import email.policy
import ipaddress
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def make_certificate(directory):
    """A self-signed certificate for localhost and 127.0.0.1, made with `cryptography`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path = os.path.join(directory, "cert.pem")
    key_path = os.path.join(directory, "key.pem")
    with open(cert_path, "wb") as f:
        f.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as f:
        f.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return cert_path, context


def parsed_view(raw):
    """How Python's email package reads the message: decoded headers, and each leaf part decoded."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        entry = {
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
            "filename": part.get_filename(),
            "payload_base64": base64.b64encode(payload).decode("ascii"),
        }
        if part.get_content_maintype() == "text":
            entry["text"] = part.get_content().replace("\r\n", "\n")
        parts.append(entry)
    return {
        "headers": [[name, str(value)] for name, value in message.items()],
        "content_type": message.get_content_type(),
        "defects": [type(d).__name__ for d in message.defects],
        "parts": parts,
    }


class Handler:
    def __init__(self, directory, no_8bitmime):
        self.directory = directory
        self.no_8bitmime = no_8bitmime
        self.count = 0
        self.tempfailed = set()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.no_8bitmime:
            responses = [line for line in responses if line != "250-8BITMIME"]
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "tempfail" in address and address not in self.tempfailed:
            self.tempfailed.add(address)
            return "451 4.3.0 <%s>: try again later" % address
        if "bounce" in address:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        number = self.count
        raw = envelope.original_content
        record = {
            "mail_from": envelope.mail_from,
            "mail_options": envelope.mail_options,
            "smtp_utf8": bool(envelope.smtp_utf8),
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "auth_user": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
            "parsed": parsed_view(raw),
        }
        base = os.path.join(self.directory, str(number))
        with open(base + ".json.tmp", "w") as f:
            json.dump(record, f)
        os.rename(base + ".json.tmp", base + ".json")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(raw)
        os.rename(base + ".eml.tmp", base + ".eml")
        if any("dropafter" in r for r in envelope.rcpt_tos):
            server.transport.close()
            return "421 4.4.2 closing"  # never reaches the client: the transport is closed
        return "250 2.0.0 OK queued as %d" % number


class Authenticator:
    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == self.user
            and auth_data.password == self.password
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--starttls", action="store_true")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth")
    parser.add_argument("--auth-mechanisms", default="PLAIN,LOGIN")
    parser.add_argument("--no-8bitmime", action="store_true")
    parser.add_argument("--smtputf8", action="store_true")
    parser.add_argument("--mute", action="store_true", help="accept connections but never say a word")
    args = parser.parse_args()

    os.makedirs(args.directory, exist_ok=True)
    cert_path, tls_context = (None, None)
    if args.starttls or args.implicit_tls:
        cert_path, tls_context = make_certificate(args.directory)

    handler = Handler(args.directory, args.no_8bitmime)
    kwargs = {"hostname": "duly-test.localhost", "auth_require_tls": False, "enable_SMTPUTF8": args.smtputf8}
    if args.starttls:
        kwargs["tls_context"] = tls_context
    if args.auth:
        user, _, password = args.auth.partition(":")
        kwargs["authenticator"] = Authenticator(user, password)
        kwargs["auth_required"] = True
        wanted = {m.strip().upper() for m in args.auth_mechanisms.split(",")}
        kwargs["auth_exclude_mechanism"] = [m for m in ("PLAIN", "LOGIN") if m not in wanted]

    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        (lambda: asyncio.Protocol()) if args.mute else (lambda: SMTP(handler, **kwargs)),
        host="127.0.0.1",
        port=args.port,
        ssl=tls_context if args.implicit_tls else None,
    )
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": port, "cert": cert_path}), flush=True)

    # Stop when the test closes our standard input (or dies, which closes it too).
    stopped = asyncio.Event()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)

    async def watch_stdin():
        while await reader.read(4096):
            pass
        stopped.set()

    watcher = asyncio.create_task(watch_stdin())
    await stopped.wait()
    watcher.cancel()
    server.close()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
