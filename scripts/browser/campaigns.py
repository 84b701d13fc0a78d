"""Running a campaign in a real headless browser, in a cluster of its own.

An admin makes (over the API) a fresh cluster with three enterprises and a cluster manager, so
that nothing here touches what the other suites read. As that manager: /campaigns offers to
open a campaign; the form refuses a due date in the past next to its field, then opens the
campaign; the campaign page counts 3 invited; the due date moves (a past day is refused in
place); the reminder list shows all three not started and the CSV download of it starts with
the byte-order mark and Chinese headers; the dashboard's export link downloads the results CSV
with Chinese text; closing asks for confirmation, then the campaign is closed and an
enterprise's answer to it is refused with 409 campaign_closed. Each page is checked with
axe-core, at 1280 and 390 px (no sideways scroll), with no console errors. Screenshots in
target/artifacts: campaign-*.png.
"""

import datetime
import json
import os
import urllib.error
import urllib.request
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from harness import (ARTIFACTS, PASSWORD, PHONE, api, axe, browser, check, console_errors,
                     full_page, log_in, no_sideways_scroll, token_of)
from new_profile import credit_code

BOM = b"\xef\xbb\xbf"


def seed(base):
    """A cluster with three enterprises and its manager; answers (cluster id, manager name,
    enterprise user names)."""
    admin = token_of(base, "admin")
    tag = uuid.uuid4().hex[:6]
    cluster = api(base, "/api/v1/clusters", admin,
                  {"name": f"浏览器测试集群 {tag}", "region": "福州"})["id"]
    manager = f"mgr.{tag}"
    api(base, "/api/v1/users", admin, {"username": manager, "password": PASSWORD,
                                        "role": "cluster_manager", "cluster_id": cluster})
    users = []
    for n in range(3):
        ent = api(base, f"/api/v1/clusters/{cluster}/enterprises", admin, {
            "name": f"测试企业{n + 1}号", "credit_code": credit_code(),
            "industry": "equipment", "size": "small", "region": "福州"})["id"]
        user = f"ent.{tag}.{n}"
        api(base, "/api/v1/users", admin, {"username": user, "password": PASSWORD,
                                            "role": "enterprise", "enterprise_id": ent})
        users.append(user)
    return cluster, manager, users


def session_get(driver, base, path):
    """GETs `path` with the browser's page session; answers (status, headers, body)."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    req = urllib.request.Request(base + path, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def page_checks(driver, where, name, allowed=()):
    axe(driver, where)
    errors = [e for e in console_errors(driver)
              if not any(f"status of {code}" in e.get("message", "") for code in allowed)]
    check(f"no errors in the browser console on {where}", not errors, errors)
    check(f"screenshot {name}.png", full_page(driver, os.path.join(ARTIFACTS, f"{name}.png"), 1280))


def phone_checks(base, data_dir, manager, paths):
    driver = browser(os.path.join(data_dir, "chromium-campaigns-phone"), phone=True)
    wait = WebDriverWait(driver, 30)
    try:
        log_in(driver, base, wait, manager)
        for path, name in paths:
            driver.get(base + path)
            wait.until(ec.presence_of_element_located((By.TAG_NAME, "h1")))
            no_sideways_scroll(driver, path)
            axe(driver, f"{path} at {PHONE} px")
            check(f"screenshot {name}-phone.png",
                  full_page(driver, os.path.join(ARTIFACTS, f"{name}-phone.png"), PHONE, True))
    finally:
        driver.quit()


def suite(base, data_dir):
    cluster, manager, users = seed(base)
    driver = browser(os.path.join(data_dir, "chromium-campaigns"))
    wait = WebDriverWait(driver, 30)
    today = datetime.date.today()
    try:
        log_in(driver, base, wait, manager)
        link = driver.find_element(By.CSS_SELECTOR, f'a[href="/campaigns/new?cluster={cluster}"]')
        link.click()
        wait.until(ec.presence_of_element_located((By.ID, "new-campaign")))
        page_checks(driver, "the new campaign form", "campaign-new")
        help_text = driver.find_element(By.ID, "copy-help").text
        check("the form says there is nothing to carry over yet", "没有可沿用的答案" in help_text,
              help_text)

        driver.find_element(By.ID, "name").send_keys("2027 年度数据管理能力评估")
        due = driver.find_element(By.ID, "due_date")
        driver.execute_script("arguments[0].value = arguments[1]", due, "2001-01-01")
        driver.find_element(By.CSS_SELECTOR, "#new-campaign button[type=submit]").click()
        wait.until(ec.presence_of_element_located((By.ID, "error-due_date")))
        check("a due date in the past is named next to its field",
              "今天或以后" in driver.find_element(By.ID, "error-due_date").text)
        check("the name typed stays in the form",
              driver.find_element(By.ID, "name").get_attribute("value") == "2027 年度数据管理能力评估")
        check("the refused field is marked invalid",
              driver.find_element(By.ID, "due_date").get_attribute("aria-invalid") == "true")
        page_checks(driver, "the refused new campaign form", "campaign-new-error", allowed=(422,))

        due = driver.find_element(By.ID, "due_date")
        later = (today + datetime.timedelta(days=30)).isoformat()
        driver.execute_script("arguments[0].value = arguments[1]", due, later)
        driver.find_element(By.CSS_SELECTOR, "#new-campaign button[type=submit]").click()
        wait.until(ec.presence_of_element_located((By.ID, "due-date-form")))
        campaign = driver.current_url.split("/campaigns/")[1].split("?")[0]
        invited = driver.find_element(By.CSS_SELECTOR, '[data-figure="invited"]').text
        check("the opened campaign invites the cluster's three enterprises", invited == "3", invited)
        check("the page says the campaign is open", "评估活动已开启" in driver.page_source)
        page_checks(driver, "the campaign page", "campaign-page")

        due = driver.find_element(By.ID, "due_date")
        driver.execute_script("arguments[0].value = arguments[1]", due, "2001-01-01")
        driver.find_element(By.CSS_SELECTOR, "#due-date-form button").click()
        wait.until(ec.presence_of_element_located((By.ID, "error-due_date")))
        check("a past due date is refused next to the field",
              "今天或以后" in driver.find_element(By.ID, "error-due_date").text)
        console_errors(driver)  # the refusal's 422, asked for
        due = driver.find_element(By.ID, "due_date")
        extended = (today + datetime.timedelta(days=45)).isoformat()
        driver.execute_script("arguments[0].value = arguments[1]", due, extended)
        driver.find_element(By.CSS_SELECTOR, "#due-date-form button").click()
        wait.until(ec.url_contains("moved=1"))
        shown = driver.find_element(By.CSS_SELECTOR, '[data-figure="due-date"]').text
        check("the due date is moved", shown.startswith(extended), shown)

        driver.find_element(By.LINK_TEXT, "催办名单").click()
        wait.until(ec.presence_of_element_located((By.ID, "chase-list")))
        stages = [tr.get_attribute("data-stage")
                  for tr in driver.find_elements(By.CSS_SELECTOR, "#chase-list tbody tr")]
        check("the reminder list shows the three enterprises as not started",
              stages == ["not_started"] * 3, stages)
        page_checks(driver, "the reminder list", "campaign-chase")
        status, headers, body = session_get(driver, base, f"/campaigns/{campaign}/chase.csv")
        check("the reminder list downloads as CSV", status == 200, status)
        check("the CSV starts with the byte-order mark and Chinese headers",
              body.startswith(BOM) and body[3:].decode("utf-8").startswith("企业名称,状态"),
              body[:60])
        check("the CSV names every enterprise",
              all(f"测试企业{n}号" in body.decode("utf-8") for n in (1, 2, 3)))

        driver.get(f"{base}/campaigns/{campaign}/dashboard")
        wait.until(ec.presence_of_element_located((By.ID, "export-csv")))
        href = driver.find_element(By.ID, "export-csv").get_attribute("href")
        status, headers, body = session_get(driver, base, href.replace(base, ""))
        check("the dashboard's export link downloads with the page session", status == 200, status)
        text = body[3:].decode("utf-8") if body.startswith(BOM) else ""
        check("the export opens with Chinese text", "企业" in text and "测试企业1号" in text,
              text[:120])
        check("the export is an attachment", "attachment" in {k.lower(): v for k, v in headers.items()}.get("content-disposition", ""),
              headers)

        driver.get(f"{base}/campaigns/{campaign}")
        driver.find_element(By.PARTIAL_LINK_TEXT, "结束评估活动").click()
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".confirm form")))
        waiting = driver.find_element(By.CSS_SELECTOR, '[data-figure="not_started"]').text
        check("the confirmation counts the enterprises not started", waiting == "3", waiting)
        page_checks(driver, "the close confirmation", "campaign-close")
        driver.find_element(By.CSS_SELECTOR, ".confirm form button").click()
        wait.until(ec.url_contains("closed=1"))
        check("the campaign is closed",
              driver.find_element(By.CSS_SELECTOR, '[data-figure="status"]').text == "已结束")

        token = token_of(base, users[0])
        mine = api(base, "/api/v1/me", token)
        listed = api(base, f"/api/v1/enterprises/{mine['enterprise_id']}/assessments", token)
        draft = next(a for a in listed["items"] if a["campaign_id"] == campaign)
        try:
            api(base, f"/api/v1/assessments/{draft['id']}/answers/2025:6.1:L1:1", token,
                {"rating": "fully"}, method="PUT")
            refused = None
        except urllib.error.HTTPError as e:
            refused = (e.code, json.loads(e.read()).get("error"))
        check("an answer to the closed campaign is refused with campaign_closed",
              refused == (409, "campaign_closed"), refused)
    finally:
        driver.quit()
    phone_checks(base, data_dir, manager, [
        ("/campaigns", "campaign-list"),
        (f"/campaigns/new?cluster={cluster}", "campaign-new"),
        (f"/campaigns/{campaign}", "campaign-page"),
        (f"/campaigns/{campaign}/chase", "campaign-chase"),
    ])
