"""Times the PDF reports over HTTP; see scripts/load-reports."""
import json
import statistics
import sys
import threading
import time
import urllib.request

base, requests, expected = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def call(method, path, token=None, body=None, raw=False):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.read() if raw else json.load(r)


token = call("POST", "/api/v1/auth/login", body={"username": "auditor", "password": "dcmm-demo-2026"})["access_token"]
cluster = call("GET", "/api/v1/clusters", token)["items"][0]["id"]
campaign = call("GET", f"/api/v1/clusters/{cluster}/campaigns", token)["items"][-1]["id"]
invited = call("GET", f"/api/v1/campaigns/{campaign}/dashboard", token)["rollup"]["participation"]["invited"]
assert invited == expected, f"the campaign has {invited} enterprises, not {expected}"
accepted = None
after = ""
while accepted is None:
    page = call("GET", f"/api/v1/clusters/{cluster}/enterprises?limit=100{after}", token)
    for e in page["items"]:
        items = call("GET", f"/api/v1/enterprises/{e['id']}/assessments", token)["items"]
        done = [a for a in items if a["status"] == "accepted" and a["campaign_id"] == campaign]
        if done:
            accepted = done[0]["id"]
            break
    if page.get("next") is None:
        break
    after = "&after=" + page["next"]
assert accepted, "an accepted assessment in the current campaign"


def timed(path, n, out, sizes=None):
    for _ in range(n):
        t = time.perf_counter()
        body = call("GET", path, token, raw=True)
        out.append((time.perf_counter() - t) * 1000)
        if sizes is not None:
            sizes.append(len(body))


def report(label, ms):
    ms = sorted(ms)
    q = lambda p: ms[min(len(ms) - 1, int(p * len(ms)))]
    print(f"{label}: n={len(ms)} min={ms[0]:.1f} ms median={statistics.median(ms):.1f} ms "
          f"p90={q(0.9):.1f} ms max={ms[-1]:.1f} ms")
    return statistics.median(ms)


cluster_path = f"/api/v1/campaigns/{campaign}/report.pdf"
enterprise_path = f"/api/v1/assessments/{accepted}/report.pdf"
timed(cluster_path, 2, [])
timed(enterprise_path, 2, [])
sizes = []
enterprise_ms = []
timed(enterprise_path, requests, enterprise_ms, sizes)
enterprise = report("enterprise report", enterprise_ms)
print(f"enterprise report size: {max(sizes)} bytes")
cluster_sizes = []
cluster_ms = []
timed(cluster_path, requests, cluster_ms, cluster_sizes)
cluster_median = report(f"cluster report of {invited} enterprises", cluster_ms)
print(f"cluster report size: {max(cluster_sizes)} bytes")

# /healthz while four clients keep asking for cluster reports: rendering runs off the HTTP
# workers, so health checks keep answering.
stop = threading.Event()


def hammer():
    while not stop.is_set():
        call("GET", cluster_path, token, raw=True)


threads = [threading.Thread(target=hammer) for _ in range(4)]
for t in threads:
    t.start()
time.sleep(0.5)
health = []
for _ in range(100):
    t = time.perf_counter()
    with urllib.request.urlopen(base + "/healthz", timeout=30) as r:
        r.read()
    health.append((time.perf_counter() - t) * 1000)
    time.sleep(0.01)
stop.set()
for t in threads:
    t.join()
report("/healthz during four concurrent cluster-report clients", health)

checks = [
    (enterprise < 150, "enterprise report median under 150 ms"),
    (max(sizes) < 500_000, "enterprise report under 500 KB"),
    (cluster_median < 1500, f"cluster report of {invited} enterprises under 1.5 s"),
]
passed = sum(ok for ok, _ in checks)
for ok, what in checks:
    print(f"{'ok' if ok else 'FAILED'}: {what}")
print(f"{passed} passed, {len(checks) - passed} failed")
sys.exit(0 if passed == len(checks) else 1)
