"""The whole way of an enterprise in the browser, as the README promises it: e31, a half-done
assessment, logs in through the form, goes from its home to the questionnaire, answers every
open criterion item by item (without ever being shown a criterion id), keeps working when its
access token has run out (the page renews the session), checks and submits, then finds the
questionnaire read-only and reads its results, whose figures are the API's. Screenshots e31-*.png.
"""

import os
import re
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from harness import ARTIFACTS, api, axe, browser, check, console_errors, full_page, token_of

USER = "e31"
# A criterion id as stored (e.g. 2025:6.1:L2:1): never text a user reads.
CRITERION_ID = re.compile(r"\b20(18|25):\d+\.\d+:L\d:\d+\b")


def no_ids(driver, where):
    text = driver.find_element(By.TAG_NAME, "main").text
    found = CRITERION_ID.findall(text)
    check(f"no criterion id shown on {where}", not found, CRITERION_ID.search(text))


def answer_open_criteria(driver, wait):
    """Rates every unanswered criterion of the item shown; answers how many."""
    open_ones = driver.find_elements(By.CSS_SELECTOR, "article.criterion:not(.answered)")
    for n, article in enumerate(open_ones):
        rating = "fully" if n % 3 else "largely"
        radio = article.find_element(By.CSS_SELECTOR, f'input[type="radio"][value="{rating}"]')
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", radio)
        radio.find_element(By.XPATH, "..").click()
    for article in open_ones:
        WebDriverWait(driver, 20).until(
            lambda d, a=article: "已保存" in a.find_element(By.CSS_SELECTOR, ".save-state").text)
    return len(open_ones)


def suite(base, data_dir):
    token = token_of(base, USER)
    enterprise = api(base, "/api/v1/me", token)["enterprise_id"]
    mine = api(base, f"/api/v1/enterprises/{enterprise}/assessments", token)["items"]
    draft = next(a for a in mine if a["status"] == "draft" and a["questionnaire"] == "dcmm-2025")
    aid = draft["id"]
    driver = browser(os.path.join(data_dir, "chromium-e31"))
    try:
        wait = WebDriverWait(driver, 30)
        driver.get(base + "/")
        wait.until(ec.presence_of_element_located((By.ID, "username")))
        axe(driver, "the login form")
        driver.find_element(By.ID, "username").send_keys(USER)
        driver.find_element(By.ID, "password").send_keys("dcmm-demo-2026")
        driver.find_element(By.ID, "submit").click()
        wait.until(ec.url_contains("/campaigns"))
        check("e31's home says the assessment is under way", "填写中" in driver.find_element(By.TAG_NAME, "main").text)
        no_ids(driver, "the home page")
        driver.find_element(By.CSS_SELECTOR, f'#a-{aid} a[href^="/assessments/{aid}"]').click()
        wait.until(ec.presence_of_element_located((By.ID, "sheet")))
        check("the home links the questionnaire", f"/assessments/{aid}" in driver.current_url, driver.current_url)

        items = [a.get_attribute("href") for a in
                 driver.find_elements(By.CSS_SELECTOR, "#sheet-nav li[data-item] a")]
        check("the navigation lists every item", len(items) > 20, len(items))
        answered, expired_once = 0, False
        for n, href in enumerate(items):
            driver.get(href)
            wait.until(ec.presence_of_element_located((By.ID, "sheet")))
            if n == 0:
                no_ids(driver, "the questionnaire")
            has_open = driver.find_elements(By.CSS_SELECTOR, "article.criterion:not(.answered)")
            if has_open and not expired_once:
                # The access token runs out (its cookie goes; the refresh cookie stays): the
                # page's saves renew the session and go through.
                driver.delete_cookie("dcmm_session")
                expired_once = True
                answered += answer_open_criteria(driver, wait)
                check("saves go on after the access token ran out",
                      driver.get_cookie("dcmm_session") is not None)
                continue
            answered += answer_open_criteria(driver, wait)
        check("e31 answered the open criteria", answered > 0, answered)
        if expired_once:
            driver.delete_cookie("dcmm_session")
        driver.get(base + f"/assessments/{aid}/submit")
        wait.until(ec.presence_of_element_located((By.ID, "submit")))
        check("a page opened after the token ran out is still the user's", "/submit" in driver.current_url,
              driver.current_url)
        button = driver.find_element(By.ID, "submit")
        check("nothing is left: submit is enabled", button.is_enabled(),
              driver.find_element(By.ID, "submit-state").text)
        no_ids(driver, "the submit check")
        full_page(driver, os.path.join(ARTIFACTS, "e31-submit.png"), 1280)
        button.click()
        wait.until(ec.url_contains("/results"))
        state = api(base, f"/api/v1/assessments/{aid}", token)
        check("the assessment is submitted", state["status"] == "submitted", state["status"])

        score = api(base, f"/api/v1/assessments/{aid}/score", token)["self"]
        shown = driver.find_element(By.CSS_SELECTOR, '[data-figure="overall-self"]').text.strip()
        check("the results show the API's overall score", shown == f"{score['overall']['score']:.2f}",
              (shown, score["overall"]))
        check("the result is marked provisional until reviewed",
              "待审核" in driver.find_element(By.TAG_NAME, "main").text)
        no_ids(driver, "the results")
        full_page(driver, os.path.join(ARTIFACTS, "e31-results.png"), 1280)

        driver.get(base + f"/assessments/{aid}")
        wait.until(ec.presence_of_element_located((By.ID, "sheet")))
        enabled = [e.get_attribute("name") for e in
                   driver.find_elements(By.CSS_SELECTOR, "article.criterion input, article.criterion textarea")
                   if e.is_enabled()]
        check("the submitted questionnaire is read-only", not enabled, enabled)
        full_page(driver, os.path.join(ARTIFACTS, "e31-readonly.png"), 1280)
        errors = [e for e in console_errors(driver) if "401" not in e.get("message", "")]
        check("no errors in the browser console on e31's way", not errors, errors)
    finally:
        driver.quit()
