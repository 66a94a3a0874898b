#!/bin/sh
# `uipauth login` in a real browser: headless chromium (browser.py) signs
# in at the test identity server's form, consents or not, and lands on
# the listener's pages.  Each case keeps a screenshot of the page it ends
# on in $UA_SCREENSHOTS.
. "$UA_TESTS/lib.sh"
. "$UA_TESTS/integration/login-lib.sh"

SHOTS=${UA_SCREENSHOTS:-$PWD/browser-screenshots}
export UA_BROWSER_USER=alice UA_BROWSER_PASSWORD=wonderland

# A python3 earlier on PATH (a virtualenv, say) may lack Debian's
# python3-selenium: take the first that has it.
for PY in python3 /usr/bin/python3 ''; do
  [ -n "$PY" ] && "$PY" -c 'import selenium' 2>/dev/null && break
done
if [ -z "$PY" ]; then
  echo "1..0 # SKIP no python3 with selenium (scripts/deps test installs python3-selenium)"
  exit 0
fi
if ! command -v chromedriver >/dev/null ||
   ! { [ -x /usr/lib/chromium/chromium ] || command -v chromium >/dev/null; }; then
  echo "1..0 # SKIP no chromium and chromedriver (scripts/deps test installs them)"
  exit 0
fi

ua_setup
ua_start_idserver --sign-in "$UA_BROWSER_USER:$UA_BROWSER_PASSWORD" ||
  { echo "Bail out! identity server did not start"; exit 1; }
ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }
mkdir -p "$SHOTS"
diag "screenshots in $SHOTS"

# browse NAME STEP...: one browser run (see browser.py), its description
# of the last page in $T/NAME.page, the screenshot in $SHOTS/NAME.png.
browse () {
  ua_shot=$1; shift
  rm -f "$SHOTS/$ua_shot.png"
  timeout 90 "$PY" "$UA_TESTS/browser/browser.py" --shots "$SHOTS" --name "$ua_shot" \
    --work "$T/browser-$ua_shot" "$@" >"$T/$ua_shot.page" 2>"$T/$ua_shot.browser-err"
  ua_rc=$?
  [ $ua_rc -eq 0 ] && return 0
  diag "browser.py $ua_shot: exit $ua_rc" "$(grep '^browser.py' "$T/$ua_shot.browser-err")"
  kill "$LOGIN_PID" 2>/dev/null  # its checks fail now, not after its wait
  return $ua_rc
}

# page NAME KEY: one line of browser.py's description.
page () {
  sed -n "s/^$2=//p" "$T/$1.page"
}

# browsed STATUS DESCRIPTION NAME: browse NAME went through (STATUS), its
# screenshot is there, and the browser reached nothing but loopback.
browsed () {
  is "$1" 0 "$2: the browser run goes through"
  check "$2: a screenshot of the last page is kept" test -s "$SHOTS/$3.png"
  is "$(page "$3" reached)" ok "$2: the browser reached no address but loopback"
}

add_ac web
is "$?" 0 "add an authorization-code profile"

# --- sign in as a user does, with a wrong password first ---------------------
# With a display, `uipauth login` starts $BROWSER itself: here a script
# that runs browser.py on the URL, which the client leaves running.
cat >"$T/chromium" <<EOF
#!/bin/sh
timeout 90 "$PY" "$UA_TESTS/browser/browser.py" --shots "$SHOTS" --name signed-in \\
  --work "$T/browser-signed-in" open "\$1" wrong-password shot wrong-password \\
  sign-in shot consent allow >"$T/signed-in.page" 2>"$T/signed-in.browser-err"
echo \$? >"$T/signed-in.rc"
EOF
chmod +x "$T/chromium"
DISPLAY=:99 BROWSER="$T/chromium %s" "$UIPAUTH" login web --timeout 60 \
  >"$T/login.out" 2>"$T/login.err"
is "$?" 0 "uipauth login starts the browser, which signs in: login exits 0"
like "$(cat "$T/login.err")" '^Opening a browser to sign in profile web' "saying it opens a browser"
like "$(cat "$T/login.out")" 'Signed in: profile web' "and that the profile is signed in"
wait_for 30 test -s "$T/signed-in.rc"
browsed "$(cat "$T/signed-in.rc")" "sign-in" signed-in
diag "chromium's own requests, refused by the closed proxy: $(page signed-in blocked)"
is "$(page signed-in wrong-password.heading)" "Sign in" "a wrong password shows the form again"
like "$(page signed-in wrong-password.text)" 'user name or password is incorrect' "with the error"
is "$(page signed-in heading)" "Signed in to web" "the listener's page says which profile is signed in"
like "$(page signed-in text)" '"uipauth login" has finished in your terminal\. You can close this tab\.' \
  "and what to do next"
unlike "$(page signed-in text)" 'code-|tok-|rt-' "it echoes no code or token"
is "$(idp_stat authorization_code)" 1 "one code exchange"
like "$("$UIPAUTH" token web)" '^tok-' "a token flows"
check "the server accepts it" bearer_ok web
rt=$(stored_refresh_token web)

# --- Deny on the consent page ------------------------------------------------
login_start web --timeout 30
browse denied open "$AUTH_URL" sign-in deny
browsed $? "deny" denied
is "$(page denied heading)" "Sign-in failed" "Deny ends on the listener's error page"
like "$(page denied text)" 'user denied access in the browser.*run "uipauth login web" again' \
  "which says what happened and what to run"
like "$(page denied text)" '"uipauth login" has stopped in your terminal' "and where to look"
login_wait
is "$?" 5 "uipauth login exits 5 (rejected)"
like "$(cat "$T/login.err")" 'user denied access in the browser.*\(access_denied\)' \
  "and says the user denied access"
is "$(idp_stat authorization_code)" 1 "no code was exchanged"
is "$(stored_refresh_token web)" "$rt" "the stored sign-in is unchanged"

# --- a stale tab: its state is not the pending login's -------------------------
login_start web --timeout 30
stale_url=$AUTH_URL
stale_pid=$LOGIN_PID
login_start web --timeout 30
wait "$stale_pid"
is "$?" 5 "a second login replaces the first"
browse wrong-state open "$stale_url" sign-in allow
browsed $? "stale tab" wrong-state
is "$(page wrong-state heading)" "Sign-in not accepted" "the old tab's redirect gets the error page"
like "$(page wrong-state text)" 'state does not match.*still waiting in your terminal' \
  "which says the login still waits"
check "and the login keeps waiting" kill -0 "$LOGIN_PID"
browse after-wrong-state open "$AUTH_URL" sign-in allow
browsed $? "the right tab after it" after-wrong-state
is "$(page after-wrong-state heading)" "Signed in to web" "then the right redirect signs in"
login_wait
is "$?" 0 "and uipauth login exits 0"
is "$(idp_stat authorization_code)" 2 "with the only code exchanged since"

# --- the redirect replayed ---------------------------------------------------
# While the code is exchanged (the identity server is slow), a second tab
# brings the same redirect: "Already used"; the first tab then signs in.
login_start web --timeout 30
idp_control fault '{"mode":"delay","ms":2500,"count":1}' >/dev/null
browse replay-during-exchange open "$AUTH_URL" sign-in allow-nowait \
  replay-in-new-tab shot already-used first-tab
browsed $? "a second tab during the exchange" replay-during-exchange
check "a screenshot of the second tab is kept" test -s "$SHOTS/already-used.png"
is "$(page replay-during-exchange already-used.heading)" "Already used" \
  "the second tab gets the listener's 'Already used' page"
like "$(page replay-during-exchange already-used.text)" 'already been received.*shows how it ends' \
  "which says where to look"
is "$(page replay-during-exchange heading)" "Signed in to web" "the first tab signs in"
login_wait
is "$?" 0 "uipauth login exits 0"
is "$(idp_stat authorization_code)" 3 "the code was exchanged once"
# After the login, the same URL finds no listener.
login_start web --timeout 30
browse replayed open "$AUTH_URL" sign-in allow reopen
browsed $? "the redirect reopened after the login" replayed
like "$(page replayed text)" 'ERR_CONNECTION_REFUSED' "finds no listener"
login_wait
is "$?" 0 "the login it replayed had succeeded"
is "$(idp_stat authorization_code)" 4 "and nothing more was exchanged"
check "its tokens work" bearer_ok web

# --- the tab closed before the end -------------------------------------------
rt=$(stored_refresh_token web)
login_start web --timeout 3
browse tab-closed open "$AUTH_URL" sign-in close
browsed $? "the tab closed on the consent page" tab-closed
login_wait
is "$?" 5 "uipauth login exits 5 once its wait is over"
like "$(cat "$T/login.err")" "no sign-in arrived at $REDIRECT in time.*run \"uipauth login web\" again" \
  "saying nothing came and what to run"
is "$(stored_refresh_token web)" "$rt" "the stored sign-in is unchanged"
status_is 7 "the listener is gone" curl -s "$REDIRECT/"

# --- preconnects and favicon requests ----------------------------------------
login_start web --timeout 30
curl -s -D "$T/favicon.head" -o "$T/favicon.html" "$REDIRECT/favicon.ico"
head=$(cat "$T/favicon.head")
like "$head" '^HTTP/1.1 404' "/favicon.ico gets 404"
like "$head" 'Cache-Control: no-store' "pages are not cached"
like "$head" 'Referrer-Policy: no-referrer' "send no referrer"
like "$head" "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'" \
  "and may load nothing"
unlike "$(cat "$T/favicon.html")" '<(script|img|link|iframe)|https?://' \
  "a page has no script and names no resource"
# Preconnects left idle past the listener's 3 s, and the favicon
# fetched on the way, must not keep the redirect out.
browse preconnect open "$AUTH_URL" sign-in preconnect "$REDIRECT" sleep 4 allow
browsed $? "preconnects and a favicon request" preconnect
check "the listener's 404 page was shot" test -s "$SHOTS/favicon.png"
is "$(page preconnect favicon.heading)" "Not found" "/favicon.ico in the browser: the 404 page"
check "the browser held connections to the listener that sent nothing" \
  test "$(page preconnect listener_connections)" -gt "$(page preconnect listener_requests)"
is "$(page preconnect heading)" "Signed in to web" "the sign-in still completes"
login_wait
is "$?" 0 "and uipauth login exits 0"

check "the agent survived all of it" kill -0 "$AGENT_PID"
rt=$(stored_refresh_token web)
check "the refresh token is not in the agent's log" no_file_contains "$rt" "$T/agent.log"
done_testing
