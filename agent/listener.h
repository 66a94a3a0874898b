/* The loopback listener of `uipauth login`: waits for the browser's
 * redirect on the profile's redirect URI and answers every connection with
 * a small page.  It does the HTTP and nothing else: what a redirect means
 * is for its owner (login.c) to judge.
 *
 * Any local user can connect to a loopback port, so the listener must not
 * let another user stall or end a sign-in: a connection must send its
 * request line within UA_LISTENER_PEER_TIMEOUT_S, requests for other paths
 * (a browser's /favicon.ico) get a 404 page and change nothing, and when
 * all UA_LISTENER_MAX_PEERS slots are taken the longest-waiting silent
 * connection makes room for the new one. */
#pragma once

#include <gio/gio.h>

#include "redirect.h"

/* A connection must send its request line within this. */
#define UA_LISTENER_PEER_TIMEOUT_S 3
/* Connections served at once; the oldest silent one yields to a new one. */
#define UA_LISTENER_MAX_PEERS 16

typedef struct UaListener UaListener;
typedef struct UaListenerPeer UaListenerPeer;

/* A GET of the redirect path.  The owner answers @peer now, or keeps a
 * reference (ua_listener_peer_ref) and answers later. */
typedef void (*UaListenerRedirect) (UaListenerPeer *peer, const UaRedirect *redirect,
                                    gpointer user_data);

/* Listens on @redirect_uri: http://localhost:PORT[/PATH] (or 127.0.0.1 or
 * [::1]).  @what names the profile in errors. */
UaListener *ua_listener_new (const char *redirect_uri, const char *what,
                             UaListenerRedirect on_redirect, gpointer user_data,
                             GError **error);
/* Stops listening at once; pages being written are finished. */
void ua_listener_close (UaListener *listener);
void ua_listener_free (UaListener *listener);

UaListenerPeer *ua_listener_peer_ref (UaListenerPeer *peer);
void ua_listener_peer_unref (UaListenerPeer *peer);
/* Answers with a self-contained HTML page and closes the connection:
 * @title is the heading, each line of @text a paragraph, all escaped;
 * status 200 looks like success, any other like failure.  Never cached,
 * sends no referrer, may load nothing.  Harmless on a peer that has gone
 * away. */
void ua_listener_answer (UaListenerPeer *peer, guint status, const char *title,
                         const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaListener, ua_listener_free)
