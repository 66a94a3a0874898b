/* ua_gitcred_*: requests from tests/data/client-gitcred.txt, reading from a
 * pipe, and the answers to git. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "gitcred.h"
#include "tap.h"

static void
describe (const UaGitCred *cred, UaBuf *out)
{
  char *url = ua_gitcred_url (cred);

  ua_buf_printf (out, "url=%s user=%s authtype=%d", url,
                 cred->username ? cred->username : "-", cred->authtype);
  /* Shown only when set, so that most cases need not mention them. */
  if (cred->state)
    ua_buf_printf (out, " state=1");
  if (cred->state_profile)
    ua_buf_printf (out, " state_profile=%s", cred->state_profile);
  if (cred->wwwauth)
    ua_buf_printf (out, " wwwauth=%s", cred->www_bearer ? "bearer" : "other");
  ua_buf_printf (out, " answer=%s", ua_gitcred_wants_bearer (cred) ? "bearer" : "basic");
  free (url);
}

static void
check_case (const char *name, const UaBuf *request, const char *want)
{
  UaGitCred cred;
  UaBuf got = UA_BUF_INIT;
  char err[512];

  if (ua_gitcred_parse (request->data ? request->data : "", request->len, &cred,
                        err, sizeof err) == 0)
    {
      describe (&cred, &got);
      ua_gitcred_clear (&cred);
      tap_is (got.data, want, "%s", name);
    }
  else if (strncmp (want, "error: ", 7) == 0 && strstr (err, want + 7) != NULL)
    tap_ok (strstr (err, "hunter2") == NULL, "%s", name);
  else
    tap_is (err, want, "%s", name);
  ua_buf_clear (&got);
}

static void
test_fixture (void)
{
  char *text = tap_read_fixture ("client-gitcred.txt", NULL);
  char *lines[1024];
  size_t n = tap_split (text, '\n', lines, 1024);
  const char *name = NULL;
  UaBuf request = UA_BUF_INIT;

  for (size_t i = 0; i < n; i++)
    {
      char line[1024];
      size_t len;

      if (name == NULL)
        {
          if (strncmp (lines[i], "== ", 3) == 0)
            name = lines[i] + 3;
          continue;
        }
      if (strncmp (lines[i], "-> ", 3) == 0)
        {
          check_case (name, &request, lines[i] + 3);
          ua_buf_clear (&request);
          name = NULL;
          continue;
        }
      len = tap_unescape (lines[i], line);
      ua_buf_append (&request, line, len);
      ua_buf_append_char (&request, '\n');
    }
  tap_ok (name == NULL, "fixture ends after a complete case");
  ua_buf_clear (&request);
  free (text);
}

static void
test_eof_without_newline (void)
{
  static const char req[] = "protocol=https\nhost=h\npath=p";
  UaGitCred cred;
  char err[256];

  tap_ok (ua_gitcred_parse (req, sizeof req - 1, &cred, err, sizeof err) == 0 &&
          strcmp (cred.path, "p") == 0, "a last line without LF is read");
  ua_gitcred_clear (&cred);
}

static int
read_from_pipe (const char *data, size_t len, UaGitCred *cred, char *err, size_t errlen)
{
  int fds[2], rc;

  if (pipe (fds) < 0)
    return -2;
  if (write (fds[1], data, len) != (ssize_t) len)
    return -2;
  close (fds[1]);
  rc = ua_gitcred_read (fds[0], cred, err, errlen);
  close (fds[0]);
  return rc;
}

static void
test_read (void)
{
  static const char req[] = "protocol=https\nhost=h\n\nignored=1\n";
  UaGitCred cred;
  char err[256], *big;
  size_t big_len = UA_GITCRED_INPUT_MAX + 100;
  int fds[2];

  tap_ok (read_from_pipe (req, sizeof req - 1, &cred, err, sizeof err) == 0 &&
          strcmp (cred.host, "h") == 0, "reads a request from a pipe");
  ua_gitcred_clear (&cred);

  /* The blank line ends the request even while git keeps the pipe open. */
  tap_ok (pipe (fds) == 0 && write (fds[1], "host=h\n\n", 8) == 8, "pipe set up");
  tap_ok (ua_gitcred_read (fds[0], &cred, err, sizeof err) == 0, "stops at the blank line without EOF");
  ua_gitcred_clear (&cred);
  close (fds[0]);
  close (fds[1]);

  big = malloc (big_len);
  memset (big, 'a', big_len);
  memcpy (big, "host=h\nx=", 9);
  tap_ok (read_from_pipe (big, 60000, &cred, err, sizeof err) == 0,
          "a 60 kB request is fine");
  ua_gitcred_clear (&cred);
  free (big);
}

static void
test_oversized (void)
{
  size_t len = UA_GITCRED_INPUT_MAX + 10;
  char *big = malloc (len);
  UaGitCred cred;
  char err[256];
  int fds[2];
  pid_t pid;

  memset (big, 'a', len);
  memcpy (big, "host=h\nx=", 9);
  if (pipe (fds) < 0 || (pid = fork ()) < 0)
    return;
  if (pid == 0)
    {
      close (fds[0]);
      (void) !write (fds[1], big, len);
      _exit (0);
    }
  close (fds[1]);
  tap_ok (ua_gitcred_read (fds[0], &cred, err, sizeof err) < 0 && strstr (err, "larger than"),
          "a request over %u bytes is refused", UA_GITCRED_INPUT_MAX);
  close (fds[0]);
  waitpid (pid, NULL, 0);
  free (big);
}

static UaMsg *
reply_with (const char *const *kv)
{
  UaMsg *msg = ua_msg_new ();

  for (; kv[0] != NULL; kv += 2)
    ua_msg_add (msg, kv[0], kv[1]);
  return msg;
}

static void
test_answer (void)
{
  static const char *const full[] = {
    "status", "ok", "token", "TKN", "expires_at", "1700000000", "username", "svc", NULL,
  };
  static const char *const bare[] = { "status", "ok", "token", "TKN", NULL };
  static const char *const named[] = { "status", "ok", "profile", "work", "token", "TKN", NULL };
  static const char *const odd[] = {
    "status", "ok", "token", "TKN", "expires_at", "17e8", NULL,
  };
  static const struct {
    const char *name;
    const char *request;
    const char *const *reply;
    long min_valid; /* what the token request asked for */
    const char *want;
  } cases[] = {
    { "basic answer with the request's username", "host=h\nusername=bob\n", full, 0,
      "username=bob\npassword=TKN\npassword_expiry_utc=1700000000\n" },
    { "basic answer with the reply's username", "host=h\n", full, 0,
      "username=svc\npassword=TKN\npassword_expiry_utc=1700000000\n" },
    { "basic answer with the default username, no expiry", "host=h\n", bare, 300,
      "username=uipauth\npassword=TKN\n" },
    { "bearer answer when git can take one", "capability[]=authtype\nhost=h\n", full, 0,
      "capability[]=authtype\nauthtype=Bearer\ncredential=TKN\nephemeral=1\n"
      "password_expiry_utc=1700000000\n" },
    { "git's expiry is the token's less the 300 s git's request asks for",
      "host=h\n", full, 300,
      "username=svc\npassword=TKN\npassword_expiry_utc=1699999700\n" },
    { "git's expiry is the token's less the 60 s --min-valid asked for",
      "capability[]=authtype\nhost=h\n", full, 60,
      "capability[]=authtype\nauthtype=Bearer\ncredential=TKN\nephemeral=1\n"
      "password_expiry_utc=1699999940\n" },
    { "an expiry that is not a number is not passed on", "host=h\n", odd, 300,
      "username=uipauth\npassword=TKN\n" },
    { "basic answer when the server offers no Bearer",
      "capability[]=authtype\nhost=h\nwwwauth[]=Basic realm=\"x\"\n", bare, 300,
      "username=uipauth\npassword=TKN\n" },
    { "state[] naming the profile when git speaks state",
      "capability[]=authtype\ncapability[]=state\nhost=h\n", named, 300,
      "capability[]=authtype\nauthtype=Bearer\ncredential=TKN\nephemeral=1\n"
      "capability[]=state\nstate[]=uipauth:profile=work\n" },
    { "no state[] when git does not speak it", "host=h\n", named, 300,
      "username=uipauth\npassword=TKN\n" },
  };

  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    {
      UaGitCred cred;
      UaBuf out = UA_BUF_INIT;
      UaMsg *reply = reply_with (cases[i].reply);
      char err[256];

      ua_gitcred_parse (cases[i].request, strlen (cases[i].request), &cred, err, sizeof err);
      tap_ok (ua_gitcred_format_reply (&cred, reply, cases[i].min_valid, &out) == 0,
              "%s: formatted", cases[i].name);
      tap_is (out.data, cases[i].want, "%s", cases[i].name);
      ua_buf_clear (&out);
      ua_msg_free (reply);
      ua_gitcred_clear (&cred);
    }
}

/* Neither the agent nor the parser lets a line break into a value, but if
 * one came, git must not see a line of it: it could add a url= or host=
 * of its own (CVE-2020-5260, CVE-2024-52006). */
static void
test_answer_refuses_line_breaks (void)
{
  static const char *const users[] = { "u\nhost=evil", "u\rhost=evil", "u\r" };

  for (size_t i = 0; i < sizeof users / sizeof *users; i++)
    {
      static const char *const bare[] = { "status", "ok", "token", "TKN", NULL };
      UaGitCred cred = { 0 };
      UaBuf out = UA_BUF_INIT;
      UaMsg *reply = reply_with (bare);

      cred.host = strdup ("h");
      cred.username = strdup (users[i]);
      tap_ok (ua_gitcred_format_reply (&cred, reply, 300, &out) < 0 && out.len == 0,
              "an answer with a line break in username %zu is refused", i);
      ua_buf_clear (&out);
      ua_msg_free (reply);
      ua_gitcred_clear (&cred);
    }
}

int
main (void)
{
  test_fixture ();
  test_eof_without_newline ();
  test_read ();
  test_oversized ();
  test_answer ();
  test_answer_refuses_line_breaks ();
  return tap_done ();
}
