/* A bearer token the agent has minted or read, with its deadlines. */
#pragma once

#include <glib.h>

#include "ua-secret.h"

typedef struct {
  UaSecret *value;
  char *token_type;    /* "Bearer" */
  char *scope;         /* as granted, may be NULL */
  gint64 expires_mono; /* g_get_monotonic_time() deadline, 0 = never */
  gint64 expires_wall; /* Unix seconds, for showing users, 0 = never */
  gint64 issued_mono;
} UaToken;

/* Takes @value.  @lifetime_s <= 0 means the token does not expire. */
UaToken *ua_token_new (UaSecret *value, const char *token_type,
                       const char *scope, gint64 lifetime_s);
void ua_token_free (UaToken *token);
UaToken *ua_token_copy (const UaToken *token);
/* Seconds of validity left at monotonic time @now_mono, G_MAXINT64 if the
 * token never expires. */
gint64 ua_token_remaining (const UaToken *token, gint64 now_mono);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaToken, ua_token_free)
