"""The auditor's way in the browser: `auditor` logs in, finds the oldest submitted assessment in
the review queue, draws a sample, rates sampled criteria otherwise over two visits (the second
visit finds the first's ratings and notes), returns it with a note; the enterprise fixes an
answer on its questionnaire page and submits again; the auditor accepts behind the
confirmation, which shows what will be frozen. Screenshots review-*.png at 1280 and 390 px.
"""

import os
import tempfile
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from harness import (ARTIFACTS, api, axe, browser, check, console_errors, full_page, log_in,
                     no_sideways_scroll, token_of)
from verify import upload


def saved(driver, article):
    # Generous: on a loaded machine a save and the bar's redraw can take a while.
    WebDriverWait(driver, 45).until(
        lambda d: "已保存" in article.find_element(By.CSS_SELECTOR, ".review-rating .save-state").text)


def rate_sampled(driver, wait, base, aid, how_many, rating, note, skip=()):
    """Opens the review page with only the sample, rates the first `how_many` sampled criteria
    of the items shown (walking items until enough) and answers their ids."""
    driver.get(base + f"/assessments/{aid}/review?sampled=1")
    wait.until(ec.presence_of_element_located((By.ID, "review-bar")))
    rated = []
    for _ in range(40):
        for article in driver.find_elements(By.CSS_SELECTOR, "article.criterion:not([hidden])"):
            if len(rated) >= how_many:
                return rated
            if article.get_attribute("data-criterion") in skip:
                continue
            select = article.find_element(By.CSS_SELECTOR, ".review-rating select")
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", select)
            own = article.find_element(By.CSS_SELECTOR, 'input[type="radio"]:checked').get_attribute("value")
            Select(select).select_by_value(rating if own != rating else "partially")
            saved(driver, article)
            box = article.find_element(By.CSS_SELECTOR, ".review-rating textarea")
            box.send_keys(note)
            box.send_keys("\t")
            saved(driver, article)
            rated.append(article.get_attribute("data-criterion"))
        if len(rated) >= how_many:
            return rated
        nxt = driver.find_elements(By.CSS_SELECTOR, "nav.pager a.next")
        if not nxt:
            return rated
        driver.get(nxt[0].get_attribute("href"))
        wait.until(ec.presence_of_element_located((By.ID, "review-bar")))
    return rated


def suite(base, data_dir):
    auditor = token_of(base, "auditor")
    queue = api(base, "/api/v1/reviews", auditor)["items"]
    # The demo's 8 submitted, and any another suite submitted before this one.
    check("the demo has assessments waiting for review", len(queue) >= 8, len(queue))
    first = queue[0]
    aid = first["assessment_id"]

    profile = tempfile.mkdtemp(prefix="dcmm-review-")
    driver = browser(profile)
    wait = WebDriverWait(driver, 30)
    try:
        log_in(driver, base, wait, "auditor")
        driver.find_element(By.LINK_TEXT, "审核队列").click()
        wait.until(ec.presence_of_element_located((By.ID, "queue")))
        rows = driver.find_elements(By.CSS_SELECTOR, "#queue tbody tr")
        check("the queue page lists what the API does", len(rows) == len(queue), (len(rows), len(queue)))
        check("the oldest submission comes first", rows[0].get_attribute("data-assessment") == aid)
        axe(driver, "the review queue")
        full_page(driver, os.path.join(ARTIFACTS, "review-queue.png"), 1280)
        rows[0].find_element(By.TAG_NAME, "a").click()
        wait.until(ec.presence_of_element_located((By.ID, "review-bar")))
        check("the review page opens from the queue", f"/assessments/{aid}/review" in driver.current_url)

        # Draw a sample of 20 stratified by level.
        size = driver.find_element(By.ID, "sample-size")
        size.clear()
        size.send_keys("20")
        Select(driver.find_element(By.ID, "sample-by")).select_by_value("level")
        driver.find_element(By.CSS_SELECTOR, ".sample-form button").click()
        wait.until(ec.url_contains("sampled=1"))
        review = api(base, f"/api/v1/assessments/{aid}/review", auditor)
        check("the sample is recorded with the review", review["sample"] and len(review["sample"]["criteria"]) == 20,
              review["sample"])
        shown = driver.find_elements(By.CSS_SELECTOR, "article.criterion:not([hidden])")
        sampled = set(review["sample"]["criteria"])
        check("only sampled criteria are shown", all(a.get_attribute("data-criterion") in sampled for a in shown),
              [a.get_attribute("data-criterion") for a in shown])
        axe(driver, "the review page")
        full_page(driver, os.path.join(ARTIFACTS, "review-page.png"), 1280)

        # First visit: two sampled criteria rated otherwise, with notes.
        first_visit = rate_sampled(driver, wait, base, aid, 2, "not", "现场核查：未见记录")
        check("two sampled criteria rated in the first visit", len(first_visit) == 2, first_visit)
        bar = driver.find_element(By.CSS_SELECTOR, '[data-figure="review-rated"]')
        WebDriverWait(driver, 20).until(lambda d: bar.text.strip() == "2")
        driver.quit()

        # Second visit, a new browser: the first visit's ratings and notes are there.
        driver = browser(tempfile.mkdtemp(prefix="dcmm-review-"))
        wait = WebDriverWait(driver, 30)
        log_in(driver, base, wait, "auditor")
        driver.get(base + f"/assessments/{aid}/review?rerated=1")
        wait.until(ec.presence_of_element_located((By.ID, "review-bar")))
        review = api(base, f"/api/v1/assessments/{aid}/review", auditor)
        kept = {r["criterion"]: r for r in review["ratings"]}
        check("the second visit finds the first's ratings", set(first_visit) <= set(kept), (first_visit, kept))
        check("with their notes", all(kept[c]["note"] == "现场核查：未见记录" for c in first_visit if c in kept))
        check("the bar counts them", driver.find_element(By.CSS_SELECTOR, '[data-figure="review-rated"]').text.strip()
              == str(len(kept)))
        # Open the item of the first rated criterion: its choice and note are as saved.
        item = ":".join(first_visit[0].split(":")[:2])
        driver.get(base + f"/assessments/{aid}/review?item={item}")
        wait.until(ec.presence_of_element_located((By.ID, "review-bar")))
        art = driver.find_element(By.CSS_SELECTOR, f'article[data-criterion="{first_visit[0]}"]')
        chosen = Select(art.find_element(By.CSS_SELECTOR, ".review-rating select")).first_selected_option.get_attribute("value")
        check("the saved rating is chosen", chosen == kept[first_visit[0]]["rating"], chosen)
        check("the saved note is shown", "未见记录" in art.find_element(By.CSS_SELECTOR, ".review-rating textarea").get_attribute("value"))
        second_visit = rate_sampled(driver, wait, base, aid, 3, "largely", "第二次核查",
                                   skip=set(first_visit))
        check("the second visit rates more", len(second_visit) >= 1, second_visit)
        full_page(driver, os.path.join(ARTIFACTS, "review-second-visit.png"), 1280)

        # Return with a note.
        driver.get(base + f"/assessments/{aid}/review")
        wait.until(ec.presence_of_element_located((By.ID, "return-note")))
        driver.find_element(By.ID, "return-note").send_keys("请补充抽样条款的执行记录后重新提交")
        driver.find_element(By.CSS_SELECTOR, ".return-form button").click()
        wait.until(ec.url_contains("/reviews"))
        state = api(base, f"/api/v1/assessments/{aid}", auditor)
        check("the assessment went back to the enterprise", state["status"] == "draft", state["status"])
        errors = [e for e in console_errors(driver) if "401" not in e.get("message", "")]
        check("no errors in the browser console on the auditor's way", not errors, errors)
        driver.quit()

        # The enterprise fixes one re-rated answer and submits again.
        admin = token_of(base, "admin")
        users = api(base, "/api/v1/users?limit=500", admin)["items"]
        username = next(u["username"] for u in users if u.get("enterprise_id") == first["enterprise_id"])
        driver = browser(tempfile.mkdtemp(prefix="dcmm-review-"))
        wait = WebDriverWait(driver, 30)
        log_in(driver, base, wait, username)
        item = ":".join(first_visit[0].split(":")[:2])
        driver.get(base + f"/assessments/{aid}?item={item}")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "section.returned")))
        check("the enterprise reads the auditor's note",
              "请补充" in driver.find_element(By.CSS_SELECTOR, "section.returned").text)
        art = driver.find_element(By.CSS_SELECTOR, f'article[data-criterion="{first_visit[0]}"]')
        radio = art.find_element(By.CSS_SELECTOR, 'input[type="radio"][value="partially"]')
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", radio)
        radio.find_element(By.XPATH, "..").click()
        WebDriverWait(driver, 20).until(lambda d: "已保存" in art.find_element(By.CSS_SELECTOR, ".save-state").text)
        driver.get(base + f"/assessments/{aid}/submit")
        wait.until(ec.element_to_be_clickable((By.ID, "submit"))).click()
        wait.until(ec.url_contains("/results"))
        check("resubmitted", api(base, f"/api/v1/assessments/{aid}", auditor)["status"] == "submitted")
        driver.quit()

        # The auditor accepts after the confirmation; the phone view too.
        driver = browser(tempfile.mkdtemp(prefix="dcmm-review-"), phone=True)
        wait = WebDriverWait(driver, 30)
        log_in(driver, base, wait, "auditor")
        driver.get(base + f"/assessments/{aid}/review")
        wait.until(ec.presence_of_element_located((By.ID, "review-bar")))
        no_sideways_scroll(driver, "the review page")
        full_page(driver, os.path.join(ARTIFACTS, "review-page-390.png"), 390, mobile=True)
        driver.find_element(By.ID, "accept").click()
        wait.until(ec.presence_of_element_located((By.ID, "confirm-accept")))
        standing = api(base, f"/api/v1/assessments/{aid}/review", auditor)["standing"]
        frozen = driver.find_element(By.CSS_SELECTOR, '[data-figure="confirm-verified"]').text
        check("the confirmation shows the verified score to be frozen",
              f"{standing['verified_score']:.2f}" in frozen, (frozen, standing))
        check("and how many criteria are rated otherwise",
              driver.find_element(By.CSS_SELECTOR, '[data-figure="confirm-rerated"]').text.strip()
              == str(standing["re_rated"]))
        no_sideways_scroll(driver, "the confirmation")
        axe(driver, "the confirmation")
        full_page(driver, os.path.join(ARTIFACTS, "review-confirm-390.png"), 390, mobile=True)
        time.sleep(0.2)
        driver.find_element(By.ID, "confirm-accept").click()
        wait.until(ec.url_contains("/results"))
        state = api(base, f"/api/v1/assessments/{aid}", auditor)
        check("accepted", state["status"] == "accepted", state["status"])
        score = api(base, f"/api/v1/assessments/{aid}/score", auditor)
        check("the frozen verified score is the one confirmed",
              abs(score["verified"]["overall"]["score"] - standing["verified_score"]) < 1e-9,
              (score["verified"]["overall"], standing))
        left = api(base, "/api/v1/reviews", auditor)["items"]
        check("the queue has one less", len(left) == len(queue) - 1, (len(left), len(queue)))
        driver.quit()

        # The accepted assessment's report, checked by a person without an account.
        request = urllib.request.Request(base + f"/api/v1/assessments/{aid}/report.pdf",
                                         headers={"Authorization": f"Bearer {auditor}"})
        with urllib.request.urlopen(request, timeout=60) as r:
            report_id, pdf = r.headers["X-Report-Id"], r.read()
        genuine = os.path.join(data_dir, "reviewed.pdf")
        with open(genuine, "wb") as f:
            f.write(pdf)
        tampered = os.path.join(data_dir, "reviewed-copy.pdf")
        changed = bytearray(pdf)
        changed[len(changed) // 3] ^= 0x01
        with open(tampered, "wb") as f:
            f.write(bytes(changed))
        driver = browser(tempfile.mkdtemp(prefix="dcmm-review-"))
        wait = WebDriverWait(driver, 30)
        code, text = upload(driver, base, wait, genuine)
        check("the reviewed report is genuine at /verify, without an account",
              code == "genuine" and report_id in text, text)
        code, text = upload(driver, base, wait, tampered)
        check("a tampered copy of it is rejected", code == "altered", text)
    finally:
        driver.quit()
