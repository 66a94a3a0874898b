#!/bin/sh
# authorization-code profiles: `uipauth login` end to end with curl as the
# browser, and every way a redirect can go wrong.
. "$UA_TESTS/lib.sh"
. "$UA_TESTS/integration/login-lib.sh"
ua_setup

ua_start_idserver || { echo "Bail out! identity server did not start"; exit 1; }
ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }

add_ac web
is "$?" 0 "add an authorization-code profile"
status_is 5 "before any login, a token needs one" "$UIPAUTH" token web
like "$(cat "$T/last.err")" 'uipauth login web' "and the error says to run uipauth login"

# --- a whole login ----------------------------------------------------------
login_start web
is "$?" 0 "login prints the URL to open"
like "$AUTH_URL" "^$IDP/identity_/connect/authorize\\?" "at the identity server's authorize endpoint"
like "$AUTH_URL" 'code_challenge_method=S256' "with PKCE S256"
like "$AUTH_URL" 'code_challenge=[A-Za-z0-9_-]{43}(&|$)' "and a 43-character challenge"
like "$AUTH_URL" 'scope=OR.Default(%20|\+)OR.Jobs(%20|\+)offline_access' "asking for offline_access"
like "$AUTH_URL" 'state=[A-Za-z0-9_-]{20,}' "with a state"
like "$AUTH_URL" "redirect_uri=http%3A%2F%2Flocalhost%3A$LOGIN_PORT" "and the profile's redirect URI"
code=$(curl -s -L --max-redirs 1 -o "$T/page.html" -w '%{http_code}' "$AUTH_URL")
is "$code" 200 "the listener answers the browser after the redirect"
like "$(cat "$T/page.html")" 'Signed in' "with a short page"
login_wait
is "$?" 0 "login exits 0"
like "$(cat "$T/login.out")" 'Signed in: profile web' "and says so"
rt=$(stored_refresh_token web)
like "$rt" '^rt-' "the refresh token is in the keyring"
is "$(idp_stat authorization_code)" 1 "one code exchange"
tok=$("$UIPAUTH" token web)
like "$tok" '^tok-' "a token flows"
check "the server accepts it" bearer_ok web
is "$(idp_stat refresh_token)" "" "the login's own access token was served first"
new=$("$UIPAUTH" token web --force-new)
check "--force-new refreshes" test "$new" != "$tok"
is "$(idp_stat refresh_token)" 1 "with one refresh request"
rt2=$(stored_refresh_token web)
check "the rotated refresh token replaced the old one in the keyring" test "$rt2" != "$rt" -a -n "$rt2"
check "the refreshed token is accepted" bearer_ok web
out=$(sh -c 'eval "$("$UIPAUTH" env web --shell sh)" && printf "%s %s" "$UIPATH_ACCESS_TOKEN" "$UIPATH_URL"')
is "$out" "$new $IDP/org/tenant" "env exports it"
is "$("$UIPAUTH" exec web -- sh -c 'printf %s "$UIPATH_ACCESS_TOKEN"')" "$new" "exec passes it"
"$UIPAUTH" remove web >/dev/null
add_ac web --match "$IDP/*"
do_login web
is "$?" 0 "a second login after remove and add"
host=${IDP#http://}
out=$(printf 'protocol=http\nhost=%s\npath=org/repo.git\n\n' "$host" | "$UIPAUTH" get)
like "$out" '^password=tok-' "git get answers with a token of the logged-in profile"
check "no listener is left on the port" sh -c "! curl -s -o /dev/null '$REDIRECT/'"
rt=$(stored_refresh_token web)

# --- redirects that must fail, each leaving the keyring as it was -----------
# expect_failure DESC PATTERN: the background login fails with exit 5 and
# a message matching PATTERN, and the stored refresh token is unchanged.
expect_failure () {
  login_wait
  is "$?" 5 "$1: login exits 5"
  like "$(cat "$T/login.err")" "$2" "$1: the error says why"
  like "$(cat "$T/login.err")" 'uipauth login web' "$1: and what to do"
  is "$(stored_refresh_token web)" "$rt" "$1: the stored refresh token is unchanged"
}

# A redirect without the login's state is someone else's (another local
# user, a stale tab): an error page, and the login keeps waiting.
login_start web --timeout 3
code=$(curl -s -o "$T/page.html" -w '%{http_code}' "$REDIRECT/?code=forged&state=not-the-state")
is "$code" 400 "a wrong state gets 400"
like "$(cat "$T/page.html")" 'state does not match' "and a page that says why"
code=$(curl -s -o "$T/page.html" -w '%{http_code}' "$REDIRECT/?code=forged")
is "$code" 400 "so does a missing state"
check "neither ends the login" kill -0 "$LOGIN_PID"
expect_failure "forged redirects are ignored until the timeout" 'no sign-in arrived'

login_start web
curl -s -o /dev/null "$REDIRECT/?state=$(auth_state)"
expect_failure "missing code" 'no authorization code'

login_start web
curl -s -o /dev/null "$REDIRECT/?error=access_denied&error_description=The+user+said+no&state=$(auth_state)"
expect_failure "access_denied" 'user denied access in the browser.*\(access_denied: The user said no\)'

login_start web --timeout 2
expect_failure "timeout" 'no sign-in arrived'

# Garbage, other paths and slow peers cost nothing: the login goes on.
login_start web --timeout 30
# More silent connections than the listener has slots (a browser's
# preconnects, or another user holding them): the oldest make room.
holders=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new("127.0.0.1:$ARGV[0]") or die;
    sleep 30' "$LOGIN_PORT" &
  holders="$holders $!"
done
sleep 0.3
is "$(curl -s -o /dev/null -w '%{http_code}' "$REDIRECT/favicon.ico")" 404 "another path gets 404"
is "$(curl -s -o /dev/null -w '%{http_code}' "$REDIRECT/?code=forged&state=nope")" 400 \
  "a forged redirect gets 400 and the login goes on"
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$REDIRECT/?code=x&state=$(auth_state)")" 404 \
  "another method gets 404"
raw=$(perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new("127.0.0.1:$ARGV[0]") or die;
  print $s "\x01\xff garbage\r\n\r\n"; print while <$s>' "$LOGIN_PORT" | head -n 1)
like "$raw" '^HTTP/1.1 400' "garbage gets 400"
raw=$(perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new("127.0.0.1:$ARGV[0]") or die;
  print $s "GET /?code=a&code=b&state=x HTTP/1.1\r\n\r\n"; print while <$s>' "$LOGIN_PORT" | head -n 1)
like "$raw" '^HTTP/1.1 400' "a repeated parameter gets 400"
perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new("127.0.0.1:$ARGV[0]") or die;
  print $s "GET /?co"; sleep 30' "$LOGIN_PORT" &
slow=$!
sleep 0.5
check "the login is still waiting" kill -0 "$LOGIN_PID"
loc=$(auth_redirect)
idp_control fault '{"mode":"delay","ms":1500}' >/dev/null
curl -s -o "$T/first.html" -w '%{http_code}' "$loc" >"$T/first.code" &
first=$!
sleep 0.5
second=$(curl -s -o "$T/second.html" -w '%{http_code}' "$loc")
is "$second" 409 "a second redirect during the exchange gets 409"
like "$(cat "$T/second.html")" 'already been received' "with a page saying so"
wait "$first"
idp_control fault '{"mode":"none"}' >/dev/null
is "$(cat "$T/first.code")" 200 "the first redirect completes the login despite garbage, slow and silent peers, a forged and a second redirect"
login_wait
is "$?" 0 "and login exits 0"
# shellcheck disable=SC2086
kill "$slow" $holders 2>/dev/null
rt3=$(stored_refresh_token web)
check "it stored a new refresh token" test -n "$rt3" -a "$rt3" != "$rt"
check "its tokens work" bearer_ok web
status_is 7 "a redirect after the login finds no listener" curl -s "$loc"

# --- the browser --------------------------------------------------------------
# With a display, login starts $BROWSER (else xdg-open) itself: from an
# argv, the URL one argument, no shell.  This browser follows the URL.
cat >"$T/browser" <<EOF
#!/bin/sh
printf '%s\n' "\$#" "\$@" >"$T/browser.args"
exec curl -s -L --max-redirs 1 -o "$T/browser.page" "\$1"
EOF
chmod +x "$T/browser"
DISPLAY=:99 BROWSER="$T/no-such-browser:$T/browser %s" "$UIPAUTH" login web \
  >"$T/login.out" 2>"$T/login.err"
is "$?" 0 "with a display, login starts the browser, which signs in"
like "$(cat "$T/login.err")" '^Opening a browser to sign in profile web; if none opens' \
  "saying it opens one, and giving the URL too"
is "$(sed -n 1p "$T/browser.args")" 1 "the browser gets one argument"
is "$(sed -n 2p "$T/browser.args")" "$(grep '^http' "$T/login.err")" "the URL, as printed"
unlike "$(cat "$T/agent.log")" 'code_challenge|connect/authorize' "the URL is not in the agent's log"

# A browser that fails at once is reported; the login goes on.
: >"$T/login.err"   # empty before the login starts to write it
DISPLAY=:99 BROWSER=false "$UIPAUTH" login web --timeout 30 >"$T/login.out" 2>"$T/login.err" &
LOGIN_PID=$!
wait_for 10 grep -q 'could not start a browser' "$T/login.err"
like "$(cat "$T/login.err")" 'could not start a browser \(false exited with status 1\); open the URL above' \
  "a browser that fails is reported"
AUTH_URL=$(grep '^http' "$T/login.err" | head -n 1)
curl -s -L --max-redirs 1 -o /dev/null "$AUTH_URL"
login_wait
is "$?" 0 "and the URL printed still signs in"

# No display, or an ssh session: the user's own browser must reach the
# listener here, so login prints the ssh -L command, and starts nothing.
rm -f "$T/browser.args"
me=$(id -un)
for remote in ssh no-display; do
  : >"$T/login.err"
  if [ $remote = ssh ]; then
    DISPLAY=:99 SSH_CONNECTION='10.1.2.3 51000 10.0.0.5 2222' USER=$me BROWSER="$T/browser" \
      "$UIPAUTH" login web --timeout 30 >"$T/login.out" 2>"$T/login.err" &
    want="ssh -L $LOGIN_PORT:127.0.0.1:$LOGIN_PORT -p 2222 $me@10.0.0.5"
  else
    USER=$me BROWSER="$T/browser" "$UIPAUTH" login web --timeout 30 \
      >"$T/login.out" 2>"$T/login.err" &
    want="ssh -L $LOGIN_PORT:127.0.0.1:$LOGIN_PORT $me@$(hostname)"
  fi
  LOGIN_PID=$!
  wait_for 10 grep -q '^http' "$T/login.err"
  like "$(cat "$T/login.err")" "^  $want\$" "$remote: login prints the ssh -L command"
  like "$(cat "$T/login.err")" 'on your own machine' "$remote: and says where to open the URL"
  check "$remote: and starts no browser" test ! -e "$T/browser.args"
  AUTH_URL=$(grep '^http' "$T/login.err" | head -n 1)
  curl -s -L --max-redirs 1 -o /dev/null "$AUTH_URL"
  login_wait
  is "$?" 0 "$remote: the URL signs in"
done
rt3=$(stored_refresh_token web)

# --- Ctrl-C -----------------------------------------------------------------
# SIGINT, SIGTERM or SIGHUP on `uipauth login` cancels the login in the
# agent: the port closes at once, not at the timeout, and login ends as
# the signal would have ended it.
for sig in INT:130 TERM:143 HUP:129; do
  name=${sig%:*} want=${sig#*:}
  login_start web --timeout 120
  is "$(curl -s -o /dev/null -w '%{http_code}' "$REDIRECT/favicon.ico")" 404 \
    "SIG$name: the listener is open before"
  kill -"$name" "$LOGIN_PID"
  login_wait
  is "$?" "$want" "SIG$name: login exits $want"
  like "$(cat "$T/login.err")" 'login of profile web cancelled .*stored sign-in is unchanged' \
    "SIG$name: and says it cancelled the login"
  status_is 7 "SIG$name: the listener's port is closed at once" curl -s "$REDIRECT/"
  is "$(stored_refresh_token web)" "$rt3" "SIG$name: the stored refresh token is unchanged"
done
grep -q 'login for profile web failed: login-required' "$T/agent.log"
is "$?" 0 "the agent logs the cancelled login"
out=$(frame 'v=1\nop=login-cancel\nlogin=no-such-login\n' | "$UA_RAW" "$UIPAUTH_SOCK" --replies 1)
like "$out" 'error=invalid-argument' "login-cancel of an unknown login is refused"
# A login that has ended stays as it ended.
id=$(frame 'v=1\nop=login-start\nprofile=web\nno_browser=1\ntimeout=1\n' |
  "$UA_RAW" "$UIPAUTH_SOCK" --replies 1 | sed -n 's/^login=//p')
frame "v=1\\nop=login-wait\\nlogin=$id\\n" | "$UA_RAW" "$UIPAUTH_SOCK" --replies 1 --timeout 5000 >/dev/null
out=$(frame "v=1\\nop=login-cancel\\nlogin=$id\\n" | "$UA_RAW" "$UIPAUTH_SOCK" --replies 1)
like "$out" 'status=ok' "login-cancel of a login that timed out is answered ok"
like "$out" 'cancelled=0' "saying it had ended already"
out=$(frame "v=1\\nop=login-wait\\nlogin=$id\\n" | "$UA_RAW" "$UIPAUTH_SOCK" --replies 1)
like "$out" 'no sign-in arrived' "and the login keeps its own result"
check "tokens still flow after the cancelled logins" bearer_ok web

# --- misuse -----------------------------------------------------------------
printf 'p\n' | "$UIPAUTH" add apat --type pat >/dev/null
status_is 2 "login of a PAT profile is refused" "$UIPAUTH" login apat --no-browser
like "$(cat "$T/last.err")" 'authorization-code' "saying which profiles log in"
"$UIPAUTH" add badr --type authorization-code --client-id public-app \
  --identity-url "$IDP/identity_" --redirect-uri "https://example.com/cb" >/dev/null
status_is 2 "a redirect URI that is not loopback http is refused" "$UIPAUTH" login badr --no-browser
check "the agent survived all of it" kill -0 "$AGENT_PID"
check "the refresh token is not in the agent's log" no_file_contains "$rt3" "$T/agent.log"
check "the refresh token is in no file under the config dir" no_file_contains "$rt3" "$XDG_CONFIG_HOME"

done_testing
