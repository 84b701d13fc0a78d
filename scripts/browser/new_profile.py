"""A new enterprise's first profile in the browser: registered by the cluster manager, its user
opens /profile with nothing saved yet. Filling the first answers must not flag the questions not
reached yet (the profile is saved once every required answer is there, and the page says how
many are left); the save button names every missing answer; once all required answers are given
the profile saves itself and the pre-check follows.
"""

import os
import random
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from harness import ARTIFACTS, api, axe, browser, check, full_page, log_in, token_of

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code():
    """A valid unified social credit code (GB 32100-2015 check character)."""
    body = "91350100" + "".join(random.choice("0123456789") for _ in range(9))
    check_value = (31 - sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS)) % 31) % 31
    return body + ALPHABET[check_value]


def state(driver):
    return driver.find_element(By.ID, "save-state").text


def shown_errors(driver):
    return [e for e in driver.find_elements(By.CSS_SELECTOR, ".field-error") if e.is_displayed()]


def suite(base, data_dir):
    manager = token_of(base, "manager")
    admin = token_of(base, "admin")
    cluster = api(base, "/api/v1/clusters", manager)["items"][0]["id"]
    enterprise = api(base, f"/api/v1/clusters/{cluster}/enterprises", manager, {
        "name": "福州新登记数据科技有限公司", "credit_code": credit_code(),
        "industry": "equipment", "size": "small"})["id"]
    password = "new-profile-Pass-2026"
    api(base, "/api/v1/users", admin, {"username": "newfirm", "password": password,
                                        "role": "enterprise", "enterprise_id": enterprise})
    driver = browser(os.path.join(data_dir, "chromium-new-profile"))
    try:
        wait = WebDriverWait(driver, 20)
        log_in(driver, base, wait, "newfirm", password)
        driver.get(base + "/profile")
        wait.until(ec.presence_of_element_located((By.ID, "profile-form")))
        axe(driver, "a profile never saved")
        select = driver.find_element(By.CSS_SELECTOR, "#profile-form select")
        Select(select).select_by_index(1)
        try:
            WebDriverWait(driver, 10).until(lambda d: "必填" in state(d))
        except Exception:  # noqa: BLE001 - the check reports what was shown
            pass
        check("a first answer says how many required answers are left", "必填" in state(driver), state(driver))
        errors = shown_errors(driver)
        check("questions not reached yet are not flagged", not errors, [e.text for e in errors][:3])
        full_page(driver, os.path.join(ARTIFACTS, "profile-new.png"), 1280)

        driver.find_element(By.ID, "profile-save").click()
        WebDriverWait(driver, 10).until(lambda d: shown_errors(d))
        check("saving on purpose names every missing answer", len(shown_errors(driver)) > 1,
              len(shown_errors(driver)))
        stored = api(base, f"/api/v1/enterprises/{enterprise}/profile", token_of(base, "newfirm", password))
        check("nothing is saved while required answers are missing", stored["version"] == 0, stored["version"])
    finally:
        driver.quit()
