"""Times the questionnaire page, its autosave and the questionnaire content; see
scripts/load-questionnaire."""
import json
import re
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

base, requests = sys.argv[1], int(sys.argv[2])
USER, PASSWORD = "e29", "dcmm-demo-2026"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def call(method, path, headers=None, body=None, raw=False):
    sent = {"content-type": "application/json"}
    sent.update(headers or {})
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers=sent)
    with urllib.request.urlopen(req, timeout=30) as r:
        text = r.read()
        return text if raw else json.loads(text)


token = call("POST", "/api/v1/auth/login", body={"username": USER, "password": PASSWORD})["access_token"]
bearer = {"authorization": "Bearer " + token}
enterprise = call("GET", "/api/v1/me", bearer)["enterprise_id"]
items = call("GET", f"/api/v1/enterprises/{enterprise}/assessments", bearer)["items"]
assessment = [a for a in items if a["questionnaire"] == "dcmm-2025"][-1]["id"]
answered = call("GET", f"/api/v1/assessments/{assessment}", bearer)["progress"]
assert answered["answered"] == answered["total"] == 517, answered

# The page session, as the login form starts it.
form = urllib.parse.urlencode({"username": USER, "password": PASSWORD, "next": ""}).encode()
opener = urllib.request.build_opener(NoRedirect)
try:
    opener.open(urllib.request.Request(base + "/login", data=form, method="POST"), timeout=30)
    raise SystemExit("the login form did not redirect")
except urllib.error.HTTPError as e:
    cookies = [c.split(";")[0] for c in e.headers.get_all("Set-Cookie")]
session = {"cookie": "; ".join(cookies)}
page = f"/assessments/{assessment}?item=2025%3A6.1"
html = call("GET", page, session, raw=True).decode()
csrf = re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)
print(f"questionnaire page: {len(html.encode()) / 1024:.1f} KiB of HTML")


def timed(n, f):
    out = []
    for i in range(n):
        t = time.perf_counter()
        f(i)
        out.append((time.perf_counter() - t) * 1000)
    return out


def report(label, ms, target):
    ms = sorted(ms)
    q = lambda p: ms[min(len(ms) - 1, int(p * len(ms)))]
    median = statistics.median(ms)
    print(f"{label}: n={len(ms)} min={ms[0]:.1f} ms median={median:.1f} ms p90={q(0.9):.1f} ms "
          f"p99={q(0.99):.1f} ms max={ms[-1]:.1f} ms (target: median under {target} ms)")
    return median < target


first = call("GET", f"/api/v1/assessments/{assessment}/answers?limit=1", bearer)["items"][0]
criterion, version = first["criterion"], {"n": first["version"]}


def autosave(i):
    body = {"rating": "fully" if i % 2 else "largely", "comment": f"第 {i} 次保存"}
    headers = dict(session, **{"x-csrf-token": csrf, "if-match": f'"{version["n"]}"'})
    version["n"] = call("PUT", f"/api/v1/assessments/{assessment}/answers/{criterion}", headers, body)["version"]


timed(5, lambda _: call("GET", page, session, raw=True))  # warm up
ok = report("questionnaire page, 517 criteria answered", timed(requests, lambda _: call("GET", page, session, raw=True)), 50)
ok &= report("autosave round trip (PUT with If-Match)", timed(requests, autosave), 20)
content = "/api/v1/questionnaires/dcmm-2025"
ok &= report("questionnaire content", timed(requests, lambda _: call("GET", content, bearer, raw=True)), 5)
sys.exit(0 if ok else 1)
