/* A request body on its way through: the server side pushes the chunks
 * libsoup reads from the child, the upstream SoupMessage reads them as
 * its request body stream.  At most UA_BODY_PIPE_MAX bytes wait in
 * between: past that the child's message is paused, so a body of any
 * size crosses in bounded memory. */
#pragma once

#include <libsoup/soup.h>

#define UA_BODY_PIPE_MAX (64 * 1024)

#define UA_TYPE_BODY_PIPE (ua_body_pipe_get_type ())
G_DECLARE_FINAL_TYPE (UaBodyPipe, ua_body_pipe, UA, BODY_PIPE, GInputStream)

/* @msg is paused and unpaused, never referenced: the caller calls
 * ua_body_pipe_abandon() before @msg goes. */
UaBodyPipe *ua_body_pipe_new (SoupServerMessage *msg);

/* The next chunk of the child's body ("got-chunk"). */
void ua_body_pipe_push (UaBodyPipe *self, GBytes *chunk);
/* The child's body is complete ("got-body"): reads then end. */
void ua_body_pipe_end (UaBodyPipe *self);
/* Nobody will read any more (the upstream answered or failed, or the
 * child went): chunks are dropped from now on, the child's message is
 * never paused again (and unpaused now if @msg_alive), and a read
 * waiting fails unless the body had ended. */
void ua_body_pipe_abandon (UaBodyPipe *self, gboolean msg_alive);
