/* GLib glue for the libc secret type in proto/secret.h. */
#pragma once

#include <glib.h>

#include "secret.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaSecret, ua_secret_free)

/* A g_autofree for strings that held a secret: wiped, then freed. */
static inline void
ua_wipe_gstr (char *str)
{
  if (str != NULL)
    ua_wipe (str, strlen (str));
  g_free (str);
}
typedef char UaWipedStr;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaWipedStr, ua_wipe_gstr)
