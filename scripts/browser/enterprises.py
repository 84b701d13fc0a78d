"""The cluster manager's enterprise pages in a real headless browser.

As `manager`: downloads the import template with the page session's cookie (BOM, Chinese
headers), uploads a CSV of 5 new enterprises of which one has a wrong check character, sees the
preview name the bad line and nothing registered yet (the API agrees), imports, sees 4 created
and the bad line named, finds one of the new enterprises in the list with the search box,
opens its page and changes its contact (the API agrees). Each page is checked with axe-core, at
1280 and 390 px (no sideways scroll), with no console errors. Screenshots in
target/artifacts: enterprises*.png.
"""

import os
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from harness import (ARTIFACTS, PHONE, api, axe, browser, check, console_errors, full_page,
                     log_in, no_sideways_scroll, token_of)

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(n, wrong=False):
    """A valid unified social credit code of a range the demo does not draw from (its
    check character made wrong when asked)."""
    first17 = f"9135040{8_100_000 + n:010d}"
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS))
    check_char = ALPHABET[(31 - total % 31) % 31]
    if wrong:
        check_char = ALPHABET[(ALPHABET.index(check_char) + 1) % 31]
    return first17 + check_char


def shot(driver, name, width=1280, mobile=False):
    path = os.path.join(ARTIFACTS, name)
    check(f"screenshot {name}", full_page(driver, path, width, mobile), path)


def submit(driver, button_id):
    """Clicks a form's button and waits for the page the post answers."""
    driver.execute_script("window.dcmmBeforePost = true")
    driver.find_element(By.ID, button_id).click()
    WebDriverWait(driver, 20).until(lambda d: d.execute_script(
        "return window.dcmmBeforePost === undefined && document.readyState === 'complete'"))


def console_clean(driver, where, allowed=()):
    """No console errors since the last look but the refusals a step asked for (Chrome logs
    every 4xx answer, the intended ones too)."""
    bad = [e for e in console_errors(driver)
           if not any(f"status of {code}" in e.get("message", "") for code in allowed)]
    check(f"no errors in the browser console {where}", not bad, bad)


def enterprises_of(base, token, cluster):
    return api(base, f"/api/v1/clusters/{cluster}/enterprises?limit=500", token)["items"]


def template(driver, base):
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    request = urllib.request.Request(base + "/enterprises/import/template.csv",
                                     headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as r:
        body = r.read()
        disposition = r.headers.get("Content-Disposition", "")
    check("the template starts with the BOM", body.startswith(b"\xef\xbb\xbf"), body[:8])
    header = body[3:].decode("utf-8").splitlines()[0]
    check("the template has the Chinese headers",
          header == "企业名称,统一社会信用代码,行业,规模,地区,联系人,联系电话,电子邮箱", header)
    check("the template is an attachment", 'filename="enterprises-template.csv"' in disposition,
          disposition)


def suite(base, data_dir):
    os.makedirs(ARTIFACTS, exist_ok=True)
    token = token_of(base, "manager")
    cluster = api(base, "/api/v1/clusters", token)["items"][0]["id"]
    before = len(enterprises_of(base, token, cluster))
    stamp = int(time.time()) % 10_000
    names = [f"浏览器导入{stamp}-{i}号有限公司" for i in range(1, 6)]
    rows = [f"{names[0]},{credit_code(stamp * 10 + 1)},装备制造,小型,福州,王一,0591-1000001,wang1@example.com",
            f"{names[1]},{credit_code(stamp * 10 + 2)},software,micro,厦门,,,",
            f"{names[2]},{credit_code(stamp * 10 + 3, wrong=True)},装备制造,中型,福州,,,",
            f"{names[3]},{credit_code(stamp * 10 + 4)},装备制造,大型,福州,,,",
            f"{names[4]},{credit_code(stamp * 10 + 5)},equipment,medium,泉州,,,"]
    csv_path = os.path.join(data_dir, "enterprises-upload.csv")
    with open(csv_path, "w", encoding="utf-8-sig") as f:
        f.write("企业名称,统一社会信用代码,行业,规模,地区,联系人,联系电话,电子邮箱\n")
        f.write("\n".join(rows) + "\n")

    driver = browser(os.path.join(data_dir, "chromium-enterprises"))
    try:
        wait = WebDriverWait(driver, 30)
        log_in(driver, base, wait, "manager")
        driver.get(base + "/enterprises")
        check("the list opens", driver.find_elements(By.ID, "enterprises"))
        check("the navigation names it", driver.find_elements(By.CSS_SELECTOR, 'nav a[href="/enterprises"]'))
        axe(driver, "the enterprise list")
        shot(driver, "enterprises.png")
        console_clean(driver, "on the list")

        template(driver, base)
        driver.get(base + "/enterprises/import")
        axe(driver, "the import form")
        shot(driver, "enterprises-import.png")
        driver.find_element(By.ID, "file").send_keys(csv_path)
        submit(driver, "preview")
        check("the preview names the bad line",
              driver.find_elements(By.CSS_SELECTOR, "tr#line-4.rejected"))
        check("... with the credit code as its reason",
              "统一社会信用代码" in driver.find_element(By.ID, "line-4").text,
              driver.find_element(By.ID, "line-4").text)
        check("the preview offers to import 4", "导入 4 家企业" in driver.find_element(By.ID, "do-import").text)
        check("nothing is registered by the preview", len(enterprises_of(base, token, cluster)) == before)
        axe(driver, "the import preview")
        shot(driver, "enterprises-preview.png")
        console_clean(driver, "on the preview")
        submit(driver, "do-import")
        summary = driver.find_element(By.CSS_SELECTOR, '[data-figure="summary"]').text
        check("the result says 4 created, 1 rejected", "已创建 4 家，拒绝 1 行" in summary, summary)
        check("the result names the bad line", driver.find_elements(By.CSS_SELECTOR, "tr#line-4.rejected"))
        check("the API has the 4 new enterprises", len(enterprises_of(base, token, cluster)) == before + 4)
        axe(driver, "the import result")
        shot(driver, "enterprises-result.png")

        driver.get(base + "/enterprises")
        search = driver.find_element(By.ID, "f-q")
        search.send_keys(f"{stamp}-4号")
        submit(driver, "apply")
        links = driver.find_elements(By.CSS_SELECTOR, "#enterprises tbody a")
        check("the search finds the new enterprise", [a.text for a in links] == [names[3]],
              [a.text for a in links])
        shot(driver, "enterprises-search.png")
        links[0].click()
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.ID, "enterprise-form"))
        axe(driver, "the enterprise's page")
        email = driver.find_element(By.ID, "contact_email")
        email.clear()
        email.send_keys("not an email")
        submit(driver, "enterprise-save")
        check("a bad email is named next to its field", driver.find_elements(By.ID, "error-contact_email"))
        check("... and marked invalid",
              driver.find_element(By.ID, "contact_email").get_attribute("aria-invalid") == "true")
        axe(driver, "the enterprise's page with an error")
        for field, value in (("contact_name", "周联系"), ("contact_phone", "+86 591 2222 3333"),
                             ("contact_email", "zhou@example.com")):
            box = driver.find_element(By.ID, field)
            box.clear()
            box.send_keys(value)
        submit(driver, "enterprise-save")
        check("the change is saved", "已保存" in driver.find_element(By.CSS_SELECTOR, "p.saved").text)
        shot(driver, "enterprises-edit.png")
        changed = next(e for e in enterprises_of(base, token, cluster) if e["name"] == names[3])
        check("the API has the new contact",
              (changed["contact_name"], changed["contact_email"]) == ("周联系", "zhou@example.com"), changed)
        console_clean(driver, "after the edit", (422,))
        edit_path = driver.current_url.replace(base, "").split("?")[0]
    finally:
        driver.quit()

    driver = browser(os.path.join(data_dir, "chromium-enterprises-phone"), phone=True)
    try:
        wait = WebDriverWait(driver, 30)
        log_in(driver, base, wait, "manager")
        for path, name in (("/enterprises", "enterprises-phone.png"),
                           ("/enterprises/new", "enterprises-new-phone.png"),
                           ("/enterprises/import", "enterprises-import-phone.png"),
                           (edit_path, "enterprises-edit-phone.png")):
            driver.get(base + path)
            no_sideways_scroll(driver, path)
            axe(driver, f"{path} on a phone")
            shot(driver, name, PHONE, mobile=True)
        driver.get(base + "/enterprises/import")
        driver.find_element(By.ID, "file").send_keys(csv_path)
        submit(driver, "preview")
        no_sideways_scroll(driver, "the import preview")
        shot(driver, "enterprises-preview-phone.png", PHONE, mobile=True)
        console_clean(driver, "on a phone")
    finally:
        driver.quit()
