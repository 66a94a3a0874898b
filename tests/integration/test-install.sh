#!/bin/sh
# `meson install` into a temporary DESTDIR: exactly the expected files
# (tests/data/install-files.txt), in the build's install directories, with
# the units and the autostart file pointing at the installed agent.
. "$UA_TESTS/lib.sh"
ua_setup_dirs

dest="$T/dest"
if ! meson install -C "$UA_BUILD_ROOT" --no-rebuild --quiet --destdir "$dest" \
     >"$T/install.log" 2>&1; then
  echo "Bail out! meson install failed: $(tail -n 5 "$T/install.log")"
  exit 1
fi
ok "meson install --destdir succeeds"

# The expected list, with this build's directories filled in.
sed -e '/^#/d' -e '/^$/d' \
    -e "s|{bindir}|$UA_INSTALL_BINDIR|" -e "s|{mandir}|$UA_INSTALL_MANDIR|" \
    -e "s|{datadir}|$UA_INSTALL_DATADIR|" -e "s|{sysconfdir}|$UA_INSTALL_SYSCONFDIR|" \
    -e "s|{unitdir}|$UA_INSTALL_UNITDIR|" -e "s|{systemunitdir}|$UA_INSTALL_SYSTEMUNITDIR|" \
    -e "s|{libexecdir}|$UA_INSTALL_LIBEXECDIR|" \
    "$UA_TESTS/data/install-files.txt" |
  LC_ALL=C sort >"$T/want"
# What is there: files, and symbolic links with their targets.
(cd "$dest" && find . ! -type d | sed 's|^\.||' | while read -r f; do
   if [ -L "$dest$f" ]; then echo "$f -> $(readlink "$dest$f")"; else echo "$f"; fi
 done) | LC_ALL=C sort >"$T/got"
if cmp -s "$T/want" "$T/got"; then ok "the installed files are exactly the expected list"; else
  not_ok "the installed files are exactly the expected list"
  diag "$(diff "$T/want" "$T/got")"
fi

bin="$dest$UA_INSTALL_BINDIR"
check "uipauth is executable" test -x "$bin/uipauth"
check "uipauth-agent is executable" test -x "$bin/uipauth-agent"
check "uipauth-proxy is executable, in libexecdir" test -x "$dest$UA_INSTALL_LIBEXECDIR/uipauth-proxy"
like "$("$bin/git-credential-uipauth" --help 2>&1)" "git-credential-uipauth" \
  "git-credential-uipauth runs the client as git's helper"

unit="$dest$UA_INSTALL_UNITDIR"
like "$(cat "$unit/uipauth-agent.socket")" "^ListenStream=%t/uipauth/agent.sock$" "the socket unit listens on %t/uipauth/agent.sock"
like "$(cat "$unit/uipauth-agent.socket")" "^ListenStream=%t/uipauth/agent.restricted.sock$" \
  "and on the restricted socket beside it"
like "$(cat "$unit/uipauth-agent.socket")" "^SocketMode=0600$" "with mode 0600"
like "$(cat "$unit/uipauth-agent.socket")" "^DirectoryMode=0700$" "in a 0700 directory"
like "$(cat "$unit/uipauth-agent.service")" "^ExecStart=$UA_INSTALL_BINDIR/uipauth-agent$" \
  "the service runs the installed agent"
desktop="$dest$UA_INSTALL_SYSCONFDIR/xdg/autostart/uipauth-agent.desktop"
like "$(cat "$desktop")" "^Exec=$UA_INSTALL_BINDIR/uipauth-agent$" "the autostart file runs the installed agent"
if command -v desktop-file-validate >/dev/null 2>&1; then
  check "the autostart file is a valid desktop file" desktop-file-validate "$desktop"
else
  skip "the autostart file is a valid desktop file" "desktop-file-validate not installed"
fi
if command -v systemd-analyze >/dev/null 2>&1; then
  # verify wants the binaries where the units say; check the syntax only.
  out=$(systemd-analyze --user verify "$unit/uipauth-agent.socket" 2>&1)
  unlike "$out" "Unknown (key|section)|Failed to parse|bad-setting" "systemd-analyze finds no bad setting in the units"
else
  skip "systemd-analyze finds no bad setting in the units" "systemd-analyze not installed"
fi

# The system unit template for a robot account.
sysunit=$(cat "$dest$UA_INSTALL_SYSTEMUNITDIR/uipauth-agent@.service")
like "$sysunit" "^User=%i$" "the system unit runs the agent as the instance's user"
like "$sysunit" "^ExecStart=$UA_INSTALL_BINDIR/uipauth-agent --foreground --socket %t/uipauth-%i/agent.sock$" \
  "the installed agent, on a socket in the user's own runtime directory"
like "$sysunit" "^RuntimeDirectory=uipauth-%i$" "which systemd creates for the user"
like "$sysunit" "^RuntimeDirectoryMode=0700$" "with mode 0700"
like "$sysunit" "^LoadCredentialEncrypted=uipath-client-secret:" "with an encrypted systemd credential"
if command -v systemd-analyze >/dev/null 2>&1; then
  # An instance, with the agent where DESTDIR has it, so that verify also
  # finds the program.
  sed "s|^ExecStart=$UA_INSTALL_BINDIR/|ExecStart=$bin/|" \
    "$dest$UA_INSTALL_SYSTEMUNITDIR/uipauth-agent@.service" >"$T/uipauth-agent@robot.service"
  out=$(systemd-analyze verify --man=no "$T/uipauth-agent@robot.service" 2>&1)
  unlike "$out" "Unknown|ignoring|Failed|bad-setting|not executable|Invalid" \
    "systemd-analyze verify finds nothing wrong with uipauth-agent@robot.service"
else
  skip "systemd-analyze verify finds nothing wrong with uipauth-agent@robot.service" \
    "systemd-analyze not installed"
fi

for page in man1/uipauth.1 man1/uipauth-agent.1 man5/uipauth-profiles.5; do
  out=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$dest$UA_INSTALL_MANDIR/$page" 2>&1)
  is "$out" "" "$page renders without a warning"
done
# One "uipauth add" line per profile type, continuation lines joined.
sed -e ':a' -e '/\\e$/{N;s/\\e\n//;ba' -e '}' \
  "$dest$UA_INSTALL_MANDIR/man5/uipauth-profiles.5" | sed 's/\\-/-/g' >"$T/adds"
for type in pat client-credentials authorization-code api-key password; do
  check "uipauth-profiles(5) shows the add line of type $type" \
    grep -Eq "uipauth add .*--type $type( |$)" "$T/adds"
done

done_testing
