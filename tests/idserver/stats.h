/* stats.h: counters the tests read through GET /_control/stats. */
#pragma once

#include <json-glib/json-glib.h>

typedef struct {
  guint64 token_requests;
  GHashTable *by_client;   /* client_id → count (GUINT_TO_POINTER) */
  GHashTable *by_grant;    /* grant_type → count */
  GHashTable *by_auth;     /* client authentication (basic, post, none) → count,
                            * of token and revocation requests */
  guint64 issued;
  guint64 check_ok;
  guint64 check_expired;
  guint64 check_bad;
  guint64 authorize;       /* authorize requests */
  guint64 reuse_detected;  /* used refresh tokens sent again */
  guint64 revocations;     /* revocation requests, counted on arrival */
  guint64 revoked;         /* refresh tokens that a revocation revoked */
  guint in_flight;         /* a gauge: never zeroed by a reset */
  guint max_in_flight;
} IdStats;

void id_stats_init          (IdStats     *stats);
void id_stats_clear         (IdStats     *stats);
void id_stats_reset         (IdStats     *stats);
void id_stats_count_request (IdStats     *stats,
                             const char  *client_id,
                             const char  *grant_type);
void id_stats_count_auth    (IdStats     *stats,
                             const char  *method);
void id_stats_enter         (IdStats     *stats);
void id_stats_leave         (IdStats     *stats);
void id_stats_build         (const IdStats *stats,
                             JsonBuilder   *builder);
