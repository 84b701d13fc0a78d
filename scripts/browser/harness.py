"""What the browser tests share: the server, the browser, checks, screenshots and axe-core.

Needs Debian's chromium and chromium-driver, the selenium client and axe-core from npm:
scripts/browser-prerequisites.
"""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.join(ROOT, "target", "debug", "dcmm")
ARTIFACTS = os.path.join(ROOT, "target", "artifacts")
# axe-core, installed by scripts/browser-prerequisites; injected by the tests, never served.
AXE = os.path.join(ROOT, "target", "browser-deps", "node_modules", "axe-core", "axe.min.js")
PASSWORD = "dcmm-demo-2026"
PHONE = 390

counts = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    if ok:
        counts["passed"] += 1
    else:
        counts["failed"] += 1
        print(f"FAIL {name}: {detail}", flush=True)
    return ok


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(base, path, token=None, body=None, method=None, headers=None):
    """The JSON of an API call; an HTTP error is raised as urllib's HTTPError."""
    sent = {"Content-Type": "application/json"}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    sent.update(headers or {})
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=sent, method=method)
    with urllib.request.urlopen(request, timeout=30) as r:
        raw = r.read()
        return json.loads(raw) if raw else None


def token_of(base, user, password=PASSWORD):
    return api(base, "/api/v1/auth/login", body={"username": user, "password": password})["access_token"]


def start_server(data_dir):
    if not os.path.exists(BINARY):
        subprocess.run(["cargo", "build", "--locked", "--bin", "dcmm"], cwd=ROOT, check=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DCMM_")}
    # public_url is the server's own address: a report's QR code then leads back to it.
    env.update(DCMM_DATA_DIR=data_dir, DCMM_BIND=f"127.0.0.1:{port}", DCMM_WORKERS="2",
               DCMM_PUBLIC_URL=f"http://127.0.0.1:{port}")
    log = open(os.path.join(data_dir, "server.log"), "w")
    server = subprocess.Popen([BINARY, "serve", "--demo"], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        if server.poll() is not None:
            raise RuntimeError("dcmm stopped: see " + log.name)
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return server, base
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise RuntimeError("dcmm did not answer within 120 s")


PHONE = 390


def browser(profile_dir, phone=False):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile_dir}",
                "--window-size=1280,1000", "--lang=zh-CN", "--hide-scrollbars"):
        options.add_argument(arg)
    if phone:
        options.add_experimental_option(
            "mobileEmulation", {"deviceMetrics": {"width": PHONE, "height": 844, "pixelRatio": 1}})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


def log_in(driver, base, wait, user, password=PASSWORD):
    """Logs in through the form, as a person would, and waits for the first page."""
    driver.delete_all_cookies()
    driver.get(base + "/login")
    wait.until(ec.presence_of_element_located((By.ID, "username")))
    driver.find_element(By.ID, "username").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "submit").click()
    wait.until(ec.url_contains("/campaigns"))


def full_page(driver, path, width, mobile=False):
    """A screenshot of the whole page at `width`, however long it is."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": min(max(height, 600), 16000), "deviceScaleFactor": 1,
        "mobile": mobile})
    ok = driver.save_screenshot(path)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return ok


def axe(driver, page):
    """Runs axe-core on the page as it is and fails on any serious or critical violation."""
    if not check("axe-core is installed", os.path.exists(AXE), AXE):
        return
    driver.execute_script(open(AXE, encoding="utf-8").read())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations))"
        ".catch(e => done([{id: 'axe failed', impact: 'critical', help: String(e), nodes: []}]));")
    bad = [f"{v['id']} ({v['impact']}): {v['help']} at "
           + ", ".join(n["target"][0] if n.get("target") else "?" for n in v["nodes"][:3])
           for v in result if v.get("impact") in ("serious", "critical")]
    check(f"no serious accessibility violation on {page}", not bad, bad)


def console_errors(driver):
    """SEVERE browser log entries since the last call (a CSP violation is one)."""
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def no_sideways_scroll(driver, page):
    width = driver.execute_script("return document.documentElement.scrollWidth")
    check(f"no sideways scroll at {PHONE} px on {page}", width <= PHONE, f"{width} px wide")
