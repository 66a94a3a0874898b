#!/usr/bin/env python3
"""oidc-issuer.py PORT_FILE: the smallest OpenID provider oidc-agent accepts.

scripts/bench needs oidc-agent to hold one account so that `oidc-token`
can be timed the way its users run it: the agent hands out its cached
access token without talking to the provider.  oidc-gen insists on an
issuer (discovery document, token endpoint) when the account is created;
this serves both on 127.0.0.1 and answers every token request with a fresh
token valid for an hour.  It is not a test double for anything else.
"""
import http.server
import json
import os
import secrets
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, obj, code=200):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        base = "http://127.0.0.1:%d" % self.server.server_port
        if self.path.startswith("/.well-known/openid-configuration"):
            self.reply({
                "issuer": base + "/",
                "authorization_endpoint": base + "/authorize",
                "token_endpoint": base + "/token",
                "userinfo_endpoint": base + "/userinfo",
                "jwks_uri": base + "/jwks",
                "grant_types_supported": ["password", "refresh_token"],
                "scopes_supported": ["openid", "offline_access"],
                "response_types_supported": ["code"],
            })
        else:
            self.reply({"error": "not_found"}, 404)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.token_requests += 1
        self.reply({
            "access_token": "at-" + secrets.token_hex(24),
            "token_type": "Bearer",
            "expires_in": 3600,
            "refresh_token": "rt-" + secrets.token_hex(16),
            "scope": "openid offline_access",
        })

    def log_message(self, *args):
        pass


def main():
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    server.token_requests = 0
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_port)
    os.rename(tmp, sys.argv[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
