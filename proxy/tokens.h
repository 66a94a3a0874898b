/* The bearer the proxy adds: asked of the agent, kept while it stays valid
 * for the minimum the user asked (--min-valid), one question in flight at
 * a time, whose answer every request waiting for it shares. */
#pragma once

#include <glib.h>

typedef struct UaProxyTokens UaProxyTokens;

/* @header is "Bearer TOKEN", borrowed for the call; NULL with @message
 * (a sentence naming the profile) when the agent gave no token. */
typedef void (*UaProxyTokenFunc) (const char *header, const char *message,
                                  gpointer data);

UaProxyTokens *ua_proxy_tokens_new (const char *profile, long min_valid_s);
void ua_proxy_tokens_free (UaProxyTokens *tokens);

/* Calls @func at once when the kept token serves, else once the agent
 * answers.  The caller keeps @data alive until then. */
void ua_proxy_tokens_get (UaProxyTokens *tokens, UaProxyTokenFunc func,
                          gpointer data);

/* The upstream refused the kept token (401): the next request asks the
 * agent again. */
void ua_proxy_tokens_refused (UaProxyTokens *tokens);
