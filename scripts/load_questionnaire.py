"""Times the questionnaire's content, page and autosave; see scripts/load-questionnaire."""
import json
import os
import shutil
import statistics
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

base, requests, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
USER, PASSWORD = "e36", "dcmm-demo-2026"


def call(method, path, token=None, body=None, headers=None):
    sent = {"content-type": "application/json"}
    if token:
        sent["authorization"] = "Bearer " + token
    sent.update(headers or {})
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers=sent)
    with urllib.request.urlopen(req, timeout=30) as r:
        raw = r.read()
        return r.status, raw


def timed(n, f):
    f()  # warm up
    out = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        out.append((time.perf_counter() - t) * 1000)
    return out


def summary(ms):
    ms = sorted(ms)
    q = lambda p: ms[min(len(ms) - 1, int(p * len(ms)))]
    return {"n": len(ms), "median": statistics.median(ms), "p90": q(0.9), "p99": q(0.99), "max": ms[-1]}


def show(label, s, target=None):
    line = (f"{label}: n={s['n']} median={s['median']:.2f} ms p90={s['p90']:.2f} ms "
            f"p99={s['p99']:.2f} ms max={s['max']:.2f} ms")
    if target is not None:
        line += f" (target < {target} ms)"
    print(line, flush=True)


token = json.loads(call("POST", "/api/v1/auth/login", body={"username": USER, "password": PASSWORD})[1])["access_token"]
me = json.loads(call("GET", "/api/v1/me", token)[1])
assessments = json.loads(call("GET", f"/api/v1/enterprises/{me['enterprise_id']}/assessments", token)[1])["items"]
draft = next(a for a in assessments if a["status"] == "draft")
current = json.loads(call("GET", f"/api/v1/assessments/{draft['id']}", token)[1])
url = current["questionnaire_url"]
url = url[url.index("/api/"):]
q = json.loads(call("GET", url, token)[1])
criteria = [c for d in q["domains"] for i in d["items"] for c in i["criteria"]]
# Answer every criterion, so the page is as heavy as it gets.
answers = [{"criterion": c["id"], "rating": "largely", "comment": "样例说明：制度已发布并执行。"} for c in criteria]
for start in range(0, len(answers), 500):
    call("PUT", f"/api/v1/assessments/{current['id']}/answers", token, {"answers": answers[start:start + 500]})
print(f"assessment {current['id']}: {len(criteria)} criteria, all answered", flush=True)

health = summary(timed(requests, lambda: call("GET", "/healthz")))
show("reference GET /healthz", health)
content = summary(timed(requests, lambda: call("GET", url, token)))
show("GET questionnaire version (content)", content, 5)

# The page with the session cookie, as a browser sends it.
options = webdriver.ChromeOptions()
options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", f"--user-data-dir={os.path.join(work, 'chromium')}",
            "--window-size=1280,1000"):
    options.add_argument(arg)
driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                          options=options)
failed = []
try:
    driver.get(base + "/login")
    driver.find_element("id", "username").send_keys(USER)
    driver.find_element("id", "password").send_keys(PASSWORD)
    driver.find_element("id", "submit").click()
    time.sleep(0.5)
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies() if c["name"] == "dcmm_session")
    page_path = f"/assessments/{current['id']}"
    status, html = call("GET", page_path, headers={"cookie": cookie})
    print(f"questionnaire page: {len(html) / 1024:.0f} KiB of HTML", flush=True)
    page = summary(timed(requests, lambda: call("GET", page_path, headers={"cookie": cookie})))
    show("GET questionnaire page (server side, whole response)", page, 50)

    interactive = []
    for _ in range(10):
        driver.get(base + page_path)
        interactive.append(driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0];"
            "return n.domContentLoadedEventEnd - n.startTime;"))
    interactive = summary(interactive)
    show("questionnaire page in Chromium until interactive (DOMContentLoaded, scripts run)", interactive, 1000)

    # Autosave as the page's script does it: dcmm.api with If-Match, one after another.
    first = criteria[0]["id"]
    saves = driver.execute_async_script("""
const [id, criterion, n, done] = [arguments[0], arguments[1], arguments[2], arguments[arguments.length - 1]];
const path = '/api/v1/assessments/' + id + '/answers/' + encodeURIComponent(criterion);
(async () => {
  let version = (await dcmm.api('PUT', path, {rating: 'fully', comment: ''}, {})).body.version;
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await dcmm.api('PUT', path, {rating: i % 2 ? 'fully' : 'largely', comment: 'c' + i},
                             {'If-Match': String(version)});
    out.push(performance.now() - t);
    if (!r.ok) { done({error: r.status}); return; }
    version = r.body.version;
  }
  done(out);
})();""", current["id"], first, requests)
    if isinstance(saves, dict):
        raise RuntimeError(f"autosave failed: {saves}")
    saves = summary(saves)
    show("autosave round trip from the page (dcmm.api PUT with If-Match)", saves, 20)
    for label, s, target in (("content", content, 5), ("page", page, 50),
                             ("interactive", interactive, 1000), ("autosave", saves, 20)):
        print(f"  {label}: median {s['median']:.2f} ms = {s['median'] / health['median']:.1f}x /healthz")
        if s["median"] >= target:
            failed.append(label)
finally:
    driver.quit()
print(f"{4 - len(failed)} passed, {len(failed)} failed" + (f": {', '.join(failed)}" if failed else ""))
sys.exit(1 if failed else 0)
