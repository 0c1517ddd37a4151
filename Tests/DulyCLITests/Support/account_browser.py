"""Works the account page's forms and the dashboard in real headless Chromium, as a person would: sign in, open an
account, record a promise, open a dispute, see both on the account's timeline, open the dashboard (on a laptop and a
phone). Takes BASE_URL EMAIL PASSWORD SCREENSHOT_DIR PROMISE_DATE; prints each step and exits 1 with the step that
failed. Run by Tests/DulyCLITests/AccountBrowserTests.swift against `duly demo --serve`."""

import os
import sys

os.environ.setdefault("SE_OFFLINE", "true")
os.environ.setdefault("SE_AVOID_STATS", "true")

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

base, email, password, shots, promise_date = sys.argv[1:6]
os.makedirs(shots, exist_ok=True)

options = webdriver.ChromeOptions()
for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000",
             "--no-first-run", "--disable-extensions", "--disable-background-networking", "--disable-sync"]:
    options.add_argument(flag)
options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
driver = webdriver.Chrome(service=Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")),
                          options=options)
driver.set_page_load_timeout(60)


def step(text):
    print("step:", text, flush=True)


def check(condition, message):
    if not condition:
        print("FAILED:", message, flush=True)
        print("page:", driver.current_url, flush=True)
        print(driver.find_element(By.TAG_NAME, "body").text[:3000], flush=True)
        driver.save_screenshot(os.path.join(shots, "account-failure.png"))
        driver.quit()
        sys.exit(1)


def arrive(old, message):
    """Waits until a click has left the page `old` for the next one."""
    try:
        WebDriverWait(driver, 30).until(expected_conditions.staleness_of(old))
    except TimeoutException:
        check(False, message)


def submit(form, message):
    page = driver.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    arrive(page, message)


def notice():
    found = driver.find_elements(By.CSS_SELECTOR, ".notice")
    check(len(found) == 1, "no notice of what was done")
    return found[0].text


def unfold(summary_text):
    """Opens the fold whose summary starts with `summary_text` and returns its form."""
    for summary in driver.find_elements(By.CSS_SELECTOR, ".actions summary"):
        if summary.text.startswith(summary_text):
            summary.click()
            form = summary.find_element(By.XPATH, "./following-sibling::form")
            check(form.is_displayed(), "the form under '%s' does not open" % summary_text)
            return form
    check(False, "the account page has no '%s'" % summary_text)


def shot(name):
    driver.save_screenshot(os.path.join(shots, name + ".png"))


try:
    step("sign in")
    driver.get(base + "/login")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    submit(driver.find_element(By.CSS_SELECTOR, "form.stack"), "signing in does not answer")
    check(driver.find_element(By.TAG_NAME, "h1").text.startswith("Worklist for"), "signing in did not open the worklist")

    step("open an account")
    link = driver.find_element(By.CSS_SELECTOR, "main a[href^='/accounts/']")
    name = link.text
    page = driver.find_element(By.TAG_NAME, "html")
    link.click()
    arrive(page, "the account link does not open")
    check(driver.find_element(By.TAG_NAME, "h1").text.startswith(name), "the account page did not open for " + name)
    account = driver.current_url.split("?")[0]
    shot("account-actions")

    step("record a promise")
    form = unfold("Record a promise to pay")
    # A date field's typing depends on the browser's locale: its value is set as the browser's own picker sets it.
    driver.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "promised_date"),
                          promise_date)
    form.find_element(By.NAME, "promised_by").send_keys("Ann in accounts")
    shot("account-promise-form")
    submit(form, "recording the promise does not answer")
    said = notice()
    check(said.startswith("Promise ") and (" by %s." % promise_date) in said, "the promise was not recorded: %r" % said)
    promised = said.split(":", 1)[1].strip().rstrip(".")

    step("open a dispute")
    form = unfold("Open a dispute")
    invoice = Select(form.find_element(By.NAME, "invoice_number")).first_selected_option.get_attribute("value")
    Select(form.find_element(By.NAME, "reason_code")).select_by_value("quality")
    form.find_element(By.NAME, "amount").send_keys("10.00")
    form.find_element(By.NAME, "reason").send_keys("<b>two panels scratched</b>")
    submit(form, "opening the dispute does not answer")
    said = notice()
    check(said.startswith("Dispute ") and ("opened on %s" % invoice) in said, "the dispute was not opened: %r" % said)

    step("both on the timeline")
    timeline = driver.find_element(By.CSS_SELECTOR, "ol.timeline").text
    check(("Promise to pay %s" % promised) in timeline, "the promise is not on the timeline")
    check(("Dispute on %s (quality): <b>two panels scratched</b>" % invoice) in timeline,
          "the dispute is not on the timeline as written")
    check(len(driver.find_elements(By.CSS_SELECTOR, "ol.timeline b")) == 0, "the dispute's reason was read as markup")
    shot("account-timeline")

    step("a refused promise keeps what was typed")
    form = unfold("Record a promise to pay")
    driver.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "promised_date"),
                          promise_date)
    form.find_element(By.NAME, "amount").send_keys("99999999.00")
    submit(form, "the refused promise does not answer")
    errors = driver.find_elements(By.CSS_SELECTOR, "#promise-amount-error")
    check(len(errors) == 1 and errors[0].is_displayed(), "the refusal is not shown at the amount")
    check(driver.find_element(By.ID, "promise-amount").get_attribute("value") == "99999999.00",
          "the amount typed was not kept")
    shot("account-refused")

    step("the dashboard")
    driver.get(account)
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.LINK_TEXT, "Dashboard").click()
    arrive(page, "the Dashboard link does not open")
    check(driver.find_element(By.TAG_NAME, "h1").text == "Dashboard", "the dashboard did not open")
    charts = driver.find_elements(By.CSS_SELECTOR, "svg.chart")
    check(len(charts) >= 4, "the dashboard draws %d charts" % len(charts))
    check(all(chart.size["width"] > 200 for chart in charts), "a chart is drawn too small to read")
    check(len(driver.find_elements(By.CSS_SELECTOR, "table.figures")) == len(charts), "a chart has no table")
    shot("dashboard")

    step("the dashboard on a phone")
    driver.set_window_size(390, 844)
    driver.get(base + "/dashboard")
    width = driver.execute_script("return document.documentElement.scrollWidth")
    check(width <= 390, "the dashboard is wider than a phone's screen: %s px" % width)
    shot("dashboard-phone")
    print("all steps passed", flush=True)
finally:
    driver.quit()
