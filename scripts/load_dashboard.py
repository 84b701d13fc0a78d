"""Times GET /api/v1/campaigns/{id}/dashboard beside GET /healthz; see scripts/load-dashboard."""
import json
import os
import statistics
import sys
import threading
import time
import urllib.request

base, expected = sys.argv[1], int(sys.argv[2])
requests = int(os.environ.get("REQUESTS", "200"))
seconds = float(os.environ.get("SECONDS_PER_FIGURE", "30"))


def call(method, path, token=None, body=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.read()


token = json.loads(call("POST", "/api/v1/auth/login",
                        body={"username": "auditor", "password": "dcmm-demo-2026"}))["access_token"]
cluster = json.loads(call("GET", "/api/v1/clusters", token))["items"][0]["id"]
campaign = json.loads(call("GET", f"/api/v1/clusters/{cluster}/campaigns", token))["items"][-1]["id"]
path = f"/api/v1/campaigns/{campaign}/dashboard"
first = json.loads(call("GET", path, token))
invited = first["rollup"]["participation"]["invited"]
assert invited == expected, f"the campaign has {invited} enterprises, not {expected}"


def timed(target, n, out, until):
    """Up to n requests of target (the body read, not parsed: the client's JSON parsing is not
    the server's time), stopping at the deadline."""
    for _ in range(n):
        if time.perf_counter() > until:
            break
        t = time.perf_counter()
        call("GET", target, token)
        out.append((time.perf_counter() - t) * 1000)


def one_client(target):
    out = []
    timed(target, requests, out, time.perf_counter() + seconds)
    return out


def four_clients(target):
    out = []
    until = time.perf_counter() + seconds
    threads = [threading.Thread(target=timed, args=(target, requests // 4, out, until)) for _ in range(4)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out, len(out) / (time.perf_counter() - started)


def figures(ms):
    ms = sorted(ms)
    q = lambda p: ms[min(len(ms) - 1, int(p * len(ms)))]
    return statistics.median(ms), (f"n={len(ms)} min={ms[0]:.2f} median={statistics.median(ms):.2f} "
                                   f"p90={q(0.9):.2f} p99={q(0.99):.2f} max={ms[-1]:.2f} ms")


print(f"dashboard response: {len(call('GET', path, token))} bytes")
timed(path, 5, [], time.perf_counter() + seconds)  # warm up
timed("/healthz", 20, [], time.perf_counter() + seconds)
for label, run in [("one client", one_client), ("four clients", None)]:
    if run:
        dash, health = run(path), run("/healthz")
        rates = ""
    else:
        (dash, dash_rate), (health, health_rate) = four_clients(path), four_clients("/healthz")
        rates = f"; throughput {dash_rate:.1f} vs {health_rate:.1f} requests/s"
    (dm, dtext), (hm, htext) = figures(dash), figures(health)
    print(f"{invited} enterprises, {label}: dashboard {dtext}")
    print(f"{invited} enterprises, {label}: /healthz  {htext}")
    print(f"{invited} enterprises, {label}: median dashboard {dm:.2f} ms / healthz {hm:.3f} ms = "
          f"{dm / hm:.0f}x{rates}")
    if run:
        median = dm
ok = median < 100
print(f"{'1 passed, 0 failed' if ok else '0 passed, 1 failed'}: {invited} enterprises, one-client median under 100 ms")
sys.exit(0 if ok else 1)
