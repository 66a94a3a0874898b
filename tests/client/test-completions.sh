#!/bin/sh
# The completion files load in their shells and complete a command, an
# option value and a profile name (from a fake agent's `list` reply).  TAP.
#   test-completions.sh UIPAUTH FAKE-AGENT COMPLETIONS-DIR
# A shell that is not installed is skipped, except under CI (CI set), where
# scripts/deps installs every one.
set -u

UIPAUTH=$1
export UIPAUTH_AGENT=$2
DIR=$3

T=$(mktemp -d "${TMPDIR:-/tmp}/uipauth-compl.XXXXXX")
n=0
failed=0
cleanup () {
  [ -f "$T/pids" ] && while read -r p; do kill -KILL "$p" 2>/dev/null; done < "$T/pids"
  rm -rf "$T"
}
trap cleanup EXIT

ok () { n=$((n + 1)); printf 'ok %d - %s\n' "$n" "$1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); printf 'not ok %d - %s\n' "$n" "$1"; }
diag () { printf '%s\n' "$@" | sed 's/^/# /'; }
skip () { n=$((n + 1)); printf 'ok %d # SKIP %s\n' "$n" "$1"; }
# has GOT WORD DESCRIPTION: WORD is one of the lines of GOT.
has () {
  if printf '%s\n' "$1" | grep -qx -- "$2"; then ok "$3"; else not_ok "$3"; diag "got: $1" "want the line: $2"; fi
}
hasnt () {
  if printf '%s\n' "$1" | grep -qx -- "$2"; then not_ok "$3"; diag "got: $1"; else ok "$3"; fi
}
need () {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ -n "${CI:-}" ]; then not_ok "$1 is installed (scripts/deps test installs it)"; else skip "$1 not installed"; fi
  return 1
}

# The completions run `uipauth` from PATH, as they would once installed.
mkdir -m 700 "$T/bin" "$T/run" "$T/replies"
ln -s "$(cd "$(dirname "$UIPAUTH")" && pwd)/$(basename "$UIPAUTH")" "$T/bin/uipauth"
export PATH="$T/bin:$PATH"
export UIPAUTH_SOCK="$T/run/uipauth/agent.sock"
export FAKE_REPLIES="$T/replies" FAKE_PIDFILE="$T/pids" FAKE_IDLE=60 FAKE_LOG="$T/log"
unset UIPAUTH_PROFILE UIPAUTH_NO_AUTOSTART FAKE_MODE FAKE_START
printf 'v=1\nstatus=ok\ncount=2\nprofile.0.name=robot-1\nprofile.0.type=client-credentials\nprofile.0.username=name-not-a-profile\nprofile.1.name=work\nprofile.1.type=pat\n' > "$T/replies/list"

# Every command the usage lists is completed by every shell.
commands=$("$UIPAUTH" --help | sed -n 's/^  \([a-z][a-z]*\)[ |].*/\1/p' | sort -u)
commands="$commands store erase"

# --- bash
bash_complete () {
  # bash_complete WORDS...: COMPREPLY for the last word, one per line.
  bash --norc --noprofile -c '
    [ -n "$BASH_COMPLETION" ] && . "$BASH_COMPLETION"
    . "$0"
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _uipauth uipauth "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}"' "$DIR/uipauth.bash" "$@" 2>"$T/bash.err"
}
bash_suite () {
  got=$(bash_complete uipauth to)
  has "$got" token "bash$1: 'uipauth to' completes token"
  got=$(bash_complete uipauth "")
  for c in $commands; do
    printf '%s\n' "$got" | grep -qx "$c" || { not_ok "bash$1: completes command $c"; continue; }
  done
  ok "bash$1: offers every command of uipauth --help"
  got=$(bash_complete uipauth token w)
  has "$got" work "bash$1: 'uipauth token w' completes a profile name from the agent"
  got=$(bash_complete uipauth env "")
  has "$got" robot-1 "bash$1: env offers every profile"
  hasnt "$got" name-not-a-profile "bash$1: and nothing but profile names"
  got=$(bash_complete uipauth logout "")
  has "$got" robot-1 "bash$1: logout offers every profile"
  got=$(bash_complete uipauth env --shell f)
  has "$got" fish "bash$1: --shell completes shells"
  got=$(bash_complete uipauth add x --type authorization-code --token-auth "")
  has "$got" basic "bash$1: --token-auth completes post and basic"
  got=$(bash_complete uipauth add x --t)
  has "$got" --type "bash$1: add completes its options"
  got=$(bash_complete uipauth add x --secret-source cr)
  has "$got" credential: "bash$1: --secret-source completes its forms"
  got=$(bash_complete uipauth add x --fo)
  has "$got" --forward "bash$1: add completes --forward"
  got=$(bash_complete uipauth status --c)
  has "$got" --callers "bash$1: status completes --callers"
  got=$(bash_complete uipauth token work "")
  is_empty=$([ -z "$got" ] && echo yes)
  if [ "$is_empty" = yes ]; then ok "bash$1: nothing after the profile"; else not_ok "bash$1: nothing after the profile"; diag "$got"; fi
  got=$(bash_complete uipauth exec work -- ech)
  has "$got" echo "bash$1: exec PROFILE -- completes a command"
}
if need bash; then
  BASH_COMPLETION= bash_suite ""
  bc=/usr/share/bash-completion/bash_completion
  if [ -r "$bc" ]; then
    BASH_COMPLETION=$bc bash_suite " with bash-completion"
  elif [ -n "${CI:-}" ]; then
    not_ok "bash-completion is installed (scripts/deps test installs it)"
  else
    skip "bash-completion not installed"
  fi
fi

# --- fish
if need fish; then
  fish_complete () {
    fish --no-config -c 'source $argv[1]; complete -C"$argv[2]"' "$DIR/uipauth.fish" "$1" 2>"$T/fish.err" | cut -f1
  }
  got=$(fish_complete 'uipauth to')
  has "$got" token "fish: 'uipauth to' completes token"
  got=$(fish_complete 'uipauth ')
  for c in $commands; do
    printf '%s\n' "$got" | grep -qx "$c" || not_ok "fish: completes command $c"
  done
  ok "fish: offers every command of uipauth --help"
  got=$(fish_complete 'uipauth token w')
  has "$got" work "fish: 'uipauth token w' completes a profile name from the agent"
  got=$(fish_complete 'uipauth env --shell=')
  has "$got" --shell=csh "fish: --shell completes shells"
  got=$(fish_complete 'uipauth exec --profile ')
  has "$got" robot-1 "fish: --profile completes profiles"
  got=$(fish_complete 'uipauth add x --secret-source=')
  has "$got" --secret-source=keyring "fish: --secret-source completes its forms"
  got=$(fish_complete 'uipauth logout ')
  has "$got" work "fish: logout completes profiles"
  got=$(fish_complete 'uipauth add x --fo')
  has "$got" --forward "fish: add completes --forward"
  got=$(fish_complete 'uipauth status --c')
  has "$got" --callers "fish: status completes --callers"
  [ -s "$T/fish.err" ] && diag "$(cat "$T/fish.err")"
fi

# --- zsh: drives an interactive zsh through zpty and reads what TAB lists.
if need zsh; then
  if zsh -n "$DIR/_uipauth"; then ok "zsh: _uipauth parses"; else not_ok "zsh: _uipauth parses"; fi
  cat > "$T/drive.zsh" <<'ZSH'
# drive.zsh DIR TMP LINE: types LINE and TAB twice into an interactive zsh
# with DIR in fpath, then prints all the terminal got.
zmodload zsh/zpty || exit 3
zpty -b z "zsh -f -i"
zpty -w z "PS1='> '; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -d $2/zcompdump"
zpty -w z "print ZRE''ADY"
zpty -r -m z line "*ZREADY*" || exit 4
zpty -n -w z "$3"$'\t\t'
sleep 2
all=
while zpty -r -t z chunk; do all+=$chunk; done
print -r -- "$all"
zpty -d z
ZSH
  zsh_complete () {
    HOME=$T timeout 30 zsh -f "$T/drive.zsh" "$DIR" "$T" "$1" 2>"$T/zsh.err" |
      sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' | tr -d '\r' | tr -s ' ' '\n'
  }
  got=$(zsh_complete 'uipauth to')
  if printf '%s\n' "$got" | grep -q token; then ok "zsh: 'uipauth to' completes token"; else not_ok "zsh: 'uipauth to' completes token"; diag "$got"; fi
  got=$(zsh_complete 'uipauth token ')
  if printf '%s\n' "$got" | grep -q robot-1 && printf '%s\n' "$got" | grep -q work; then
    ok "zsh: 'uipauth token' lists the agent's profiles"
  else
    not_ok "zsh: 'uipauth token' lists the agent's profiles"; diag "$got"
  fi
  got=$(zsh_complete 'uipauth add x --secret-source=')
  if printf '%s\n' "$got" | grep -q 'credential:'; then ok "zsh: --secret-source completes its forms"; else
    not_ok "zsh: --secret-source completes its forms"; diag "$got"; fi
  got=$(zsh_complete 'uipauth status --c')
  if printf '%s\n' "$got" | grep -q -- --callers; then ok "zsh: status completes --callers"; else
    not_ok "zsh: status completes --callers"; diag "$got"; fi
fi

echo "1..$n"
[ "$failed" -eq 0 ]
