#!/bin/sh
# uipauth env from the real agent, evaluated by every shell it writes for,
# with a token full of bytes shells treat specially.  TAP.
. "$UA_TESTS/lib.sh"
ua_setup
ua_start_agent || { echo "Bail out! agent did not start"; exit 1; }

# A PAT (the token is the PAT itself) that no quoting mistake survives:
# quotes, $, backquotes, backslashes, history and glob characters, control
# bytes, DEL, a UTF-8 letter and bytes that are not UTF-8.  Only CR, LF and
# NUL cannot be in a secret.
NASTY='a'"'"'b"c$HOME`id`\\n\\\\ !! !$ *?[x] ~ # ; & | < > () {} %s \t \001\033[0m\177 \303\251 \377\376 $(id) ${x} -e end'
printf "$NASTY" >"$T/pat"
printf "$NASTY\n" >"$T/pat.nl"
TID=6a1f0c2e-2b5d-4c1a-9d7e-0f3b2a1c4d5e
OID=0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b
"$UIPAUTH" add nasty --type pat --url 'https://cloud.example.com/' --organization 'my org' \
  --tenant "Ten'ant \$x" --tenant-id $TID --organization-id $OID <"$T/pat" >/dev/null 2>"$T/add.err"
is "$?" 0 "a PAT with shell-special and binary-ish bytes goes into the keyring"
"$UIPAUTH" token nasty >"$T/token"
check "and comes back from the agent byte for byte" cmp -s "$T/token" "$T/pat.nl"

# Those env exports, and those it must remove: set here, where each shell
# inherits them, as a robot job's or a uipathcli user's environment has them.
SET_VARS="UIPATH_URL UIPATH_ACCESS_TOKEN UIPATH_URI UIPATH_ORGANIZATION UIPATH_TENANT UIPATH_PAT
  UIPATH_TENANT_ID UIPATH_ORGANIZATION_ID"
CLEARED="UNATTENDED_USER_ACCESS_TOKEN UIPATH_CLIENT_ID UIPATH_CLIENT_SECRET
  UIPATH_AUTH_GRANT_TYPE UIPATH_AUTH_SCOPES UIPATH_AUTH_REDIRECT_URI"
VARS="$SET_VARS $CLEARED"
for v in $CLEARED; do export "$v=inherited-$v"; : >"$T/want.$v"; done
# What each variable must hold, one file per variable, with printenv's LF.
printf '%s\n' "https://cloud.example.com/my org/Ten'ant \$x" >"$T/want.UIPATH_URL"
printf '%s\n' "https://cloud.example.com" >"$T/want.UIPATH_URI"
printf '%s\n' $TID >"$T/want.UIPATH_TENANT_ID"
printf '%s\n' $OID >"$T/want.UIPATH_ORGANIZATION_ID"
printf '%s\n' "my org" >"$T/want.UIPATH_ORGANIZATION"
printf '%s\n' "Ten'ant \$x" >"$T/want.UIPATH_TENANT"
cp "$T/pat.nl" "$T/want.UIPATH_ACCESS_TOKEN"
cp "$T/pat.nl" "$T/want.UIPATH_PAT"

# run_in SHELL SCRIPT
run_in () {
  case $1 in
    fish) fish --no-config -c "$2" ;;
    csh|tcsh) "$1" -f -c "$2" ;;
    *) "$1" -c "$2" ;;
  esac
}
# load SHELL FILE: how uipauth env --help tells users of SHELL to load the
# output (here read from FILE, whose path holds no special characters).
load () {
  case $1 in
    fish) echo "cat $2 | source" ;;
    csh|tcsh) echo "eval \"\`cat $2\`\"" ;;
    *) echo "eval \"\$(cat $2)\"" ;;
  esac
}
dump_cmd () {
  d=""
  for v in $VARS; do d="$d; printenv $v > $T/got.$v || :"; done
  echo "$d"
}

for sh in sh dash bash zsh fish csh tcsh; do
  if ! command -v $sh >/dev/null 2>&1; then
    if [ -n "${CI:-}" ]; then not_ok "$sh is installed (scripts/deps test installs it)"; else skip "$sh" "not installed"; fi
    continue
  fi
  as=$sh; [ $sh = dash ] && as=sh
  "$UIPAUTH" env nasty --shell $as >"$T/env.$sh" 2>"$T/env.err"
  is "$?" 0 "$sh: uipauth env --shell $as"
  rm -f "$T"/got.*
  run_in $sh "$(load $sh "$T/env.$sh")$(dump_cmd)" 2>"$T/eval.err"
  bad=""
  for v in $VARS; do cmp -s "$T/want.$v" "$T/got.$v" 2>/dev/null || bad="$bad $v"; done
  if [ -z "$bad" ]; then ok "$sh: every variable arrives byte for byte, and the cleared ones are gone"; else
    not_ok "$sh: every variable arrives byte for byte, and the cleared ones are gone"; diag "wrong:$bad" "$(cat "$T/eval.err")"; fi
  is "$(cat "$T/env.err")" "" "$sh: no warning: UIPATH_URL has the shape the SDK reads"
  "$UIPAUTH" env --unset --shell $as >"$T/unset.$sh"
  out=$(run_in $sh "$(load $sh "$T/env.$sh"); $(load $sh "$T/unset.$sh"); printenv UIPATH_ACCESS_TOKEN; printenv UIPATH_URL; echo end" 2>&1)
  is "$out" "end" "$sh: the output of env --unset removes them again"
done

# --- $SHELL picks the syntax -----------------------------------------------
first_word () { "$UIPAUTH" env nasty | sed -n '1s/ .*//p'; }
is "$(SHELL=/usr/bin/fish first_word)" "set" "SHELL=.../fish: fish syntax"
is "$(SHELL=/bin/tcsh first_word)" "setenv" "SHELL=.../tcsh: csh syntax"
is "$(SHELL=/bin/csh first_word)" "setenv" "SHELL=.../csh: csh syntax"
is "$(SHELL=/usr/bin/zsh first_word)" "export" "SHELL=.../zsh: export"
is "$(SHELL=/bin/ksh93 first_word)" "export" "an unknown SHELL: POSIX sh"
is "$(unset SHELL; first_word)" "export" "no SHELL: POSIX sh"

# --- json ---------------------------------------------------------------------
"$UIPAUTH" env nasty --shell json >"$T/env.json"
out=$(python3 - "$T/env.json" "$T/pat" $TID "$CLEARED" <<'PY'
import codecs, json, sys
# Bytes that are not UTF-8 are written as \u00XX, their Latin-1 reading.
codecs.register_error('latin1', lambda e: (e.object[e.start:e.end].decode('latin-1'), e.end))
env = json.load(open(sys.argv[1], encoding='utf-8'))
pat = open(sys.argv[2], 'rb').read().decode('utf-8', 'latin1')
ok = env['UIPATH_ACCESS_TOKEN'] == pat and env['UIPATH_PAT'] == pat
ok = ok and env['UIPATH_URL'] == "https://cloud.example.com/my org/Ten'ant $x"
ok = ok and env['UIPATH_URI'] == 'https://cloud.example.com' and env['UIPATH_TENANT_ID'] == sys.argv[3]
cleared = [k for k, v in env.items() if v is None]
ok = ok and sorted(cleared) == sorted(sys.argv[4].split())
print('ok' if ok and len(env) == 14 else 'bad: %r' % env)
PY
)
is "$out" "ok" "--shell json is valid JSON (UTF-8) with every variable, null for those to remove"
"$UIPAUTH" env --unset --shell json >"$T/unset.json"
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(list(d.values()) == [None]*14)' "$T/unset.json")" \
  "True" "--unset --shell json maps every variable to null"

# --- a profile without organization and tenant exports only what it has ------
printf 'plain\n' | "$UIPAUTH" add plain --type pat --url https://cloud.example.com >/dev/null
out=$(UIPATH_ORGANIZATION=stale UIPATH_TENANT_ID=$TID sh -c 'eval "$("$0" env plain --shell sh 2>/dev/null)"; echo "$UIPATH_ACCESS_TOKEN|${UIPATH_ORGANIZATION-unset}|${UIPATH_TENANT_ID-unset}|$UIPATH_URI"' "$UIPAUTH")
is "$out" "plain|unset|unset|https://cloud.example.com" \
  "a profile without organization or ids removes another profile's, not leaving them behind"
"$UIPAUTH" env plain --shell sh >/dev/null 2>"$T/plain.err"
like "$(cat "$T/plain.err")" "UIPATH_URL would be https://cloud.example.com, but it names no organization and tenant" \
  "and env warns that the SDK would find no organization and tenant in UIPATH_URL"

done_testing
