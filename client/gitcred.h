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

/* The prefix of our state[] values (git >= 2.46 hands them back to the
 * helper that set them, on store and erase). */
#define UA_GITCRED_STATE_PREFIX "uipauth:profile="

typedef struct {
  char *protocol;
  char *host;       /* may carry ":port" */
  char *path;
  char *username;
  char *state_profile; /* from our own state[], on store and erase */
  bool authtype;    /* git announced capability[]=authtype */
  bool state;       /* git announced capability[]=state */
  bool wwwauth;     /* git passed the server's WWW-Authenticate challenges */
  bool www_bearer;  /* and one of them is for Bearer */
} UaGitCred;

void ua_gitcred_clear (UaGitCred *cred);

/* Parses the lines of a request up to the first blank line or the end of
 * @buf.  Unknown attributes are ignored; a value with CR or NUL, a line
 * without '=', an unusable url=, a request without host and a protocol or
 * host that no URL can have (ua_url_host_valid()) are refused.
 * Returns 0, or -1 with a sentence in @err (and @cred cleared). */
int ua_gitcred_parse (const char *buf, size_t len, UaGitCred *cred,
                      char *err, size_t errlen);

/* Reads a request from @fd until a blank line or end of file, then parses
 * it.  The bytes read (which may hold a password) are wiped. */
int ua_gitcred_read (int fd, UaGitCred *cred, char *err, size_t errlen);

/* "protocol://host/path", the URL the agent matches profiles against;
 * NULL when out of memory. */
char *ua_gitcred_url (const UaGitCred *cred);

/* Whether the answer to @cred is a bearer credential (authtype=Bearer,
 * credential=TOKEN) rather than username and password: git must have
 * announced capability[]=authtype, and the server, if git told us its
 * challenges, must offer Bearer. */
bool ua_gitcred_wants_bearer (const UaGitCred *cred);

/* Appends the answer to a `get` whose token reply is @reply, for a token
 * request that asked for @min_valid seconds of validity: git is told the
 * token expires that much before it does.  Returns 0, or -1 (and appends
 * nothing) when a value would hold CR, LF or NUL, which could smuggle a
 * line to git. */
int ua_gitcred_format_reply (const UaGitCred *cred, const UaMsg *reply,
                             long min_valid, UaBuf *out);
