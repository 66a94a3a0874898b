# Helpers for the authorization-code tests: a profile whose redirect URI
# is a free loopback port, `uipauth login` driven by curl instead of a
# browser, and a look into the keyring.  Sourced after lib.sh.

# A port for the login listener, unlikely to be taken: below the kernel's
# ephemeral range (32768 and up), where any process's outgoing connection
# may hold a port on 127.0.0.1 and make the listener's bind fail.
LOGIN_PORT=$(( 10000 + $$ % 20000 ))
REDIRECT="http://localhost:$LOGIN_PORT"

# add_ac NAME [more add options]
add_ac () {
  ua_name=$1; shift
  "$UIPAUTH" add "$ua_name" --type authorization-code --client-id public-app \
    --scopes "OR.Default OR.Jobs" --identity-url "$IDP/identity_" --url "$IDP" \
    --organization org --tenant tenant --redirect-uri "$REDIRECT" "$@" \
    >/dev/null 2>"$T/add.err"
}

# login_start NAME [login options]: `uipauth login` in the background;
# sets LOGIN_PID and AUTH_URL once the URL is printed.
login_start () {
  ua_name=$1; shift
  : >"$T/login.err"
  "$UIPAUTH" login "$ua_name" --no-browser "$@" >"$T/login.out" 2>"$T/login.err" &
  LOGIN_PID=$!
  wait_for 10 grep -q '^http' "$T/login.err" || return 1
  AUTH_URL=$(grep '^http' "$T/login.err" | head -n 1)
}

# login_wait: the exit status of the background login.
login_wait () {
  wait "$LOGIN_PID"
}

# The state the agent put in the authorize URL.
auth_state () {
  printf '%s\n' "$AUTH_URL" | sed -n 's/.*[?&]state=\([^&]*\).*/\1/p'
}

# Where the identity server redirects the browser to (not followed).
auth_redirect () {
  curl -s -o /dev/null -w '%{redirect_url}' "$AUTH_URL"
}

# do_login NAME: a whole login, the browser played by curl.
do_login () {
  login_start "$1" || return 1
  curl -s -L --max-redirs 1 -o "$T/page.html" "$AUTH_URL" || return 1
  login_wait
}

stored_refresh_token () {
  secret-tool lookup profile "$1" kind refresh-token 2>/dev/null
}

# bearer_ok NAME: the server accepts the profile's token.
bearer_ok () {
  "$UIPAUTH" header "$1" >"$T/hdr" 2>"$T/hdr.err" &&
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H @"$T/hdr" "$IDP/api/check")" = 200 ]
}
