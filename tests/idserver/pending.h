/* pending.h: requests parked without blocking the main loop. */
#pragma once

#include <libsoup/soup.h>

typedef struct _IdPending IdPending;

/* Writes the response of a parked request once it is resumed. */
typedef void (*IdAnswerFunc) (SoupServerMessage *msg,
                              gpointer           data);

/* delay_ms < 0 parks until id_pending_release_hung(). */
#define ID_PENDING_FOREVER (-1)

IdPending *id_pending_new          (void);
void       id_pending_free         (IdPending        *pending);
void       id_pending_park         (IdPending        *pending,
                                    SoupServerMessage *msg,
                                    gint              delay_ms,
                                    IdAnswerFunc      answer,
                                    gpointer          data,
                                    GDestroyNotify    destroy);
void       id_pending_release_hung (IdPending        *pending);
