#!/usr/bin/env python3
"""A stand-in for `uipath auth` (UiPath's Python SDK, 2.14), for
test-import.sh: signs in with authorization code + PKCE as UiPath's
first-party client against the test identity server (which approves at
once), and leaves what the SDK leaves in the current directory: the token
response in .uipath/.auth.json (json.dump, one line) and UIPATH_URL,
UIPATH_ACCESS_TOKEN, UIPATH_TENANT_ID, UIPATH_ORGANIZATION_ID in .env,
other lines of an existing .env kept.

    sdk-auth-like.py IDP_BASE ORG TENANT TENANT_ID ORG_ID"""
import base64
import hashlib
import http.client
import json
import os
import sys
import urllib.parse
import urllib.request

CLIENT_ID = "36dea5b8-e8bb-423d-8e7b-c808df8f1c00"
REDIRECT = "http://localhost:8104/oidc/login"
SCOPE = "offline_access OrchestratorApiUserAccess IdentityServerApi"


def b64(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def sign_in(idp):
    verifier = b64(os.urandom(32))
    query = urllib.parse.urlencode({
        "client_id": CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code",
        "scope": SCOPE, "state": b64(os.urandom(16)),
        "code_challenge": b64(hashlib.sha256(verifier.encode()).digest()),
        "code_challenge_method": "S256"})
    parsed = urllib.parse.urlparse(idp)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port)
    conn.request("GET", "/identity_/connect/authorize?" + query)
    location = conn.getresponse().getheader("Location")
    code = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["code"][0]
    form = urllib.parse.urlencode({
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
        "client_id": CLIENT_ID, "code_verifier": verifier}).encode()
    with urllib.request.urlopen(idp + "/identity_/connect/token", form) as r:
        return json.load(r)


def update_env_file(values):
    if os.path.exists(".env"):
        for line in open(".env"):
            if "=" in line:
                key, value = line.strip().split("=", 1)
                values.setdefault(key, value)
    with open(".env", "w") as f:
        f.writelines("%s=%s\n" % kv for kv in values.items())


def main():
    idp, org, tenant, tenant_id, org_id = sys.argv[1:6]
    token = sign_in(idp)
    os.makedirs(".uipath", exist_ok=True)
    with open(".uipath/.auth.json", "w") as f:
        json.dump(token, f)
    update_env_file({"UIPATH_ACCESS_TOKEN": token["access_token"],
                     "UIPATH_URL": "%s/%s/%s" % (idp, org, tenant),
                     "UIPATH_TENANT_ID": tenant_id, "UIPATH_ORGANIZATION_ID": org_id})


main()
