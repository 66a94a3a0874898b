#!/bin/sh
# The Debian package, built the way a user builds it and tested unpacked:
# dpkg-buildpackage in a temporary copy of the source, lintian, the files
# where Debian wants them and no maintainer script, then the installed-
# system smoke test (debian/tests/smoke) against a dpkg -x root, never the
# machine's own /usr.  Skipped where the packaging tools are missing.  TAP.
#
# The meson test() passes: UA_TESTS, UA_SRC (the source tree), UA_VERSION
# (meson's project version), UA_IDSERVER.
. "$UA_TESTS/lib.sh"

missing=""
for tool in dpkg-buildpackage dpkg-checkbuilddeps dpkg-deb dh; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  echo "1..0 # SKIP no packaging tools:$missing (sh scripts/deps build installs them)"
  exit 0
fi
ua_setup_dirs

version=$(sed -n '1s/^uipauth (\([^)]*\)).*/\1/p' "$UA_SRC/debian/changelog")
is "$version" "$UA_VERSION" "debian/changelog has meson's project version"

# A copy of the working tree as a clean clone would have it: no build
# directories (meson's hold build.ninja), no version control.
src="$T/src/uipauth-$version"
mkdir -p "$src"
tar -C "$UA_SRC" --exclude-vcs --exclude-tag-all=build.ninja --exclude='./obj-*' -cf - . |
  tar -C "$src" -xf -
if ! (cd "$src" && dpkg-checkbuilddeps) >"$T/builddeps.log" 2>&1; then
  diag "$(cat "$T/builddeps.log")"
  skip "dpkg-buildpackage builds the package" "unmet build dependencies (sh scripts/deps build)"
  done_testing
  exit
fi

deb="$T/src/uipauth_${version}_$(dpkg --print-architecture).deb"
started=$(date +%s)
if ! (cd "$src" && dpkg-buildpackage -us -uc -b -jauto) >"$T/build.log" 2>&1 ||
   [ ! -f "$deb" ]; then
  not_ok "dpkg-buildpackage -us -uc -b builds $(basename "$deb")"
  diag "$(tail -n 30 "$T/build.log")"
  done_testing
  exit
fi
ok "dpkg-buildpackage -us -uc -b builds $(basename "$deb") in $(($(date +%s) - started)) s"

if command -v lintian >/dev/null 2>&1; then
  out=$(lintian --fail-on error,warning "$T/src/uipauth_${version}_"*.changes 2>&1)
  rc=$?
  out=$(printf '%s\n' "$out" | grep -v '^running with root privileges')
  if [ $rc -eq 0 ]; then ok "lintian: no error, no warning"; else
    not_ok "lintian: no error, no warning"; diag "$out"; fi
else
  skip "lintian: no error, no warning" "lintian not installed"
fi

# --- what the package holds -------------------------------------------------
dpkg-deb --ctrl-tarfile "$deb" | tar -t >"$T/control.list"
unlike "$(cat "$T/control.list")" "(pre|post)(inst|rm)$" \
  "no maintainer script: installing enables and starts nothing"

root="$T/root"
dpkg -x "$deb" "$root"
# Every file meson installs (tests/data/install-files.txt), in Debian's
# directories; man pages are compressed.
sed -e '/^#/d' -e '/^$/d' -e 's/ -> .*//' \
    -e 's|{bindir}|/usr/bin|' -e 's|{mandir}|/usr/share/man|' \
    -e 's|{datadir}|/usr/share|' -e 's|{sysconfdir}|/etc|' \
    -e 's|{unitdir}|/usr/lib/systemd/user|' -e 's|{systemunitdir}|/usr/lib/systemd/system|' \
    -e 's|{libexecdir}|/usr/libexec|' \
    "$UA_TESTS/data/install-files.txt" >"$T/want"
absent=""
while read -r f; do
  [ -e "$root$f" ] || [ -e "$root$f.gz" ] || absent="$absent $f"
done <"$T/want"
is "$absent" "" "the package holds every installed file in Debian's places"
for f in README.md.gz copyright changelog.gz; do
  check "/usr/share/doc/uipauth/$f" test -f "$root/usr/share/doc/uipauth/$f"
done
is "$(find "$root" -path "$root/usr/local*" -o -path "$root/opt*" | head -n 1)" "" \
  "nothing under /usr/local or /opt"
like "$(cat "$root/usr/lib/systemd/user/uipauth-agent.service")" "^ExecStart=/usr/bin/uipauth-agent$" \
  "the user service runs /usr/bin/uipauth-agent"
like "$(cat "$root/etc/xdg/autostart/uipauth-agent.desktop")" "^Exec=/usr/bin/uipauth-agent$" \
  "the autostart file too"

# --- the installed-system smoke test against the unpacked root ---------------
# Its TAP lines are numbered on from ours; a bail-out becomes one failure.
{ UA_PKG_ROOT="$root" sh "$src/debian/tests/smoke" 2>"$T/smoke.err"; echo $? >"$T/smoke.rc"; } |
  awk -v n="$ua_n" -v counts="$T/smoke.counts" '
    /^(not )?ok [0-9]+/ { sub(/[0-9]+/, ++n) }
    /^not ok/ { bad++ }
    /^1\.\.[0-9]+/ { next }
    /^Bail out!/ { $0 = "# " $0 }
    { print }
    END { print n, bad + 0 >counts }'
read -r ua_n smoke_failed <"$T/smoke.counts"
ua_failures=$((ua_failures + smoke_failed))
if [ "$(cat "$T/smoke.rc")" != 0 ] && [ "$smoke_failed" = 0 ]; then
  not_ok "the smoke test runs to its end"
  diag "$(tail -n 20 "$T/smoke.err")"
fi

done_testing
