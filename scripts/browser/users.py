"""Accounts in a real headless browser: a cluster manager gives an enterprise an account, and
an admin helps a user who forgot the password.

As `manager`: /users/new for the enterprise of e36 creates the account `e36.cdo`; the page shows
the generated password once, and the account's page never again. In a second browser the new user logs in with it, is sent to the
password change of /account from any page, changes it and reaches /campaigns. As `admin`, with
e35 logged in in another browser: resets e35's password on its account page (shown once); e35's
open session ends (its next page is the login form), the old password fails and the temporary
one works, and must be changed before anything else. The admin creates a cluster on /clusters
(a missing name refused in place). Each page is checked with axe-core, at
1280 and 390 px (no sideways scroll), with no console errors. Screenshots in target/artifacts:
users-*.png.
"""

import os
import urllib.error

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from harness import (ARTIFACTS, PASSWORD, PHONE, api, axe, browser, check, console_errors,
                     full_page, log_in, no_sideways_scroll, token_of)

NEW_PASSWORD = "a cluster passphrase 2027"


def page_checks(driver, where, name):
    axe(driver, where)
    errors = console_errors(driver)
    check(f"no errors in the browser console on {where}", not errors, errors)
    check(f"screenshot {name}.png", full_page(driver, os.path.join(ARTIFACTS, f"{name}.png"), 1280))


def login_fails(base, user, password):
    try:
        token_of(base, user, password)
        return False
    except urllib.error.HTTPError as e:
        return e.code == 401


def log_in_to(driver, base, wait, user, password):
    """Logs in through the form; answers the page it lands on."""
    driver.delete_all_cookies()
    driver.get(base + "/login")
    wait.until(ec.presence_of_element_located((By.ID, "username")))
    driver.find_element(By.ID, "username").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "submit").click()
    wait.until(lambda d: "/login" not in d.current_url)
    return driver.current_url


def change_initial(driver, wait, current):
    driver.find_element(By.ID, "current_password").send_keys(current)
    driver.find_element(By.ID, "new_password").send_keys(NEW_PASSWORD)
    driver.find_element(By.ID, "repeat_password").send_keys(NEW_PASSWORD)
    driver.find_element(By.ID, "password-save").click()
    wait.until(ec.url_contains("password=changed"))


def suite(base, data_dir):
    manager_token = token_of(base, "manager")
    e36 = api(base, "/api/v1/me", token_of(base, "e36"))["enterprise_id"]
    manager = browser(os.path.join(data_dir, "chromium-users-manager"))
    newcomer = browser(os.path.join(data_dir, "chromium-users-new"))
    wait = WebDriverWait(manager, 30)
    new_wait = WebDriverWait(newcomer, 30)
    try:
        log_in(manager, base, wait, "manager")
        manager.get(f"{base}/users/new?enterprise={e36}")
        wait.until(ec.presence_of_element_located((By.ID, "new-user-form")))
        page_checks(manager, "the new account form", "users-new")
        manager.find_element(By.ID, "username").send_keys("e36.cdo")
        manager.find_element(By.ID, "display_name").send_keys("首席数据官")
        manager.find_element(By.ID, "create-user").click()
        wait.until(ec.presence_of_element_located((By.ID, "temporary-password")))
        temporary = manager.find_element(By.ID, "temporary-password").text.strip()
        check("the generated password is shown", len(temporary) >= 16, temporary)
        page_checks(manager, "the created account", "users-created")
        manager.find_element(By.ID, "user-link").click()
        wait.until(ec.presence_of_element_located((By.ID, "reset-password")))
        check("the account's page does not show the password again",
              temporary not in manager.page_source)

        landed = log_in_to(newcomer, base, new_wait, "e36.cdo", temporary)
        check("the new user is sent to change the initial password", "/account" in landed, landed)
        check("the page says why", newcomer.find_elements(By.ID, "must-change") != [])
        newcomer.get(base + "/profile")
        check("every other page leads back to the password change", "/account" in newcomer.current_url,
              newcomer.current_url)
        page_checks(newcomer, "the forced password change", "users-must-change")
        change_initial(newcomer, new_wait, temporary)
        newcomer.get(base + "/campaigns")
        check("after the change the pages open", newcomer.current_url.endswith("/campaigns"),
              newcomer.current_url)
        check("the old temporary password no longer logs in", login_fails(base, "e36.cdo", temporary))

        listed = api(base, "/api/v1/users", manager_token)["items"]
        check("the manager's list has the new account",
              any(u["username"] == "e36.cdo" for u in listed))

        # The admin resets e35's password while e35 is logged in.
        log_in(newcomer, base, new_wait, "e35")
        log_in(manager, base, wait, "admin")
        e35 = next(u for u in api(base, "/api/v1/users?limit=500", token_of(base, "admin"))["items"]
                   if u["username"] == "e35")
        manager.get(f"{base}/users/{e35['id']}")
        wait.until(ec.presence_of_element_located((By.ID, "reset-password")))
        page_checks(manager, "an account's page", "users-account")
        manager.find_element(By.ID, "reset-password").click()
        wait.until(ec.presence_of_element_located((By.ID, "temporary-password")))
        reset_to = manager.find_element(By.ID, "temporary-password").text.strip()
        check("the reset shows a temporary password", len(reset_to) >= 16, reset_to)
        newcomer.get(base + "/campaigns")
        check("e35's open session has ended", "/login" in newcomer.current_url, newcomer.current_url)
        check("e35's old password fails", login_fails(base, "e35", PASSWORD))
        landed = log_in_to(newcomer, base, new_wait, "e35", reset_to)
        check("the temporary password logs in, to the password change", "/account" in landed, landed)
        change_initial(newcomer, new_wait, reset_to)

        # The admin's cluster pages: a new cluster, then a manager assigned to it.
        manager.get(base + "/clusters")
        wait.until(ec.presence_of_element_located((By.ID, "new-cluster")))
        page_checks(manager, "the clusters", "clusters")
        manager.find_element(By.ID, "new-cluster").click()
        wait.until(ec.presence_of_element_located((By.ID, "cluster-form")))
        manager.find_element(By.ID, "cluster-save").click()
        wait.until(ec.presence_of_element_located((By.ID, "error-name")))
        check("a cluster without a name is refused next to the field",
              manager.find_element(By.ID, "name").get_attribute("aria-invalid") == "true")
        console_errors(manager)  # the refusal's 422, asked for
        manager.find_element(By.ID, "name").send_keys("马尾船政数字产业集群")
        manager.find_element(By.ID, "region").send_keys("马尾")
        manager.find_element(By.ID, "cluster-save").click()
        wait.until(ec.url_contains("saved=1"))
        cluster_page = manager.current_url.split("?")[0].replace(base, "")
        check("the new cluster has no staff yet", manager.find_elements(By.ID, "no-members") != [])
        page_checks(manager, "a cluster's page", "clusters-one")
    finally:
        manager.quit()
        newcomer.quit()

    phone = browser(os.path.join(data_dir, "chromium-users-phone"), phone=True)
    try:
        log_in(phone, base, WebDriverWait(phone, 30), "admin")
        for path, name in [("/users", "users-list"), ("/users/new", "users-new"),
                           (f"/users/{e35['id']}", "users-account"), ("/clusters", "clusters"),
                           (cluster_page, "clusters-one")]:
            phone.get(base + path)
            no_sideways_scroll(phone, path)
            axe(phone, f"{path} at {PHONE} px")
            check(f"screenshot {name}-phone.png",
                  full_page(phone, os.path.join(ARTIFACTS, f"{name}-phone.png"), PHONE, True))
    finally:
        phone.quit()
