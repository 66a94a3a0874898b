#!/bin/sh
# Secrets from files (secret_source file: and credential:), as servers,
# robots and containers keep them: an agent with no D-Bus session at all
# mints from them, reads them again at every mint, picks up a rewritten
# file or a Kubernetes `..data` link swap without a restart (at most one
# rejected request), says clearly what is wrong with a missing, empty or
# unreadable file (exit 7), and never copies the secret anywhere.  Then,
# with a keyring, `add --secret-source` writes nothing to it.
. "$UA_TESTS/lib.sh"
ua_setup_dirs
# A server: no session bus, and no bus in the (fresh) runtime directory.
unset DBUS_SESSION_BUS_ADDRESS
export UIPAUTH_NO_AUTOSTART=1

OLD='file-secret-&=+%-Qx71'
NEW='file-secret-rotated-Zk32'
CRED='credential-secret-Hv5d'
K8S_OLD='k8s-secret-one-Pw8e'
K8S_NEW='k8s-secret-two-Ty4r'
ua_start_idserver --client "app-file:$OLD:OR.Default" --client "app-cred:$CRED:OR.Default" \
  --client "app-k8s:$K8S_OLD:OR.Default" ||
  { echo "Bail out! identity server did not start"; exit 1; }

# The secrets, as the systems that provide them lay them out.
mkdir -m 700 "$T/secrets" "$T/creds"
printf '%s\n' "$OLD" >"$T/secrets/client-secret"
chmod 600 "$T/secrets/client-secret"
export CREDENTIALS_DIRECTORY="$T/creds"
printf '%s' "$CRED" >"$T/creds/uipath-robot"
# A Kubernetes Secret volume: NAME -> ..data/NAME, ..data -> a timestamped
# directory; an update writes a new directory and renames a new ..data
# link over the old one.
mkdir -p "$T/k8s/..2024_01_01_00_00_00.1"
printf '%s\n' "$K8S_OLD" >"$T/k8s/..2024_01_01_00_00_00.1/client-secret"
ln -s ..2024_01_01_00_00_00.1 "$T/k8s/..data"
ln -s ..data/client-secret "$T/k8s/client-secret"
chmod 400 "$T/k8s/..2024_01_01_00_00_00.1/client-secret"

# cc NAME CLIENT SOURCE: a client-credentials profile in profiles.ini.
cc () {
  printf '[%s]\ntype=client-credentials\nclient_id=%s\nurl=%s\nidentity_url=%s/identity_\n' \
    "$1" "$2" "$IDP" "$IDP"
  printf 'organization=org\ntenant=tenant\nscopes=OR.Default\nsecret_source=%s\n\n' "$3"
}
mkdir -p "$XDG_CONFIG_HOME/uipauth"
{
  cc filecc app-file "file:$T/secrets/client-secret"
  cc credcc app-cred "credential:uipath-robot"
  cc k8scc app-k8s "file:$T/k8s/client-secret"
} >"$XDG_CONFIG_HOME/uipauth/profiles.ini"

ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }

# requests, issued: what the identity server has seen; rejected since a mark.
mark () { m_req=$(idp_stat token_requests); m_iss=$(idp_stat issued); }
rejected () { echo $(( $(idp_stat token_requests) - m_req - ($(idp_stat issued) - m_iss) )); }
mints () { "$UIPAUTH" token "$1" >/dev/null 2>&1; }
server_secret () {
  idp_control client "{\"id\":\"$1\",\"secret\":\"$2\",\"scopes\":\"OR.Default\"}" >/dev/null
}

# --- no D-Bus: file and credential sources mint ------------------------------
tok=$("$UIPAUTH" token filecc)
like "$tok" '^tok-' "no D-Bus: a file: profile mints at the identity server"
is "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$IDP/api/check")" 200 \
  "and the server accepts the token"
like "$("$UIPAUTH" token credcc)" '^tok-' "a credential: profile mints from \$CREDENTIALS_DIRECTORY"
like "$("$UIPAUTH" token k8scc)" '^tok-' "a Kubernetes-style link is followed"
like "$(cat "$T/agent.log")" "every profile reads its secret from a file" \
  "the agent says it needs no keyring"
unlike "$(cat "$T/agent.log")" "Secret Service|session bus|DBUS" "and never looks for one"

# --- doctor ---------------------------------------------------------------------
status_is 0 "doctor finds nothing wrong without a keyring" "$UIPAUTH" doctor
out=$(cat "$T/last.out")
like "$out" "^ok +keyring +not needed: every profile reads its secret from a file" \
  "doctor says the keyring is not needed"
like "$out" "^ok +filecc +.*secret read from $T/secrets/client-secret" "doctor checks the file: source"
like "$out" "^ok +credcc +.*secret read from $T/creds/uipath-robot" "and the credential: source"
unlike "$out" "WARN" "no warning for private files"
chmod 644 "$T/secrets/client-secret" "$T/creds/uipath-robot"
status_is 0 "a secret file others can read is a warning, not a failure" "$UIPAUTH" doctor
out=$(cat "$T/last.out")
like "$out" "^WARN +filecc +$T/secrets/client-secret can be read by its group and all users \(mode 0644\).*chmod 0400" \
  "doctor warns that the file: secret is readable by others, and what to do"
unlike "$out" "WARN +credcc" "but not about a file in \$CREDENTIALS_DIRECTORY"
# A Kubernetes Secret with fsGroup: root's, mode 0440, read through the group.
if [ "$(id -u)" -eq 0 ] && chown nobody "$T/secrets/client-secret" 2>/dev/null; then
  chmod 440 "$T/secrets/client-secret"
  "$UIPAUTH" doctor >"$T/doctor.out"
  unlike "$(cat "$T/doctor.out")" "WARN +filecc" \
    "no warning for a file another user owns that the agent reads through its group"
  chown 0 "$T/secrets/client-secret"
else
  skip "no warning for a file another user owns that the agent reads through its group" \
    "needs root to give the file away"
fi
chmod 600 "$T/secrets/client-secret" "$T/creds/uipath-robot"

# --- add --secret-source: no secret read, nothing stored -------------------------
"$UIPAUTH" add added --type client-credentials --client-id app-file --url "$IDP" \
  --identity-url "$IDP/identity_" --secret-source "file:$T/secrets/client-secret" \
  </dev/null >"$T/add.out" 2>"$T/add.err"
is "$?" 0 "add --secret-source works with no keyring and nothing on standard input"
like "$(cat "$T/add.out")" "read from file:$T/secrets/client-secret" "and says where the secret is read"
like "$("$UIPAUTH" token added)" '^tok-' "the added profile mints"
like "$(grep -A8 '^\[added\]' "$XDG_CONFIG_HOME/uipauth/profiles.ini")" \
  "secret_source=file:$T/secrets/client-secret" "profiles.ini keeps the source"
status_is 2 "a relative --secret-source is a usage error" \
  "$UIPAUTH" add bad --type pat --secret-source file:secrets/pat
like "$(cat "$T/last.err")" "not an absolute path" "which says why"
status_is 2 "authorization-code has no secret for --secret-source" \
  "$UIPAUTH" add bad --type authorization-code --client-id x --url "$IDP" --secret-source file:/x
status_is 0 "remove of a file: profile needs no keyring either" "$UIPAUTH" remove added

# --- rotation: rewritten file, then the server changes ---------------------------
mark
printf '%s\n' "$NEW" >"$T/secrets/client-secret"
server_secret app-file "$NEW"
is "$("$UIPAUTH" token filecc)" "$tok" "a token minted before the rotation is still served"
new=$("$UIPAUTH" token filecc --force-new)
like "$new" '^tok-' "the next mint uses the rewritten file, without a restart"
check "and gets a new token" test "$new" != "$tok"
is "$(rejected)" 0 "with no request rejected"

# --- rotation: the server changes first, the file follows ------------------------
"$UIPAUTH" lock
mark
server_secret app-file "$OLD"
status_is 5 "the server refuses the secret in the file: rejected" "$UIPAUTH" token filecc
like "$(cat "$T/last.err")" "profile \"filecc\".*its secret is read from $T/secrets/client-secret: put the right one there" \
  "the error names the profile and the file, and says what to do"
is "$(rejected)" 1 "the file was read again, found unchanged, and not sent twice"
status_is 5 "meanwhile the rejection is held" "$UIPAUTH" token filecc
is "$(rejected)" 1 "without asking the server again"
printf '%s\n' "$OLD" >"$T/secrets/client-secret"
check "once the file is rewritten, the next request mints" wait_for 5 mints filecc
is "$(rejected)" 1 "at most one request was rejected"

# --- rotation: the Kubernetes ..data link swap ----------------------------------
"$UIPAUTH" lock
mark
server_secret app-k8s "$K8S_NEW"
status_is 5 "k8s: the server refuses the old secret" "$UIPAUTH" token k8scc
mkdir "$T/k8s/..2024_01_01_00_05_00.2"
printf '%s\n' "$K8S_NEW" >"$T/k8s/..2024_01_01_00_05_00.2/client-secret"
ln -s ..2024_01_01_00_05_00.2 "$T/k8s/..data_tmp"
mv -T "$T/k8s/..data_tmp" "$T/k8s/..data"
rm -rf "$T/k8s/..2024_01_01_00_00_00.1"
check "k8s: after the ..data swap the next request mints" wait_for 5 mints k8scc
is "$(rejected)" 1 "k8s: with one rejected request"
like "$(cat "$T/agent.log")" "profile k8scc: its secret file .* changed" "the agent logs the change"

# --- invalid_client, then the file is read again once ---------------------------
"$UIPAUTH" lock
mark
server_secret app-cred "$NEW"
idp_control fault '{"mode":"delay","ms":1500,"count":1}' >/dev/null
"$UIPAUTH" token credcc >"$T/reread.out" 2>"$T/reread.err" &
pid=$!
in_flight () { [ "$(idp_stat in_flight)" = 1 ]; }
wait_for 5 in_flight
# Rotated while the server judges the old secret.
printf '%s' "$NEW" >"$T/creds/uipath-robot"
wait $pid
is "$?" 0 "a secret rotated during a rejected mint is tried before the rejection is answered"
like "$(cat "$T/reread.out")" '^tok-' "and the caller gets a token"
is "$(rejected)" 1 "one request was rejected, one answered"
like "$(cat "$T/agent.log")" "profile credcc: the server refused the secret, and .* has a new one" \
  "the agent logs the second reading"

# --- a missing, empty or unreadable file -----------------------------------------
# addbroken NAME SOURCE: a PAT profile reading SOURCE; add warns, does not refuse.
addbroken () {
  "$UIPAUTH" add "$1" --type pat --secret-source "$2" </dev/null >/dev/null 2>"$T/add.err"
}
addbroken missing "file:$T/secrets/missing"
is "$?" 0 "add accepts a file that is not there yet"
like "$(cat "$T/add.err")" "warning: profile \"missing\" added, but its secret cannot be read now" \
  "and warns about it"
status_is 7 "missing file: exit 7" "$UIPAUTH" token missing
like "$(cat "$T/last.err")" "profile \"missing\": cannot read its secret: $T/secrets/missing does not exist; put the secret in it" \
  "which names the profile and the file and says what to do"
: >"$T/secrets/empty"
addbroken empty "file:$T/secrets/empty"
status_is 7 "empty file: exit 7" "$UIPAUTH" token empty
like "$(cat "$T/last.err")" "profile \"empty\": .*secret in $T/secrets/empty is empty" "which says it is empty"
printf 'one\ntwo\n' >"$T/secrets/lines"
addbroken lines "file:$T/secrets/lines"
status_is 7 "two lines: exit 7" "$UIPAUTH" token lines
like "$(cat "$T/last.err")" "line break.*must hold the secret alone, on one line" "which says how it must be"
addbroken dir "file:$T/secrets"
status_is 7 "a directory: exit 7" "$UIPAUTH" token dir
like "$(cat "$T/last.err")" "$T/secrets is not a regular file" "which says so"
printf 'secret\n' >"$T/secrets/locked"
chmod 000 "$T/secrets/locked"
addbroken locked "file:$T/secrets/locked"
if [ "$(id -u)" -ne 0 ]; then
  status_is 7 "unreadable file: exit 7" "$UIPAUTH" token locked
  like "$(cat "$T/last.err")" "$T/secrets/locked cannot be read by the agent's user .*permission denied" \
    "which says who cannot read it"
else
  skip "unreadable file: exit 7" "root reads any file"
fi
addbroken nocred "credential:not-loaded"
status_is 7 "a credential the unit does not load: exit 7" "$UIPAUTH" token nocred
like "$(cat "$T/last.err")" "LoadCredentialEncrypted=" "which says how to load it"
like "$("$UIPAUTH" token filecc)" '^tok-' "the other profiles are served all the while"
status_is 1 "doctor fails on a missing file" "$UIPAUTH" doctor
like "$(cat "$T/last.out")" "^FAIL +missing +profile \"missing\": cannot read its secret: $T/secrets/missing does not exist" \
  "and names it"
printf '%s\n' "pat-now-there" >"$T/secrets/missing"
is "$("$UIPAUTH" token missing)" "pat-now-there" "once the file is there, it is read (no restart)"
for p in empty lines dir locked nocred; do "$UIPAUTH" remove "$p" >/dev/null || not_ok "remove $p"; done

# --- systemd credentials: encrypted with the host key, decrypted for the agent --
if command -v systemd-creds >/dev/null 2>&1 &&
   printf '%s' "$CRED" | SYSTEMD_CREDENTIAL_SECRET="$T/host.secret" \
     systemd-creds encrypt --with-key=host --name=uipath-sd - "$T/uipath-sd.cred" 2>"$T/creds.log"; then
  # What systemd does for LoadCredentialEncrypted=uipath-sd:FILE.
  SYSTEMD_CREDENTIAL_SECRET="$T/host.secret" \
    systemd-creds decrypt --name=uipath-sd "$T/uipath-sd.cred" "$T/creds/uipath-sd" 2>>"$T/creds.log"
  check "systemd-creds decrypt writes the credential" test -s "$T/creds/uipath-sd"
  server_secret app-cred "$CRED"
  "$UIPAUTH" add sdcc --type client-credentials --client-id app-cred --url "$IDP" \
    --identity-url "$IDP/identity_" --secret-source credential:uipath-sd </dev/null >/dev/null
  like "$("$UIPAUTH" token sdcc)" '^tok-' "a credential made by systemd-creds encrypt --with-key=host mints"
  unlike "$(cat "$T/uipath-sd.cred")" "$CRED" "and the encrypted credential does not show the secret"
else
  skip "a credential made by systemd-creds encrypt --with-key=host mints" \
    "systemd-creds cannot encrypt here: $(head -n 1 "$T/creds.log" 2>/dev/null)"
fi

# --- the secrets are nowhere else -----------------------------------------------
# nowhere SECRET: not in the config, the runtime directory or the log.
nowhere () {
  no_file_contains "$1" "$XDG_CONFIG_HOME" && no_file_contains "$1" "$XDG_RUNTIME_DIR" &&
    no_file_contains "$1" "$T/agent.log"
}
# not_in_proc FILE SECRET...: /proc/$AGENT_PID/FILE holds none of them.
not_in_proc () {
  ua_f=$1; shift
  for ua_s in "$@"; do
    tr '\0' '\n' <"/proc/$AGENT_PID/$ua_f" | grep -qF -- "$ua_s" && return 1
  done
  return 0
}
for s in "$OLD" "$NEW" "$CRED" "$K8S_OLD" "$K8S_NEW" pat-now-there; do
  check "no file the agent writes, nor its log, holds the secret $s" nowhere "$s"
done
check "nor the agent's command line" not_in_proc cmdline "$OLD" "$NEW" "$CRED" "$K8S_OLD" "$K8S_NEW"
check "nor its environment" not_in_proc environ "$OLD" "$NEW" "$CRED" "$K8S_OLD" "$K8S_NEW"
ua_stop_agent

# --- with a keyring: add --secret-source writes nothing to it --------------------
ua_start_keyring || { echo "Bail out! cannot start a keyring"; exit 1; }
ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }
# has_items PROFILE: the keyring has an item of PROFILE, unlocked or locked.
has_items () {
  gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
    --method org.freedesktop.Secret.Service.SearchItems \
    "{'xdg:schema': 'org.uipauth.Credential', 'profile': '$1'}" | grep -q objectpath
}
no_items () { ! has_items "$1"; }
printf '%s\n' "pat-in-file-Mm2q" >"$T/secrets/pat"
printf '%s\n' "pat-in-keyring-Nn3w" | "$UIPAUTH" add kpat --type pat >/dev/null
"$UIPAUTH" add fpat --type pat --secret-source "file:$T/secrets/pat" </dev/null >/dev/null
is "$?" 0 "with a keyring, add --secret-source works too"
check "and stores nothing in the keyring" no_items fpat
check "(while a keyring profile has its item)" has_items kpat
is "$("$UIPAUTH" token fpat)" "pat-in-file-Mm2q" "the file's PAT is served"
# A PAT is its own token: the copy the agent serves goes with the file.
printf '%s\n' "pat-rotated-Kk5t" >"$T/secrets/pat"
served_pat () { [ "$("$UIPAUTH" token fpat 2>/dev/null)" = pat-rotated-Kk5t ]; }
check "a rewritten PAT file is served from then on, without --force-new" wait_for 5 served_pat
status_is 0 "doctor with a keyring profile and file profiles" "$UIPAUTH" doctor
like "$(cat "$T/last.out")" "^ok +keyring +Secret Service available" \
  "checks the keyring, which a profile uses"
"$UIPAUTH" add kpat --replace --type pat --secret-source "file:$T/secrets/pat" </dev/null >/dev/null
is "$("$UIPAUTH" token kpat)" "pat-rotated-Kk5t" "a keyring profile replaced by a file: one reads the file"
check "and its keyring item is gone" wait_for 5 no_items kpat
status_is 0 "doctor once no profile uses the keyring" "$UIPAUTH" doctor
like "$(cat "$T/last.out")" "^ok +keyring +not needed" "leaves it alone again"

done_testing
