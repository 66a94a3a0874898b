#!/usr/bin/env python3
"""Plays the user's browser in the sign-in tests: a headless Debian
chromium driven through chromedriver with selenium.

    browser.py --shots DIR --name NAME --work DIR STEP...

Steps run in order in one fresh browser:

    open URL          go to URL and wait for the page
    sign-in           fill in the identity server's form and submit it
    wrong-password    the same with a wrong password
    allow | deny      choose on the consent page and wait for the next page
    allow-nowait      choose Allow and go on at once, in a new tab
    replay-in-new-tab open the redirect that Allow sent the first tab to
                      in the new tab, while the first tab still waits
    first-tab         back to the first tab; wait for its page
    reopen            go to the current URL again
    preconnect ORIGIN let the page preconnect to ORIGIN, as browsers
                      do on their own, and fetch ORIGIN/favicon.ico
    sleep SECONDS
    shot NAME         keep a screenshot of the page now
    close             keep a screenshot, then close the tab

At the end the page is kept as NAME.png in DIR and described on stdout,
one "key=value" line each: url, title, heading, text (and SHOT.url ...
for each "shot SHOT"), then what the browser's net log shows (see
read_netlog): reached (ok, or the addresses not loopback that it
reached), blocked, listener_connections, listener_requests.

The browser can reach nothing but loopback: a closed proxy takes every
other request and host names other than localhost do not resolve.
Exit status: 0, 1 when a step fails (the reason on stderr), 77 when
there is no browser.
"""

import argparse
import json
import os
import shutil
import signal
import sys
import time
import urllib.parse

try:
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError as e:
    print(f"browser.py: no selenium for this python3 ({e})", file=sys.stderr)
    sys.exit(77)

TEST_USER = os.environ.get("UA_BROWSER_USER", "alice")
TEST_PASSWORD = os.environ.get("UA_BROWSER_PASSWORD", "wonderland")
# A page, or the identity server's answer, must come within this.
WAIT_S = 30
LOOPBACK = {"localhost", "127.0.0.1", "[::1]", "::1"}

# The binaries Debian's chromium and chromium-driver install.  The
# /usr/bin/chromium wrapper is skipped on purpose: it adds the flags of
# /etc/chromium.d, which turn remote extensions and Google's API keys on.
CHROMIUM = ["/usr/lib/chromium/chromium", "chromium", "chromium-browser"]
CHROMEDRIVER = ["chromedriver", "/usr/lib/chromium/chromedriver"]


def find(candidates):
    for c in candidates:
        path = c if os.path.isabs(c) and os.access(c, os.X_OK) else shutil.which(c)
        if path:
            return path
    return None


def browser_flags(work, netlog):
    return [
        "--headless", "--no-sandbox",  # root has no user namespace sandbox
        "--disable-gpu", "--disable-quic", "--no-first-run",
        "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--disable-default-apps", "--disable-dev-shm-usage",
        # Fewer requests for the closed proxy to refuse (see below).
        "--disable-features=AutofillServerCommunication,NetworkTimeServiceQuerying,"
        "OptimizationHints,MediaRouter,PasswordLeakDetection",
        "--user-data-dir=" + os.path.join(work, "profile"),
        "--window-size=900,700", "--lang=en-US",
        # Nothing but loopback: every other request goes to a proxy that
        # is not there (loopback always bypasses a proxy), and no name but
        # localhost is looked up.
        "--proxy-server=http://127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
        "--log-net-log=" + netlog, "--net-log-capture-mode=Default",
    ]


def start(work, netlog):
    chromium, chromedriver = find(CHROMIUM), find(CHROMEDRIVER)
    if not chromium or not chromedriver:
        print("browser.py: no chromium or chromedriver installed", file=sys.stderr)
        sys.exit(77)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in browser_flags(work, netlog):
        options.add_argument(flag)
    # Steps wait for what they need themselves, so Allow can be clicked
    # while the listener still holds its answer.
    options.page_load_strategy = "none"
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    service = Service(chromedriver, log_path=os.path.join(work, "chromedriver.log"))
    return webdriver.Chrome(service=service, options=options)


def gone(element):
    """Whether @element's page has been replaced.  While it is, chromium
    may answer with other errors than "stale element"; they mean the
    same."""
    try:
        element.is_enabled()
        return False
    except WebDriverException:
        return True


class Session:
    def __init__(self, driver, shots, final_name, redirect_prefix):
        self.driver = driver
        self.shots = shots
        self.final_name = final_name
        self.closed = False
        self.redirect_prefix = redirect_prefix
        self.first_tab = driver.current_window_handle
        self.pending = None  # the first tab's old page while it navigates
        self.described = []  # (key, value) of the pages of "shot" steps

    def wait(self, condition, what):
        try:
            return WebDriverWait(self.driver, WAIT_S).until(condition)
        except WebDriverException as e:
            raise SystemExit(f"browser.py: waited {WAIT_S} s for {what}: {e.msg}")

    def page_root(self):
        """The current page's root, once there is one."""
        return self.wait(lambda d: d.find_element(By.TAG_NAME, "html"), "a page")

    def wait_loaded(self, old, what):
        """The page that replaced @old, fully loaded."""
        self.wait(lambda d: gone(old), what)
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete",
                  what + " to load")

    def navigate(self, action, what):
        old = self.page_root()
        action()
        self.wait_loaded(old, what)

    def element(self, element_id):
        return self.wait(expected_conditions.element_to_be_clickable((By.ID, element_id)),
                         f'the element "{element_id}"')

    def step_open(self, url):
        self.navigate(lambda: self.driver.get(url), url)

    def fill_in(self, password):
        self.element("username").send_keys(TEST_USER)
        self.element("password").send_keys(password)
        self.navigate(self.element("sign-in").click, "the page after sign-in")

    def step_sign_in(self):
        self.fill_in(TEST_PASSWORD)

    def step_wrong_password(self):
        self.fill_in(TEST_PASSWORD + "-wrong")

    def step_allow(self):
        self.navigate(self.element("allow").click, "the page after Allow")

    def step_deny(self):
        self.navigate(self.element("deny").click, "the page after Deny")

    def step_allow_nowait(self):
        # chromedriver holds most commands while the current tab waits for
        # its page: the next steps go on in a second tab, opened now.
        allow = self.element("allow")
        self.pending = self.page_root()
        self.driver.switch_to.new_window("tab")
        self.spare_tab = self.driver.current_window_handle
        self.driver.switch_to.window(self.first_tab)
        allow.click()
        self.driver.switch_to.window(self.spare_tab)

    def redirect_sent(self):
        """The URL the identity server redirected the browser to."""
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                url = message["params"]["request"]["url"]
                if url.startswith(self.redirect_prefix):
                    return url
        return None

    def step_replay_in_new_tab(self):
        url = self.wait(lambda d: self.redirect_sent(), "the redirect to the listener")
        self.step_open(url)

    def step_first_tab(self):
        self.driver.switch_to.window(self.first_tab)
        if self.pending is not None:
            self.wait_loaded(self.pending, "the first tab's page")
            self.pending = None

    def step_reopen(self):
        self.step_open(self.driver.current_url)

    def step_preconnect(self, origin):
        self.driver.execute_script(
            """for (const [rel, cors] of [['preconnect', null],
                   ['preconnect', 'anonymous'], ['dns-prefetch', null]]) {
                 const link = document.createElement('link');
                 link.rel = rel; link.href = arguments[0];
                 if (cors) link.crossOrigin = cors;
                 document.head.appendChild(link);
               }""", origin)
        tab = self.driver.current_window_handle
        self.driver.switch_to.new_window("tab")
        self.step_open(origin.rstrip("/") + "/favicon.ico")
        self.step_shot("favicon")
        self.driver.close()
        self.driver.switch_to.window(tab)

    def step_sleep(self, seconds):
        time.sleep(float(seconds))

    def step_shot(self, name):
        self.driver.save_screenshot(os.path.join(self.shots, name + ".png"))
        if name != self.final_name:
            self.described += [(f"{name}.{k}", v) for k, v in describe(self.driver).items()]

    def step_close(self):
        self.step_shot(self.final_name)
        self.driver.close()
        self.closed = True


STEPS = {
    "open": 1, "sign-in": 0, "wrong-password": 0, "allow": 0, "deny": 0,
    "allow-nowait": 0, "replay-in-new-tab": 0, "first-tab": 0, "reopen": 0,
    "preconnect": 1, "sleep": 1, "shot": 1, "close": 0,
}


def parse_steps(words):
    steps = []
    while words:
        name = words.pop(0)
        if name not in STEPS or len(words) < STEPS[name]:
            raise SystemExit(f"browser.py: unknown step or missing argument: {name}")
        steps.append((name, [words.pop(0) for _ in range(STEPS[name])]))
    return steps


def redirect_prefix(steps):
    """The profile's redirect URI, from the authorize URL opened first."""
    for name, args in steps:
        if name == "open":
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(args[0]).query)
            if "redirect_uri" in query:
                return query["redirect_uri"][0]
    return "\0"


def is_loopback(host):
    host = host.strip("[]")
    return host in LOOPBACK or host.startswith("127.")


def host_of(address):
    """"127.0.0.1:9" or "[::1]:443" to its host."""
    return address.rsplit(":", 1)[0] if address.count(":") == 1 or "]" in address else address


def netlog_events(path):
    """(kind, params, source id) of each event in chromium's net log."""
    with open(path, encoding="utf-8") as f:
        log = json.load(f)
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    for event in log.get("events", []):
        yield (types.get(event["type"], ""), event.get("params") or {},
               event.get("source", {}).get("id"))


def reached_outside(events):
    """Addresses not loopback that the browser connected or sent to, and
    names it looked up (all but localhost are mapped to ~notfound first)."""
    reached, udp = set(), {}
    for kind, params, source in events:
        if kind == "UDP_CONNECT":
            udp[source] = params.get("address", "")  # a route lookup: sends nothing
        address = udp.get(source, "") if kind == "UDP_BYTES_SENT" else params.get("address", "")
        if kind in ("TCP_CONNECT_ATTEMPT", "UDP_BYTES_SENT") and address \
                and not is_loopback(host_of(address)):
            reached.add(address)
        if kind == "HOST_RESOLVER_MANAGER_REQUEST" and isinstance(params.get("host"), str):
            host = host_of(params["host"].split("://")[-1])
            if not is_loopback(host) and host != "~notfound":
                reached.add("lookup of " + host)
    return sorted(reached)


def asked_outside(events):
    """Hosts not loopback of the URLs the browser asked for."""
    hosts = (urllib.parse.urlsplit(params["url"]).hostname or ""
             for kind, params, _ in events if kind == "URL_REQUEST_START_JOB" and "url" in params)
    return sorted({h for h in hosts if h and not is_loopback(h)})


def listener_traffic(events, redirect):
    """TCP connections to the redirect URI's port, and requests sent there."""
    port = f":{urllib.parse.urlsplit(redirect).port}"
    connections = requests = 0
    for kind, params, _ in events:
        if kind == "TCP_CONNECT" and params.get("remote_address", "").endswith(port):
            connections += 1
        if kind == "HTTP_TRANSACTION_SEND_REQUEST_HEADERS" and any(
                h.lower().startswith("host:") and h.endswith(port)
                for h in params.get("headers", [])):
            requests += 1
    return connections, requests


def read_netlog(path, redirect):
    """What the browser did: "reached", ok or the addresses not loopback
    that it reached; "blocked", the other hosts it asked for (which the
    closed proxy took); "listener_connections" and "listener_requests"
    (more connections than requests: some sent nothing, as preconnects
    do)."""
    try:
        events = list(netlog_events(path))
    except (OSError, ValueError, KeyError) as e:
        return {"reached": f"no readable net log ({e})"}
    connections, requests = listener_traffic(events, redirect)
    return {"reached": " ".join(reached_outside(events)) or "ok",
            "blocked": " ".join(asked_outside(events)),
            "listener_connections": connections, "listener_requests": requests}


def describe(driver):
    def one_line(s):
        return " ".join((s or "").split())

    try:
        heading = driver.find_element(By.TAG_NAME, "h1").text
    except WebDriverException:
        heading = ""
    body = driver.find_element(By.TAG_NAME, "body").text
    return {"url": driver.current_url, "title": driver.title,
            "heading": heading, "text": one_line(body)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shots", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("steps", nargs="+")
    args = parser.parse_args()
    steps = parse_steps(list(args.steps))
    # The harness stops a stuck run with SIGTERM: quit the browser then.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        os.environ.pop(var, None)  # selenium reaches chromedriver directly
    os.makedirs(args.shots, exist_ok=True)
    os.makedirs(args.work, exist_ok=True)
    netlog = os.path.join(args.work, "netlog.json")
    driver = start(args.work, netlog)
    session = Session(driver, args.shots, args.name, redirect_prefix(steps))
    try:
        for name, step_args in steps:
            try:
                getattr(session, "step_" + name.replace("-", "_"))(*step_args)
            except WebDriverException as e:
                first_line = (e.msg or type(e).__name__).splitlines()[0]
                raise SystemExit(f"browser.py: step {name}: {first_line}")
        page = {} if session.closed else describe(driver)
        if not session.closed:
            session.step_shot(args.name)
    finally:
        driver.quit()
    for key, value in list(page.items()) + session.described:
        print(f"{key}={value}")
    for key, value in read_netlog(netlog, session.redirect_prefix).items():
        print(f"{key}={value}")


if __name__ == "__main__":
    main()
