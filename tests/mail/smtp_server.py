"""A real SMTP server for deskql's mail tests (tests/suite/mail.rs).

aiosmtpd speaks the protocol; this script only decides what to answer and
keeps what it received. It listens on 127.0.0.1 (a free port, printed as
`PORT <n>` on stdout), and for every accepted message writes, in OUT_DIR:
  NNN.eml   the message as received
  NNN.json  envelope (mail_from, rcpt_tos), headers, and the MIME parts
  NNN.txt / NNN.html  the decoded text/plain and text/html parts
Python's own `email` package parses the message: an independent check of
the MIME that deskql (lettre) built.

Options (JSON, the first argument):
  out            the folder for what it receives
  refuse         addresses answered `550 5.1.1` at RCPT TO
  drop_at_data   the Nth DATA (1-based) gets no answer: the connection is
                 closed, as a server that dies mid-transaction
  stall          addresses whose RCPT TO is answered only after 60 s (a
                 server that hangs: the client's timeout fires first)
  tls            "starttls" (STARTTLS offered and required before MAIL) or
                 "smtps" (TLS from the first byte), with `cert` and `key`
  logins         {"user": "password"}: AUTH (PLAIN, LOGIN) offered and
                 required, over TLS only for "starttls"; a wrong password
                 gets 535
The summary of each message says whether it came over TLS and as whom.
  lifetime       seconds after which the server stops by itself (default 300)
"""

import asyncio
import json
import os
import sys
from email import policy
from email.parser import BytesParser

from aiosmtpd.smtp import SMTP, AuthResult
import ssl


class Handler:
    def __init__(self, options):
        self.out = options["out"]
        self.refuse = set(a.lower() for a in options.get("refuse", []))
        self.drop_at_data = options.get("drop_at_data")
        self.stall = set(a.lower() for a in options.get("stall", []))
        self.logins = options.get("logins", {})
        self.datas = 0
        self.accepted = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.stall:
            await asyncio.sleep(60)
            return "451 4.4.2 too slow"
        if address.lower() in self.refuse:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.datas += 1
        if self.drop_at_data is not None and self.datas == self.drop_at_data:
            server.transport.close()
            return "421 closing"  # never reaches the client: the connection is gone
        self.accepted += 1
        self.keep(server, session, envelope)
        return "250 OK queued as %03d" % self.accepted

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        login = auth_data.login.decode()
        if self.logins.get(login) == auth_data.password.decode():
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)

    def keep(self, server, session, envelope):
        stem = os.path.join(self.out, "%03d" % self.accepted)
        raw = envelope.original_content or envelope.content
        with open(stem + ".eml", "wb") as f:
            f.write(raw)
        message = BytesParser(policy=policy.default).parsebytes(raw)
        parts = []
        for part in message.walk():
            parts.append(part.get_content_type())
            if part.get_content_type() == "text/plain":
                with open(stem + ".txt", "w", encoding="utf-8") as f:
                    f.write(part.get_content())
            elif part.get_content_type() == "text/html":
                with open(stem + ".html", "w", encoding="utf-8") as f:
                    f.write(part.get_content())
        summary = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": {k: str(v) for k, v in message.items()},
            "parts": parts,
            "defects": [str(d) for d in message.defects],
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "login": session.auth_data.login.decode() if session.authenticated else None,
        }
        with open(stem + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=1)
        os.replace(stem + ".json.tmp", stem + ".json")


async def main(options):
    handler = Handler(options)
    loop = asyncio.get_running_loop()
    tls = options.get("tls")
    context = None
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(options["cert"], options["key"])
    settings = dict(hostname="smtp.test")
    if handler.logins:
        settings.update(authenticator=handler.authenticate, auth_required=True, auth_require_tls=(tls == "starttls"))
    if tls == "starttls":
        settings.update(tls_context=context, require_starttls=True)
    server = await loop.create_server(
        lambda: SMTP(handler, **settings), host="127.0.0.1", port=0, ssl=context if tls == "smtps" else None
    )
    port = server.sockets[0].getsockname()[1]
    print("PORT %d" % port, flush=True)
    async with server:
        await asyncio.sleep(options.get("lifetime", 300))


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1])))
