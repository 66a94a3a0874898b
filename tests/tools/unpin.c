/* unpin.so: LD_PRELOAD shim that drops every CURLOPT_RESOLVE, so that the
 * agent's loopback names go to the system resolver as if it had never
 * pinned them.  test-loopback-dns.sh runs the agent with it to show that
 * the check on the address connected to holds by itself. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
/* The real curl_easy_setopt, not the type-checking macro around it. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <stdlib.h>

typedef CURLcode (*SetoptFunc) (CURL *, CURLoption, ...);

/* Passes each argument on in the type its option takes (see curl.h's
 * CURLOPTTYPE_* ranges). */
CURLcode
curl_easy_setopt (CURL *handle, CURLoption option, ...)
{
  static SetoptFunc real;
  va_list ap;
  CURLcode rc;

  if (real == NULL && (real = (SetoptFunc) dlsym (RTLD_NEXT, "curl_easy_setopt")) == NULL)
    abort ();
  if (option == CURLOPT_RESOLVE)
    return CURLE_OK;
  va_start (ap, option);
  if (option < CURLOPTTYPE_OBJECTPOINT)
    rc = real (handle, option, va_arg (ap, long));
  else if (option >= CURLOPTTYPE_OFF_T && option < CURLOPTTYPE_BLOB)
    rc = real (handle, option, va_arg (ap, curl_off_t));
  else
    rc = real (handle, option, va_arg (ap, void *));
  va_end (ap);
  return rc;
}
