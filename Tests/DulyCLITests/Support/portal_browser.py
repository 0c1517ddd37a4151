"""Opens a client's portal link from an email `duly demo` delivered, in real headless Chromium, as the client would:
read what is owed, promise a date; then signs in as the collector and finds the promise on the account's timeline.
Takes BASE_URL EMAIL PASSWORD OUTBOX SCREENSHOT_DIR [DOCS_PNG]; prints each step and exits 1 with the step that
failed. Run by Tests/DulyCLITests/PortalBrowserTests.swift against `duly demo --serve`."""

import email
import email.policy
import glob
import os
import re
import sys

from selenium.webdriver.common.by import By

import browser
from browser import arrive, check, step

base, login, password, outbox, shots = sys.argv[1:6]
docs = sys.argv[6] if len(sys.argv) > 6 else None

step("a portal link in a delivered email")
link = None
for path in sorted(glob.glob(os.path.join(outbox, "*.eml"))):
    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",))
    found = re.search(r"https?://\S+?/p/([A-Za-z0-9._-]+)", body.get_content() if body else "")
    if found:
        link = found
        break
if link is None:
    print("FAILED: no email in %s carries a portal link" % outbox, flush=True)
    sys.exit(1)
# The demo's links name the port it was asked for; the test serves on a free one, so the path is opened there.
portal = base + "/p/" + link.group(1)
print("link:", link.group(0), flush=True)

driver = browser.start(shots, failure="portal-failure", window="1000,1100")


try:
    step("the portal opens without signing in")
    driver.get(portal)
    rows = driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")
    check(len(rows) > 0, "the portal shows no invoice")
    header = driver.find_element(By.CSS_SELECTOR, "header .muted").text
    customer = re.search(r"\(([^()]+)\)$", header)
    check(customer is not None, "the portal does not name the customer's reference: %r" % header)
    customer = customer.group(1)
    driver.save_screenshot(os.path.join(shots, "portal.png"))
    if docs:
        driver.save_screenshot(docs)

    step("the client promises a date")
    form = driver.find_element(By.CSS_SELECTOR, "form[action$='/promise']")
    date = form.find_element(By.NAME, "date")
    # A date field's typing depends on the browser's locale; the value it sends is always YYYY-MM-DD.
    driver.execute_script(
        "var day = new Date(arguments[0].min + 'T12:00:00Z'); day.setUTCDate(day.getUTCDate() + 7);"
        "arguments[0].value = day.toISOString().slice(0, 10)", date)
    promised = date.get_attribute("value")
    page = driver.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    arrive(page, "sending the promise did not answer")
    said = driver.find_elements(By.CSS_SELECTOR, ".notice")
    check(len(said) == 1, "the portal does not say the promise was noted")
    driver.save_screenshot(os.path.join(shots, "portal-promised.png"))

    step("a tampered link is refused")
    driver.get(portal[:-2] + ("AA" if not portal.endswith("AA") else "BB"))
    check("This link does not work" in driver.page_source, "a tampered link is not refused")

    step("the collector sees the promise on the account's timeline")
    driver.get(base + "/login")
    driver.find_element(By.ID, "email").send_keys(login)
    driver.find_element(By.ID, "password").send_keys(password)
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    arrive(page, "signing in did not answer")
    driver.get(base + "/accounts/" + customer)
    timeline = driver.find_element(By.CSS_SELECTOR, "ol.timeline").text
    check("Promise to pay" in timeline, "the promise is not on %s's timeline" % customer)
    check(promised in timeline, "the timeline does not name the date promised, %s" % promised)
    driver.save_screenshot(os.path.join(shots, "portal-account.png"))
    print("all steps passed", flush=True)
finally:
    driver.quit()
