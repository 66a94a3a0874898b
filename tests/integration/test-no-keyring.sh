#!/bin/sh
# No usable Secret Service: no D-Bus session bus, a bus address that leads
# nowhere, a bus without a keyring daemon, a locked keyring.  Every command
# that needs a secret fails at once with error `keyring` (exit 7), says
# which case it is and the two ways on; the agent never prompts, keeps
# serving others, and works as soon as the keyring is unlocked.
. "$UA_TESTS/lib.sh"
ua_setup_dirs
unset DBUS_SESSION_BUS_ADDRESS

# A profile whose secret the agent would have to read.
mkdir -p "$XDG_CONFIG_HOME/uipauth"
printf '[work]\ntype=pat\n' >"$XDG_CONFIG_HOME/uipauth/profiles.ini"

# keyring_case NAME PATTERN: the errors of one situation, with an agent
# started in it.
keyring_case () {
  ua_start_agent || { not_ok "$1: the agent starts"; return; }
  start=$(date +%s)
  status_is 7 "$1: add exits 7" sh -c "printf 'x\n' | '$UIPAUTH' add other --type pat"
  err=$(cat "$T/last.err")
  like "$err" "$2" "$1: add says what is missing"
  like "$err" "dbus-run-session -- sh" "$1: the first way on: start a keyring"
  like "$err" "gnome-keyring-daemon --unlock --components=secrets" "$1: with the exact command"
  like "$err" "uipauth-agent --ephemeral" "$1: the second way on: --ephemeral"
  status_is 7 "$1: token exits 7" "$UIPAUTH" token work
  like "$(cat "$T/last.err")" "profile \"work\".*$2" "$1: token names the profile and says why"
  status_is 7 "$1: remove exits 7" "$UIPAUTH" remove work
  status_is 0 "$1: list still works" "$UIPAUTH" list
  status_is 1 "$1: doctor exits 1" "$UIPAUTH" doctor
  like "$(grep keyring "$T/last.out")" "^FAIL +keyring +.*$2" "$1: doctor says the keyring is the problem"
  check "$1: all of it at once, no waiting (< 10 s)" test $(( $(date +%s) - start )) -lt 10
  check "$1: the profile is untouched" grep -q '^\[work\]' "$XDG_CONFIG_HOME/uipauth/profiles.ini"
  ua_stop_agent
}

# --- no D-Bus session bus at all -------------------------------------------
keyring_case "no bus" "no D-Bus session bus \(DBUS_SESSION_BUS_ADDRESS is not set\)"

# --- an address that leads nowhere ----------------------------------------
export DBUS_SESSION_BUS_ADDRESS="unix:path=$T/no-such-bus"
keyring_case "dead bus" "cannot reach the D-Bus session bus"

# --- a bus, but nothing provides org.freedesktop.secrets --------------------
# No service directories: nothing can be activated on this bus.
cat >"$T/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$T</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
bus=$(dbus-daemon --config-file="$T/bus.conf" --fork --print-address=1 --print-pid=1)
export DBUS_SESSION_BUS_ADDRESS=$(printf '%s\n' "$bus" | sed -n 1p)
ua_track "$(printf '%s\n' "$bus" | sed -n 2p)"
keyring_case "no keyring daemon" "nothing on the D-Bus session bus provides org.freedesktop.secrets"

# --- a real keyring, locked while the agent runs ----------------------------
ua_start_keyring || { echo "Bail out! cannot start a keyring"; exit 1; }
rm -f "$XDG_CONFIG_HOME/uipauth/profiles.ini"
ua_start_agent
printf 'pat-locked-test\n' | "$UIPAUTH" add work --type pat >/dev/null 2>&1
is "$?" 0 "with an unlocked keyring, add works"
is "$("$UIPAUTH" token work)" "pat-locked-test" "and token too"
gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
  --method org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/collection/login']" \
  >/dev/null 2>&1
# A cached PAT is the secret itself: forget it so the keyring is asked.
"$UIPAUTH" lock
start=$(date +%s)
status_is 7 "locked: token exits 7" "$UIPAUTH" token work
like "$(cat "$T/last.err")" "keyring is locked; unlock it .*gnome-keyring-daemon --replace --unlock --components=secrets" \
  "locked: the error says to unlock it, and how"
status_is 7 "locked: add exits 7" sh -c "printf 'x\n' | '$UIPAUTH' add second --type pat"
like "$(cat "$T/last.err")" "keyring is locked" "locked: add says the keyring is locked"
check "locked: no prompt, no waiting (< 10 s)" test $(( $(date +%s) - start )) -lt 10
status_is 0 "locked: other requests are served meanwhile" "$UIPAUTH" status
status_is 1 "locked: doctor exits 1" "$UIPAUTH" doctor
like "$(cat "$T/last.out")" "FAIL +keyring +the keyring is locked" "locked: doctor says so"
keyring_pid () {
  gdbus call --session --dest org.freedesktop.DBus --object-path / \
    --method org.freedesktop.DBus.GetConnectionUnixProcessID org.freedesktop.secrets 2>/dev/null |
    sed -n 's/^(uint32 \([0-9]*\),)$/\1/p'
}
# The new daemon owns the name and its login keyring is unlocked.
unlocked_by_new () {
  pid=$(keyring_pid)
  [ -n "$pid" ] && [ "$pid" != "$old_pid" ] &&
    gdbus call --session --dest org.freedesktop.secrets \
      --object-path /org/freedesktop/secrets/collection/login \
      --method org.freedesktop.DBus.Properties.Get org.freedesktop.Secret.Collection Locked |
    grep -q false
}
old_pid=$(keyring_pid)
# Unlock as a user on a server would: the command the message gives,
# which replaces the keyring daemon with one that is unlocked.
printf 'throw-away-keyring-password' |
  gnome-keyring-daemon --replace --unlock --components=secrets >/dev/null 2>"$T/unlock.err"
check "the keyring daemon is replaced by an unlocked one" wait_for 10 unlocked_by_new
ua_track "$(keyring_pid)"
is "$("$UIPAUTH" token work)" "pat-locked-test" "once unlocked, the same agent serves again"
status_is 0 "and add works again" sh -c "printf 'x\n' | '$UIPAUTH' add second --type pat"

done_testing
