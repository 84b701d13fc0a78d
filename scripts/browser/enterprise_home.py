"""The enterprise's home, submit check and results pages in a real headless browser.

As e33 (half done; e31 is left alone for the end-to-end test): the home lists its assessments
with the status words and progress per domain the API gives, the submit check lists every
unanswered criterion by its text (never its id) with the submit button disabled, and a gap's
link leads to that criterion on the questionnaire page. As e05 (accepted): the results page
shows the figures of GET /api/v1/assessments/{id}/score, draws the radar, and its PDF link
downloads a PDF. As e29 (returned) and e37 (not started): the home says so. Every page is
checked with axe-core, for console errors, and at a phone's 390 px for sideways scrolling.
Screenshots: home*.png, submit*.png, results*.png in target/artifacts.
"""

import os
import re
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from harness import (ARTIFACTS, PHONE, api, axe, browser, check, console_errors, full_page,
                     log_in, no_sideways_scroll, token_of)

STAGE = {"not_started": "未开始", "in_progress": "填写中", "returned": "已退回",
         "awaiting_review": "待审核", "accepted": "已通过"}
# A criterion, item or domain id as stored ("2025:6.1:L2:3", "2018:7.2").
STORED_ID = re.compile(r"\b20\d\d:\d+(\.\d+)?(:L\d:\d+)?\b")


def assessments_of(base, user):
    """The user's assessments as the API gives them, newest campaign first, with the token."""
    token = token_of(base, user)
    me = api(base, "/api/v1/me", token)
    listed = api(base, f"/api/v1/enterprises/{me['enterprise_id']}/assessments?limit=100", token)
    full = [api(base, f"/api/v1/assessments/{a['id']}", token) for a in listed["items"]]
    return token, sorted(full, key=lambda a: a["campaign_id"], reverse=True)


def stage_of(a):
    if a["status"] == "accepted":
        return "accepted"
    if a["status"] == "submitted":
        return "awaiting_review"
    if a["return_note"]:
        return "returned"
    return "in_progress" if a["progress"]["answered"] else "not_started"


def fig(scope, name):
    return scope.find_element(By.CSS_SELECTOR, f'[data-figure="{name}"]').text.strip()


def page_checks(driver, name):
    axe(driver, name)
    errors = console_errors(driver)
    check(f"no console errors on {name}", not errors, errors)
    text = driver.find_element(By.TAG_NAME, "main").text
    ids = [m.group(0) for m in STORED_ID.finditer(text)]
    check(f"no stored id shown on {name}", not ids, ids[:5])


def home(driver, base, wait, user, shot):
    """The user's home against the API; answers the API's assessments."""
    token, listed = assessments_of(base, user)
    log_in(driver, base, wait, user)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "section.assessment")))
    cards = driver.find_elements(By.CSS_SELECTOR, "section.assessment")
    check(f"{user}: a card per assessment", len(cards) == len(listed), (len(cards), len(listed)))
    order = [c.get_attribute("id") for c in cards]
    check(f"{user}: newest campaign first", order == [f"a-{a['id']}" for a in listed], order)
    for a in listed:
        card = driver.find_element(By.ID, f"a-{a['id']}")
        expected = stage_of(a)
        check(f"{user}: status of {a['id']}", fig(card, "stage") == STAGE[expected],
              (fig(card, "stage"), expected))
        check(f"{user}: stage code", card.get_attribute("data-stage") == expected)
        p = a["progress"]
        check(f"{user}: answered", fig(card, "answered") == str(p["answered"]), (fig(card, "answered"), p))
        check(f"{user}: total", fig(card, "total") == str(p["total"]))
        for d in p["domains"]:
            shown = fig(card, f"domain-{d['id']}")
            check(f"{user}: domain {d['id']}", shown == f"{d['answered']} / {d['total']}", shown)
        links = {l.get_attribute("data-link"): l.get_attribute("href")
                 for l in card.find_elements(By.CSS_SELECTOR, "a[data-link]")}
        check(f"{user}: questionnaire link", links.get("questionnaire", "").endswith(f"/assessments/{a['id']}"), links)
        check(f"{user}: a submit check only for a draft",
              ("submit" in links) == (a["status"] == "draft"), links)
        check(f"{user}: results once something is answered",
              ("results" in links) == (p["answered"] > 0), links)
        if expected == "returned":
            check(f"{user}: the auditor's note", a["return_note"] in card.text, card.text)
        if a["status"] == "draft":
            check(f"{user}: days left or overdue", re.search(r"(还剩|已逾期) \d+ 天|今天截止",
                                                           fig(card, "due")) is not None, fig(card, "due"))
    profile = driver.find_element(By.CSS_SELECTOR, '#profile a[href="/profile"]')
    check(f"{user}: the profile is linked", profile.is_displayed())
    page_checks(driver, f"{user}'s home")
    check(f"screenshot {shot}", full_page(driver, os.path.join(ARTIFACTS, shot), 1280))
    return token, listed


def submit_check(driver, base, wait, token, a):
    """e33's submit check: the gaps by text, each linked, the button disabled."""
    q = api(base, a["questionnaire_url"], token)
    texts = {c["id"]: c["text"]["zh"] for d in q["domains"] for i in d["items"] for c in i["criteria"]}
    answered = set()
    after = ""
    while True:
        page = api(base, f"/api/v1/assessments/{a['id']}/answers?limit=500{after}", token)
        answered |= {x["criterion"] for x in page["items"]}
        if not page.get("next"):
            break
        after = "&after=" + urllib.parse.quote(page["next"])
    missing = [cid for cid in texts if cid not in answered]
    card = driver.find_element(By.ID, f"a-{a['id']}")
    card.find_element(By.CSS_SELECTOR, 'a[data-link="submit"]').click()
    wait.until(ec.presence_of_element_located((By.ID, "check")))
    check("the submit check's count", fig(driver, "missing") == str(len(missing)), (fig(driver, "missing"), len(missing)))
    items = driver.find_elements(By.CSS_SELECTOR, "#gaps ol.gaps li a")
    check("a link per unanswered criterion", len(items) == len(missing), (len(items), len(missing)))
    # Domains after the first may be folded: their texts are there, not shown.
    shown = [i.get_attribute("textContent").strip() for i in items]
    check("each gap shown by its text, in order", shown == [texts[m] for m in missing],
          [s for s, m in zip(shown, missing) if s != texts[m]][:3])
    button = driver.find_element(By.ID, "submit")
    check("submit is disabled while criteria are left", not button.is_enabled())
    page_checks(driver, "the submit check")
    check("screenshot submit.png", full_page(driver, os.path.join(ARTIFACTS, "submit.png"), 1280))
    first = missing[0]
    item = next(i["id"] for d in q["domains"] for i in d["items"] for c in i["criteria"] if c["id"] == first)
    anchor = "c-" + first.replace(":", "-").replace(".", "-")
    items[0].click()
    wait.until(lambda d: "/submit" not in d.current_url)
    url = urllib.parse.urlparse(driver.current_url)
    check("a gap leads to its item on the questionnaire page",
          url.path == f"/assessments/{a['id']}" and urllib.parse.parse_qs(url.query).get("item") == [item],
          driver.current_url)
    check("… and to the criterion's anchor", url.fragment == anchor, url.fragment)
    # The questionnaire page is another change; where it exists, the anchor is on it.
    status = driver.execute_script(
        "return fetch(location.href, {credentials: 'same-origin'}).then(r => r.status)")
    if status == 200:
        found = driver.find_elements(By.ID, anchor)
        check("the questionnaire page has the criterion's anchor", len(found) == 1, anchor)
    else:
        console_errors(driver)  # the questionnaire page's 404 and its favicon: not this page's
    return missing


def number(v):
    return f"{v:.2f}"


def results(driver, base, wait):
    """e05's results against GET /score; the radar; the PDF."""
    token, listed = home(driver, base, wait, "e05", "home-e05.png")
    a = listed[0]
    check("e05's current assessment is accepted", a["status"] == "accepted", a["status"])
    score = api(base, f"/api/v1/assessments/{a['id']}/score", token)
    driver.find_element(By.ID, f"a-{a['id']}").find_element(By.CSS_SELECTOR, 'a[data-link="results"]').click()
    wait.until(ec.presence_of_element_located((By.ID, "headline")))
    v, own = score["verified"], score["self"]
    check("verified overall", fig(driver, "overall-verified") == number(v["overall"]["score"]),
          (fig(driver, "overall-verified"), v["overall"]))
    check("self overall", fig(driver, "overall-self") == number(own["overall"]["score"]))
    check("level", fig(driver, "level") == str(v["overall"]["level"]), fig(driver, "level"))
    names = ["未达初始级", "初始级", "受管理级", "稳健级", "量化管理级", "优化级"]
    check("level name", fig(driver, "level-name") == names[v["overall"]["level"]], fig(driver, "level-name"))
    for d in v["domains"]:
        check(f"domain {d['id']}", fig(driver, f"domain-verified-{d['id']}") == number(d["score"]))
    for d in v["domains"][::3]:
        for i in d["items"][:2]:
            check(f"item {i['id']}", fig(driver, f"item-verified-{i['id']}") == number(i["score"]),
                  (fig(driver, f"item-verified-{i['id']}"), i["score"]))
    for d in own["domains"][:2]:
        i = d["items"][0]
        check(f"self item {i['id']}", fig(driver, f"item-self-{i['id']}") == number(i["score"]))
    radar = driver.find_elements(By.CSS_SELECTOR, "#domains svg.chart polygon")
    check("the radar is drawn", len(radar) >= 2, len(radar))
    gap = driver.find_elements(By.CSS_SELECTOR, "#first-steps li")
    plan = v.get("gap") or []
    check("do these first", len(gap) == min(5, len(plan)), (len(gap), len(plan)))
    steps = driver.find_elements(By.CSS_SELECTOR, "#gap .gap-item li")
    check("every step of the gap plan by item", len(steps) == len(plan), (len(steps), len(plan)))
    bench = api(base, f"/api/v1/assessments/{a['id']}/benchmark", token)
    if bench["cluster"]["percentiles"]:
        shown = fig(driver, "bench-overall-2")
        check("cluster percentile", shown == number(bench["cluster"]["percentiles"]["overall"]) + "%", shown)
    change = driver.find_elements(By.CSS_SELECTOR, "#change table")
    check("the change since last year's campaign", len(change) == 1)
    page_checks(driver, "the results")
    check("screenshot results.png", full_page(driver, os.path.join(ARTIFACTS, "results.png"), 1280))
    href = driver.find_element(By.ID, "report-pdf").get_attribute("href")
    got = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'}).then(async r => done("
        "[r.status, r.headers.get('content-type'), new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5))]))"
        ".catch(e => done([0, String(e), '']));", href)
    check("the PDF link downloads a PDF", got[0] == 200 and got[1] == "application/pdf" and got[2] == "%PDF-", got)
    return a


def phone(driver, base, wait, e33, e05):
    log_in(driver, base, wait, "e33")
    for path, shot, ready in ((f"/campaigns", "home-390.png", "section.assessment"),
                              (f"/assessments/{e33['id']}/submit", "submit-390.png", "#check"),
                              (f"/campaigns?lang=en", "home-390-en.png", "section.assessment")):
        driver.get(base + path)
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ready)))
        no_sideways_scroll(driver, path)
        axe(driver, f"{path} at {PHONE} px")
        check(f"screenshot {shot}", full_page(driver, os.path.join(ARTIFACTS, shot), PHONE, True))
    log_in(driver, base, wait, "e05")
    for path, shot in ((f"/assessments/{e05['id']}/results", "results-390.png"),
                       (f"/assessments/{e05['id']}/results?lang=en", "results-390-en.png")):
        driver.get(base + path)
        wait.until(ec.presence_of_element_located((By.ID, "headline")))
        no_sideways_scroll(driver, path)
        axe(driver, f"{path} at {PHONE} px")
        check(f"screenshot {shot}", full_page(driver, os.path.join(ARTIFACTS, shot), PHONE, True))


def suite(base, data_dir):
    driver = browser(os.path.join(data_dir, "chromium-enterprise"))
    wait = WebDriverWait(driver, 30)
    try:
        token, listed = home(driver, base, wait, "e33", "home.png")
        e33 = listed[0]
        check("e33's current assessment is half done", stage_of(e33) == "in_progress", stage_of(e33))
        submit_check(driver, base, wait, token, e33)
        # A provisional result for the draft, marked as such.
        driver.get(base + f"/assessments/{e33['id']}/results")
        wait.until(ec.presence_of_element_located((By.ID, "headline")))
        check("a draft's result is marked provisional", driver.find_elements(By.ID, "provisional") != [])
        page_checks(driver, "a draft's results")
        check("screenshot results-draft.png", full_page(driver, os.path.join(ARTIFACTS, "results-draft.png"), 1280))
        e05 = results(driver, base, wait)
        driver.get(base + f"/assessments/{e05['id']}/results?lang=en")
        wait.until(ec.presence_of_element_located((By.ID, "headline")))
        check("results in English", driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
        check("screenshot results-en.png", full_page(driver, os.path.join(ARTIFACTS, "results-en.png"), 1280))
        # Another enterprise's assessment is no page of e05's.
        driver.get(base + f"/assessments/{e33['id']}/results")
        check("another enterprise's results are a 404 page", "404" in driver.find_element(By.TAG_NAME, "h1").text)
        console_errors(driver)  # that 404 was asked for
        home(driver, base, wait, "e29", "home-e29.png")
        home(driver, base, wait, "e37", "home-e37.png")
    finally:
        driver.quit()
    driver = browser(os.path.join(data_dir, "chromium-enterprise-phone"), phone=True)
    try:
        phone(driver, base, WebDriverWait(driver, 30), e33, e05)
    finally:
        driver.quit()
