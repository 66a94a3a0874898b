#pragma once

#include <glib.h>

/* Makes the process fit to hold secrets.  Call first thing in main(). */
gboolean ua_hardening_apply (GError **error);
