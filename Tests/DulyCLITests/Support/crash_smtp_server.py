#!/usr/bin/env python3
"""An SMTP server (aiosmtpd) that can stop answering at a chosen point, so a test can SIGKILL the client there.

    crash_smtp_server.py DIR [--hold mail|rcpt|data-end] [--at N]

Prints {"port": P} once listening. Every accepted message is saved as DIR/<message-id-hash>-<n>.eml. With --hold,
the N-th time the server reaches that point it prints {"held": POINT, "n": N} and never answers that command:
  mail      after MAIL FROM arrives (the client is waiting for 250; nothing accepted)
  rcpt      after RCPT TO arrives
  data-end  after the message's final dot, once the message is SAVED (the client never hears 250: the one window
            in which a sender cannot know whether the message was accepted)
The test kills the client while it waits. The server exits when its standard input closes.
"""
import argparse
import asyncio
import hashlib
import json
import os
import sys

from aiosmtpd.smtp import SMTP

parser = argparse.ArgumentParser()
parser.add_argument("dir")
parser.add_argument("--hold", choices=["mail", "rcpt", "data-end"])
parser.add_argument("--at", type=int, default=1)
args = parser.parse_args()
os.makedirs(args.dir, exist_ok=True)
seen = {"mail": 0, "rcpt": 0, "data-end": 0}


async def maybe_hold(point):
    seen[point] += 1
    if args.hold == point and seen[point] == args.at:
        print(json.dumps({"held": point, "n": seen[point]}), flush=True)
        await asyncio.sleep(3600)  # cancelled when the killed client's connection goes away


class Handler:
    async def handle_MAIL(self, server, session, envelope, address, options):
        await maybe_hold("mail")
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        await maybe_hold("rcpt")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        digest = hashlib.sha256(content).hexdigest()[:16]
        count = len(os.listdir(args.dir))
        path = os.path.join(args.dir, f"{digest}-{count}.eml")
        with open(path + ".partial", "wb") as out:
            out.write(content)
        os.rename(path + ".partial", path)
        await maybe_hold("data-end")
        return "250 2.0.0 saved"


async def main():
    loop = asyncio.get_running_loop()
    # A server of our own on port 0 (aiosmtpd's Controller cannot pick a free port in 1.4).
    server = await loop.create_server(lambda: SMTP(Handler()), host="127.0.0.1", port=0)
    print(json.dumps({"port": server.sockets[0].getsockname()[1]}), flush=True)
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


asyncio.run(main())
