"""The enterprise's profile and sharing pages and the account page in a real headless browser.

As e34 (a half-done assessment): opens /profile, changes the full-time data staff so that the
pre-check's condition on it flips, and sees the pre-check change without a reload; reloads and
finds it saved (and the API agrees); empties a required answer and sees it named next to the
field; changes the profile over the API meanwhile and sees the page offer the latest. Opens
/sharing, switches to anonymous statistics and checks with the cluster manager's token that
the enterprise's answers are now 403 not_shared, then back to full; a forged POST without the
CSRF field is refused (403). On /account switches to English: the next page is English without
?lang. As e38 (an account no other suite uses): changes the password and stays logged in, logs
out, logs in with the new one, and changes it back. Everything e34 changed is put back as it
was. Each page is checked with axe-core, at 1280 and 390 px (no sideways scroll), with no
console errors. Screenshots in target/artifacts: profile*.png, sharing*.png, account*.png.
"""

import json
import os
import urllib.error

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from harness import (ARTIFACTS, PASSWORD, PHONE, api, axe, browser, check, console_errors,
                     full_page, log_in, no_sideways_scroll, token_of)

USER = "e34"
PASSWORD_USER = "e38"
NEW_PASSWORD = "a fresh passphrase of 2026"


def status_of(base, path, token):
    """The status and JSON body of a GET, errors included."""
    try:
        return 200, api(base, path, token)
    except urllib.error.HTTPError as e:
        raw = e.read()
        return e.code, json.loads(raw) if raw else None


def wait_for(driver, what, timeout=15):
    """Waits until `what(driver)` is true; answers whether it became so."""
    try:
        WebDriverWait(driver, timeout).until(lambda d: what(d))
        return True
    except Exception:  # noqa: BLE001 - a timeout is a failed check, reported by the caller
        return False


def console_clean(driver, where, allowed=()):
    """No console errors since the last look but the refusals a step asked for (Chrome logs
    every 4xx answer, the intended ones too)."""
    bad = [e for e in console_errors(driver)
           if not any(f"status of {code}" in e.get("message", "") for code in allowed)]
    check(f"no errors in the browser console {where}", not bad, bad)


def condition_class(driver, key):
    # Read in one script: the script redraws the list after each save.
    return driver.execute_script(
        "const li = document.querySelector(`#precheck li[data-key=\"${arguments[0]}\"]`);"
        "return li ? li.className : null;", key)


def save_state(driver):
    return driver.execute_script("return document.getElementById('save-state').className")


def submit(driver, button_id):
    """Clicks a form's button and waits for the page the post answers."""
    driver.execute_script("window.dcmmBeforePost = true")
    driver.find_element(By.ID, button_id).click()
    WebDriverWait(driver, 15).until(lambda d: d.execute_script(
        "return window.dcmmBeforePost === undefined && document.readyState === 'complete'"))


def shot(driver, name, width=1280, mobile=False):
    path = os.path.join(ARTIFACTS, name)
    check(f"screenshot {name}", full_page(driver, path, width, mobile), path)


def type_into(driver, element_id, text):
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def profile(driver, base, token, enterprise):
    path = f"/api/v1/enterprises/{enterprise}/profile"
    before = api(base, path, token)
    staff_met = next(c for c in before["eligibility"]["conditions"] if c["key"] == "data_staff")["met"]
    new_staff = "0" if staff_met else "5"
    flipped = "unmet" if staff_met else "met"

    driver.get(base + "/profile")
    check("the profile page opens", driver.find_elements(By.ID, "profile-form"))
    check("the pre-check is drawn at load", condition_class(driver, "data_staff") == ("met" if staff_met else "unmet"))
    axe(driver, "the profile page")
    shot(driver, "profile.png")

    # A change flips the pre-check condition on data staff, without a reload.
    driver.execute_script("window.dcmmNoReload = true")
    verdict = "return document.querySelector('#precheck .verdict').textContent"
    verdict_before = driver.execute_script(verdict)
    type_into(driver, "q-data_staff", new_staff)
    saved = wait_for(driver, lambda d: condition_class(d, "data_staff") == flipped and "saved" in save_state(d).split())
    check("the pre-check follows the change", saved, condition_class(driver, "data_staff"))
    check("... without a reload", driver.execute_script("return window.dcmmNoReload === true"))
    check("the state says saved", driver.find_element(By.ID, "save-state").text == "已保存",
          driver.find_element(By.ID, "save-state").text)
    check("the verdict changed", driver.execute_script(verdict) != verdict_before)
    after = api(base, path, token)
    check("the API has the new answer", after["answers"].get("data_staff") == int(new_staff), after["answers"])
    check("the API's pre-check agrees with the page",
          next(c for c in after["eligibility"]["conditions"] if c["key"] == "data_staff")["met"] == (flipped == "met"))
    driver.refresh()
    check("after a reload the answer is there",
          driver.find_element(By.ID, "q-data_staff").get_attribute("value") == new_staff)
    check("... and so is the pre-check", condition_class(driver, "data_staff") == flipped)

    console_clean(driver, "while the profile saves")

    # An empty required answer is named next to its field; nothing is saved.
    version = api(base, path, token)["version"]
    employees = driver.find_element(By.ID, "q-employees").get_attribute("value")
    driver.find_element(By.ID, "q-employees").clear()
    named = wait_for(driver, lambda d: d.find_element(By.ID, "error-employees").is_displayed()
                     and "invalid" in save_state(d).split())
    check("a required answer left empty is named next to it", named,
          driver.find_element(By.ID, "error-employees").text)
    check("... in words", driver.find_element(By.ID, "error-employees").text == "此项必填")
    check("... and marked invalid", driver.find_element(By.ID, "q-employees").get_attribute("aria-invalid") == "true")
    check("... and nothing is saved", api(base, path, token)["version"] == version)
    shot(driver, "profile-error.png")
    type_into(driver, "q-employees", employees)
    check("filling it in saves again",
          wait_for(driver, lambda d: "saved" in save_state(d).split() and not d.find_element(By.ID, "error-employees").is_displayed()))

    # Someone else saves meanwhile: the page's next save is a conflict, and it offers the latest.
    current = api(base, path, token)
    changed = dict(current["answers"], employees=int(employees) + 1)
    api(base, path, token, {"answers": changed}, method="PUT", headers={"If-Match": str(current["version"])})
    driver.find_element(By.CSS_SELECTOR, 'input[name="data_tools"][value="catalogue"]').click()
    offered = wait_for(driver, lambda d: d.find_element(By.ID, "conflict").is_displayed())
    check("a version conflict is offered", offered)
    check("... and the other change kept", api(base, path, token)["answers"]["employees"] == int(employees) + 1)
    shot(driver, "profile-conflict.png")
    driver.find_element(By.ID, "conflict-reload").click()
    check("loading the latest shows the other change",
          wait_for(driver, lambda d: d.find_element(By.ID, "q-employees").get_attribute("value") == str(int(employees) + 1)))

    console_clean(driver, "after the refused and conflicting saves", (409, 422))

    # English on request.
    driver.get(base + "/profile?lang=en")
    check("the profile page in English", "Certification eligibility pre-check" in driver.page_source)
    axe(driver, "the English profile page")
    shot(driver, "profile-en.png")

    # Put the profile back as it was.
    latest = api(base, path, token)
    api(base, path, token, {"answers": before["answers"]}, method="PUT",
        headers={"If-Match": str(latest["version"])})


def sharing(driver, base, token, manager, enterprise):
    original = api(base, f"/api/v1/enterprises/{enterprise}", token)["sharing"]
    assessments = api(base, f"/api/v1/enterprises/{enterprise}/assessments", manager)["items"]
    answers = f"/api/v1/assessments/{assessments[-1]['id']}/answers"

    driver.get(base + "/sharing")
    check("the sharing page opens", driver.find_elements(By.ID, "sharing-form"))
    for value in ("full", "scores", "anonymous"):
        text = driver.find_element(By.ID, f"sharing-{value}-what").text
        check(f"the {value} choice says what the manager sees", len(text) > 20, text)
    axe(driver, "the sharing page")
    shot(driver, "sharing.png")

    driver.find_element(By.CSS_SELECTOR, 'label[for="sharing-anonymous"]').click()
    submit(driver, "sharing-save")
    WebDriverWait(driver, 15).until(ec.url_contains("saved=1"))
    check("the saved state is shown", "已保存" in driver.find_element(By.ID, "post-result").text)
    check("anonymous is now checked", driver.find_element(By.ID, "sharing-anonymous").is_selected())
    shot(driver, "sharing-saved.png")
    status, body = status_of(base, answers, manager)
    check("the manager's answers are 403 not_shared", status == 403 and (body or {}).get("error") == "not_shared",
          (status, body))

    # A forged form post without the CSRF field is refused, and changes nothing.
    forged = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('/sharing', {method: 'POST', credentials: 'same-origin',"
        " headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: 'sharing=full'})"
        ".then(r => done(r.status)).catch(e => done(String(e)));")
    check("a forged POST without the CSRF field is refused", forged == 403, forged)
    check("... and changes nothing",
          api(base, f"/api/v1/enterprises/{enterprise}", token)["sharing"] == "anonymous")
    console_clean(driver, "after the forged post", (403,))

    driver.find_element(By.CSS_SELECTOR, 'label[for="sharing-full"]').click()
    submit(driver, "sharing-save")
    WebDriverWait(driver, 15).until(lambda d: d.find_element(By.ID, "sharing-full").is_selected())
    status, _ = status_of(base, answers, manager)
    check("back to full, the manager reads the answers", status == 200, status)
    if original != "full":
        api(base, f"/api/v1/enterprises/{enterprise}", token, {"sharing": original}, method="PATCH")


def account_language(driver, base, token):
    driver.get(base + "/account")
    check("the account page opens in Chinese",
          driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN")
    axe(driver, "the account page")
    shot(driver, "account.png")
    driver.find_element(By.ID, "language-en").click()
    submit(driver, "preferences-save")
    WebDriverWait(driver, 15).until(ec.url_contains("saved=1"))
    check("after saving English the page is English",
          driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
    check("... without ?lang", "lang=" not in driver.current_url, driver.current_url)
    driver.get(base + "/profile")
    check("the next page is English too", driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
          and "Certification eligibility pre-check" in driver.page_source)
    check("the account's language is en", api(base, "/api/v1/me", token)["language"] == "en")
    driver.get(base + "/account")
    axe(driver, "the English account page")
    shot(driver, "account-en.png")
    driver.find_element(By.ID, "language-zh").click()
    submit(driver, "preferences-save")
    WebDriverWait(driver, 15).until(ec.url_contains("saved=1"))
    check("and back to Chinese", driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN")
    console_clean(driver, "on the account page")


def change_password(driver, base, current, new, repeat=None):
    driver.get(base + "/account")
    type_into(driver, "current_password", current)
    type_into(driver, "new_password", new)
    type_into(driver, "repeat_password", repeat if repeat is not None else new)
    submit(driver, "password-save")


def account_password(driver, base, wait):
    log_in(driver, base, wait, PASSWORD_USER)
    change_password(driver, base, PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "!")
    error = driver.find_element(By.ID, "error-repeat_password")
    check("a mismatched repeat is named next to it", error.is_displayed() and "不一致" in error.text, error.text)
    axe(driver, "the account page with errors")
    shot(driver, "account-errors.png")
    change_password(driver, base, "not my password", NEW_PASSWORD)
    error = driver.find_element(By.ID, "error-current_password")
    check("a wrong current password is named next to it", "不正确" in error.text, error.text)
    console_clean(driver, "after the refused password changes", (422,))

    change_password(driver, base, PASSWORD, NEW_PASSWORD)
    WebDriverWait(driver, 15).until(ec.url_contains("password=changed"))
    check("the password change is confirmed", "密码已修改" in driver.page_source)
    driver.get(base + "/profile")
    check("still logged in after the change", driver.find_elements(By.ID, "profile-form"), driver.current_url)
    driver.find_element(By.CSS_SELECTOR, "form.logout button").click()
    WebDriverWait(driver, 15).until(ec.url_contains("/login"))
    try:
        token_of(base, PASSWORD_USER)
        check("the old password no longer logs in", False)
    except urllib.error.HTTPError as e:
        check("the old password no longer logs in", e.code == 401, e.code)
    log_in(driver, base, wait, PASSWORD_USER, NEW_PASSWORD)
    check("the new password logs in", "/campaigns" in driver.current_url, driver.current_url)
    change_password(driver, base, NEW_PASSWORD, PASSWORD)
    WebDriverWait(driver, 15).until(ec.url_contains("password=changed"))
    check("changed back", token_of(base, PASSWORD_USER) is not None)


def phone(driver, base):
    wait = WebDriverWait(driver, 30)
    log_in(driver, base, wait, USER)
    for path, name in (("/profile", "profile-390.png"), ("/sharing", "sharing-390.png"),
                       ("/account", "account-390.png")):
        driver.get(base + path)
        no_sideways_scroll(driver, path)
        axe(driver, f"{path} at {PHONE} px")
        shot(driver, name, PHONE, True)
    console_clean(driver, "on the phone")


def suite(base, data_dir):
    os.makedirs(ARTIFACTS, exist_ok=True)
    token = token_of(base, USER)
    manager = token_of(base, "manager")
    enterprise = api(base, "/api/v1/me", token)["enterprise_id"]
    driver = browser(os.path.join(data_dir, "chromium-account"))
    try:
        wait = WebDriverWait(driver, 30)
        log_in(driver, base, wait, USER)
        profile(driver, base, token, enterprise)
        sharing(driver, base, token, manager, enterprise)
        account_language(driver, base, token)
        account_password(driver, base, wait)
        console_clean(driver, "after the password change", (401,))
    finally:
        driver.quit()
    driver = browser(os.path.join(data_dir, "chromium-account-phone"), phone=True)
    try:
        phone(driver, base)
    finally:
        driver.quit()
