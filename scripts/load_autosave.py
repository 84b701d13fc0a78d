"""Drives the autosave load and its same-run ceilings; see scripts/load-autosave."""
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

base, pid, backend, work = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
seconds = int(os.environ.get("SECONDS_PER_FIGURE", "8"))
PASSWORD = "dcmm-demo-2026"
LEVELS = [1, 8, 32, 128]
MAX_USERS = 128


def call(method, path, token=None, body=None, raw=False):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as r:
        body = r.read()
        return body if raw else json.loads(body or b"null")


def readers():
    """The auditor's token, the dashboard of the current campaign and the PDF of an accepted
    assessment in it: what the mixed figure reads beside the autosaves."""
    token = call("POST", "/api/v1/auth/login", body={"username": "auditor", "password": PASSWORD})["access_token"]
    cluster = call("GET", "/api/v1/clusters", token)["items"][0]["id"]
    campaign = call("GET", f"/api/v1/clusters/{cluster}/campaigns", token)["items"][-1]["id"]
    after = ""
    while True:
        page = call("GET", f"/api/v1/clusters/{cluster}/enterprises?limit=100{after}", token)
        for e in page["items"]:
            items = call("GET", f"/api/v1/enterprises/{e['id']}/assessments", token)["items"]
            done = [a for a in items if a["status"] == "accepted" and a["campaign_id"] == campaign]
            if done:
                return token, f"/api/v1/campaigns/{campaign}/dashboard", f"/api/v1/assessments/{done[0]['id']}/report.pdf"
        if page.get("next") is None:
            raise SystemExit("no accepted assessment in the current campaign")
        after = "&after=" + page["next"]


def timed_loop(token, path, until, out):
    """Asks for `path` again and again until the clock passes `until`; milliseconds to `out`."""
    while time.perf_counter() < until:
        t = time.perf_counter()
        call("GET", path, token, raw=True)
        out.append((time.perf_counter() - t) * 1000)


def median_of(token, path, n=20):
    out = []
    for _ in range(n):
        t = time.perf_counter()
        call("GET", path, token, raw=True)
        out.append((time.perf_counter() - t) * 1000)
    return statistics.median(out)


def drafts():
    """(token, assessment id) of enterprise users whose current assessment is a draft."""
    found = []
    for n in range(1, 401):
        login = call("POST", "/api/v1/auth/login", body={"username": f"e{n:02}", "password": PASSWORD})
        token = login["access_token"]
        me = call("GET", "/api/v1/me", token)
        items = call("GET", f"/api/v1/enterprises/{me['enterprise_id']}/assessments", token)["items"]
        draft = next((a for a in items if a["status"] == "draft"), None)
        if draft:
            found.append((token, draft["id"]))
        if len(found) == MAX_USERS:
            break
    return found


def criteria(token, assessment):
    current = call("GET", f"/api/v1/assessments/{assessment}", token)
    url = current["questionnaire_url"]
    q = call("GET", url[url.index("/api/"):], token)
    out = []
    for domain in q["domains"]:
        for item in domain["items"]:
            for c in item["criteria"]:
                out.append(c["id"])
    return out


def wrk(connections, script, path):
    threads = min(2, connections)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", script, base + path],
        check=True, capture_output=True, text=True).stdout
    line = next(l for l in out.splitlines() if l.startswith("RESULT "))
    r = json.loads(line[len("RESULT "):])
    r["per_s"] = r["requests"] / (r["duration_us"] / 1e6)
    return r


def reset_peak():
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")


def memory(field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def ceiling(connections):
    out = subprocess.run(["target/release/dcmm", "storage-ceiling", "--connections", str(connections),
                          "--seconds", str(seconds)], check=True, capture_output=True, text=True).stdout
    return json.loads(out)["tx_per_s"]


DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests":%d,"duration_us":%d,"non2xx":%d,"errors":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""

users = drafts()
ids = criteria(users[0][0], users[0][1])
lines = os.path.join(work, "saves.txt")
with open(lines, "w") as f:
    # Consecutive requests go to different users' drafts, each to a criterion of its own.
    for k in range(min(len(users) * len(ids), 60000)):
        token, assessment = users[k % len(users)]
        criterion = ids[(k // len(users)) % len(ids)]
        f.write(f"{token} /api/v1/assessments/{assessment}/answers/{criterion}\n")
autosave = os.path.join(work, "autosave.lua")
with open(autosave, "w") as f:
    f.write("""
local n = 0
setup = function(thread) thread:set("id", n); n = n + 1 end
local saves = {}
for line in io.lines("%s") do
  local token, path = line:match("(%%S+) (%%S+)")
  saves[#saves + 1] = {token, path}
end
local ratings = {"fully", "largely", "partially", "not"}
local k = 0
request = function()
  k = k + 1
  local i = ((k * 2 + (id or 0)) %% #saves) + 1
  local s = saves[i]
  local body = '{"rating":"' .. ratings[(k %% 4) + 1] .. '","comment":"load"}'
  return wrk.format("PUT", s[2], {["Authorization"] = "Bearer " .. s[1],
    ["Content-Type"] = "application/json"}, body)
end
""" % lines + DONE)
healthz = os.path.join(work, "healthz.lua")
with open(healthz, "w") as f:
    f.write(DONE)

print(f"{backend}: {len(users)} enterprise users with drafts, {len(ids)} criteria each, {seconds} s per figure", flush=True)
rows = []
for c in LEVELS:
    reset_peak()
    save = wrk(c, autosave, "/")
    peak = memory("VmHWM")
    health = wrk(c, healthz, "/healthz")
    rows.append((c, save, peak, health))
    print(f"  {c:>3} connections: autosave {save['per_s']:7.0f}/s p50 {save['p50_us']/1000:6.2f} ms "
          f"p99 {save['p99_us']/1000:6.2f} ms non-2xx {save['non2xx']} errors {save['errors']} "
          f"peak RSS {peak:5.0f} MB | /healthz {health['per_s']:7.0f}/s p99 {health['p99_us']/1000:5.2f} ms",
          flush=True)
# Mixed: autosave at 32 connections while one client reads the dashboard and another the
# enterprise PDF, each beside its idle latency on the same server.
reader, dashboard, pdf = readers()
idle = {"dashboard": median_of(reader, dashboard), "pdf": median_of(reader, pdf)}
reset_peak()
loaded = {"dashboard": [], "pdf": []}
until = time.perf_counter() + seconds
clients = [threading.Thread(target=timed_loop, args=(reader, dashboard, until, loaded["dashboard"])),
           threading.Thread(target=timed_loop, args=(reader, pdf, until, loaded["pdf"]))]
for t in clients:
    t.start()
mixed = wrk(32, autosave, "/")
for t in clients:
    t.join()
mixed_peak = memory("VmHWM")
print(f"  mixed (autosave at 32 connections + one dashboard client + one PDF client): autosave "
      f"{mixed['per_s']:.0f}/s p99 {mixed['p99_us']/1000:.2f} ms, peak RSS {mixed_peak:.0f} MB", flush=True)
for what in ("dashboard", "pdf"):
    m = statistics.median(loaded[what])
    print(f"    {what}: idle median {idle[what]:.1f} ms, under the autosave load {m:.1f} ms "
          f"({m / idle[what]:.1f}×, n={len(loaded[what])})", flush=True)
ceilings = {c: ceiling(c) for c in (1, 8)}
best = max(ceilings.values())
print(f"  storage ceiling (raw upsert loop, same database): "
      + ", ".join(f"{c} connection(s) {v:.0f} tx/s" for c, v in ceilings.items()), flush=True)
print(f"  idle RSS after the run {memory('VmRSS'):.0f} MB", flush=True)
print(f"\n| {backend} | connections | autosave/s | p50 ms | p99 ms | non-2xx | peak RSS MB | /healthz/s | autosave ÷ storage ceiling ({best:.0f} tx/s) | autosave ÷ /healthz |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for c, save, peak, health in rows:
    print(f"| | {c} | {save['per_s']:.0f} | {save['p50_us']/1000:.2f} | {save['p99_us']/1000:.2f} | "
          f"{save['non2xx'] + save['errors']} | {peak:.0f} | {health['per_s']:.0f} | "
          f"{100 * save['per_s'] / best:.0f} % | {100 * save['per_s'] / health['per_s']:.0f} % |")
failed = sum(save["non2xx"] + save["errors"] for _, save, _, _ in rows) + mixed["non2xx"] + mixed["errors"]
if failed:
    print(f"{failed} requests failed", file=sys.stderr)
    sys.exit(1)
