"""The audit log page in a real headless browser.

As admin: follows the navigation's link to /audit-log and finds the newest entries the API
lists (GET /api/v1/audit-log?order=newest), newest first; changes the demo cluster's
description over the API (and puts it back) and finds that change's before and after compared,
the changed value marked; applies the action filter through the form (the URL carries it, so the
view is a link to share) and finds only that action, as many as the API gives; follows a
person's link to their entries; pages to older entries and back; runs the chain check and reads
"intact through entry N" with N the log's last entry. As auditor: the entries of the auditor's
cluster only, the same as the API gives it, and a check that says the whole log is intact without
a count. A cluster manager gets the 403 page. Every page is checked with axe-core and for
console errors; at 390 px for sideways scrolling. Screenshots in target/artifacts:
audit-log.png, audit-log-filtered.png, audit-log-check.png, audit-log-en.png,
audit-log-auditor.png and audit-log-390.png, audit-log-auditor-390.png.
"""

import os
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from harness import (ARTIFACTS, api, axe, browser, check, console_errors, full_page, log_in,
                     no_sideways_scroll, token_of)


def shot(driver, name, width=1280, mobile=False):
    path = os.path.join(ARTIFACTS, name)
    check(f"screenshot {name}", full_page(driver, path, width, mobile), path)


def page_checks(driver, name):
    axe(driver, name)
    errors = console_errors(driver)
    check(f"no console errors on {name}", not errors, errors)


def shown_seqs(driver):
    return [int(a.get_attribute("id")[2:])
            for a in driver.find_elements(By.CSS_SELECTOR, "article.entry")]


def query_of(driver):
    return urllib.parse.parse_qs(urllib.parse.urlparse(driver.current_url).query)


def newest(base, token, query=""):
    """The seqs of the API's first page, newest first, 50 at a time like the page."""
    page = api(base, f"/api/v1/audit-log?order=newest&limit=50{query}", token)
    return [e["seq"] for e in page["items"]], page


def changed_cluster(base, token):
    """Changes the demo cluster's description and puts it back: two entries with a before."""
    cluster = api(base, "/api/v1/clusters", token)["items"][0]
    original = cluster["description"]
    path = f"/api/v1/clusters/{cluster['id']}"
    api(base, path, token, {"description": original + "（审计日志测试）"}, method="PATCH")
    api(base, path, token, {"description": original}, method="PATCH")
    return cluster, original


def admin(driver, base, wait):
    token = token_of(base, "admin")
    cluster, original = changed_cluster(base, token)
    log_in(driver, base, wait, "admin")
    links = driver.find_elements(By.CSS_SELECTOR, 'header.top nav a[href="/audit-log"]')
    check("the navigation links the audit log for the admin", len(links) == 1)
    links[0].click()
    wait.until(ec.presence_of_element_located((By.ID, "entries")))
    expected, first_page = newest(base, token)
    check("the page lists the API's newest entries, newest first", shown_seqs(driver) == expected,
          (shown_seqs(driver)[:5], expected[:5]))
    page_checks(driver, "the audit log")
    shot(driver, "audit-log.png")

    # The change just made: its before and after side by side, the changed value marked.
    # Logging in is audited too: the newest write is the cluster change, with logins above it.
    entries = driver.find_elements(By.CSS_SELECTOR, "article.entry")
    codes = [e.find_element(By.CSS_SELECTOR, "h3 code").text for e in entries]
    writes = [e for e, c in zip(entries, codes) if not c.startswith("auth.")]
    check("only logins are newer than the cluster change",
          all(c.startswith("auth.") for c in codes[:codes.index("cluster.update")])
          if "cluster.update" in codes else False, codes[:5])
    top = writes[0] if writes else entries[0]
    check("the newest write is the cluster change", "cluster.update" in top.find_element(By.CSS_SELECTOR, "h3 code").text)
    changed = top.find_elements(By.CSS_SELECTOR, "table.diff tr.changed")
    row = [r for r in changed if r.find_element(By.TAG_NAME, "th").text.startswith("description")]
    check("the description is marked changed", len(row) == 1, [r.text for r in changed])
    check("... and what did not change is folded away", top.find_elements(By.CSS_SELECTOR, "details.same"))
    if row:
        cells = [td.text for td in row[0].find_elements(By.TAG_NAME, "td")]
        check("before and after are the texts", cells == [original + "（审计日志测试）", original], cells)
        check("the change is marked in words", "已改" in row[0].text)
    check("the raw JSON is there behind a disclosure", top.find_elements(By.CSS_SELECTOR, "details.raw"))

    # Filter by action through the form: the URL carries it.
    Select(driver.find_element(By.ID, "f-action")).select_by_value("assessment.submit")
    driver.find_element(By.ID, "apply").click()
    wait.until(lambda d: "action=assessment.submit" in d.current_url)
    codes = {c.text for c in driver.find_elements(By.CSS_SELECTOR, "article.entry h3 code")}
    check("only submissions are listed", codes == {"assessment.submit"}, codes)
    expected, _ = newest(base, token, "&action=assessment.submit")
    check("as many as the API gives", shown_seqs(driver) == expected, (len(shown_seqs(driver)), len(expected)))
    check("the form shows the filter", Select(driver.find_element(By.ID, "f-action")).first_selected_option.get_attribute("value") == "assessment.submit")
    page_checks(driver, "the filtered audit log")
    shot(driver, "audit-log-filtered.png")

    # A person's link: everything that person wrote, and only that.
    who = driver.find_element(By.CSS_SELECTOR, "article.entry a.who")
    name = who.text
    who.click()
    wait.until(lambda d: "actor_id=" in d.current_url)
    actor = query_of(driver)["actor_id"][0]
    expected, _ = newest(base, token, f"&actor_id={actor}")
    check("a person's link lists that person's entries", shown_seqs(driver) == expected and expected,
          (shown_seqs(driver), expected))
    names = {a.text for a in driver.find_elements(By.CSS_SELECTOR, "article.entry a.who")}
    check("... by that person only", names == {name}, names)

    # Older entries with the API's cursor, and back to the newest.
    driver.get(base + "/audit-log")
    if check("the demo log is longer than a page", bool(first_page["next"])):
        driver.find_element(By.ID, "older").click()
        wait.until(lambda d: "after=" in d.current_url)
        check("the older page starts after the API's cursor",
              query_of(driver)["after"] == [first_page["next"]] and shown_seqs(driver)
              and max(shown_seqs(driver)) < int(first_page["next"]))
        driver.find_element(By.ID, "newest").click()
        wait.until(lambda d: "after=" not in d.current_url)

    # The chain check, when asked.
    check("no check before it is asked", not driver.find_elements(By.CSS_SELECTOR, '[data-figure="chain"]'))
    driver.find_element(By.ID, "run-check").click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, '[data-figure="chain"]')))
    last, _ = newest(base, token)
    verdict = driver.find_element(By.CSS_SELECTOR, '[data-figure="chain"]').text
    check("the check says intact through the last entry", f"第 1 至第 {last[0]} 条" in verdict, verdict)
    page_checks(driver, "the chain check")
    shot(driver, "audit-log-check.png")
    driver.get(base + "/audit-log?lang=en")
    wait.until(ec.presence_of_element_located((By.ID, "entries")))
    headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "article.entry h3")]
    check("the English page says what the actions did",
          any("Cluster changed" in h for h in headings[:10]) and any("Logged in" in h or "login" in h.lower() for h in headings[:10]),
          headings[:10])
    page_checks(driver, "the English audit log")
    shot(driver, "audit-log-en.png")


def auditor(driver, base, wait):
    token = token_of(base, "auditor")
    log_in(driver, base, wait, "auditor")
    check("the navigation links the audit log for the auditor",
          driver.find_elements(By.CSS_SELECTOR, 'header.top nav a[href="/audit-log"]'))
    driver.get(base + "/audit-log?check=1")
    wait.until(ec.presence_of_element_located((By.ID, "entries")))
    expected, _ = newest(base, token)
    check("the auditor sees what the API gives it", shown_seqs(driver) == expected and expected,
          (shown_seqs(driver)[:5], expected[:5]))
    me = api(base, "/api/v1/me", token)
    clusters = set(me["cluster_ids"])
    listed = api(base, "/api/v1/audit-log?limit=500", token)["items"]
    check("every entry is of the auditor's clusters", all(e["cluster_id"] in clusters for e in listed))
    verdict = driver.find_element(By.CSS_SELECTOR, '[data-figure="chain"]').text
    check("the auditor's check covers the whole log without counting it", verdict == "完好：整个日志未被改动、删除或调换。", verdict)
    page_checks(driver, "the auditor's audit log")
    shot(driver, "audit-log-auditor.png")

    log_in(driver, base, wait, "manager")
    check("no link for a cluster manager", not driver.find_elements(By.CSS_SELECTOR, 'a[href="/audit-log"]'))
    driver.get(base + "/audit-log")
    check("a cluster manager gets the 403 page", "403" in driver.find_element(By.TAG_NAME, "h1").text)
    console_errors(driver)  # that 403 was asked for


def phone(driver, base, wait):
    for user, name in (("admin", "audit-log-390.png"), ("auditor", "audit-log-auditor-390.png")):
        log_in(driver, base, wait, user)
        driver.get(base + "/audit-log?check=1")
        wait.until(ec.presence_of_element_located((By.ID, "entries")))
        no_sideways_scroll(driver, f"the audit log as {user}")
        page_checks(driver, f"the audit log at 390 px as {user}")
        shot(driver, name, 390, mobile=True)


def suite(base, data_dir):
    driver = browser(os.path.join(data_dir, "chromium-audit-log"))
    wait = WebDriverWait(driver, 30)
    try:
        admin(driver, base, wait)
        auditor(driver, base, wait)
    finally:
        driver.quit()
    driver = browser(os.path.join(data_dir, "chromium-audit-log-phone"), phone=True)
    try:
        phone(driver, base, WebDriverWait(driver, 30))
    finally:
        driver.quit()
