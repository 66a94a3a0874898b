#include "config.h"

#include "tokens.h"

#include <gio/gio.h>

#include "conn.h"
#include "msg.h"
#include "secret.h"

/* A kept token is checked with the agent again after this long even when
 * it has long to live, so that `uipauth lock` or `remove` reaches a
 * running proxy within it; requests do not wait for that check. */
#define RECHECK_S 60

typedef struct {
  UaProxyTokenFunc func;
  gpointer data;
} Waiter;

struct UaProxyTokens {
  char *profile;
  long min_valid_s;
  UaSecret *header;     /* "Bearer TOKEN", or NULL */
  gint64 usable_until;  /* monotonic µs: the token is valid for min_valid until then */
  gint64 recheck_at;    /* monotonic µs */
  gboolean asking;
  GQueue waiters;       /* of Waiter */
};

/* What a question to the agent brought back, made on the worker thread. */
typedef struct {
  UaSecret *header;
  gint64 lifetime_s;    /* -1: the token has no known expiry (a PAT) */
  char *message;
} Answer;

static void
answer_free (Answer *answer)
{
  ua_secret_free (answer->header);
  g_free (answer->message);
  g_free (answer);
}

UaProxyTokens *
ua_proxy_tokens_new (const char *profile, long min_valid_s)
{
  UaProxyTokens *tokens = g_new0 (UaProxyTokens, 1);

  tokens->profile = g_strdup (profile);
  tokens->min_valid_s = min_valid_s;
  g_queue_init (&tokens->waiters);
  return tokens;
}

void
ua_proxy_tokens_free (UaProxyTokens *tokens)
{
  if (tokens == NULL)
    return;
  /* Freed only after the main loop stopped: no answer arrives after. */
  g_queue_clear_full (&tokens->waiters, g_free);
  ua_secret_free (tokens->header);
  g_free (tokens->profile);
  g_free (tokens);
}

static Answer *
answer_from_reply (const UaMsg *reply, const char *profile)
{
  Answer *answer = g_new0 (Answer, 1);
  const char *token = ua_msg_get (reply, "token");
  const char *message = ua_msg_get (reply, "message");
  long long expires_in;

  if (g_strcmp0 (ua_msg_get (reply, "status"), "ok") != 0 || token == NULL || *token == '\0')
    {
      answer->message = g_strdup_printf ("no token for profile %s: %s", profile,
                                         message ? message : "the agent gave none");
      return answer;
    }
  {
    g_autofree char *header = g_strconcat ("Bearer ", token, NULL);

    answer->header = ua_secret_new_str (header);
    ua_wipe_str (g_steal_pointer (&header));
  }
  answer->lifetime_s = ua_msg_get_int (reply, "expires_in", &expires_in) ? expires_in : -1;
  return answer;
}

/* On a worker thread: the blocking client call, as `uipauth token` makes
 * it (the agent may be started if it went away). */
static void
ask_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *const *what = task_data; /* profile, min_valid */
  UaMsg *req = ua_msg_new (), *reply = NULL;
  UaConnError e;
  Answer *answer;

  ua_msg_add (req, "v", "1");
  ua_msg_add (req, "op", "token");
  ua_msg_add (req, "profile", what[0]);
  ua_msg_add (req, "min_valid", what[1]);
  if (ua_conn_call (req, UA_CONN_AUTOSTART, &reply, &e) < 0)
    {
      answer = g_new0 (Answer, 1);
      answer->message = g_strdup_printf ("no token for profile %s: %s", what[0], e.msg);
    }
  else
    answer = answer_from_reply (reply, what[0]);
  ua_msg_free (reply);
  ua_msg_free (req);
  g_task_return_pointer (task, answer, (GDestroyNotify) answer_free);
}

static void
keep (UaProxyTokens *tokens, Answer *answer)
{
  gint64 now = g_get_monotonic_time ();

  ua_secret_free (tokens->header);
  tokens->header = g_steal_pointer (&answer->header);
  tokens->usable_until = answer->lifetime_s < 0
    ? G_MAXINT64
    : now + (answer->lifetime_s - tokens->min_valid_s) * G_USEC_PER_SEC;
  tokens->recheck_at = now + RECHECK_S * G_USEC_PER_SEC;
}

static void
on_answer (GObject *source, GAsyncResult *result, gpointer user_data)
{
  UaProxyTokens *tokens = user_data;
  Answer *answer = g_task_propagate_pointer (G_TASK (result), NULL);
  Waiter *w;

  tokens->asking = FALSE;
  if (answer->header != NULL)
    keep (tokens, answer);
  while ((w = g_queue_pop_head (&tokens->waiters)) != NULL)
    {
      if (answer->message != NULL)
        w->func (NULL, answer->message, w->data);
      else
        w->func (ua_secret_get (tokens->header), NULL, w->data);
      g_free (w);
    }
  answer_free (answer);
}

static void
ask (UaProxyTokens *tokens)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, on_answer, tokens);
  char **what = g_new0 (char *, 3);

  what[0] = g_strdup (tokens->profile);
  what[1] = g_strdup_printf ("%ld", tokens->min_valid_s);
  tokens->asking = TRUE;
  g_task_set_task_data (task, what, (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, ask_thread);
}

void
ua_proxy_tokens_get (UaProxyTokens *tokens, UaProxyTokenFunc func, gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  Waiter *w;

  if (tokens->header != NULL && now < tokens->usable_until)
    {
      if (now >= tokens->recheck_at && !tokens->asking)
        ask (tokens);
      func (ua_secret_get (tokens->header), NULL, data);
      return;
    }
  w = g_new0 (Waiter, 1);
  w->func = func;
  w->data = data;
  g_queue_push_tail (&tokens->waiters, w);
  if (!tokens->asking)
    ask (tokens);
}

void
ua_proxy_tokens_refused (UaProxyTokens *tokens)
{
  tokens->usable_until = 0;
}
