/* What `uipath auth` (UiPath's Python SDK) leaves in a project directory,
 * read for `uipauth import`:
 *
 *   .env                  UIPATH_URL, UIPATH_TENANT_ID, UIPATH_ORGANIZATION_ID,
 *                         and UIPATH_ACCESS_TOKEN (a token, in plaintext)
 *   .uipath/.auth.json    {"access_token": ..., "refresh_token": ..., "scope": ...}
 *
 * Pure: the callers read the files (readfile.h) and send what is found.
 * Everything is checked before anything is used: a file that does not
 * read cleanly is an error naming the file, never a half import. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "secret.h"

/* UiPath's first-party public client, the one `uipath auth` signs in
 * with, its redirect on the first of the ports it tries, and the scopes
 * it asks for on Automation Cloud. */
#define UA_SDKAUTH_CLIENT_ID "36dea5b8-e8bb-423d-8e7b-c808df8f1c00"
#define UA_SDKAUTH_REDIRECT_URI "http://localhost:8104/oidc/login"
#define UA_SDKAUTH_SCOPES \
  "offline_access ProcessMining OrchestratorApiUserAccess StudioWebBackend " \
  "IdentityServerApi ConnectionService DataService DocumentUnderstanding " \
  "Du.Digitization.Api Du.Classification.Api Du.Extraction.Api " \
  "Du.Validation.Api EnterpriseContextService Directory JamJamApi " \
  "LLMGateway LLMOps OMS RCS.FolderAuthorization TM.Projects TM.TestCases " \
  "TM.Requirements TM.TestSets AutomationSolutions AT.TrackOperations"

/* Largest files read: what `uipath auth` writes is well under 8 KiB. */
#define UA_SDKAUTH_ENV_MAX (64 * 1024)
#define UA_SDKAUTH_JSON_MAX (64 * 1024)
#define UA_SDKAUTH_URL_MAX 2048
#define UA_SDKAUTH_ID_MAX 65
#define UA_SDKAUTH_TOKEN_MAX (16 * 1024)
#define UA_SDKAUTH_SCOPES_MAX 4096

typedef struct {
  char url[UA_SDKAUTH_URL_MAX];           /* UIPATH_URL as found */
  char origin[UA_SDKAUTH_URL_MAX];        /* scheme://host[:port] */
  char organization[UA_SDKAUTH_URL_MAX];
  char tenant[UA_SDKAUTH_URL_MAX];
  char tenant_id[UA_SDKAUTH_ID_MAX];      /* "" when .env has none */
  char organization_id[UA_SDKAUTH_ID_MAX];
  unsigned token_entries;                 /* lines holding a token */
} UaSdkauthEnv;

/* Reads .env's text.  false with a sentence (naming @name, the file as
 * the user knows it) in @err. */
bool ua_sdkauth_read_env (const char *text, size_t len, const char *name,
                          UaSdkauthEnv *env, char *err, size_t errlen);

/* Reads .auth.json's text: its refresh token into *@refresh_token (wiped
 * on free), its scope (or the SDK's default) into @scopes. */
bool ua_sdkauth_read_token (const char *text, size_t len, const char *name,
                            UaSecret **refresh_token, char *scopes, size_t scopes_size,
                            char *err, size_t errlen);

/* .env's text with every entry holding a token cut out, every other byte
 * kept as it was, into @out. */
void ua_sdkauth_strip_env (const char *text, size_t len, UaBuf *out);
