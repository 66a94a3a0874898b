/* GLib glue for the libc message type in proto/msg.h. */
#pragma once

#include <glib.h>

#include "msg.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UaMsg, ua_msg_free)
