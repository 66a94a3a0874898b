/* clients.c: the client registry and its scope rules. */
#include "clients.h"

#include <string.h>

/* Scopes are space separated on the wire; the command line also takes
 * commas because spaces are awkward inside one argv word. */
#define SCOPE_SEPARATORS " ,"

static void
client_free (IdClient *client)
{
  g_free (client->id);
  g_free (client->secret);
  g_hash_table_unref (client->scopes);
  g_free (client);
}

static GHashTable *
scope_set_new (const char *scopes)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) names = g_strsplit_set (scopes != NULL ? scopes : "", SCOPE_SEPARATORS, -1);

  for (char **name = names; *name != NULL; name++)
    if (**name != '\0')
      g_hash_table_add (set, g_strdup (*name));
  return set;
}

GHashTable *
id_clients_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                (GDestroyNotify) client_free);
}

void
id_clients_put (GHashTable *clients,
                const char *id,
                const char *secret,
                const char *scopes)
{
  IdClient *client = g_new0 (IdClient, 1);

  client->id = g_strdup (id);
  client->secret = g_strdup (secret);
  client->scopes = scope_set_new (scopes);
  /* The key belongs to the value: replace (not insert) swaps both, so
   * the old key is never left pointing into a freed client. */
  g_hash_table_replace (clients, client->id, client);
}

/* ID:SECRET:SCOPES.  Ids and scopes never hold a colon, secrets may, so
 * the id ends at the first colon and the scopes start after the last. */
gboolean
id_clients_put_spec (GHashTable  *clients,
                     const char  *spec,
                     GError     **error)
{
  const char *first = strchr (spec, ':');
  const char *last = strrchr (spec, ':');

  if (first == NULL || first == last || first == spec || last == first + 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--client wants ID:SECRET:SCOPES with a non-empty id and secret");
      return FALSE;
    }

  g_autofree char *id = g_strndup (spec, first - spec);
  g_autofree char *secret = g_strndup (first + 1, last - first - 1);
  id_clients_put (clients, id, secret, last + 1);
  return TRUE;
}

IdClient *
id_clients_lookup (GHashTable *clients,
                   const char *id)
{
  return id != NULL ? g_hash_table_lookup (clients, id) : NULL;
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Sorted so that the granted scope string does not depend on hash order. */
static void
add_all_scopes (const IdClient *client,
                GPtrArray      *names)
{
  GHashTableIter iter;
  gpointer name;

  g_hash_table_iter_init (&iter, client->scopes);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
}

/* Like IdentityServer: no scope asked means every scope the client has;
 * one scope it lacks fails the whole request. */
gboolean
id_client_grant_scopes (const IdClient *client,
                        const char     *requested,
                        char          **granted)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) asked = g_strsplit (requested != NULL ? requested : "", " ", -1);

  for (char **name = asked; *name != NULL; name++)
    {
      if (**name == '\0' || g_ptr_array_find_with_equal_func (names, *name, g_str_equal, NULL))
        continue;
      if (!g_hash_table_contains (client->scopes, *name))
        return FALSE;
      g_ptr_array_add (names, g_strdup (*name));
    }

  if (names->len == 0)
    add_all_scopes (client, names);

  g_ptr_array_add (names, NULL);
  *granted = g_strjoinv (" ", (char **) names->pdata);
  return TRUE;
}
