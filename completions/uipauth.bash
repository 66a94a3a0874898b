# bash completion for uipauth(1) and its git helper commands.
# Profile names come from the agent (`uipauth list --json`), not from a
# file: an agent may hold its profiles in memory only.

_uipauth_profiles ()
{
    UIPAUTH_TIMEOUT=${UIPAUTH_TIMEOUT:-3} "${1:-uipauth}" list --json 2>/dev/null |
        sed -n 's/^ *"name": "\([^"]*\)".*/\1/p'
}

_uipauth ()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi

    local commands="add remove list status token header env exec login logout
        import get store erase agent lock doctor help"
    local valued="--type --url --organization --tenant --client-id --scopes
        --identity-url --redirect-uri --username --expires --match --profile
        --min-valid --shell --timeout --tenant-id --organization-id --dir
        --secret-source --token-auth"
    local cmd="" cmd_at=0 i

    for ((i = 1; i < cword; i++)); do
        [[ ${words[i]} == -* ]] && continue
        cmd=${words[i]} cmd_at=$i
        break
    done
    if [[ -z $cmd ]]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi

    # Words after the command that are neither options nor their values;
    # after "exec PROFILE --", bash completes the command being run.
    local positional=0
    for ((i = cmd_at + 1; i < cword; i++)); do
        if [[ $cmd == exec && ${words[i]} == -- ]]; then
            if declare -F _command_offset >/dev/null 2>&1; then
                _command_offset $((i + 1))
            else
                COMPREPLY=($(compgen -c -- "$cur"))
            fi
            return
        fi
        if [[ ${words[i]} == -* ]]; then
            [[ " ${valued//$'\n'/ } " == *" ${words[i]} "* ]] && ((i++))
        else
            ((positional++))
        fi
    done

    case $prev in
        --type)
            COMPREPLY=($(compgen -W "pat client-credentials authorization-code api-key password" -- "$cur"))
            return ;;
        --shell)
            COMPREPLY=($(compgen -W "sh bash zsh fish csh tcsh json" -- "$cur"))
            return ;;
        --secret-source)
            COMPREPLY=($(compgen -W "keyring file:/ credential:" -- "$cur"))
            return ;;
        --token-auth)
            COMPREPLY=($(compgen -W "post basic" -- "$cur"))
            return ;;
        --profile)
            COMPREPLY=($(compgen -W "$(_uipauth_profiles "${words[0]}")" -- "$cur"))
            return ;;
        --dir)
            COMPREPLY=($(compgen -d -- "$cur"))
            return ;;
        --url|--organization|--tenant|--client-id|--scopes|--identity-url|\
        --redirect-uri|--username|--expires|--match|--min-valid|--timeout|\
        --tenant-id|--organization-id)
            return ;;
    esac

    local opts="--help" profiles=no
    case $cmd in
        add)
            opts+=" --type --url --organization --tenant --client-id --scopes
                --identity-url --redirect-uri --username --expires --match
                --tenant-id --organization-id --allow-password --exchange
                --confidential --token-auth --forward --replace --secret-stdin --secret-source" ;;
        remove|logout) profiles=yes ;;
        login) opts+=" --no-browser --timeout"; profiles=yes ;;
        import) opts+=" --dir --delete" ;;
        list) opts+=" --json" ;;
        status) opts+=" --json --callers" ;;
        token|header) opts+=" --profile --min-valid --force-new"; profiles=yes ;;
        env) opts+=" --profile --min-valid --force-new --shell --unset"; profiles=yes ;;
        exec) opts+=" --profile --min-valid --force-new --proxy --no-dotenv --no-cli-config --"; profiles=yes ;;
        get) opts+=" --profile --min-valid" ;;
        store|erase) opts+=" --profile" ;;
        agent)
            ((positional == 0)) && COMPREPLY=($(compgen -W "start stop status" -- "$cur"))
            return ;;
        help)
            ((positional == 0)) && COMPREPLY=($(compgen -W "$commands" -- "$cur"))
            return ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    elif [[ $profiles == yes ]] && ((positional == 0)); then
        COMPREPLY=($(compgen -W "$(_uipauth_profiles "${words[0]}")" -- "$cur"))
    fi
}

complete -F _uipauth uipauth
