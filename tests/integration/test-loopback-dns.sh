#!/bin/sh
# Plain http to a loopback name, when DNS lies.  In private mount and
# network namespaces, a resolver on 127.0.0.1:53 answers every name with
# 192.0.2.1 (a test address on an interface of the private namespace),
# where a listener records whatever reaches it.  Profiles whose identity
# URL is http://localhost.:PORT (and other spellings) must mint from the
# real identity server on loopback, without asking DNS, and nothing may
# reach the listener: not a connection, not a byte of the client secret.
# With the agent's pinning of the loopback names removed (the unpin.so
# shim), DNS is asked and answers 192.0.2.1: the check on the address
# connected to must refuse it before connecting.
#
# Needs root, or user namespaces, for the namespaces; skips without them.
ROGUE=192.0.2.1

# As root, or else as root of a user namespace of its own where allowed.
if [ -z "${UA_IN_NAMESPACES:-}" ]; then
  for ua_ns in "-m -n" "-r -m -n"; do
    # shellcheck disable=SC2086
    unshare $ua_ns true 2>/dev/null &&
      UA_IN_NAMESPACES=1 exec unshare $ua_ns sh "$0" "$@"
  done
  echo "1..0 # SKIP private mount and network namespaces are not allowed here (unshare -m -n needs root or user namespaces)"
  exit 0
fi

. "$UA_TESTS/lib.sh"

# The rogue address on a dummy interface, or where there are none (some
# sandboxes) on the private namespace's lo: either way not a loopback
# address, and gone with the namespace.
rogue_address () {
  ip link set lo up || return 1
  if ip link add ua-rogue0 type dummy 2>/dev/null; then
    ip addr add "$ROGUE/32" dev ua-rogue0 && ip link set ua-rogue0 up
  else
    ip addr add "$ROGUE/32" dev lo
  fi
}
if ! command -v ip >/dev/null || ! rogue_address 2>/dev/null; then
  echo "1..0 # SKIP cannot add a test address in a private network namespace (ip)"
  exit 0
fi
if ! command -v python3 >/dev/null; then
  echo "1..0 # SKIP python3 is needed for the test's resolver"
  exit 0
fi

ua_setup

# The system resolver, as this namespace sees it: DNS on 127.0.0.1 only,
# no name service cache or stub resolver from outside, localhost in hosts.
mkdir "$T/etc" "$T/rogue"
echo 'nameserver 127.0.0.1' >"$T/etc/resolv.conf"
echo 'hosts: files dns' >"$T/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$T/etc/hosts"
for f in resolv.conf nsswitch.conf hosts; do
  mount --bind "$T/etc/$f" "/etc/$f" || { echo "Bail out! cannot bind-mount /etc/$f"; exit 1; }
done
for d in /run/nscd /var/run/nscd; do
  [ -d "$d" ] && mount -t tmpfs tmpfs "$d"
done

SECRET='dns-secret-Vb7pQ2'
ua_start_idserver --client "app1:$SECRET:OR.Default" ||
  { echo "Bail out! identity server did not start"; exit 1; }
IDP_PORT=$(cat "$T/idp.port")
python3 "$UA_TESTS/tools/rogue-dns.py" "$ROGUE" "$IDP_PORT" "$T/rogue" 2>"$T/rogue.log" &
ua_track $!
wait_for 10 test -e "$T/rogue/ready" || { echo "Bail out! the test resolver did not start"; exit 1; }

is "$(getent ahostsv4 localhost. | sed -n '1s/ .*//p')" "$ROGUE" \
  "set-up: the system resolver answers $ROGUE for localhost."
: >"$T/rogue/queries"

# An agent that fails fast, as the rogue listener reads and hangs up.
UIPAUTH_HTTP_TIMEOUT_MS=3000 ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }

# add_cc NAME HOST: a client-credentials profile with its identity server
# at http://HOST:IDP_PORT.
add_cc () {
  printf '%s\n' "$SECRET" | "$UIPAUTH" add "$1" --type client-credentials \
    --client-id app1 --scopes OR.Default \
    --identity-url "http://$2:$IDP_PORT/identity_" >/dev/null 2>"$T/add.err"
}

# Whether anything connected to the rogue listener; says what, if so.
rogue_untouched () {
  [ ! -s "$T/rogue/peers" ] && return 0
  diag "$(cat "$T/rogue/peers")"
  return 1
}

for host in localhost. LOCALHOST. localhost; do
  name=p$(printf '%s' "$host" | tr -c 'a-zA-Z' _)
  add_cc "$name" "$host"
  tok=$("$UIPAUTH" token "$name" 2>"$T/token.err")
  like "$tok" '^tok-' "http://$host:PORT mints from the identity server on loopback"
  [ -n "$tok" ] || diag "$(cat "$T/token.err")"
done
is "$(cat "$T/rogue/queries")" "" "no loopback name was sent to DNS"
check "nothing reached the rogue listener" rogue_untouched

# --- the check on the address connected to, without the pinning ----------
ua_stop_agent
UIPAUTH_HTTP_TIMEOUT_MS=3000 LD_PRELOAD="$UA_UNPIN" ua_start_agent ||
  { echo "Bail out! agent did not start with unpin.so"; exit 1; }
add_cc unpinned localhost.
no_token () { ! "$UIPAUTH" token "$1" >/dev/null 2>"$T/token.err"; }
check "unpinned, http://localhost.:PORT is refused" no_token unpinned
like "$(cat "$T/token.err")" "plain http to $ROGUE, which is not a loopback address" \
  "and the error names the address DNS gave"
like "$(cat "$T/rogue/queries")" '^localhost 1$' \
  "set-up: unpinned, the agent did ask DNS for localhost."
check "unpinned, nothing reached the rogue listener" rogue_untouched
check "the client secret never reached it" no_file_contains "$SECRET" "$T/rogue"

done_testing
