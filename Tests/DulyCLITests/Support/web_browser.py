"""Works the collector's web screens in real headless Chromium, as a person would: sign in, read the worklist, log a
call, approve an escalation, open an account. Takes BASE_URL EMAIL PASSWORD SCREENSHOT_DIR; prints each step and
exits 1 with the step that failed. Run by Tests/DulyCLITests/WebBrowserTests.swift against `duly demo --serve`."""

import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

import browser
from browser import arrive, check, notice, shot, step

base, email, password, shots = sys.argv[1:5]
driver = browser.start(shots)


try:
    step("the sign-in page, worked by keyboard")
    driver.get(base + "/login")
    check(driver.title.startswith("Sign in"), "the sign-in page did not open")
    shot("login")
    field = driver.switch_to.active_element
    check(field.get_attribute("id") == "email", "the email field does not have the focus on arrival")
    field.send_keys(email)
    field.send_keys(Keys.TAB)
    check(driver.switch_to.active_element.get_attribute("id") == "password", "Tab does not lead to the password")
    driver.switch_to.active_element.send_keys(password)
    page = driver.find_element(By.TAG_NAME, "html")
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    arrive(page, "Enter in the password field does not sign in")

    step("the worklist")
    check(driver.find_element(By.TAG_NAME, "h1").text.startswith("Worklist for"), "signing in did not open the worklist")
    shot("worklist")
    forms = driver.find_elements(By.CSS_SELECTOR, "form.callform")
    check(len(forms) > 0, "the worklist shows no call to log")
    script = driver.find_element(By.CSS_SELECTOR, "details summary")
    script.click()
    check(driver.find_element(By.CSS_SELECTOR, "pre.script").is_displayed(), "the call script does not open")

    step("log a call")
    form = forms[0]
    action = form.get_attribute("action").rsplit("/", 1)[-1]
    Select(form.find_element(By.NAME, "outcome")).select_by_value("voicemail")
    form.find_element(By.NAME, "note").send_keys("left a message with reception")
    page = driver.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    arrive(page, "logging the call did not answer")
    said = notice()
    check(said == "Call %s: left a voicemail." % action, "the call was not logged: %r" % said)

    step("approve an escalation")
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.LINK_TEXT, "Approvals").click()
    arrive(page, "the Approvals link does not open")
    check(driver.find_element(By.TAG_NAME, "h1").text == "Approvals", "the approvals screen did not open")
    shot("approvals")
    buttons = driver.find_elements(By.CSS_SELECTOR, "button[value=approve]")
    check(len(buttons) > 0, "no escalation awaits approval")
    decision = buttons[0].find_element(By.XPATH, "./ancestor::form")
    decision.find_element(By.NAME, "note").send_keys("reached nobody twice; go ahead")
    page = driver.find_element(By.TAG_NAME, "html")
    buttons[0].click()
    arrive(page, "approving did not answer")
    said = notice()
    check(said.endswith("approved."), "the escalation was not approved: %r" % said)

    step("open an account")
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.LINK_TEXT, "Worklist").click()
    arrive(page, "the Worklist link does not open")
    link = driver.find_element(By.CSS_SELECTOR, "main a[href^='/accounts/']")
    name = link.text
    page = driver.find_element(By.TAG_NAME, "html")
    link.click()
    arrive(page, "the account link does not open")
    check(driver.find_element(By.TAG_NAME, "h1").text.startswith(name), "the account page did not open for " + name)
    check("Timeline, newest first" in driver.page_source, "the account shows no timeline")
    shot("account")
    sent = driver.find_elements(By.LINK_TEXT, "view as sent")
    if sent:
        page = driver.find_element(By.TAG_NAME, "html")
        sent[0].click()
        arrive(page, "a message does not open")
        check(driver.find_element(By.TAG_NAME, "h1").text == "Message as sent", "a message does not open as sent")
        shot("message")

    step("on a phone")
    driver.set_window_size(390, 844)
    driver.get(base + "/")
    check(driver.find_element(By.TAG_NAME, "h1").text.startswith("Worklist for"), "the root does not lead a browser to the worklist")
    width = driver.execute_script("return document.documentElement.scrollWidth")
    check(width <= 390, "the worklist is wider than a phone's screen: %s px" % width)
    shot("worklist-phone")
    print("all steps passed", flush=True)
finally:
    driver.quit()
