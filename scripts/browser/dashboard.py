"""The cluster dashboard in a real headless browser.

Logs in as the demo cluster manager through the login form, opens the current campaign's
dashboard, and checks that the figures it shows equal those of GET
/api/v1/campaigns/{id}/dashboard, that the heat-map table sorts, that chart text is drawn at its
own size and never cut off, that the Chinese page names every stored code, and that the browser
reported no errors (a Content-Security-Policy violation would be one). Then, at a phone's 390 px,
that the page does not scroll sideways (wide tables scroll inside their card) and that no name
is set one character per line. Saves screenshots to target/artifacts: dashboard.png (1280 px)
and dashboard-390.png, and dashboard-en.png and dashboard-390-en.png in English.
"""

import os
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from harness import (ARTIFACTS, PASSWORD, PHONE, api, axe, browser, check, console_errors,
                     full_page, log_in)

USER = "manager"


def same_number(shown, expected):
    """A figure as shown ("2.35", "+0.10", "85.00%", "12 (60.00%)", "–") against the API's
    number or null: its first number."""
    if expected is None:
        return shown == "–"
    try:
        return abs(float(shown.split()[0].rstrip("%")) - float(expected)) < 0.005
    except (ValueError, IndexError):
        return False


def figure(driver, name):
    return driver.find_element(By.CSS_SELECTOR, f'[data-figure="{name}"]').text.strip()


# Chart text boxes reaching outside their chart (by more than a pixel), as
# "text: left..right of width".
CUT_TEXT = """
return Array.from(document.querySelectorAll('svg.chart')).flatMap(svg => {
  const width = svg.viewBox.baseVal.width;
  return Array.from(svg.querySelectorAll('text')).map(t => [t.textContent, t.getBBox()])
    .filter(([_, b]) => b.x < -1 || b.x + b.width > width + 1)
    .map(([text, b]) => `${text}: ${b.x.toFixed(1)}..${(b.x + b.width).toFixed(1)} of ${width}`);
});"""

# Charts drawn wider than their own size: their text would grow with the card.
GROWN = """
return Array.from(document.querySelectorAll('svg.chart'))
  .filter(svg => svg.getBoundingClientRect().width > svg.viewBox.baseVal.width + 0.5)
  .map(svg => svg.querySelector('title').textContent);"""

# Radar legend texts running into the next swatch.
LEGEND_OVERLAPS = """
return Array.from(document.querySelectorAll('#domains svg.chart')).flatMap(svg => {
  const h = svg.viewBox.baseVal.height;
  const swatches = Array.from(svg.querySelectorAll('line'))
    .filter(l => l.y1.baseVal.value === l.y2.baseVal.value && l.y1.baseVal.value > h - 30)
    .map(l => l.x1.baseVal.value).sort((a, b) => a - b);
  return Array.from(svg.querySelectorAll('text')).map(t => [t.textContent, t.getBBox()])
    .filter(([_, b]) => b.y > h - 35)
    .filter(([_, b]) => swatches.some(x => x > b.x && x < b.x + b.width + 4))
    .map(([text]) => text);
});"""

# Names and first-column labels set on several lines of fewer than three characters each.
WRAPPED_NAMES = """
return Array.from(document.querySelectorAll('td.name, table tbody td:first-child, table tbody th'))
  .filter(td => {
    const range = document.createRange();
    range.selectNodeContents(td);
    const lines = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size;
    return lines > 1 && td.textContent.trim().length / lines < 3;
  })
  .map(td => td.textContent);"""

# Tables wider than their card that do not scroll inside it.
UNBOXED = """
return Array.from(document.querySelectorAll('table')).filter(t => {
  const box = t.parentElement;
  return t.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== 'auto';
}).map(t => t.closest('section') ? t.closest('section').id : '?');"""


def whole_words(text, words):
    """Those of `words` that stand alone in `text`."""
    return [w for w in words if re.search(r"(?<![A-Za-z0-9_])" + re.escape(w) + r"(?![A-Za-z0-9_])", text)]


def phone(driver, base, current, wait):
    """The dashboard at a phone's width, in both languages."""
    log_in(driver, base, wait, USER)
    for lang, shot in (("", "dashboard-390.png"), ("?lang=en", "dashboard-390-en.png")):
        driver.get(base + f"/campaigns/{current}/dashboard{lang}")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, '[data-figure="tier"]')))
        width = driver.execute_script("return document.documentElement.scrollWidth")
        check(f"no sideways scroll at {PHONE} px {lang}", width <= PHONE, f"{width} px wide")
        wrapped = driver.execute_script(WRAPPED_NAMES)
        check(f"no name wraps at {PHONE} px {lang}", not wrapped, wrapped[:5])
        unboxed = driver.execute_script(UNBOXED)
        check(f"wide tables scroll in their card {lang}", not unboxed, unboxed)
        heat = driver.find_element(By.CSS_SELECTOR, "table.heat").find_element(By.XPATH, "..")
        check("the heat-map table scrolls inside its card",
              driver.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", heat))
        check(f"screenshot {shot}", full_page(driver, os.path.join(ARTIFACTS, shot), PHONE, True))


def run(driver, base):
    token = api(base, "/api/v1/auth/login", body={"username": USER, "password": PASSWORD})["access_token"]
    cluster = api(base, "/api/v1/clusters", token)["items"][0]["id"]
    campaigns = api(base, f"/api/v1/clusters/{cluster}/campaigns", token)["items"]
    current = max(campaigns, key=lambda c: c["id"])["id"]
    dash = api(base, f"/api/v1/campaigns/{current}/dashboard", token)
    r = dash["rollup"]
    wait = WebDriverWait(driver, 30)

    # Log in through the form, as a person would.
    driver.get(base + "/")
    wait.until(ec.presence_of_element_located((By.ID, "username")))
    check("/ leads to the login form", "/login" in driver.current_url, driver.current_url)
    enterprises = api(base, f"/api/v1/clusters/{cluster}/enterprises?limit=100", token)["items"]
    driver.find_element(By.ID, "username").send_keys(USER)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "submit").click()
    wait.until(ec.url_contains("/campaigns"))
    cookies = {c["name"]: c for c in driver.get_cookies()}
    session = cookies.get("dcmm_session", {})
    check("the session cookie is HttpOnly", session.get("httpOnly") is True, session)
    check("the session cookie is SameSite=Strict", session.get("sameSite") == "Strict", session)

    # Follow the link to the current campaign's dashboard.
    link = wait.until(ec.element_to_be_clickable(
        (By.CSS_SELECTOR, f'a[href^="/campaigns/{current}/dashboard"]')))
    link.click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, '[data-figure="tier"]')))

    t = r["readiness"]
    check("tier", figure(driver, "tier") == t["name"]["zh"], (figure(driver, "tier"), t["name"]))
    for name, expected in [("mean-overall", t["mean_overall"]),
                           ("p2", t["share_level_2_or_above"]),
                           ("p3", t["share_level_3_or_above"]),
                           ("tier-n", t["n"]),
                           ("heat-anonymous", r["heat_map"]["anonymous"]),
                           ("eligible", r["eligibility"]["all_met"]),
                           ("cdo-appointed", r["cdo"]["appointed"]),
                           ("bias-overall", r["bias"]["overall"]),
                           ("change-overall", (r["change"] or {}).get("overall", {}).get("difference"))]:
        shown = figure(driver, name)
        check(name, same_number(shown, expected), f"shown {shown!r}, API {expected!r}")
    check("the indicative note", t["note"]["zh"] in driver.page_source)
    for key in ("invited", "accepted", "submitted", "awaiting_review", "overdue"):
        shown = figure(driver, key.replace("_", "-"))
        check(key, same_number(shown, r["participation"][key]), f"shown {shown!r}, API {r['participation'][key]!r}")
    for level, count in enumerate(r["levels"]["counts"]):
        shown = figure(driver, f"level-{level}")
        check(f"level {level}", same_number(shown, count), f"shown {shown!r}, API {count!r}")
    for d in r["domains"]:
        shown = figure(driver, f"domain-mean-{d['id']}")
        expected = (d["summary"] or {}).get("mean")
        check(f"domain {d['id']} mean", same_number(shown, expected), f"shown {shown!r}, API {expected!r}")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.heat tbody tr")
    check("heat-map rows", len(rows) == len(r["heat_map"]["rows"]), (len(rows), len(r["heat_map"]["rows"])))
    check("four charts", len(driver.find_elements(By.CSS_SELECTOR, "svg.chart")) == 4)
    cut = driver.execute_script(CUT_TEXT)
    check("no chart text is cut off", not cut, cut)
    grown = driver.execute_script(GROWN)
    check("no chart is drawn larger than its own size", not grown, grown)
    overlaps = driver.execute_script(LEGEND_OVERLAPS)
    check("radar legend texts end before the next swatch", not overlaps, overlaps)
    axis = [t.text for t in driver.find_elements(By.CSS_SELECTOR, "#levels svg text")]
    check("the level chart's axis counts whole enterprises", not any("." in a for a in axis), axis)

    # The Chinese page names every code it stores: industries, statuses, the campaign's status.
    text = driver.find_element(By.TAG_NAME, "main").text
    codes = sorted({e["industry"] for e in enterprises}) + [
        "open", "closed", "draft", "submitted", "accepted", "returned", "anonymous"]
    shown = whole_words(text, codes)
    check("no stored code on the Chinese page", not shown, shown)
    roster = driver.find_element(By.ID, "enterprises").text
    for status in ("未开始", "填写中", "已退回", "待审核", "已通过"):
        check(f"status {status} in the roster", status in roster)
    header = driver.find_element(By.CSS_SELECTOR, "header.top").text
    check("the header names the user by display name", USER not in header.split(), header)

    # The heat-map table sorts by a column on a click (the page's script ran under the CSP).
    driver.find_element(By.CSS_SELECTOR, "table.heat thead th:nth-child(2)").click()
    keys = [float(td.get_attribute("data-sort")) for td in
            driver.find_elements(By.CSS_SELECTOR, "table.heat tbody tr td:nth-child(2)")]
    check("sorting the heat map by overall score", keys == sorted(keys) and len(keys) > 1, keys)

    errors = console_errors(driver)
    check("no errors in the browser console", not errors, errors)

    os.makedirs(ARTIFACTS, exist_ok=True)
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(os.path.join(ARTIFACTS, "dashboard-top.png"))
    shot = os.path.join(ARTIFACTS, "dashboard.png")
    check("screenshot saved", full_page(driver, shot, 1280), shot)

    # English on request.
    driver.get(base + f"/campaigns/{current}/dashboard?lang=en")
    check("tier in English", figure(driver, "tier") == t["name"]["en"], figure(driver, "tier"))
    cut = driver.execute_script(CUT_TEXT)
    check("no English chart text is cut off", not cut, cut)
    shot = os.path.join(ARTIFACTS, "dashboard-en.png")
    check("English screenshot saved", full_page(driver, shot, 1280), shot)
    return current




def suite(base, data_dir):
    driver = browser(os.path.join(data_dir, "chromium-dashboard"))
    try:
        current = run(driver, base)
        axe(driver, "the dashboard")
    finally:
        driver.quit()
    driver = browser(os.path.join(data_dir, "chromium-dashboard-phone"), phone=True)
    try:
        phone(driver, base, current, WebDriverWait(driver, 30))
    finally:
        driver.quit()
