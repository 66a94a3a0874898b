/* Reading a small file that someone else's tool wrote (a project's .env,
 * uipathcli's config, `uipath auth`'s token file): whole, bounded, only a
 * regular file (a FIFO would hang us, a device would never end), and
 * wiped when freed, since such files hold tokens. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef enum {
  UA_READFILE_OK,
  UA_READFILE_MISSING,  /* no such file (ENOENT, or a missing directory) */
  UA_READFILE_ERROR,    /* anything else: said in @err */
} UaReadfileStatus;

typedef struct {
  char *data;  /* NUL-terminated (a NUL inside is kept: see len) */
  size_t len;
  bool truncated;  /* larger than the cap: @data holds its first cap bytes */
} UaReadfile;

/* Reads @path into @out.  A file larger than @cap is an error unless
 * @allow_truncate, which reads its first @cap bytes.  Without @follow a
 * symbolic link is an error (a file we may rewrite must be the file). */
UaReadfileStatus ua_readfile (const char *path, size_t cap, bool allow_truncate,
                              bool follow, UaReadfile *out, char *err, size_t errlen);
/* Wipes and frees what ua_readfile() read; @file may be empty. */
void ua_readfile_clear (UaReadfile *file);
