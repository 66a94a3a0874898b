/* Fuzz target: an identity server's whole answer to a token request, as
 * bytes off the wire: status line and header lines go through the header
 * parser curl's callback uses (agent/http.c), the body through the token
 * response judge (agent/grant.c).  Whatever the server says, the agent gets
 * either a usable Bearer token or an error fit for a terminal. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-glib.h"
#include "grant.h"

#define PROFILE "fuzz"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  ua_fuzz_glib_logs_fatal ();
  return 0;
}

/* The three digits after "HTTP/x ", else 200 so bodies get judged. */
static long
status_of (const char *line, size_t len)
{
  const char *sp = memchr (line, ' ', len);

  if (len < 5 || memcmp (line, "HTTP/", 5) != 0 || sp == NULL
      || (size_t) (sp - line) + 4 > len)
    return 200;
  return (sp[1] - '0') * 100L + (sp[2] - '0') * 10L + (sp[3] - '0');
}

static void
check_message (const char *message)
{
  /* Server text is cut and cleaned before it reaches a user's terminal. */
  for (const char *p = message; *p != '\0'; p++)
    if ((unsigned char) *p < 0x20 || *p == 0x7f)
      abort ();
  if (strncmp (message, "profile \"" PROFILE "\": ", strlen (PROFILE) + 12) != 0)
    abort ();
}

static void
check_token (const UaToken *token)
{
  const char *v = ua_secret_get (token->value);
  size_t len = ua_secret_len (token->value);

  if (len == 0 || len > 16 * 1024 || strlen (v) != len)
    abort ();
  for (size_t i = 0; i < len; i++)
    if (v[i] <= ' ' || v[i] > '~')
      abort ();
  if (g_strcmp0 (token->token_type, "Bearer") != 0 || token->expires_mono == 0)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *p = (const char *) data, *end = p + size;
  UaHttpHeaders headers = { NULL, -1 };
  UaHttpResponse response = { 200, NULL, NULL, -1 };
  UaGrantFailure failure;
  g_autoptr(GError) error = NULL;
  UaToken *token;
  gboolean first = TRUE;

  /* Header lines up to an empty one; the rest is the body. */
  while (p < end)
    {
      const char *nl = memchr (p, '\n', (size_t) (end - p));
      const char *next = nl ? nl + 1 : end;
      size_t len = (size_t) (next - p);

      if (first)
        response.status = status_of (p, len);
      first = FALSE;
      ua_http_headers_feed (&headers, p, len);
      p = next;
      if (len <= 2 && (len == 1 || p[-2] == '\r'))
        break;
    }
  response.content_type = g_steal_pointer (&headers.content_type);
  response.retry_after = headers.retry_after;
  response.body = ua_secret_new (p, (size_t) (end - p));
  ua_http_headers_clear (&headers);
  if (response.retry_after < -1 || response.retry_after > 24 * 60 * 60)
    abort ();

  token = ua_grant_parse_token_response (&response, PROFILE, &failure, &error);
  if ((token == NULL) == (error == NULL))
    abort ();
  if (token != NULL)
    check_token (token);
  else
    check_message (error->message);
  if (failure.retry == UA_GRANT_RETRY_AFTER
      && (failure.retry_after < 0 || failure.retry_after > 24 * 60 * 60))
    abort ();
  ua_token_free (token);
  g_free (response.content_type);
  ua_secret_free (response.body);
  return 0;
}
