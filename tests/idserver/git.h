/* git.h: repositories over git's "dumb" HTTP protocol below /git/, behind
 * the tokens this server issues. */
#pragma once

#include "server.h"

/* Serves the files below @root at /git/ (GET and HEAD only).  Also:
 *   POST /git/_revoke   body: a token; this route refuses it from now on,
 *                       as a resource server would after a revocation
 *   GET  /git/_stats    {"ok":N,"denied":N,"basic":N,"bearer":N} */
void id_git_install (IdServer   *srv,
                     const char *root);
