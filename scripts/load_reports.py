"""Times the PDF reports over HTTP, each beside /healthz in the same run; see scripts/load-reports."""
import json
import statistics
import sys
import threading
import time
import urllib.request

base, expected = sys.argv[1], int(sys.argv[2])
requests, cluster_requests = int(sys.argv[3]), int(sys.argv[4])
seeding_s = float(sys.argv[5]) if len(sys.argv) > 5 else None


def call(method, path, token=None, body=None, raw=False):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=600) as r:
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


def healthz():
    t = time.perf_counter()
    with urllib.request.urlopen(base + "/healthz", timeout=30) as r:
        r.read()
    return (time.perf_counter() - t) * 1000


def timed(path, n):
    """n requests of path, each followed by one /healthz: the reference is taken under the same
    load of the machine as the figure it stands beside."""
    ms, health, sizes = [], [], []
    for _ in range(n):
        t = time.perf_counter()
        body = call("GET", path, token, raw=True)
        ms.append((time.perf_counter() - t) * 1000)
        sizes.append(len(body))
        health.append(healthz())
    return ms, health, sizes


def summary(ms):
    ms = sorted(ms)
    q = lambda p: ms[min(len(ms) - 1, int(p * len(ms)))]
    return statistics.median(ms), f"median={statistics.median(ms):.1f} ms p90={q(0.9):.1f} ms max={ms[-1]:.1f} ms"


def report(label, ms, health, sizes):
    median, line = summary(ms)
    h_median, _ = summary(health)
    print(f"{label}: n={len(ms)} {line}, {max(sizes)} bytes; /healthz median {h_median:.2f} ms "
          f"in the same run: ratio {median / h_median:.0f}x")
    return median


cluster_path = f"/api/v1/campaigns/{campaign}/report.pdf"
enterprise_path = f"/api/v1/assessments/{accepted}/report.pdf"
if seeding_s is not None:
    print(f"seeding {invited} enterprises (dcmm demo): {seeding_s:.1f} s")
timed(cluster_path, 1)
timed(enterprise_path, 2)
enterprise_ms, enterprise_health, sizes = timed(enterprise_path, requests)
enterprise = report("enterprise report", enterprise_ms, enterprise_health, sizes)
cluster_ms, cluster_health, cluster_sizes = timed(cluster_path, cluster_requests)
cluster_median = report(f"cluster report of {invited} enterprises", cluster_ms, cluster_health, cluster_sizes)

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
busy = []
for _ in range(100):
    busy.append(healthz())
    time.sleep(0.01)
stop.set()
for t in threads:
    t.join()
busy_median, busy_line = summary(busy)
print(f"/healthz during four concurrent cluster-report clients: n={len(busy)} {busy_line}")

checks = [
    (enterprise < 25, "enterprise report median under 25 ms"),
    (max(sizes) < 500_000, "enterprise report under 500 KB"),
]
if invited <= 1000:
    checks.append((cluster_median < 1500, f"cluster report of {invited} enterprises under 1.5 s"))
passed = sum(ok for ok, _ in checks)
for ok, what in checks:
    print(f"{'ok' if ok else 'FAILED'}: {what}")
print(f"{passed} passed, {len(checks) - passed} failed")
sys.exit(0 if passed == len(checks) else 1)
