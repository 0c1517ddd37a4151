"""What every browser test script shares: headless Chromium driven by Selenium with Debian's chromedriver (so nothing
is downloaded), and the few words the scripts are written in: a step, a check that stops the script with the page as
it stood, waiting for the next page, a screenshot. A script calls `start` first; `driver` is then its browser."""

import os
import sys

os.environ.setdefault("SE_OFFLINE", "true")
os.environ.setdefault("SE_AVOID_STATS", "true")

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

driver = None
_shots = None
_failure = "failure"


def start(shots, failure="failure", window="1280,1000"):
    """Opens the browser, its screenshots to go to `shots` (the one of a failed check as `failure`.png)."""
    global driver, _shots, _failure
    _shots, _failure = shots, failure
    os.makedirs(shots, exist_ok=True)
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=" + window, "--no-first-run", "--disable-extensions",
                 "--disable-background-networking", "--disable-sync"]:
        options.add_argument(flag)
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    driver = webdriver.Chrome(
        service=Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    driver.set_page_load_timeout(60)
    return driver


def step(text):
    print("step:", text, flush=True)


def check(condition, message):
    """Stops the script, saying what failed on which page (its text and a screenshot), unless `condition` holds."""
    if not condition:
        print("FAILED:", message, flush=True)
        print("page:", driver.current_url, flush=True)
        print(driver.find_element(By.TAG_NAME, "body").text[:3000], flush=True)
        driver.save_screenshot(os.path.join(_shots, _failure + ".png"))
        driver.quit()
        sys.exit(1)


def _gone(old):
    """Whether the element `old` no longer belongs to the page shown."""
    def check_gone(_):
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            # Chrome sometimes reports an element of a page just left as a node that "does not belong to the
            # document" rather than as stale: gone all the same.
            if "does not belong to the document" in str(error):
                return True
            raise
    return check_gone


def arrive(old, message):
    """Waits until a click or a key has left the page `old` for the next one, and that one has loaded."""
    try:
        WebDriverWait(driver, 30).until(_gone(old))
        WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    except TimeoutException:
        check(False, message)


def click_and_arrive(element, message):
    """Clicks, then waits until the click has left the page for the next one."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    arrive(page, message)


def submit(form, message):
    """Sends `form` with its submit button and waits for the page that answers."""
    click_and_arrive(form.find_element(By.CSS_SELECTOR, "button[type=submit]"), message)


def notice():
    found = driver.find_elements(By.CSS_SELECTOR, ".notice")
    check(len(found) == 1, "no notice of what was done")
    return found[0].text


def heading():
    return driver.find_element(By.TAG_NAME, "h1").text


def shot(name):
    driver.save_screenshot(os.path.join(_shots, name + ".png"))
