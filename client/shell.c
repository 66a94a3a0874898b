#include "shell.h"

#include <string.h>

static const char *const names[UA_SHELL_LAST_] = {
  [UA_SHELL_SH] = "sh",
  [UA_SHELL_BASH] = "bash",
  [UA_SHELL_ZSH] = "zsh",
  [UA_SHELL_FISH] = "fish",
  [UA_SHELL_CSH] = "csh",
  [UA_SHELL_TCSH] = "tcsh",
  [UA_SHELL_JSON] = "json",
};

int
ua_shell_from_name (const char *name)
{
  for (int i = 0; i < UA_SHELL_LAST_; i++)
    if (strcmp (names[i], name) == 0)
      return i;
  return -1;
}

UaShell
ua_shell_detect (const char *shell_env)
{
  const char *base;
  int shell;

  if (shell_env == NULL)
    return UA_SHELL_SH;
  base = strrchr (shell_env, '/');
  base = base ? base + 1 : shell_env;
  shell = ua_shell_from_name (base);
  /* "json" is not a login shell; dash, ksh, ash and the rest speak sh. */
  return shell < 0 || shell == UA_SHELL_JSON ? UA_SHELL_SH : (UaShell) shell;
}

const char *
ua_shell_name (UaShell shell)
{
  return shell < UA_SHELL_LAST_ ? names[shell] : "sh";
}

/* Length of the valid UTF-8 sequence at @p, or 0 if it is not one
 * (overlong forms and surrogates are not valid). */
static size_t
utf8_len (const unsigned char *p, size_t n)
{
  unsigned char c = p[0];
  size_t len;
  unsigned char lo = 0x80, hi = 0xbf;

  if (c >= 0xc2 && c <= 0xdf)
    len = 2;
  else if (c >= 0xe0 && c <= 0xef)
    {
      len = 3;
      lo = c == 0xe0 ? 0xa0 : 0x80;
      hi = c == 0xed ? 0x9f : 0xbf;
    }
  else if (c >= 0xf0 && c <= 0xf4)
    {
      len = 4;
      lo = c == 0xf0 ? 0x90 : 0x80;
      hi = c == 0xf4 ? 0x8f : 0xbf;
    }
  else
    return 0;
  if (n < len || p[1] < lo || p[1] > hi)
    return 0;
  for (size_t i = 2; i < len; i++)
    if (p[i] < 0x80 || p[i] > 0xbf)
      return 0;
  return len;
}

/* JSON text must be UTF-8: valid sequences pass through, control bytes are
 * escaped, and a byte that is not part of valid UTF-8 becomes \u00XX (the
 * Latin-1 reading of it), the only lossless-looking choice JSON offers. */
static void
quote_json (const unsigned char *p, size_t len, UaBuf *out)
{
  static const char hex[] = "0123456789abcdef";

  ua_buf_append_char (out, '"');
  for (size_t i = 0; i < len; i++)
    {
      size_t seq = p[i] >= 0x80 ? utf8_len (p + i, len - i) : 0;

      if (seq > 0)
        {
          ua_buf_append (out, p + i, seq);
          i += seq - 1;
        }
      else if (p[i] == '"' || p[i] == '\\')
        {
          ua_buf_append_char (out, '\\');
          ua_buf_append_char (out, (char) p[i]);
        }
      else if (p[i] < 0x20 || p[i] >= 0x7f)
        {
          char esc[6] = { '\\', 'u', '0', '0', hex[p[i] >> 4], hex[p[i] & 15] };
          ua_buf_append (out, esc, sizeof esc);
        }
      else
        ua_buf_append_char (out, (char) p[i]);
    }
  ua_buf_append_char (out, '"');
}

/* Single quotes, with each special byte replaced by a fixed string. */
static void
quote_single (const char *p, size_t len, const char *const *special, UaBuf *out)
{
  ua_buf_append_char (out, '\'');
  for (size_t i = 0; i < len; i++)
    {
      const char *rep = special[(unsigned char) p[i]];
      if (rep != NULL)
        ua_buf_append_str (out, rep);
      else
        ua_buf_append_char (out, p[i]);
    }
  ua_buf_append_char (out, '\'');
}

void
ua_shell_quote (UaShell shell, const char *value, size_t len, UaBuf *out)
{
  /* POSIX: nothing is special inside '...' but the quote itself. */
  static const char *const sh[256] = { ['\''] = "'\\''" };
  /* fish: inside '...' only \\ and \' are escapes. */
  static const char *const fish[256] = { ['\''] = "\\'", ['\\'] = "\\\\" };
  /* csh: history substitution sees ! even inside '...'. */
  static const char *const csh[256] = { ['\''] = "'\\''", ['!'] = "\\!" };

  switch (shell)
    {
    case UA_SHELL_JSON:
      quote_json ((const unsigned char *) value, len, out);
      break;
    case UA_SHELL_FISH:
      quote_single (value, len, fish, out);
      break;
    case UA_SHELL_CSH:
    case UA_SHELL_TCSH:
      quote_single (value, len, csh, out);
      break;
    default:
      quote_single (value, len, sh, out);
      break;
    }
}

static void
format_json (const UaEnvVar *vars, size_t n, bool unset, UaBuf *out)
{
  bool first = true;

  ua_buf_append_char (out, '{');
  for (size_t i = 0; i < n; i++)
    {
      ua_buf_append_str (out, first ? "\n  " : ",\n  ");
      first = false;
      quote_json ((const unsigned char *) vars[i].name, strlen (vars[i].name), out);
      ua_buf_append_str (out, ": ");
      if (unset || vars[i].value == NULL)
        ua_buf_append_str (out, "null");
      else
        quote_json ((const unsigned char *) vars[i].value,
                    strlen (vars[i].value), out);
    }
  ua_buf_append_str (out, first ? "}\n" : "\n}\n");
}

static void
format_line (UaShell shell, const UaEnvVar *var, bool unset, UaBuf *out)
{
  static const char *const set_cmd[UA_SHELL_LAST_] = {
    [UA_SHELL_FISH] = "set -gx ", [UA_SHELL_CSH] = "setenv ",
    [UA_SHELL_TCSH] = "setenv ",
  };
  static const char *const unset_cmd[UA_SHELL_LAST_] = {
    [UA_SHELL_FISH] = "set -e ", [UA_SHELL_CSH] = "unsetenv ",
    [UA_SHELL_TCSH] = "unsetenv ",
  };
  const char *cmd = unset ? unset_cmd[shell] : set_cmd[shell];

  if (unset)
    {
      ua_buf_append_str (out, cmd ? cmd : "unset ");
      ua_buf_append_str (out, var->name);
    }
  else if (cmd != NULL)
    {
      ua_buf_append_str (out, cmd);
      ua_buf_append_str (out, var->name);
      ua_buf_append_char (out, ' ');
      ua_shell_quote (shell, var->value, strlen (var->value), out);
    }
  else
    {
      ua_buf_append_str (out, "export ");
      ua_buf_append_str (out, var->name);
      ua_buf_append_char (out, '=');
      ua_shell_quote (shell, var->value, strlen (var->value), out);
    }
  ua_buf_append_str (out, ";\n");
}

void
ua_shell_format_env (UaShell shell, const UaEnvVar *vars, size_t n,
                     bool unset, UaBuf *out)
{
  if (shell == UA_SHELL_JSON)
    {
      format_json (vars, n, unset, out);
      return;
    }
  for (size_t i = 0; i < n; i++)
    format_line (shell, &vars[i], unset || vars[i].value == NULL, out);
}
