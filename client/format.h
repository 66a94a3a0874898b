/* Output of `list` and `status`, for people and as JSON, from the agent's
 * flat reply (profile.I.KEY=VALUE fields). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "msg.h"

typedef struct {
  const char *key;   /* KEY of profile.I.KEY */
  const char *value;
} UaField;

typedef struct {
  const char *name;
  UaField *fields;   /* in reply order; points into one block */
  size_t n;
} UaProfileView;

typedef struct {
  UaProfileView *profiles;
  size_t n;
  UaField *storage;
} UaProfileList;

/* Groups the profile.I.KEY fields of @reply by I.  Fields whose I is not
 * below `count` (or, without one, the number of fields) are ignored.
 * 0, or -1 when out of memory. */
int ua_format_profiles (const UaMsg *reply, UaProfileList *list);
void ua_format_profiles_clear (UaProfileList *list);
/* The value of @key in @profile, or NULL. */
const char *ua_format_field (const UaProfileView *profile, const char *key);

/* "45s", "3m 05s", "2h 10m", "3d 4h"; negative durations as their size. */
void ua_format_duration (long long seconds, char *buf, size_t size);

void ua_format_list (const UaProfileList *list, bool json, UaBuf *out);
void ua_format_status (const UaMsg *reply, const UaProfileList *list,
                       bool json, time_t now, UaBuf *out);
