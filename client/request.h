/* Requests to the agent and what the client makes of replies: warnings go
 * to standard error, errors become a message and an exit status. */
#pragma once

#include <stdbool.h>

#include "conn.h"
#include "errors.h"
#include "msg.h"

/* A new request "v=1, op=@op"; NULL when out of memory (said). */
UaMsg *ua_request_new (const char *op);

/* Adds a field; on failure says which option was wrong and returns false.
 * NULL @value adds nothing. */
bool ua_request_add (UaMsg *req, const char *key, const char *value);

/* Sends @req and returns UA_EXIT_OK with *reply set to the agent's reply,
 * which may be an error reply; its warnings are printed.  Otherwise says
 * why no reply came and returns the exit status for it; but when no agent
 * runs (and none was to be started) and @no_agent is not NULL, says nothing
 * and sets *@no_agent. */
int ua_request_call (const UaMsg *req, unsigned conn_flags, UaMsg **reply,
                     bool *no_agent);

/* ua_request_call(), and an error reply is said and freed too: returns
 * UA_EXIT_OK with *reply set to a status=ok reply, or the exit status. */
int ua_request_send (const UaMsg *req, unsigned conn_flags, UaMsg **reply);

/* ua_request_send() of "op=@op" naming @profile (NULL: none, the agent's
 * default), starting the agent if need be. */
int ua_request_send_profile (const char *op, const char *profile, UaMsg **reply);

/* The error code of @reply; UA_ERR_NONE for status=ok. */
UaErrorCode ua_reply_error (const UaMsg *reply);
/* Prints each warning= of @reply on standard error. */
void ua_reply_print_warnings (const UaMsg *reply);
/* Prints the message of the error reply @reply; returns its exit status. */
int ua_reply_print_error (const UaMsg *reply, UaErrorCode code);
