"""Works the playbook, templates and imports screens in real headless Chromium, as an owner would: read the playbook,
edit a template and see its preview change, upload a CSV with a mistake and see it at its line. Takes BASE_URL EMAIL
PASSWORD SCREENSHOT_DIR WORK_DIR; prints each step and exits 1 with the step that failed. Run by
Tests/DulyCLITests/AdminBrowserTests.swift against `duly demo --serve`."""

import os
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import browser
from browser import check, click_and_arrive, heading, shot, step

base, email, password, shots, work = sys.argv[1:6]
driver = browser.start(shots, failure="admin-failure")


try:
    step("sign in as the demo's owner")
    driver.get(base + "/login")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    click_and_arrive(driver.find_element(By.CSS_SELECTOR, "main button[type=submit]"), "signing in did not answer")
    check(heading().startswith("Worklist for"), "signing in did not open the worklist")

    step("the playbook, step by step")
    click_and_arrive(driver.find_element(By.LINK_TEXT, "Playbook"), "the Playbook link does not open")
    check(heading().startswith("Playbook"), "the playbook screen did not open")
    check(len(driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")) > 0, "the playbook shows no steps")
    check(len(driver.find_elements(By.ID, "playbook-source")) == 1, "the owner is not offered the playbook to edit")
    shot("playbook")

    step("a template and its preview on a real account")
    click_and_arrive(driver.find_element(By.LINK_TEXT, "Templates"), "the Templates link does not open")
    check(heading() == "Templates", "the templates screen did not open")
    shot("templates")
    click_and_arrive(driver.find_element(By.CSS_SELECTOR, "a[href='/templates/first_follow_up/en']"),
                     "the first_follow_up template does not open")
    before = driver.find_element(By.ID, "preview-text").text
    check("Could you please arrange payment of" in before, "the preview does not show the built-in wording")
    check(len(Select(driver.find_element(By.ID, "preview-account")).options) > 1, "no accounts to preview on")

    step("edit the text and preview it")
    text = driver.find_element(By.ID, "part-text")
    text.clear()
    text.send_keys("Dear {{greeting_name}},\n\nA quick note from the web editor: {{total_open}} is still open.\n"
                   "If anything is unclear, reply to this email.\n\nKind regards,\n{{signature}}\n")
    click_and_arrive(driver.find_element(By.CSS_SELECTOR, "button[value=preview]"), "Preview did not answer")
    after = driver.find_element(By.ID, "preview-text").text
    check("A quick note from the web editor:" in after, "the preview did not change to the edit: %r" % after[:300])
    check("{{total_open}}" not in after, "the preview did not fill in the amount")
    check("not saved yet" in driver.page_source, "the preview does not say the draft is unsaved")
    shot("template-preview")

    step("an edit the tone guard refuses shows its finding beside the text")
    text = driver.find_element(By.ID, "part-text")
    text.clear()
    text.send_keys("Pay now or our lawyer will take you to court.\nReply to this email.\n")
    click_and_arrive(driver.find_element(By.CSS_SELECTOR, "button[value=save]"), "Save did not answer")
    findings = driver.find_elements(By.ID, "findings-text")
    check(len(findings) == 1 and "error" in findings[0].text, "no tone guard finding beside the text")
    shot("template-refused")

    step("upload a CSV with a mistake and see it at its line")
    click_and_arrive(driver.find_element(By.LINK_TEXT, "Imports"), "the Imports link does not open")
    check(heading() == "Imports", "the imports screen did not open")
    path = os.path.join(work, "march-invoices.csv")
    with open(path, "w") as csv:
        csv.write("invoice_number,customer_id,issue_date,due_date,currency,total,terms,po_number\n")
        csv.write("WEB-1,NO-SUCH-CUSTOMER,2026-03-01,2026-03-31,EUR,120.00,,\n")
        csv.write("WEB-2,NO-SUCH-CUSTOMER,2026-03-01,2026-02-30,EUR,80.00,,\n")
    Select(driver.find_element(By.ID, "import-kind")).select_by_value("invoices")
    driver.find_element(By.ID, "import-file").send_keys(path)
    click_and_arrive(driver.find_element(By.CSS_SELECTOR, "form[action='/imports/preview'] button"),
                     "the upload did not answer")
    check(heading().startswith("Import preview"), "the upload did not show a preview")
    problems = driver.find_element(By.ID, "problems").text
    check("march-invoices.csv:2:2" in problems, "the unknown customer is not shown at its line: %r" % problems)
    check("march-invoices.csv:3:4" in problems, "the impossible date is not shown at its line: %r" % problems)
    check(len(driver.find_elements(By.XPATH, "//button[text()='Commit the import']")) == 0,
          "a file with problems is offered for commit")
    shot("import-preview")
    print("all steps passed", flush=True)
except Exception as error:
    # Whatever way a step fails, say so with the page it was on.
    check(False, "%s: %s" % (type(error).__name__, error))
finally:
    driver.quit()
