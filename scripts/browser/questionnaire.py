"""The questionnaire page in a real headless browser.

As e32 (a half-done draft; e31 is left to the end-to-end test): opens its assessment's
questionnaire, answers criteria by clicking ratings and types a comment, reloads and finds them
saved (and the API agrees); a failed save (the network gone) stays visible and is retried; a
second session changes the same criterion, the first then changes it too and is offered the
conflict, and both choices work; attaches a small text file to a criterion and links it to a
second one; filters unanswered criteria and one level; checks the live item, domain and overall
figures against GET /api/v1/assessments/{id}/score. Then the page at 390 px, a returned
assessment (e29) and a read-only one (e21), and another tenant's id. axe-core on every page;
screenshots questionnaire.png, questionnaire-390.png, questionnaire-returned.png and
questionnaire-readonly.png in target/artifacts.
"""

import json
import os
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from harness import (ARTIFACTS, PHONE, api, axe, browser, check, console_errors, full_page,
                     log_in, no_sideways_scroll, token_of)


def current_assessment(base, user):
    """The user's assessment of the current (2025) campaign."""
    token = token_of(base, user)
    enterprise = api(base, "/api/v1/me", token)["enterprise_id"]
    items = api(base, f"/api/v1/enterprises/{enterprise}/assessments", token)["items"]
    current = [a for a in items if a["questionnaire"] == "dcmm-2025"]
    return token, current[-1]["id"]


def answers_of(base, token, assessment):
    out, after = {}, ""
    while True:
        page = api(base, f"/api/v1/assessments/{assessment}/answers?limit=500{after}", token)
        out.update({a["criterion"]: a for a in page["items"]})
        if not page.get("next"):
            return out
        after = "&after=" + page["next"]


def article(driver, criterion):
    return driver.find_element(By.CSS_SELECTOR, f'article[data-criterion="{criterion}"]')


def rate(driver, criterion, rating):
    el = article(driver, criterion)
    radio = el.find_element(By.CSS_SELECTOR, f'input[type="radio"][value="{rating}"]')
    radio.find_element(By.XPATH, "..").click()


def state_of(driver, criterion):
    return article(driver, criterion).find_element(By.CSS_SELECTOR, ".save-state").text


def wait_state(driver, criterion, text, timeout=15):
    try:
        WebDriverWait(driver, timeout).until(lambda d: text in state_of(d, criterion))
        return True
    except Exception:  # noqa: BLE001 - the check below reports what was shown instead
        return False


def checked(driver, criterion):
    found = article(driver, criterion).find_elements(By.CSS_SELECTOR, 'input[type="radio"]:checked')
    return found[0].get_attribute("value") if found else None


def figure(driver, name):
    return driver.find_element(By.CSS_SELECTOR, f'[data-figure="{name}"]').text.strip()


def open_sheet(driver, wait, base, assessment, query=""):
    driver.get(f"{base}/assessments/{assessment}{query}")
    wait.until(ec.presence_of_element_located((By.ID, "sheet")))


def expected_errors(entries, *allowed):
    """Console errors that are not the expected failed requests."""
    return [e for e in entries if not any(a in e.get("message", "") for a in allowed)]


def scores_match(driver, base, token, assessment):
    """The item, domain and overall figures shown equal the API's self-assessed scores."""
    sheet = driver.find_element(By.ID, "sheet")
    item, domain = sheet.get_attribute("data-item"), sheet.get_attribute("data-domain")
    report = api(base, f"/api/v1/assessments/{assessment}/score", token)["self"]
    d = next(x for x in report["domains"] if x["id"] == domain)
    i = next(x for x in d["items"] if x["id"] == item)
    shown = (figure(driver, "item-score"), figure(driver, "domain-score"),
             figure(driver, "overall-score"),
             [figure(driver, f"level-{n}") for n in range(1, 6)])
    want = (f"{i['score']:.2f}", f"{d['score']:.2f}", f"{report['overall']['score']:.2f}",
            [str(round(s * 100)) for s in i["level_scores"]])
    return shown == want, f"shown {shown}, API {want}"


def wait_scores(driver, base, token, assessment, name):
    deadline = time.time() + 15
    ok, detail = False, ""
    while time.time() < deadline:
        ok, detail = scores_match(driver, base, token, assessment)
        if ok:
            break
        time.sleep(0.3)
    check(name, ok, detail)


def session_cookie(driver):
    c = driver.get_cookie("dcmm_session")
    return f"dcmm_session={c['value']}" if c else ""


def suite(base, data_dir):
    token, assessment = current_assessment(base, "e32")
    profiles = [os.path.join(data_dir, f"profile-q-{n}") for n in ("a", "b", "phone", "r", "ro")]
    first = browser(profiles[0])
    second = browser(profiles[1])
    try:
        wait = WebDriverWait(first, 20)
        log_in(first, base, wait, "e32")
        open_sheet(first, wait, base, assessment)
        timing = first.execute_script(
            "const n = performance.getEntriesByType('navigation')[0];"
            "return [n.responseStart - n.requestStart, n.domInteractive, n.loadEventEnd];")
        print(f"questionnaire page: server {timing[0]:.0f} ms, interactive {timing[1]:.0f} ms,"
              f" loaded {timing[2]:.0f} ms", flush=True)
        check("the questionnaire is interactive within 1 s", 0 < timing[1] < 1000, timing)
        check("the page names no criterion id", "2025:" not in first.find_element(By.TAG_NAME, "main").text)
        open_items = first.find_elements(By.CSS_SELECTOR, "article.criterion:not(.answered)")
        check("the first item shown has unanswered criteria", len(open_items) >= 3, len(open_items))
        c1, c2, c3 = (e.get_attribute("data-criterion") for e in open_items[:3])
        legend = article(first, c1).find_element(By.TAG_NAME, "legend").text
        check("each rating group's legend names its criterion", len(legend) > 8, legend)
        wait_scores(first, base, token, assessment, "the figures at load are the API's")

        # Ratings and a comment save at once, through the API.
        rate(first, c1, "largely")
        check("a clicked rating is saved", wait_state(first, c1, "已保存"), state_of(first, c1))
        rate(first, c2, "fully")
        check("a second rating is saved", wait_state(first, c2, "已保存"), state_of(first, c2))
        comment = "制度汇编已发布，执行记录见附件"
        article(first, c1).find_element(By.TAG_NAME, "textarea").send_keys(comment)
        deadline = time.time() + 15
        while time.time() < deadline and answers_of(base, token, assessment)[c1]["comment"] != comment:
            time.sleep(0.3)
        check("a comment is saved after a pause in typing", wait_state(first, c1, "已保存"), state_of(first, c1))
        saved = answers_of(base, token, assessment)
        check("the API has the ratings and the comment",
              saved.get(c1, {}).get("rating") == "largely" and saved.get(c1, {}).get("comment") == comment
              and saved.get(c2, {}).get("rating") == "fully", {c1: saved.get(c1), c2: saved.get(c2)})
        wait_scores(first, base, token, assessment, "the live item score equals the API's")

        first.refresh()
        wait.until(ec.presence_of_element_located((By.ID, "sheet")))
        check("after a reload the ratings are saved", (checked(first, c1), checked(first, c2)) == ("largely", "fully"),
              (checked(first, c1), checked(first, c2)))
        shown = article(first, c1).find_element(By.TAG_NAME, "textarea").get_attribute("value")
        check("after a reload the comment is saved", shown == comment, shown)

        # A failed save stays visible, is retried, and gets through once the network is back.
        first.execute_cdp_cmd("Network.enable", {})
        offline = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
        first.execute_cdp_cmd("Network.emulateNetworkConditions", offline)
        rate(first, c3, "partially")
        check("a failed save says so and that it will retry", wait_state(first, c3, "重试"), state_of(first, c3))
        first.execute_cdp_cmd("Network.emulateNetworkConditions", dict(offline, offline=False))
        check("the failed save is retried and saved", wait_state(first, c3, "已保存", 20), state_of(first, c3))
        check("the retried rating reached the API",
              answers_of(base, token, assessment).get(c3, {}).get("rating") == "partially")
        console_errors(first)  # the offline attempts are logged as failed requests

        # Two sessions on the same criterion: the conflict is offered, and both choices work.
        wait2 = WebDriverWait(second, 20)
        log_in(second, base, wait2, "e32")
        open_sheet(second, wait2, base, assessment)
        rate(second, c1, "partially")
        check("the second session saves", wait_state(second, c1, "已保存"), state_of(second, c1))
        rate(first, c1, "not")
        try:
            box = WebDriverWait(first, 15).until(
                lambda d: article(d, c1).find_element(By.CSS_SELECTOR, ".conflict"))
            text = box.text
        except Exception as e:  # noqa: BLE001
            box, text = None, repr(e)
        check("a stale write offers the conflict with the other answer", box is not None and "一般满足" in text, text)
        if box is not None:
            box.find_element(By.CSS_SELECTOR, '[data-keep="mine"]').click()
            check("keep mine saves mine", wait_state(first, c1, "已保存"), state_of(first, c1))
        check("the API has mine", answers_of(base, token, assessment)[c1]["rating"] == "not")
        rate(second, c1, "fully")
        try:
            box = WebDriverWait(second, 15).until(
                lambda d: article(d, c1).find_element(By.CSS_SELECTOR, ".conflict"))
            box.find_element(By.CSS_SELECTOR, '[data-keep="theirs"]').click()
            took = True
        except Exception:  # noqa: BLE001
            took = False
        check("the second session is offered the conflict too", took)
        check("take theirs shows theirs", checked(second, c1) == "not", checked(second, c1))
        check("take theirs writes nothing", answers_of(base, token, assessment)[c1]["rating"] == "not")
        check("no console errors but the expected conflicts",
              not expected_errors(console_errors(first) + console_errors(second), "409"))

        # Evidence: attach a text file to one criterion, link it to another.
        path = os.path.join(data_dir, "数据管理制度说明.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("数据管理制度说明\n本制度自 2026 年 3 月 1 日起施行。\n")
        name = os.path.basename(path)
        el = article(first, c1)
        el.find_element(By.CSS_SELECTOR, "details.add-evidence summary").click()
        el.find_element(By.CSS_SELECTOR, 'input[type="file"]').send_keys(path)
        try:
            WebDriverWait(first, 15).until(lambda d: name in article(d, c1).find_element(By.CSS_SELECTOR, "ul.files").text)
            listed = True
        except Exception:  # noqa: BLE001
            listed = False
        check("an attached file is listed at its criterion", listed,
              article(first, c1).find_element(By.CSS_SELECTOR, ".evidence").text)
        el = article(first, c2)
        el.find_element(By.CSS_SELECTOR, "details.add-evidence summary").click()
        Select(el.find_element(By.CSS_SELECTOR, ".link select")).select_by_visible_text(name)
        el.find_element(By.CSS_SELECTOR, "[data-link]").click()
        try:
            WebDriverWait(first, 15).until(lambda d: name in article(d, c2).find_element(By.CSS_SELECTOR, "ul.files").text)
            linked = True
        except Exception:  # noqa: BLE001
            linked = False
        check("the file is linked to a second criterion", linked)
        files = api(base, f"/api/v1/assessments/{assessment}/evidence", token)["items"]
        mine = [e for e in files if e["file_name"] == name]
        check("the API links the file to both criteria",
              len(mine) == 1 and {c1, c2} <= set(mine[0]["criteria"]), mine)
        href = article(first, c1).find_element(By.CSS_SELECTOR, "ul.files a").get_attribute("href")
        request = urllib.request.Request(href, headers={"Cookie": session_cookie(first)})
        with urllib.request.urlopen(request, timeout=30) as r:
            body = r.read()
            disposition = r.headers.get("Content-Disposition", "")
        check("the file's link downloads it as an attachment",
              body == open(path, "rb").read() and disposition.startswith("attachment"), disposition)

        # Filters, applied at once and kept in the URL.
        first.find_element(By.ID, "only-open").click()
        shown = first.find_elements(By.CSS_SELECTOR, "article.criterion:not([hidden])")
        check("unanswered only hides the answered",
              shown and all("answered" not in e.get_attribute("class") for e in shown), len(shown))
        check("the filter is in the URL", "unanswered=1" in first.current_url, first.current_url)
        first.find_element(By.ID, "only-open").click()
        Select(first.find_element(By.ID, "only-level")).select_by_value("2")
        shown = first.find_elements(By.CSS_SELECTOR, "article.criterion:not([hidden])")
        check("one level only shows that level",
              shown and all(e.get_attribute("data-level") == "2" for e in shown), len(shown))
        first.refresh()
        wait.until(ec.presence_of_element_located((By.ID, "sheet")))
        shown = first.find_elements(By.CSS_SELECTOR, "article.criterion:not([hidden])")
        check("a reload keeps the level filter",
              "level=2" in first.current_url and shown and all(e.get_attribute("data-level") == "2" for e in shown))
        Select(first.find_element(By.ID, "only-level")).select_by_value("")

        # The keyboard: tab into a rating group, arrows move the choice (and save it).
        el = article(first, c2)
        radio = el.find_element(By.CSS_SELECTOR, 'input[type="radio"]:checked')
        radio.send_keys("\ue015")  # arrow down
        check("arrow keys move the rating", checked(first, c2) == "largely", checked(first, c2))
        check("a rating chosen with the keyboard is saved", wait_state(first, c2, "已保存"))
        wait_scores(first, base, token, assessment, "the figures follow every save")

        axe(first, "the questionnaire")
        check("no console errors on the questionnaire", not console_errors(first))
        first.execute_script("window.scrollTo(0, 0)")
        full_page(first, os.path.join(ARTIFACTS, "questionnaire.png"), 1280)

        # Another tenant's assessment is a page that does not exist.
        _, other = current_assessment(base, "e21")
        open_url = f"{base}/assessments/{other}"
        first.get(open_url)
        check("another enterprise's assessment is a 404 page", "404" in first.find_element(By.TAG_NAME, "h1").text)
    finally:
        first.quit()
        second.quit()

    phone = browser(profiles[2], phone=True)
    try:
        wait = WebDriverWait(phone, 20)
        log_in(phone, base, wait, "e32")
        open_sheet(phone, wait, base, assessment)
        no_sideways_scroll(phone, "the questionnaire")
        nav = phone.find_element(By.ID, "sheet-nav")
        check("the navigation is folded on a phone", nav.get_attribute("open") is None)
        wide = phone.execute_script(
            "return Array.from(document.querySelectorAll('label.choice'))"
            ".filter(l => l.getBoundingClientRect().right > document.documentElement.clientWidth).length")
        check("the ratings wrap within 390 px", wide == 0, wide)
        axe(phone, "the questionnaire at 390 px")
        check("no console errors at 390 px", not console_errors(phone))
        full_page(phone, os.path.join(ARTIFACTS, "questionnaire-390.png"), PHONE, mobile=True)
    finally:
        phone.quit()

    returned = browser(profiles[3])
    try:
        wait = WebDriverWait(returned, 20)
        log_in(returned, base, wait, "e29")
        _, assessment = current_assessment(base, "e29")
        open_sheet(returned, wait, base, assessment)
        note = returned.find_elements(By.CSS_SELECTOR, '[data-figure="return-note"]')
        check("a returned assessment shows the auditor's note", note and note[0].text.strip(), note)
        check("its status reads 已退回", figure(returned, "status") == "已退回", figure(returned, "status"))
        rows = returned.find_elements(By.CSS_SELECTOR, "table.differences tbody tr")
        check("the criteria the auditor rated otherwise are listed", len(rows) >= 1, len(rows))
        check("a returned assessment can be edited again",
              returned.find_elements(By.CSS_SELECTOR, 'input[type="radio"]:not([disabled])'))
        axe(returned, "the returned questionnaire")
        full_page(returned, os.path.join(ARTIFACTS, "questionnaire-returned.png"), 1280)
        if rows:
            criterion = rows[0].get_attribute("data-criterion")
            rows[0].find_element(By.TAG_NAME, "a").click()
            wait.until(ec.presence_of_element_located((By.ID, "sheet")))
            here = returned.find_elements(By.CSS_SELECTOR, f'article[data-criterion="{criterion}"]')
            check("a listed criterion links to it on its item", here and here[0].is_displayed(), returned.current_url)
        check("no console errors on the returned questionnaire", not console_errors(returned))
    finally:
        returned.quit()

    readonly = browser(profiles[4])
    try:
        wait = WebDriverWait(readonly, 20)
        log_in(readonly, base, wait, "e21")
        _, assessment = current_assessment(base, "e21")
        open_sheet(readonly, wait, base, assessment)
        enabled = readonly.execute_script(
            "return Array.from(document.querySelectorAll('#sheet input, #sheet textarea, #sheet select, #sheet button'))"
            ".filter(c => !c.disabled && c.type !== 'hidden' && !c.closest('#filters')).length")
        check("a submitted assessment's questionnaire has no enabled control", enabled == 0, enabled)
        check("it says it is read-only", readonly.find_element(By.ID, "read-only").is_displayed())
        check("its status reads 待审核", figure(readonly, "status") == "待审核", figure(readonly, "status"))
        axe(readonly, "the read-only questionnaire")
        check("no console errors on the read-only questionnaire", not console_errors(readonly))
        full_page(readonly, os.path.join(ARTIFACTS, "questionnaire-readonly.png"), 1280)
    finally:
        readonly.quit()
