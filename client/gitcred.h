/* git's credential-helper protocol (git-credential(1)): the request git
 * writes on our standard input and the answer we write back. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "msg.h"

/* Largest request we read; git's are a few hundred bytes, wwwauth[] lines
 * included. */
#define UA_GITCRED_INPUT_MAX (256u * 1024u)

typedef struct {
  char *protocol;
  char *host;       /* may carry ":port" */
  char *path;
  char *username;
  bool authtype;    /* git announced capability[]=authtype */
} UaGitCred;

void ua_gitcred_clear (UaGitCred *cred);

/* Parses the lines of a request up to the first blank line or the end of
 * @buf.  Unknown attributes are ignored; a value with CR or NUL, a line
 * without '=', an unusable url= and a request without host are refused.
 * Returns 0, or -1 with a sentence in @err (and @cred cleared). */
int ua_gitcred_parse (const char *buf, size_t len, UaGitCred *cred,
                      char *err, size_t errlen);

/* Reads a request from @fd until a blank line or end of file, then parses
 * it.  The bytes read (which may hold a password) are wiped. */
int ua_gitcred_read (int fd, UaGitCred *cred, char *err, size_t errlen);

/* "protocol://host/path", the URL the agent matches profiles against;
 * NULL when out of memory. */
char *ua_gitcred_url (const UaGitCred *cred);

/* Appends the answer to a `get` whose token reply is @reply. */
void ua_gitcred_format_reply (const UaGitCred *cred, const UaMsg *reply,
                              UaBuf *out);
