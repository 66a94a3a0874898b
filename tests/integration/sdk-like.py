#!/usr/bin/env python3
"""A stand-in for UiPath's Python SDK (package `uipath` 2.14) as far as
credentials go, for test-sdk-env.sh: it loads ./.env over the environment
(the `uipath` command does, unless PYTHON_DOTENV_DISABLED), takes the
token from UNATTENDED_USER_ACCESS_TOKEN, else UIPATH_ACCESS_TOKEN, once,
and reads organization and tenant out of UIPATH_URL the way the SDK does
(an empty pair unless the path is exactly /org/tenant).  Then it calls
the test server's /api/check with that token.

Prints: STATUS ORG TENANT TENANT_ID SOURCE (a field "-" when empty), and
exits 0 when the server took the token, 1 when not, 3 when UIPATH_URL has
no organization and tenant (the SDK would build wrong URLs)."""
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


def load_dotenv():
    if os.environ.get("PYTHON_DOTENV_DISABLED", "").lower() in ("1", "true", "t", "yes", "y"):
        return
    try:
        lines = open(".env", encoding="utf-8").read().splitlines()
    except FileNotFoundError:
        return
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ[key.strip()] = value.strip().strip("'\"")  # override=True


def org_tenant(url):
    parts = urllib.parse.urlparse(url).path.strip("/").split("/")
    return (parts[0], parts[1]) if len(parts) == 2 else ("", "")


def main():
    load_dotenv()
    source = "UNATTENDED_USER_ACCESS_TOKEN"
    token = os.environ.get(source)
    if not token:
        source = "UIPATH_ACCESS_TOKEN"
        token = os.environ.get(source, "")
    url = os.environ.get("UIPATH_URL", "")
    parsed = urllib.parse.urlparse(url)
    base = "%s://%s%s" % (parsed.scheme, parsed.hostname,
                          ":%d" % parsed.port if parsed.port else "")
    org, tenant = org_tenant(url)
    tenant_id = os.environ.get("UIPATH_TENANT_ID", "")
    req = urllib.request.Request(base + "/api/check",
                                 headers={"Authorization": "Bearer " + token,
                                          "x-uipath-tenantid": tenant_id})
    try:
        status = urllib.request.urlopen(req, timeout=10).status
    except urllib.error.HTTPError as e:
        status = e.code
    print(status, org or "-", tenant or "-", tenant_id or "-", source)
    if not (org and tenant):
        return 3
    return 0 if status == 200 else 1


sys.exit(main())
