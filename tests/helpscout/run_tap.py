#!/usr/bin/env python3
"""Runs the real tap-helpscout entry point with its HTTP client routed to a local server.

    venv/bin/python run_tap.py --base http://127.0.0.1:PORT -- -c config.json --catalog catalog.json

Everything after `--` is passed to the tap unchanged (its own options: -c,
--catalog, -s, --discover, --dev). Run it with the interpreter of the
virtualenv that has tap-helpscout installed.

Why a wrapper is needed
-----------------------
tap-helpscout 1.2.2 has no option for its API address. Two URLs are literals in
tap_helpscout/client.py:

  * HelpScoutClient.get_access_token() posts to
    "https://api.helpscout.net/v2/oauth2/token" (refresh-token grant);
  * HelpScoutClient.request() prefixes every path with
    "https://api.helpscout.net/v2" (self.__base_url, name-mangled, set lazily).

Both calls go through one requests.Session created in HelpScoutClient.__init__
(self.__session.post(...) and self.__session.request(...)); Session.post()
itself calls Session.request().

What this wrapper changes -- and nothing else
---------------------------------------------
It wraps requests.Session.request, for this process only, so that a URL that
starts with https://api.helpscout.net/ is sent to the --base origin instead
(scheme, host and port replaced; path and query kept byte for byte). Any other
URL that is not on a loopback address is refused, so that a run can never reach
the real service. Then it calls tap_helpscout.main() -- the same function the
`tap-helpscout` console script calls -- with sys.argv set to the tap arguments.

No tap code, configuration key, header, token handling, pagination, bookmark or
output is altered: the tap authenticates, pages, transforms and writes its
SCHEMA/RECORD/STATE messages exactly as it would against the real API. (Its log
lines still print https://api.helpscout.net/... because the tap formats them
itself before calling the client.)
"""
import argparse
import ipaddress
import os
import sys
from urllib.parse import urlsplit

PUBLIC_API = "https://api.helpscout.net/"


def main():
    ap = argparse.ArgumentParser(usage="run_tap.py --base http://127.0.0.1:PORT -- TAP-ARGS...")
    ap.add_argument("--base", required=True, help="origin of the local server, e.g. http://127.0.0.1:8765")
    argv = sys.argv[1:]
    if "--" not in argv:
        ap.error("put the tap's own arguments after --")
    split = argv.index("--")
    args = ap.parse_args(argv[:split])
    tap_args = argv[split + 1:]

    base = args.base.rstrip("/") + "/"
    host = urlsplit(base).hostname or ""
    if not _is_loopback(host):
        ap.error(f"--base must be a loopback address, not {host!r}")

    # Loopback traffic must not be sent to a proxy from the environment.
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost,::1"

    import requests

    original_request = requests.Session.request

    def routed_request(self, method, url, *a, **kw):
        if isinstance(url, str) and url.startswith(PUBLIC_API):
            url = base + url[len(PUBLIC_API):]
        if not _is_loopback(urlsplit(url).hostname or ""):
            raise RuntimeError(f"run_tap.py: refusing a request to {url} (only the local fixture server)")
        return original_request(self, method, url, *a, **kw)

    requests.Session.request = routed_request

    import tap_helpscout

    sys.argv = ["tap-helpscout"] + tap_args
    return tap_helpscout.main()


def _is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


if __name__ == "__main__":
    sys.exit(main())
