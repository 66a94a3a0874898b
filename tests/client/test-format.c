/* ua_format_*: list and status output from agent replies. */
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "tap.h"

static UaMsg *
msg_of (const char *text)
{
  UaMsg *msg = NULL;

  ua_msg_decode ((const uint8_t *) text, strlen (text), &msg);
  return msg;
}

/* What ua_format_status() makes of the reply @text at a fixed time, for
 * people or as JSON. */
static char *
status_of (const char *text, bool json)
{
  UaMsg *reply = msg_of (text);
  UaProfileList list;
  UaBuf out = UA_BUF_INIT;
  char *s;

  setenv ("TZ", "UTC", 1);
  ua_format_profiles (reply, &list);
  ua_format_status (reply, &list, json, (time_t) 1000000000, &out);
  s = strdup (out.data ? out.data : "");
  ua_buf_clear (&out);
  ua_format_profiles_clear (&list);
  ua_msg_free (reply);
  return s;
}

static const char list_reply[] =
  "v=1\nstatus=ok\ncount=2\n"
  "profile.0.name=work\nprofile.0.type=pat\nprofile.0.url=https://cloud.uipath.com/\n"
  "profile.0.organization=org\nprofile.0.tenant=Default\n"
  "profile.1.name=ci-robot\nprofile.1.type=client-credentials\n"
  "profile.1.match=https://a/* https://b/*\n"
  "profile.7.name=beyond-count\nprofile.x.name=bad\nprofile.1=bad\n";

static void
test_list (void)
{
  UaMsg *reply = msg_of (list_reply);
  UaProfileList list;
  UaBuf out = UA_BUF_INIT;

  tap_ok (reply && ua_format_profiles (reply, &list) == 0 && list.n == 2,
          "two profiles, as count says");
  ua_format_list (&list, false, &out);
  tap_is (out.data,
          "NAME      TYPE                URL\n"
          "work      pat                 https://cloud.uipath.com/org/Default\n"
          "ci-robot  client-credentials  -\n",
          "list as a table");
  ua_buf_clear (&out);
  ua_format_list (&list, true, &out);
  tap_is (out.data,
          "[\n  {\n    \"name\": \"work\",\n    \"type\": \"pat\",\n"
          "    \"url\": \"https://cloud.uipath.com/\",\n    \"organization\": \"org\",\n"
          "    \"tenant\": \"Default\"\n  },\n"
          "  {\n    \"name\": \"ci-robot\",\n    \"type\": \"client-credentials\",\n"
          "    \"match\": \"https://a/* https://b/*\"\n  }\n]\n",
          "list as JSON");
  ua_buf_clear (&out);
  ua_format_profiles_clear (&list);
  ua_msg_free (reply);
}

static void
test_list_empty (void)
{
  UaMsg *reply = msg_of ("v=1\nstatus=ok\ncount=0\n");
  UaProfileList list;
  UaBuf out = UA_BUF_INIT;

  ua_format_profiles (reply, &list);
  ua_format_list (&list, true, &out);
  tap_is (out.data, "[]\n", "no profiles is an empty JSON array");
  ua_buf_clear (&out);
  ua_format_profiles_clear (&list);
  ua_msg_free (reply);
}

static void
test_without_count (void)
{
  UaMsg *reply = msg_of ("v=1\nstatus=ok\nprofile.1.name=b\nprofile.0.name=a\n"
                         "profile.99999999999.name=huge\n");
  UaProfileList list;

  tap_ok (ua_format_profiles (reply, &list) == 0 && list.n == 2 &&
          strcmp (list.profiles[0].name, "a") == 0 && strcmp (list.profiles[1].name, "b") == 0,
          "without count, indexes below the number of fields are used");
  ua_format_profiles_clear (&list);
  ua_msg_free (reply);
}

static const char status_reply[] =
  "v=1\nstatus=ok\nagent_version=0.1.0\npid=4242\nuptime=7300\ncount=3\n"
  "config=/home/u/.config/uipauth/profiles.ini\n"
  "profile.0.name=work\nprofile.0.type=pat\nprofile.0.cached=1\n"
  "profile.0.state=idle\nprofile.0.mints=1\nprofile.0.hits=12\n"
  "profile.1.name=ci\nprofile.1.type=client-credentials\n"
  "profile.1.secret_source=credential:uipath-client-secret\nprofile.1.cached=1\n"
  "profile.1.expires_in=3130\nprofile.1.expires_at=1000003130\nprofile.1.state=idle\n"
  "profile.2.name=old\nprofile.2.type=api-key\nprofile.2.cached=0\n"
  "profile.2.state=failed\nprofile.2.last_error=the server refused the key \"x\"\n";

static void
test_status (void)
{
  char *out = status_of (status_reply, false);

  tap_is (out,
          "uipauth-agent: pid 4242, version 0.1.0, up 2h 01m\n"
          "profiles:      /home/u/.config/uipauth/profiles.ini\n"
          "work (pat)\n"
          "  token:      cached, no expiry known\n"
          "  state:      idle\n"
          "ci (client-credentials)\n"
          "  secret:     credential:uipath-client-secret\n"
          "  token:      expires 2001-09-09 02:38:50 UTC (in 52m 10s)\n"
          "  state:      idle\n"
          "old (api-key)\n"
          "  token:      none cached\n"
          "  state:      failed\n"
          "  last error: the server refused the key \"x\"\n",
          "status for people");
  free (out);
  out = status_of (status_reply, true);
  tap_is (out,
          "{\n  \"agent\": {\n    \"pid\": 4242,\n    \"version\": \"0.1.0\",\n"
          "    \"uptime\": 7300,\n"
          "    \"config\": \"/home/u/.config/uipauth/profiles.ini\"\n  },\n  \"profiles\": [\n"
          "    {\n      \"name\": \"work\",\n      \"type\": \"pat\",\n"
          "      \"cached\": true,\n      \"state\": \"idle\",\n"
          "      \"mints\": 1,\n      \"hits\": 12\n    },\n"
          "    {\n      \"name\": \"ci\",\n      \"type\": \"client-credentials\",\n"
          "      \"secret_source\": \"credential:uipath-client-secret\",\n"
          "      \"cached\": true,\n      \"expires_in\": 3130,\n"
          "      \"expires_at\": 1000003130,\n      \"state\": \"idle\"\n    },\n"
          "    {\n      \"name\": \"old\",\n      \"type\": \"api-key\",\n"
          "      \"cached\": false,\n      \"state\": \"failed\",\n"
          "      \"last_error\": \"the server refused the key \\\"x\\\"\"\n    }\n  ]\n}\n",
          "status as JSON");
  tap_ok (strstr (out, "token\"") == NULL, "status JSON has no token key");
  free (out);
}

static void
test_expired (void)
{
  UaMsg *reply = msg_of ("v=1\nstatus=ok\ncount=1\nprofile.0.name=a\nprofile.0.type=pat\n"
                         "profile.0.cached=1\nprofile.0.expires_at=999999940\n");
  UaProfileList list;
  UaBuf out = UA_BUF_INIT;

  ua_format_profiles (reply, &list);
  ua_format_status (reply, &list, false, (time_t) 1000000000, &out);
  tap_ok (strstr (out.data, "expired 2001-09-09 01:45:40 UTC (1m 00s ago)") != NULL,
          "an expired token says so");
  ua_buf_clear (&out);
  ua_format_profiles_clear (&list);
  ua_msg_free (reply);
}

static const char callers_reply[] =
  "v=1\nstatus=ok\ncount=2\n"
  "profile.0.name=fwd\nprofile.0.type=pat\nprofile.0.cached=1\nprofile.0.state=idle\n"
  "profile.0.callers=3\n"
  "profile.0.caller.0.time=1000000000\nprofile.0.caller.0.op=token\n"
  "profile.0.caller.0.socket=restricted\nprofile.0.caller.0.pid=77\n"
  "profile.0.caller.0.uid=1000\nprofile.0.caller.0.exe=/usr/bin/ssh\n"
  "profile.0.caller.0.comm=ssh\n"
  "profile.0.caller.1.time=999999990\nprofile.0.caller.1.op=token\n"
  "profile.0.caller.1.socket=main\nprofile.0.caller.1.pid=76\n"
  "profile.0.caller.1.uid=1000\nprofile.0.caller.1.comm=uipauth\n"
  "profile.0.caller.2.time=999999980\nprofile.0.caller.2.op=token\n"
  "profile.0.caller.2.socket=main\nprofile.0.caller.2.pid=75\n"
  "profile.0.caller.2.uid=1000\nprofile.0.caller.2.exe=/usr/bin/uipauth\n"
  "profile.0.caller.2.comm=git-credential-\n"
  "profile.0.caller.3.time=1\n"
  "profile.1.name=home\nprofile.1.type=pat\nprofile.1.cached=0\nprofile.1.state=idle\n"
  "profile.1.callers=0\n";

static void
test_callers (void)
{
  char *out = status_of (callers_reply, false);

  tap_is (out,
          "uipauth-agent: pid ?, version ?, up ?\n"
          "fwd (pat)\n"
          "  token:      cached, no expiry known\n"
          "  state:      idle\n"
          "  callers:    3, newest first\n"
          "    2001-09-09 01:46:40 UTC  token  restricted socket  pid 77  uid 1000  /usr/bin/ssh\n"
          "    2001-09-09 01:46:30 UTC  token  main socket  pid 76  uid 1000  "
          "[uipauth] (executable unknown)\n"
          "    2001-09-09 01:46:20 UTC  token  main socket  pid 75  uid 1000  "
          "/usr/bin/uipauth [git-credential-]\n"
          "home (pat)\n"
          "  token:      none cached\n"
          "  state:      idle\n"
          "  callers:    none recorded\n",
          "status --callers for people: newest first, as many as callers= says");
  free (out);
  out = status_of (callers_reply, true);
  tap_is (out,
          "{\n  \"agent\": {},\n  \"profiles\": [\n"
          "    {\n      \"name\": \"fwd\",\n      \"type\": \"pat\",\n"
          "      \"cached\": true,\n      \"state\": \"idle\",\n"
          "      \"callers\": [\n"
          "        {\n          \"time\": 1000000000,\n          \"op\": \"token\",\n"
          "          \"socket\": \"restricted\",\n          \"pid\": 77,\n"
          "          \"uid\": 1000,\n          \"exe\": \"/usr/bin/ssh\",\n"
          "          \"comm\": \"ssh\"\n        },\n"
          "        {\n          \"time\": 999999990,\n          \"op\": \"token\",\n"
          "          \"socket\": \"main\",\n          \"pid\": 76,\n"
          "          \"uid\": 1000,\n          \"comm\": \"uipauth\"\n        },\n"
          "        {\n          \"time\": 999999980,\n          \"op\": \"token\",\n"
          "          \"socket\": \"main\",\n          \"pid\": 75,\n"
          "          \"uid\": 1000,\n          \"exe\": \"/usr/bin/uipauth\",\n"
          "          \"comm\": \"git-credential-\"\n        }\n"
          "      ]\n    },\n"
          "    {\n      \"name\": \"home\",\n      \"type\": \"pat\",\n"
          "      \"cached\": false,\n      \"state\": \"idle\",\n"
          "      \"callers\": []\n    }\n  ]\n}\n",
          "status --callers as JSON: an array of objects per profile");
  free (out);
}

static void
test_signin (void)
{
  UaMsg *reply = msg_of ("v=1\nstatus=ok\ncount=4\n"
                         "profile.0.name=me\nprofile.0.type=authorization-code\n"
                         "profile.0.signed_in=1\nprofile.0.refreshed_at=999999700\n"
                         "profile.1.name=new\nprofile.1.type=authorization-code\n"
                         "profile.1.signed_in=0\n"
                         "profile.2.name=up\nprofile.2.type=authorization-code\n"
                         "profile.2.signed_in=1\n"
                         "profile.3.name=odd\nprofile.3.type=authorization-code\n"
                         "profile.3.signed_in=unknown\n");
  UaProfileList list;
  UaBuf out = UA_BUF_INIT;

  setenv ("TZ", "UTC", 1);
  ua_format_profiles (reply, &list);
  ua_format_status (reply, &list, false, (time_t) 1000000000, &out);
  tap_ok (strstr (out.data, "me (authorization-code)\n  sign-in:    signed in, last "
                  "refreshed 2001-09-09 01:41:40 UTC (5m 00s ago)\n") != NULL,
          "signed in, and when it was last refreshed");
  tap_ok (strstr (out.data, "new (authorization-code)\n  sign-in:    not signed in "
                  "(uipauth login new)\n") != NULL, "not signed in, and what to do");
  tap_ok (strstr (out.data, "up (authorization-code)\n  sign-in:    signed in, not "
                  "refreshed in this agent run\n") != NULL, "signed in, not refreshed yet");
  tap_ok (strstr (out.data, "  sign-in:    unknown") != NULL, "the keyring could not say");
  ua_buf_clear (&out);
  ua_format_status (reply, &list, true, (time_t) 1000000000, &out);
  tap_ok (strstr (out.data, "\"signed_in\": true,\n      \"refreshed_at\": 999999700\n")
          != NULL, "JSON: signed_in is a boolean, refreshed_at a number");
  tap_ok (strstr (out.data, "\"signed_in\": false") != NULL, "JSON: not signed in");
  tap_ok (strstr (out.data, "\"signed_in\": \"unknown\"") != NULL, "JSON: unknown stays a string");
  ua_buf_clear (&out);
  ua_format_profiles_clear (&list);
  ua_msg_free (reply);
}

static void
test_duration (void)
{
  static const struct {
    long long s;
    const char *want;
  } cases[] = {
    { 0, "0s" }, { 59, "59s" }, { 60, "1m 00s" }, { 3599, "59m 59s" },
    { 3600, "1h 00m" }, { 86399, "23h 59m" }, { 86400, "1d 0h" },
    { 200000, "2d 7h" }, { -90, "1m 30s" },
  };

  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    {
      char buf[32];
      ua_format_duration (cases[i].s, buf, sizeof buf);
      tap_is (buf, cases[i].want, "%lld s", cases[i].s);
    }
}

int
main (void)
{
  test_list ();
  test_list_empty ();
  test_without_count ();
  test_status ();
  test_expired ();
  test_signin ();
  test_callers ();
  test_duration ();
  return tap_done ();
}
