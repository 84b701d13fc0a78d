"""Times GET /api/v1/campaigns/{id}/dashboard; see scripts/load-dashboard."""
import json
import statistics
import sys
import threading
import time
import urllib.request

base, requests, expected = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def call(method, path, token=None, body=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


token = call("POST", "/api/v1/auth/login", body={"username": "auditor", "password": "dcmm-demo-2026"})["access_token"]
cluster = call("GET", "/api/v1/clusters", token)["items"][0]["id"]
campaign = call("GET", f"/api/v1/clusters/{cluster}/campaigns", token)["items"][-1]["id"]
path = f"/api/v1/campaigns/{campaign}/dashboard"
first = call("GET", path, token)
invited = first["rollup"]["participation"]["invited"]
assert invited == expected, f"the campaign has {invited} enterprises, not {expected}"


def timed(n, out):
    for _ in range(n):
        t = time.perf_counter()
        call("GET", path, token)
        out.append((time.perf_counter() - t) * 1000)


def report(label, ms):
    ms = sorted(ms)
    q = lambda p: ms[min(len(ms) - 1, int(p * len(ms)))]
    print(f"{label}: n={len(ms)} min={ms[0]:.1f} ms median={statistics.median(ms):.1f} ms "
          f"p90={q(0.9):.1f} ms p99={q(0.99):.1f} ms max={ms[-1]:.1f} ms")
    return statistics.median(ms)


timed(5, [])  # warm up
sequential = []
timed(requests, sequential)
median = report(f"dashboard of {invited} enterprises, one client", sequential)
concurrent = []
threads = [threading.Thread(target=timed, args=(requests // 4, concurrent)) for _ in range(4)]
started = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - started
report(f"dashboard of {invited} enterprises, four clients", concurrent)
print(f"throughput with four clients: {len(concurrent) / elapsed:.1f} requests/s")
ok = median < 100
print(f"{'1 passed, 0 failed' if ok else '0 passed, 1 failed'}: median under 100 ms")
sys.exit(0 if ok else 1)
