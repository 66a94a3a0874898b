/* signin-page.c: the HTML of the test identity server's sign-in pages. */
#include "signin-page.h"

static const char style[] =
  "body{font:16px/1.5 sans-serif;background:#f2f4f7;color:#1f2933;margin:0}"
  "main{max-width:26em;margin:4em auto;background:#fff;border-radius:8px;"
  "padding:2em;box-shadow:0 1px 4px rgba(0,0,0,.15)}"
  "h1{font-size:1.4em;margin:0 0 .8em}"
  ".brand{color:#616e7c;font-size:.85em;margin:0 0 1em}"
  "label{display:block;margin:.8em 0 .2em}"
  "input{width:100%;box-sizing:border-box;padding:.5em;font:inherit}"
  "button{font:inherit;padding:.5em 1.4em;margin:1.2em .6em 0 0;border-radius:4px;"
  "border:1px solid #9aa5b1;background:#fff;cursor:pointer}"
  "button.primary{background:#fa4616;border-color:#fa4616;color:#fff}"
  ".error{color:#ba2525;background:#ffeeee;padding:.5em;border-radius:4px}"
  "code{background:#f2f4f7;padding:0 .2em}";

/* Takes @content, already escaped. */
static char *
page (const char *title,
      char       *content)
{
  g_autofree char *t = g_markup_escape_text (title, -1);
  g_autofree char *c = content;

  return g_strdup_printf ("<!DOCTYPE html>\n<html lang=\"en\"><head>"
                          "<meta charset=\"utf-8\"><meta name=\"viewport\" "
                          "content=\"width=device-width\"><title>%s</title>"
                          "<style>%s</style></head>\n<body><main>"
                          "<p class=\"brand\">uipauth test identity server</p>"
                          "<h1>%s</h1>\n%s</main></body></html>\n",
                          t, style, t, c);
}

char *
id_sign_in_page_form (const char *action,
                      const char *request_id,
                      const char *error)
{
  g_autofree char *problem = error != NULL
    ? g_markup_printf_escaped ("<p class=\"error\" id=\"error\">%s</p>\n", error)
    : g_strdup ("");
  g_autofree char *form = g_markup_printf_escaped (
    "<form method=\"post\" action=\"%s\">"
    "<input type=\"hidden\" name=\"request\" value=\"%s\">"
    "<label for=\"username\">User name</label>"
    "<input id=\"username\" name=\"username\" autocomplete=\"username\" autofocus>"
    "<label for=\"password\">Password</label>"
    "<input id=\"password\" name=\"password\" type=\"password\" "
    "autocomplete=\"current-password\">"
    "<button class=\"primary\" id=\"sign-in\">Sign in</button></form>\n",
    action, request_id);

  return page ("Sign in", g_strconcat (problem, form, NULL));
}

char *
id_sign_in_page_consent (const char *action,
                         const char *request_id,
                         const char *user,
                         const char *client_id,
                         const char *scope,
                         const char *redirect_uri)
{
  return page ("Allow access?", g_markup_printf_escaped (
    "<p>Signed in as <b>%s</b>.</p>"
    "<p>The application <b>%s</b> asks for access to your account with "
    "these scopes: <code>%s</code>.</p>"
    "<p>If you allow it, your browser goes back to <code>%s</code>.</p>"
    "<form method=\"post\" action=\"%s\">"
    "<input type=\"hidden\" name=\"request\" value=\"%s\">"
    "<button class=\"primary\" id=\"allow\" name=\"decision\" value=\"allow\">"
    "Allow</button>"
    "<button id=\"deny\" name=\"decision\" value=\"deny\">Deny</button>"
    "</form>\n",
    user, client_id, scope, redirect_uri, action, request_id));
}

char *
id_sign_in_page_message (const char *title,
                         const char *text)
{
  return page (title, g_markup_printf_escaped ("<p id=\"error\">%s</p>\n", text));
}
