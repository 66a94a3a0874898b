/* uipathcli's config file (~/.uipath/config, YAML), read only as far as
 * exec needs: whether a profile in it has an `auth:` section, with which
 * uipathcli would mint a token of its own and send it instead of ours.
 *
 *   profiles:
 *   - name: default
 *     organization: myorg
 *     auth:
 *       clientId: ...
 *
 * Block style, as uipathcli writes it; what this reader cannot follow
 * (flow style, tabs, merge keys) is "unsure", never "no".  Pure: no
 * allocation, no I/O. */
#pragma once

#include <stddef.h>

typedef enum {
  UA_CLICFG_NONE,    /* no such profile, or one without auth */
  UA_CLICFG_AUTH,    /* the profile has a non-empty auth section */
  UA_CLICFG_UNSURE,  /* the file is written in a way this reader cannot
                      * follow, where that profile could have one */
} UaClicfgAuth;

UaClicfgAuth ua_clicfg_profile_auth (const char *text, size_t len, const char *name);

const char *ua_clicfg_auth_name (UaClicfgAuth auth);
