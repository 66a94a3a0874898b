#!/bin/sh
# Fault injection: the identity server down, slow, flapping or answering
# garbage; the keyring killed mid-operation, restarted, locked;
# profiles.ini corrupted, unreadable or edited while the agent runs; a full
# disk; the agent killed while a client waits.  After each, nothing stored
# is lost and the next request works.
. "$UA_TESTS/lib.sh"
ua_setup

SECRET='faults-secret-Jq4vW8'
PAT='faults-pat-Rk2mX5'
HTTP_TIMEOUT_MS=1500
ua_start_idserver --client "app1:$SECRET:OR.Default" ||
  { echo "Bail out! identity server did not start"; exit 1; }
IDP_PORT=$(cat "$T/idp.port")
# Shorter HTTP timeouts, and a shim that can make the disk look full.
DISKFULL_SO=$(dirname "$UA_ABUSE")/libdiskfull.so
export UA_DISKFULL_FLAG="$T/disk-is-full" UA_DISKFULL_MATCH="/uipauth/profiles.ini"
start_agent () {
  UIPAUTH_HTTP_TIMEOUT_MS=$HTTP_TIMEOUT_MS LD_PRELOAD="$DISKFULL_SO" ua_start_agent
}
start_agent || { echo "Bail out! agent did not start"; exit 1; }

INI="$XDG_CONFIG_HOME/uipauth/profiles.ini"
printf '%s\n' "$SECRET" | "$UIPAUTH" add cc --type client-credentials --client-id app1 \
  --scopes OR.Default --identity-url "$IDP/identity_" >/dev/null 2>&1
printf '%s\n' "$PAT" | "$UIPAUTH" add pat --type pat >/dev/null 2>&1
tok=$("$UIPAUTH" token cc)
like "$tok" '^tok-' "set-up: a client-credentials token from the identity server"

# everything_intact: both profiles and their secrets are still there.
everything_intact () {
  [ "$(secret-tool lookup profile cc kind client-secret)" = "$SECRET" ] &&
    [ "$(secret-tool lookup profile pat kind pat)" = "$PAT" ] &&
    grep -q '^\[cc\]' "$INI" && grep -q '^\[pat\]' "$INI"
}
# fresh_token: mint one now (the cache is emptied first: a failed mint
# leaves a still-valid cached token to be served).
fresh_token () { "$UIPAUTH" lock >/dev/null 2>&1; "$UIPAUTH" token cc "$@"; }
works () { fresh_token >/dev/null 2>&1 && [ "$("$UIPAUTH" token pat)" = "$PAT" ]; }
after () {
  check "$1: nothing stored is lost" wait_for 10 everything_intact
  check "$1: the next request works" wait_for 10 works
}

# --- identity server down ----------------------------------------------------
kill "$IDP_PID"; wait "$IDP_PID" 2>/dev/null
is "$("$UIPAUTH" token cc 2>/dev/null)" "$tok" "server down: a still-valid cached token is served"
status_is 6 "server down: a new token fails with exit 6" fresh_token
like "$(cat "$T/last.err")" "cc" "and the message names the profile ($(cat "$T/last.err"))"
ua_start_idserver --port "$IDP_PORT" --client "app1:$SECRET:OR.Default"
after "server back"

# --- slow: longer than the agent's HTTP timeout ------------------------------
idp_control fault '{"mode":"delay","ms":4000}' >/dev/null
start=$(date +%s)
tok=$("$UIPAUTH" token cc)
status_is 6 "server slower than the timeout: exit 6" fresh_token
check "within about the timeout ($HTTP_TIMEOUT_MS ms), not the server's 4 s" test $(( $(date +%s) - start )) -le 3
idp_control fault '{"mode":"none"}' >/dev/null
tok=$("$UIPAUTH" token cc)
idp_control fault '{"mode":"delay","ms":4000}' >/dev/null
is "$("$UIPAUTH" token cc 2>/dev/null)" "$tok" "a still-valid token is served while the server is slow"
idp_control fault '{"mode":"none"}' >/dev/null
after "slow server"

# --- flapping: every other request fails -------------------------------------
fails=0 oks=0
for i in 1 2 3 4 5 6; do
  if [ $((i % 2)) = 1 ]; then
    idp_control fault '{"mode":"status","code":503,"count":1}' >/dev/null
  fi
  if fresh_token >/dev/null 2>"$T/flap.err"; then oks=$((oks + 1)); else
    [ $? = 6 ] && fails=$((fails + 1)); fi
done
is "$oks/$fails" "3/3" "flapping: each request gets a token or exit 6, nothing else"
after "flapping"

# --- garbage answers -----------------------------------------------------------
for mode in html truncated garbage_json wrong_type reset close; do
  idp_control fault "{\"mode\":\"$mode\"}" >/dev/null
  status_is 6 "garbage ($mode): exit 6" fresh_token
  unlike "$(cat "$T/last.err")" "$SECRET" "garbage ($mode): the message holds no secret"
  idp_control fault '{"mode":"none"}' >/dev/null
done
after "garbage answers"

# --- keyring daemon killed mid-operation, then restarted ---------------------
# The process that owns the Secret Service name: ours, or one the bus
# activated when a client asked while ours was dead (it starts locked).
keyring_owner () {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
    sed -n 's/.*uint32 //p'
}
restart_keyring () {
  for p in "$KEYRING_PID" $(keyring_owner); do kill -TERM "$p" 2>/dev/null; done
  wait_for 10 sh -c '! dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets | grep -q true'
  printf 'throw-away-keyring-password' |
    gnome-keyring-daemon --replace --unlock --components=secrets --foreground \
      >>"$T/keyring.out" 2>>"$T/keyring.log" &
  KEYRING_PID=$!
  ua_track "$KEYRING_PID"
  wait_for 10 ua_bus_has_secrets
}
"$UIPAUTH" lock >/dev/null 2>&1
i=0; pids=""
while [ $i -lt 20 ]; do
  "$UIPAUTH" token pat >"$T/kr.$i" 2>&1 &
  pids="$pids $!"; i=$((i + 1))
done
kill -KILL "$KEYRING_PID"
start=$(date +%s)
bad=0
for p in $pids; do wait "$p"; s=$?; [ $s = 0 ] || [ $s = 7 ] || bad=$((bad + 1)); done
is "$bad" 0 "keyring killed mid-request: every client gets its token or exit 7"
check "and none waits long" test $(( $(date +%s) - start )) -le 10
printf '%s\n' "x" | "$UIPAUTH" add gone --type pat >/dev/null 2>"$T/add.err"
is "$?" 7 "without a keyring, add fails with exit 7"
check "and adds no profile without its secret" sh -c "! grep -q '^\[gone\]' '$INI'"
restart_keyring
after "keyring restarted"

# --- keyring locked ------------------------------------------------------------
dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
  org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login \
  >/dev/null 2>&1
"$UIPAUTH" lock >/dev/null 2>&1
status_is 7 "keyring locked: a token that needs the keyring fails with exit 7" timeout 20 "$UIPAUTH" token pat
like "$(cat "$T/last.err")" "[Kk]eyring" "and says the keyring is the problem"
restart_keyring
after "keyring unlocked"

# --- profiles.ini corrupted, unreadable, edited while the agent runs --------
cp "$INI" "$T/ini.good"
printf '[cc\ntype=\377\376 garbage\n' >>"$INI"
reload () { frame 'v=1\nop=reload\n' | "$UA_RAW" "$UIPAUTH_SOCK" --replies 1; }
out=$(reload)
like "$out" "error=invalid-argument" "a corrupted profiles.ini: reload fails"
like "$out" "profiles.ini" "naming the file"
is "$("$UIPAUTH" token pat)" "$PAT" "the agent keeps serving what it had"
printf 'x\n' | "$UIPAUTH" add other --type pat >/dev/null 2>&1
check "and will not write over the user's broken file" sh -c "grep -q 'garbage' '$INI' && ! grep -q '^\[other\]' '$INI'"
cp "$T/ini.good" "$INI"
rm -f "$INI"; mkdir "$INI"
like "$(reload)" "error=" "an unreadable profiles.ini (a directory): reload fails"
is "$("$UIPAUTH" token pat)" "$PAT" "and the agent keeps serving"
rmdir "$INI"; cp "$T/ini.good" "$INI"
printf '\n# added by hand\n[manual]\ntype=pat\nurl=https://cloud.uipath.com\n' >>"$INI"
printf '%s\n' "manual-pat" | "$UIPAUTH" add manual2 --type pat >/dev/null 2>&1
check "a profile added by hand while the agent runs survives the agent's next write" \
  sh -c "grep -q '^\[manual\]' '$INI' && grep -q '# added by hand' '$INI' && grep -q '^\[manual2\]' '$INI'"
like "$("$UIPAUTH" list)" "manual" "and the agent knows it"
"$UIPAUTH" remove manual2 >/dev/null 2>&1
after "profiles.ini faults"

# --- disk full while writing profiles.ini ------------------------------------
cp "$INI" "$T/ini.before-full"
touch "$UA_DISKFULL_FLAG"
printf 'full-pat\n' | "$UIPAUTH" add full --type pat >/dev/null 2>"$T/full.err"
check "disk full: add fails" test $? -ne 0
like "$(cat "$T/full.err")" "cannot write .*profiles.ini" "saying what could not be written"
check "profiles.ini is exactly as before" cmp -s "$INI" "$T/ini.before-full"
is "$(secret-tool lookup profile full kind pat)" "" "and no orphan secret is left in the keyring"
status_is 1 "disk full: remove fails" "$UIPAUTH" remove pat
printf 'replacement-pat\n' | "$UIPAUTH" add pat --type pat --replace >/dev/null 2>"$T/full.err"
check "disk full: add --replace fails" test $? -ne 0
is "$(secret-tool lookup profile pat kind pat)" "$PAT" "and the replaced secret is back in the keyring"
rm -f "$UA_DISKFULL_FLAG"
after "disk full"

# --- the agent killed while a client waits -------------------------------------
idp_control fault '{"mode":"delay","ms":5000}' >/dev/null
start=$(date +%s)
UIPAUTH_NO_AUTOSTART=1 "$UIPAUTH" token cc --force-new >"$T/kill.out" 2>"$T/kill.err" &
client=$!
sleep 1
kill -KILL "$AGENT_PID"
wait "$client"; s=$?
is "$s" 3 "agent killed while a client waits: the client exits 3"
check "at once, not after the server's delay" test $(( $(date +%s) - start )) -le 3
like "$(cat "$T/kill.err")" "agent" "with a message about the agent ($(cat "$T/kill.err"))"
idp_control fault '{"mode":"none"}' >/dev/null
start_agent
after "agent killed"

done_testing
