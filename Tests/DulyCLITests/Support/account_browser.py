"""Works the account page's forms and the dashboard in real headless Chromium, as a person would: sign in, open an
account, record a promise, open a dispute, see both on the account's timeline, open the dashboard (on a laptop and a
phone). Takes BASE_URL EMAIL PASSWORD SCREENSHOT_DIR PROMISE_DATE; prints each step and exits 1 with the step that
failed. Run by Tests/DulyCLITests/AccountBrowserTests.swift against `duly demo --serve`."""

import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import browser
from browser import arrive, check, notice, shot, step, submit

base, email, password, shots, promise_date = sys.argv[1:6]
driver = browser.start(shots, failure="account-failure")


def unfold(summary_text):
    """Opens the fold whose summary starts with `summary_text` and returns its form."""
    for summary in driver.find_elements(By.CSS_SELECTOR, ".actions summary"):
        if summary.text.startswith(summary_text):
            summary.click()
            form = summary.find_element(By.XPATH, "./following-sibling::form")
            check(form.is_displayed(), "the form under '%s' does not open" % summary_text)
            return form
    check(False, "the account page has no '%s'" % summary_text)


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
