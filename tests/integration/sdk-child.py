#!/usr/bin/env python3
"""sdk-child.py SECONDS INTERVAL_MS: a long-running program that calls the
API the way UiPath's Python SDK does.  It reads UIPATH_URL and the token
(UNATTENDED_USER_ACCESS_TOKEN, else UIPATH_ACCESS_TOKEN) once, builds one
client (one keep-alive connection), never refreshes the token and never
retries a 401.  It asks for Orchestrator's users every INTERVAL_MS for
SECONDS and prints "requests=N failures=M first_failure_s=S"."""
import http.client
import os
import sys
import time
import urllib.parse


def main():
    seconds, interval = float(sys.argv[1]), float(sys.argv[2]) / 1000
    url = urllib.parse.urlsplit(os.environ["UIPATH_URL"])
    token = (os.environ.get("UNATTENDED_USER_ACCESS_TOKEN")
             or os.environ["UIPATH_ACCESS_TOKEN"])
    kind = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    client = kind(url.hostname, url.port, timeout=10)
    headers = {"Authorization": "Bearer " + token, "Accept": "application/json"}
    path = url.path + "/orchestrator_/odata/Users"
    start = time.monotonic()
    requests = failures = 0
    first_failure = -1.0
    while time.monotonic() - start < seconds:
        requests += 1
        try:
            client.request("GET", path, headers=headers)
            response = client.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            client.close()
            ok = False
        if not ok:
            failures += 1
            if first_failure < 0:
                first_failure = time.monotonic() - start
        time.sleep(interval)
    print("requests=%d failures=%d first_failure_s=%.1f" % (requests, failures, first_failure))


main()
