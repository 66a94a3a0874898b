#!/bin/sh
# The first slice end to end: a PAT stored once through the real client,
# kept in a real keyring, served by the agent; and the agent's defences.
. "$UA_TESTS/lib.sh"
ua_setup

PAT='pat-$(touch /tmp/pwned)`id`"q'"'"'\!;&|<>*?~#%{}[]\\end'
UNIQUE=pat-unique-Xq7Zr9

ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }

# --- add -> token round trip ---------------------------------------------
printf '%s\n' "$PAT" | "$UIPAUTH" add work --type pat --url https://cloud.uipath.com \
  --organization myorg --tenant DefaultTenant >"$T/add.out" 2>&1
is "$?" 0 "add reads the PAT from standard input"
is "$("$UIPAUTH" token work)" "$PAT" "token returns the exact PAT"
is "$("$UIPAUTH" token)" "$PAT" "the only profile is the default"
is "$(UIPAUTH_PROFILE=work "$UIPAUTH" token)" "$PAT" "UIPAUTH_PROFILE names the profile"

# --- the shell sees exactly the token ---------------------------------------
out=$(sh -c 'eval "$("$UIPAUTH" env --shell sh)" && printf %s "$UIPATH_ACCESS_TOKEN"')
is "$out" "$PAT" "eval \"\$(uipauth env)\" in sh gives the exact token"
out=$(sh -c 'eval "$("$UIPAUTH" env --shell sh)" && printf %s "$UIPATH_URL"')
is "$out" "https://cloud.uipath.com/myorg/DefaultTenant" "env exports UIPATH_URL"
check "nothing ran from the token's metacharacters" test ! -e /tmp/pwned

# --- list and status never show the secret ----------------------------------
list=$("$UIPAUTH" list)
like "$list" "work" "list names the profile"
list_json=$("$UIPAUTH" list --json)
like "$list_json" '"work"' "list --json names the profile"
status=$("$UIPAUTH" status 2>&1)
unlike "$list$list_json$status" "pat-" "list and status never print the token"

# --- the secret is in the keyring, not in files -----------------------------
printf '%s\n' "$UNIQUE" | "$UIPAUTH" add second --type pat >/dev/null 2>&1
is "$("$UIPAUTH" token second)" "$UNIQUE" "a second profile works"
check "the PAT is in no file under the config dir" no_file_contains "$UNIQUE" "$XDG_CONFIG_HOME"
check "the PAT is in no file under the runtime dir" no_file_contains "$UNIQUE" "$XDG_RUNTIME_DIR"
check "the PAT is in no file under HOME" no_file_contains "$UNIQUE" "$HOME"
is "$(secret-tool lookup profile second kind pat)" "$UNIQUE" "the PAT is an item of the real keyring"

# --- survives an agent restart ----------------------------------------------
ua_stop_agent
check "the socket is removed on SIGTERM" test ! -e "$UIPAUTH_SOCK"
ua_start_agent
is "$("$UIPAUTH" token second)" "$UNIQUE" "the PAT survives an agent restart"

# --- several profiles: a name is needed -------------------------------------
status_is 4 "token without a profile among several exits 4" "$UIPAUTH" token
like "$(cat "$T/last.err")" "UIPAUTH_PROFILE" "the error says how to choose"
status_is 4 "an unknown profile exits 4" "$UIPAUTH" token nosuch
like "$(cat "$T/last.err")" 'nosuch' "the error names the profile"

# --- remove forgets everywhere ----------------------------------------------
status_is 0 "remove succeeds" "$UIPAUTH" remove second
status_is 4 "token of a removed profile exits 4" "$UIPAUTH" token second
is "$(secret-tool lookup profile second kind pat)" "" "the keyring item is gone"
check "profiles.ini no longer has the profile" sh -c "! grep -q '^\[second\]' '$XDG_CONFIG_HOME/uipauth/profiles.ini'"
ua_stop_agent; ua_start_agent
status_is 4 "still unknown after a restart" "$UIPAUTH" token second

# --- adding twice needs --replace -------------------------------------------
printf 'x\n' | "$UIPAUTH" add work --type pat >/dev/null 2>"$T/dup.err"
is "$?" 1 "adding an existing profile fails"
like "$(cat "$T/dup.err")" "--replace" "and says to use --replace"
is "$("$UIPAUTH" token work)" "$PAT" "the stored PAT is untouched"

# --- api-key profiles warn --------------------------------------------------
printf 'legacy-key\n' | "$UIPAUTH" add legacy --type api-key >/dev/null 2>"$T/apikey.err"
like "$(cat "$T/apikey.err")" "March 2025" "adding an API key warns that support ended"
is "$("$UIPAUTH" token legacy)" "legacy-key" "an API key is served as stored"

# --- secrets never from argv: an empty stdin is refused --------------------
status_is 2 "add with an empty secret fails" sh -c "printf '' | '$UIPAUTH' add empty --type pat"

# --- another uid is refused by the agent itself -----------------------------
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  out=$("$UA_CONNECT_AS" "$(id -u)" "$(id -g)" "$UIPAUTH_SOCK" 2>&1)
  like "$out" "status=ok" "the same ping from the agent's own user is answered"
  out=$("$UA_CONNECT_AS" "$(id -u nobody)" "$(id -g nobody)" "$UIPAUTH_SOCK" 2>&1)
  like "$out" "uid=$(id -u nobody)" "the other process really runs as nobody"
  unlike "$out" "status=" "the agent answers nobody nothing"
  like "$(cat "$T/agent.log")" "refused a connection from uid $(id -u nobody)" "the agent logs the refusal"
  is "$("$UIPAUTH" token work)" "$PAT" "and keeps serving its own user"
else
  skip "peer uid check" "needs root to act as another user"
fi

# --- bad requests get errors and cost nothing else --------------------------
out=$(frame 'v=1\nop\n' | "$UA_RAW" "$UIPAUTH_SOCK" --replies 1)
like "$out" "error=bad-request" "a malformed request gets bad-request"
out=$(frame 'v=1\nop=token\nprofile=work\r\n' | "$UA_RAW" "$UIPAUTH_SOCK" --replies 1)
like "$out" "error=bad-request" "a CR in a value is refused"
out=$(frame 'v=1\nop=token\nprofile=wo\000rk\n' | "$UA_RAW" "$UIPAUTH_SOCK" --replies 1)
like "$out" "error=bad-request" "a NUL in a value is refused"
out=$(frame 'v=1\nop=frobnicate\n' | "$UA_RAW" "$UIPAUTH_SOCK" --replies 1)
like "$out" "error=unknown-op" "an unknown op gets unknown-op"
out=$(frame 'v=2\nop=ping\n' | "$UA_RAW" "$UIPAUTH_SOCK" --replies 1)
like "$out" "error=unsupported-version" "a newer protocol version is refused"
out=$(printf '\000\020\000\001xxxx' | "$UA_RAW" "$UIPAUTH_SOCK")
like "$out" "error=bad-request" "an oversized request gets bad-request"
like "$out" "EOF" "and its connection is closed"
out=$(printf '\000\000\000\100v=1\nop=tok' | "$UA_RAW" "$UIPAUTH_SOCK" --no-read)
is "$("$UIPAUTH" token work)" "$PAT" "a truncated request does not disturb the next client"
out=$( (frame 'v=1\nop=ping\n'; frame 'v=1\nop\n'; frame 'v=1\nop=token\nprofile=work\n') |
  "$UA_RAW" "$UIPAUTH_SOCK" --replies 3)
is "$(printf '%s\n' "$out" | grep -c '^status=')" 3 "one connection carries several requests, each answered"
like "$(printf '%s\n' "$out" | grep '^token=')" "^token=pat-" "including after a malformed one"
check "the agent is still running" kill -0 "$AGENT_PID"

# --- socket directory rules -------------------------------------------------
mkdir -m 0755 "$T/open"
"$UIPAUTH_AGENT" --foreground --socket "$T/open/agent.sock" 2>"$T/open.err" &
p=$!
check "the agent refuses a socket directory open to others" wait_for 20 sh -c "! kill -0 $p 2>/dev/null"
kill $p 2>/dev/null
like "$(cat "$T/open.err")" "open to other users" "and says why"
if [ "$(id -u)" = 0 ]; then
  mkdir -m 0700 "$T/theirs"; chown nobody "$T/theirs"
  "$UIPAUTH_AGENT" --foreground --socket "$T/theirs/agent.sock" 2>"$T/theirs.err" &
  p=$!
  check "the agent refuses a socket directory owned by another user" wait_for 20 sh -c "! kill -0 $p 2>/dev/null"
  kill $p 2>/dev/null
else
  skip "directory owned by another user" "needs root to chown"
fi
check "the default socket directory is 0700" test "$(stat -c %a "$XDG_RUNTIME_DIR/uipauth")" = 700
check "the socket is 0600 or stricter" sh -c "[ \$(( 0$(stat -c %a "$UIPAUTH_SOCK") & 077 )) -eq 0 ]"

# --- the client starts the agent when none answers -------------------------
ua_stop_agent
is "$("$UIPAUTH" token work)" "$PAT" "the client autostarts the agent"
status_is 0 "agent status finds it" "$UIPAUTH" agent status
status_is 0 "agent stop stops it" "$UIPAUTH" agent stop
check "the socket is gone after stop" wait_for 5 test ! -e "$UIPAUTH_SOCK"
status_is 3 "UIPAUTH_NO_AUTOSTART=1 gives exit 3 without an agent" env UIPAUTH_NO_AUTOSTART=1 "$UIPAUTH" token work

# --- nothing secret in the log ----------------------------------------------
check "the agent log has no PAT" no_file_contains "$UNIQUE" "$T/agent.log"
check "the agent log has no api key" no_file_contains "legacy-key" "$T/agent.log"

done_testing
