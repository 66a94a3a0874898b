#include "config.h"

#include "expiry.h"

#include <stdio.h>

#include "ua-error.h"

static gboolean
parse_date (const char *text, GDate *date)
{
  unsigned y, m, d;
  char tail;

  if (text == NULL || sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3
      || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (date, 1);
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

gboolean
ua_expiry_check (const UaProfile *profile, const GDate *today,
                 char **warning, GError **error)
{
  const char *expires = profile->expires;
  GDate now, end;
  gint days;

  *warning = NULL;
  if (profile->type != UA_KIND_PAT || expires == NULL)
    return TRUE;
  if (!parse_date (expires, &end))
    {
      *warning = g_strdup_printf ("profile \"%s\": expires=%.32s is not a date "
                                  "(YYYY-MM-DD); fix it with \"uipauth add %s "
                                  "--replace ...\"", profile->name, expires,
                                  profile->name);
      return TRUE;
    }
  if (today == NULL)
    {
      g_date_clear (&now, 1);
      g_date_set_time_t (&now, time (NULL));
      today = &now;
    }
  /* The PAT is good through its `expires` day. */
  days = g_date_days_between (today, &end);
  if (days < 0)
    {
      g_set_error (error, UA_ERROR, UA_ERR_EXPIRED,
                   "profile \"%s\": the Personal Access Token expired on %s; "
                   "create a new one in UiPath (Preferences > Personal Access "
                   "Token) and store it with \"uipauth add %s --replace --type "
                   "pat --expires YYYY-MM-DD ...\"", profile->name, expires,
                   profile->name);
      return FALSE;
    }
  if (days < UA_EXPIRY_WARN_DAYS)
    *warning = g_strdup_printf ("profile \"%s\": the Personal Access Token "
                                "expires on %s (in %d day%s); create a new one "
                                "and store it with \"uipauth add %s --replace "
                                "--type pat --expires YYYY-MM-DD ...\"",
                                profile->name, expires, days + 1,
                                days == 0 ? "" : "s", profile->name);
  return TRUE;
}

GPtrArray *
ua_expiry_status_warnings (GPtrArray *list)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < list->len; i++)
    {
      g_autoptr(GError) error = NULL;
      char *warning = NULL;

      if (!ua_expiry_check (list->pdata[i], NULL, &warning, &error))
        g_ptr_array_add (out, g_strdup (error->message));
      else if (warning != NULL)
        g_ptr_array_add (out, warning);
    }
  return out;
}
