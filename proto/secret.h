/* UaSecret: bytes that must not outlive their use.  A secret is copied in,
 * kept NUL-terminated, and wiped before its memory goes back to the
 * allocator.  It never goes to free() or g_free() directly. */
#pragma once

#include <stddef.h>

typedef struct UaSecret UaSecret;

UaSecret *ua_secret_new (const char *data, size_t len);
UaSecret *ua_secret_new_str (const char *str);
UaSecret *ua_secret_copy (const UaSecret *secret);
void ua_secret_free (UaSecret *secret);

const char *ua_secret_get (const UaSecret *secret);
size_t ua_secret_len (const UaSecret *secret);

/* Wipes @len bytes at @p in a way the compiler may not elide. */
void ua_wipe (void *p, size_t len);
/* Wipes and frees a NUL-terminated string that held a secret. */
void ua_wipe_str (char *str);

/* Test hook: called with a secret's buffer after it was wiped and just before
 * it is freed, so a test can check that nothing of the secret is left. */
typedef void (*UaSecretFreeHook) (const unsigned char *buf, size_t len,
                                  void *user_data);
void ua_secret_set_free_hook (UaSecretFreeHook hook, void *user_data);
