#!/bin/sh
# Values quoted by `uipauth env` come back byte for byte when real shells
# eval the output the way uipauth env --help tells users to.  TAP; a shell
# that is not installed is skipped, except under CI (CI set).
#   test-shell-eval.sh SHELL-EXPORT-HELPER VALUES-FILE
set -u

helper=$1
values=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

# printf, not echo: dash's echo would interpret the backslashes in names.
ok () { n=$((n + 1)); printf 'ok %d - %s\n' "$n" "$1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); printf 'not ok %d - %s\n' "$n" "$1"; }
skip () { n=$((n + 1)); printf 'ok %d # SKIP %s\n' "$n" "$1"; }

# eval_in SHELL FILE: print $V after eval-ing FILE in SHELL as documented.
eval_in () {
  case $1 in
    sh|dash|bash|zsh)
      "$1" -c 'eval "$(cat "$1")"; printenv V' "$1" "$2" ;;
    fish)
      fish --no-config -c 'cat $argv[1] | source; printenv V' "$2" ;;
    csh|tcsh)
      EXPORT_FILE=$2 "$1" -f -c 'eval "`cat $EXPORT_FILE`"; printenv V' ;;
  esac
}

# source_in SHELL FILE: the same, reading FILE as a script.
source_in () {
  case $1 in
    sh|dash|bash|zsh) "$1" -c '. "$1"; printenv V' "$1" "$2" ;;
    fish) fish --no-config -c 'source $argv[1]; printenv V' "$2" ;;
    csh|tcsh) EXPORT_FILE=$2 "$1" -f -c 'source $EXPORT_FILE; printenv V' ;;
  esac
}

quote_name () {
  case $1 in dash) echo sh ;; *) echo "$1" ;; esac
}

check_shell () {
  sh_name=$1
  q=$(quote_name "$sh_name")
  if ! command -v "$sh_name" >/dev/null 2>&1; then
    # scripts/deps test installs every one: on CI a missing shell fails.
    if [ -n "${CI:-}" ]; then not_ok "$sh_name is installed"; else skip "$sh_name not installed"; fi
    return
  fi
  while IFS= read -r line; do
    case $line in '#'*) continue ;; esac
    [ "$line" = "(empty)" ] && line=
    # A '#' in a TAP description could read as a directive.
    name=$(printf '%s' "$line" | tr '#' '_')
    "$helper" --raw "$line" > "$tmp/want" && echo >> "$tmp/want"
    "$helper" "$q" V "$line" > "$tmp/export"
    for how in eval source; do
      if ${how}_in "$sh_name" "$tmp/export" > "$tmp/got" 2> "$tmp/err" &&
         cmp -s "$tmp/want" "$tmp/got"; then
        ok "$sh_name $how: $name"
      else
        not_ok "$sh_name $how: $name"
        sed 's/^/# export: /' "$tmp/export"
        od -c "$tmp/got" | sed 's/^/# got:  /'
        od -c "$tmp/want" | sed 's/^/# want: /'
        sed 's/^/# stderr: /' "$tmp/err"
      fi
    done
  done < "$values"
  "$helper" --unset "$q" V > "$tmp/unset"
  if V=x eval_in "$sh_name" "$tmp/unset" > /dev/null 2>&1; then
    not_ok "$sh_name: --unset output removes the variable"
  else
    ok "$sh_name: --unset output removes the variable"
  fi
}

for s in sh dash bash zsh fish csh tcsh; do
  check_shell "$s"
done
echo "1..$n"
[ "$failed" -eq 0 ]
