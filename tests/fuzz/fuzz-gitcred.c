/* Fuzz target: the git-credential request parser (client/gitcred.c) and
 * what the client builds from a parsed request: the URL it asks the agent
 * about and the answer it writes back to git. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "gitcred.h"
#include "msg.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* No parsed field may hold a byte that splits a line of git's protocol. */
static void
check_field (const char *s)
{
  if (s != NULL && strpbrk (s, "\r\n") != NULL)
    abort ();
}

/* Every line of the answer is key=value with one of the keys we send. */
static void
check_answer (const UaBuf *out)
{
  static const char *const keys[] = {
    "capability[]=", "authtype=", "credential=", "ephemeral=", "username=",
    "password=", "password_expiry_utc=", NULL,
  };
  const char *p = out->data, *end = out->data + out->len;

  if (out->len > 0 && (memchr (out->data, '\0', out->len) || out->data[out->len - 1] != '\n'))
    abort ();
  while (p < end)
    {
      const char *nl = memchr (p, '\n', (size_t) (end - p));
      int known = 0;
      for (int i = 0; keys[i] != NULL; i++)
        known |= strncmp (p, keys[i], strlen (keys[i])) == 0;
      if (!known || memchr (p, '\r', (size_t) (nl - p)))
        abort ();
      p = nl + 1;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  UaGitCred cred;
  char err[256];
  char *url;
  UaMsg *reply;
  UaBuf out = UA_BUF_INIT;

  if (ua_gitcred_parse ((const char *) data, size, &cred, err, sizeof err) < 0)
    {
      if (cred.protocol || cred.host || cred.path || cred.username)
        abort ();
      if (memchr (err, '\0', sizeof err) == NULL)
        abort ();
      return 0;
    }
  if (cred.host == NULL || *cred.host == '\0')
    abort ();
  check_field (cred.protocol);
  check_field (cred.host);
  check_field (cred.path);
  check_field (cred.username);

  url = ua_gitcred_url (&cred);
  if (url == NULL)
    abort ();
  free (url);

  reply = ua_msg_new ();
  ua_msg_add (reply, "token", "tok-abc");
  ua_msg_add (reply, "expires_at", "1700000000");
  ua_msg_add (reply, "username", "robot");
  ua_gitcred_format_reply (&cred, reply, 300, &out);
  if (out.oom)
    abort ();
  check_answer (&out);
  ua_buf_clear (&out);
  ua_msg_free (reply);
  ua_gitcred_clear (&cred);
  return 0;
}
