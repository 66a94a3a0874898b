#!/usr/bin/env python3
"""A stand-in for uipathcli (v2) as far as credentials go, for
test-sdk-env.sh.  Like uipathcli, every auth method configured runs and
the last token wins: a PAT (UIPATH_PAT, else the config's `pat`), then
client credentials (UIPATH_CLIENT_ID + UIPATH_CLIENT_SECRET, else the
config's clientId + clientSecret), minted at {UIPATH_URI}/identity_.  The
config is $UIPATH_CONFIGURATION_PATH, else ~/.uipath/config (a missing
file is an empty config), profile $UIPATH_PROFILE, else "default"; read
as the block YAML uipathcli writes.  UIPATH_URI must be
scheme://host[:port]: a trailing slash breaks every call, as in
uipathcli.

Calls the test server's /api/check and prints: STATUS AUTH, where AUTH is
the method whose token was sent (pat, credentials or none)."""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


def profile_auth(path, name):
    """The auth map of profile @name: {key: value}."""
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except FileNotFoundError:
        return {}
    auth, current, in_auth = {}, None, False
    for line in lines:
        text = line.strip()
        if text.startswith("- name:"):
            current, in_auth = text.split(":", 1)[1].strip(), False
        elif text == "auth:":
            in_auth = True
        elif in_auth and current == name and ":" in text and line.startswith("    "):
            key, value = text.split(":", 1)
            auth[key.strip()] = value.strip()
        elif not line.startswith("    "):
            in_auth = False
    return auth


def call(url, data=None, token=None):
    headers = {"Authorization": "Bearer " + token} if token else {}
    req = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""


def main():
    uri = os.environ.get("UIPATH_URI", "")
    path = os.environ.get("UIPATH_CONFIGURATION_PATH") or os.path.expanduser("~/.uipath/config")
    auth = profile_auth(path, os.environ.get("UIPATH_PROFILE") or "default")
    token, method = None, "none"
    pat = os.environ.get("UIPATH_PAT") or auth.get("pat")
    if pat:
        token, method = pat, "pat"
    cid = os.environ.get("UIPATH_CLIENT_ID") or auth.get("clientId")
    secret = os.environ.get("UIPATH_CLIENT_SECRET") or auth.get("clientSecret")
    if cid and secret:
        form = urllib.parse.urlencode({"grant_type": "client_credentials",
                                       "client_id": cid, "client_secret": secret})
        status, body = call(uri + "/identity_/connect/token", form.encode())
        token = json.loads(body)["access_token"] if status == 200 else "refused"
        method = "credentials"
    if uri.endswith("/"):
        print(404, method)  # uipathcli builds "//orchestrator_/...": nothing answers
        return 1
    status, _ = call(uri + "/api/check", token=token)
    print(status, method)
    return 0 if status == 200 else 1


sys.exit(main())
