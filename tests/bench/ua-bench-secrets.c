/* ua-bench-secrets PREFIX FIRST COUNT KIND COLLECTION < SECRET: stores the
 * secret read from standard input in the keyring for profiles PREFIX<i>,
 * i from FIRST to FIRST+COUNT-1, under the agent's schema.
 *
 * Only for scripts/bench, which needs thousands of profiles: `op=add`
 * rewrites profiles.ini and gnome-keyring rewrites its whole keyring file on
 * every store, so adding 10,000 profiles one by one grows as n².  The
 * agent looks secrets up by attribute in every collection, so putting them
 * in the in-memory "session" collection changes nothing on its side. */
#include <libsecret/secret.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The same schema as agent/keyring.c. */
static const SecretSchema schema = {
  "org.uipauth.Credential",
  SECRET_SCHEMA_NONE,
  {
    { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

int
main (int argc, char **argv)
{
  char secret[4096];
  long first, count;
  const char *collection;

  if (argc != 6 || fgets (secret, sizeof secret, stdin) == NULL)
    {
      fprintf (stderr, "usage: ua-bench-secrets PREFIX FIRST COUNT KIND COLLECTION < SECRET\n");
      return 2;
    }
  secret[strcspn (secret, "\n")] = '\0';
  first = atol (argv[2]);
  count = atol (argv[3]);
  collection = g_strcmp0 (argv[5], "default") == 0 ? SECRET_COLLECTION_DEFAULT
                                                   : argv[5];
  if (g_strcmp0 (argv[5], "session") == 0)
    collection = SECRET_COLLECTION_SESSION;
  for (long i = first; i < first + count; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *profile = g_strdup_printf ("%s%ld", argv[1], i);
      g_autofree char *label = g_strdup_printf ("uipauth %s (%s)", profile, argv[4]);

      if (!secret_password_store_sync (&schema, collection, label, secret, NULL,
                                       &error, "profile", profile, "kind", argv[4],
                                       NULL))
        {
          fprintf (stderr, "ua-bench-secrets: %s: %s\n", profile, error->message);
          return 1;
        }
    }
  return 0;
}
