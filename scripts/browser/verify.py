"""The report check at /verify in a real headless browser, as a person without an account.

A demo enterprise user (e05, accepted) fetches its real report PDF through the API; a copy with
one byte changed is made beside it. The cover's QR code is read from the rendered first page
(pdftoppm, then zbarimg) and must carry <public_url>/verify?id=<the report id>; the server runs
with public_url set to its own address, so the decoded address is opened too. Then, with a
fresh browser and no login: the login page's link leads to /verify, the genuine PDF is chosen
and checked (genuine, with the report id, the enterprise and the level the API's record
implies), the tampered copy is rejected as not genuine, a file this service never issued is
not issued by it, and the English page says the same. At 390 px the page does not scroll
sideways. axe-core on every state; no console errors. Screenshots in target/artifacts:
verify.png, verify-tampered.png, verify-qr.png, verify-en.png, verify-390.png and
verify-tampered-390.png.
"""

import os
import shutil
import subprocess
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from harness import (ARTIFACTS, PHONE, api, axe, browser, check, console_errors, full_page,
                     no_sideways_scroll, token_of)

USER = "e05"


def fetch_report(base, data_dir):
    """e05's assessment report: the genuine file, a tampered copy, its id and its SHA-256."""
    token = token_of(base, USER)
    enterprise = api(base, "/api/v1/me", token)["enterprise_id"]
    assessments = api(base, f"/api/v1/enterprises/{enterprise}/assessments", token)["items"]
    accepted = [a for a in assessments if a["status"] == "accepted"]
    check("e05 has an accepted assessment", bool(accepted), assessments)
    newest = max(accepted, key=lambda a: a["campaign_id"])
    request = urllib.request.Request(
        base + f"/api/v1/assessments/{newest['id']}/report.pdf",
        headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=60) as r:
        report_id, sha = r.headers["X-Report-Id"], r.headers["X-Report-Sha256"]
        pdf = r.read()
    genuine = os.path.join(data_dir, f"{report_id}.pdf")
    with open(genuine, "wb") as f:
        f.write(pdf)
    tampered = os.path.join(data_dir, f"{report_id}-copy.pdf")
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    with open(tampered, "wb") as f:
        f.write(bytes(changed))
    forged = os.path.join(data_dir, "forged.pdf")
    with open(forged, "wb") as f:
        f.write(b"%PDF-1.7\n% not a report of this service\n%%EOF\n")
    record = api(base, f"/api/v1/reports/{report_id}", token)
    return genuine, tampered, forged, report_id, sha, record


def read_qr(base, data_dir, pdf, report_id):
    """Renders the cover and decodes its QR code; answers the decoded text."""
    missing = [t for t in ("pdftoppm", "zbarimg") if not shutil.which(t)]
    if not check("pdftoppm and zbarimg are installed", not missing, missing):
        return None
    prefix = os.path.join(data_dir, "cover")
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", pdf, prefix], check=True)
    cover = prefix + "-1.png"
    shutil.copy(cover, os.path.join(ARTIFACTS, "verify-cover.png"))
    out = subprocess.run(["zbarimg", "--quiet", "--raw", cover], capture_output=True, text=True)
    decoded = out.stdout.strip()
    expected = f"{base}/verify?id={report_id}"
    check("the cover's QR code carries the verify address with the report id",
          decoded == expected, f"{decoded!r} != {expected!r}")
    return decoded or None


def verdict(driver, wait):
    wait.until(ec.presence_of_element_located((By.ID, "verdict")))
    box = driver.find_element(By.ID, "verdict")
    return box.get_attribute("data-verdict"), box.text


def upload(driver, base, wait, path, lang=""):
    driver.get(base + "/verify" + lang)
    wait.until(ec.presence_of_element_located((By.ID, "file")))
    driver.find_element(By.ID, "file").send_keys(path)
    shown = driver.find_element(By.ID, "file-name").text
    check("the chosen file's name is shown", os.path.basename(path) in shown, shown)
    driver.find_element(By.ID, "check").click()
    return verdict(driver, wait)


def page_checks(driver, where):
    axe(driver, where)
    errors = console_errors(driver)
    check(f"no errors in the browser console on {where}", not errors, errors)


def suite(base, data_dir):
    genuine, tampered, forged, report_id, sha, record = fetch_report(base, data_dir)
    decoded = read_qr(base, data_dir, genuine, report_id)
    driver = browser(os.path.join(data_dir, "chromium-verify"))
    wait = WebDriverWait(driver, 30)
    try:
        driver.delete_all_cookies()
        driver.get(base + "/login")
        wait.until(ec.presence_of_element_located((By.ID, "verify-link")))
        driver.find_element(By.ID, "verify-link").click()
        wait.until(ec.url_contains("/verify"))
        check("the login page links the check", driver.find_elements(By.ID, "verify-form") != [])
        page_checks(driver, "the empty /verify page")

        code, text = upload(driver, base, wait, genuine)
        check("the genuine report is genuine", code == "genuine", text)
        check("the answer names the report and says genuine", report_id in text and "真实" in text, text)
        subject = driver.find_element(By.CSS_SELECTOR, '[data-fact="subject"]').text
        check("the answer names the enterprise", bool(subject) and subject != "（未记录）", subject)
        issued = driver.find_element(By.CSS_SELECTOR, '[data-fact="issued-on"]').text
        check("the issue day is the record's", issued == record["created_at"][:10], (issued, record))
        check("the SHA-256 shown is the file's", sha in driver.page_source)
        check("no internal id on the page", record["subject_id"] not in driver.page_source)
        page_checks(driver, "a genuine answer")
        check("screenshot verify.png", full_page(driver, os.path.join(ARTIFACTS, "verify.png"), 1280))

        code, text = upload(driver, base, wait, tampered)
        check("a copy with one byte changed is not genuine", code == "altered", text)
        check("the tampered copy is named not genuine", "不是真实文件" in text and report_id in text, text)
        page_checks(driver, "a tampered copy's answer")
        check("screenshot verify-tampered.png",
              full_page(driver, os.path.join(ARTIFACTS, "verify-tampered.png"), 1280))

        code, text = upload(driver, base, wait, forged)
        check("a file this service never issued is not issued by it", code == "not_issued", text)

        if decoded:
            driver.get(decoded)
            code, text = verdict(driver, wait)
            check("the QR code's address answers for the report id", code == "issued", text)
            check("by id alone the answer says it cannot vouch for a file",
                  "不能证明某个文件是真实的" in text, text)
            page_checks(driver, "the QR code's address")
            check("screenshot verify-qr.png", full_page(driver, os.path.join(ARTIFACTS, "verify-qr.png"), 1280))

        code, text = upload(driver, base, wait, genuine, "?lang=en")
        check("in English too", code == "genuine" and "Genuine" in text, text)
        check("the English page is English", driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
        page_checks(driver, "the English answer")
        check("screenshot verify-en.png", full_page(driver, os.path.join(ARTIFACTS, "verify-en.png"), 1280))
    finally:
        driver.quit()

    driver = browser(os.path.join(data_dir, "chromium-verify-phone"), phone=True)
    wait = WebDriverWait(driver, 30)
    try:
        code, text = upload(driver, base, wait, genuine)
        check("genuine at 390 px", code == "genuine", text)
        no_sideways_scroll(driver, "a genuine answer")
        page_checks(driver, "a genuine answer at 390 px")
        check("screenshot verify-390.png",
              full_page(driver, os.path.join(ARTIFACTS, "verify-390.png"), PHONE, True))
        code, text = upload(driver, base, wait, tampered)
        check("not genuine at 390 px", code == "altered", text)
        no_sideways_scroll(driver, "a tampered copy's answer")
        check("screenshot verify-tampered-390.png",
              full_page(driver, os.path.join(ARTIFACTS, "verify-tampered-390.png"), PHONE, True))
    finally:
        driver.quit()
