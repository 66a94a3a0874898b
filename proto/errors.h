/* Error codes carried in replies (`error=CODE`) and the client exit status
 * each one maps to.  Both lists are part of the public contract: codes and
 * exit statuses are only ever added, never renumbered. */
#pragma once

typedef enum {
  UA_ERR_NONE = 0,
  UA_ERR_BAD_REQUEST,       /* malformed or oversized request */
  UA_ERR_UNKNOWN_OP,        /* the agent does not know this op */
  UA_ERR_VERSION,           /* protocol version not supported */
  UA_ERR_INVALID_ARGUMENT,  /* a field has a value the op cannot use */
  UA_ERR_UNKNOWN_PROFILE,   /* no such profile */
  UA_ERR_NO_PROFILE,        /* none named and no single default */
  UA_ERR_EXISTS,            /* profile already exists */
  UA_ERR_REJECTED,          /* the identity server refused the credential */
  UA_ERR_LOGIN_REQUIRED,    /* an interactive login is needed */
  UA_ERR_EXPIRED,           /* the stored credential has expired */
  UA_ERR_UNREACHABLE,       /* identity server down, slow or failing */
  UA_ERR_SERVER,            /* identity server answered something unusable */
  UA_ERR_KEYRING,           /* Secret Service missing or locked */
  UA_ERR_BUSY,              /* agent at its connection limit */
  UA_ERR_INTERNAL,
  UA_ERR_FORBIDDEN,         /* op not served on this socket (the restricted one) */
  UA_ERR_LAST_,
} UaErrorCode;

/* Client exit statuses (see uipauth(1)). */
enum {
  UA_EXIT_OK = 0,
  UA_EXIT_FAILURE = 1,      /* anything not listed below */
  UA_EXIT_USAGE = 2,        /* bad command line */
  UA_EXIT_NO_AGENT = 3,     /* no agent answers and none could be started */
  UA_EXIT_NO_PROFILE = 4,   /* profile unknown or not chosen */
  UA_EXIT_REJECTED = 5,     /* credential rejected, expired or login needed */
  UA_EXIT_UNREACHABLE = 6,  /* identity server unreachable or failing */
  UA_EXIT_KEYRING = 7,      /* keyring locked or missing */
};

const char *ua_error_to_string (UaErrorCode code);
/* Unknown strings map to UA_ERR_INTERNAL so old clients still fail cleanly. */
UaErrorCode ua_error_from_string (const char *str);
int ua_error_exit_status (UaErrorCode code);
