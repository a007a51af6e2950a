#!/usr/bin/python3
"""End-to-end tests of the web page in Debian's headless Chromium, driven by
chromedriver through Debian's python3-selenium, against a real `exportctl
serve` on a free loopback port (with a SQLite audit log). Each page renders its
answer from a shareable URL; the check form submits and shows reasons; the
screen page shows an alignment; the audit page shows the decisions just made
and verifies the chain. With EXPORTCTL_SCREENSHOTS=DIR it saves a screenshot
of each page there (docs/screenshots is made that way).

usage: browser_test.py --binary build/release/src/cli/exportctl
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BINARY = None
SHOTS = os.environ.get("EXPORTCTL_SCREENSHOTS")


ADJUDICATED = "Biren Technology GmbH"  # a German company the bundled Entity List extract matches (Biren, 0.85)


class Server:
    """exportctl serve on a free loopback port, with an audit log and an
    adjudication accepting one false positive; with auth, one API key."""

    def __init__(self, binary, auth=False):
        self.dir = tempfile.TemporaryDirectory(prefix="exportctl-web-")
        data = self.dir.name
        ready = os.path.join(data, "ready")
        # The adjudication names the entry in the state it had when decided (its fingerprint).
        match = json.loads(subprocess.run([binary, "--data-dir", data, "screen", ADJUDICATED, "--json"],
                                          check=True, capture_output=True, text=True).stdout)["matches"][0]
        entry = match["entry"]
        with open(os.path.join(data, "adjudications.csv"), "w") as f:
            f.write("customer,entry,entry_fingerprint,decided_by,date,reason\n")
            f.write(f'{ADJUDICATED},{entry["source_code"]}:{entry["id"]},{entry["fingerprint"]},a.analyst,2026-11-29,'
                    '"German distributor, not the listed company"\n')
        self.key = None
        if auth:
            out = subprocess.run([binary, "--data-dir", data, "keys", "add", "browser-test"], check=True,
                                 capture_output=True, text=True).stdout
            self.key = [w for w in out.split() if len(w) > 30][0]
        self.log = open(os.path.join(data, "serve.log"), "w")
        self.proc = subprocess.Popen(
            [binary, "--data-dir", data, "serve", "--listen", "127.0.0.1:0", "--ready-file", ready,
             "--audit", "sqlite:" + os.path.join(data, "audit.db")] + ([] if auth else ["--no-auth"]),
            stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(600):
            if os.path.exists(ready) and open(ready).read().strip():
                break
            if self.proc.poll() is not None:
                raise RuntimeError("exportctl serve exited: " + open(self.log.name).read())
            time.sleep(0.05)
        self.base = "http://" + open(ready).read().strip()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)
        self.log.close()
        self.dir.cleanup()


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,1400", "--lang=en-US"]:
        options.add_argument(flag)
    options.add_argument("--user-data-dir=" + tempfile.mkdtemp(prefix="exportctl-chromium-"))
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


class WebPage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(BINARY)
        cls.driver = browser()
        cls.wait = WebDriverWait(cls.driver, 30)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.server.stop()

    def open(self, path, params=None):
        url = self.server.base + path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
        self.driver.get(url)
        self.wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-state") in ("answered", "error"))
        return self.driver

    def shot(self, name):
        if SHOTS:
            os.makedirs(SHOTS, exist_ok=True)
            self.driver.save_screenshot(os.path.join(SHOTS, name + ".png"))

    def text(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css).text

    # Each test name sorts in the order the audit test needs (it runs last).
    def test_1_check_url_shows_the_decision_and_its_cited_reasons(self):
        d = self.open("/check", {"chip": "nvidia-h20", "to": "CN", "date": "2025-04-20"})
        self.assertEqual(d.find_element(By.CSS_SELECTOR, ".verdict").get_attribute("data-verdict"), "required")
        self.assertIn("LICENSE REQUIRED", self.text(".verdict"))
        reasons = d.find_elements(By.CSS_SELECTOR, "[data-testid=reasons] > li")
        self.assertGreater(len(reasons), 3)
        self.assertIn("R2025-04-09-H20", self.text("[data-testid=reasons]"))
        links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "[data-testid=reasons] a")]
        self.assertTrue(any(h.startswith("https://www.federalregister.gov/") for h in links), links)
        # The form shows the state the URL carried.
        self.assertEqual(d.find_element(By.ID, "check-chip").get_attribute("value"), "nvidia-h20")
        timing = d.execute_script(
            "const n = performance.getEntriesByType('navigation')[0]; return [n.domContentLoadedEventEnd, n.loadEventEnd];")
        print(f"\n  /check first render: DOMContentLoaded {timing[0]:.0f} ms, load {timing[1]:.0f} ms", file=sys.stderr)
        self.shot("check")

    def test_2_mi308_before_and_after_april_2025(self):
        self.open("/check", {"chip": "amd-mi308x", "to": "CN", "date": "2025-04-20"})
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, ".verdict").get_attribute("data-verdict"), "required")
        self.open("/check", {"chip": "amd-mi308x", "to": "CN", "date": "2024-06-01"})
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, ".verdict").get_attribute("data-verdict"),
                         "undetermined")
        self.assertIn("tpp", self.text(".verdict"))

    def test_3_check_form_submits_and_updates_the_url(self):
        d = self.driver
        d.get(self.server.base + "/check")
        d.find_element(By.ID, "check-chip").send_keys("nvidia-h100-sxm5-80gb")
        d.find_element(By.ID, "check-to").send_keys("IL")
        d.find_element(By.ID, "check-date").send_keys("06/01/2024")
        d.find_element(By.CSS_SELECTOR, "#check-form button[type=submit]").click()
        self.wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-state") == "answered")
        query = urllib.parse.parse_qs(urllib.parse.urlparse(d.current_url).query)
        self.assertEqual(query.get("chip"), ["nvidia-h100-sxm5-80gb"])
        self.assertEqual(query.get("to"), ["IL"])
        self.assertEqual(query.get("date"), ["2024-06-01"])
        self.assertEqual(d.find_element(By.CSS_SELECTOR, ".verdict").get_attribute("data-verdict"), "not-required")
        self.assertIn("A6", self.text("[data-testid=reasons]"))  # the "no" explains itself

    def test_4_errors_are_shown_next_to_the_field_the_api_named(self):
        self.open("/check", {"chip": "nvidia-h20", "to": "Atlantis", "date": "2025-04-20"})
        message = self.text(".error[data-for=to]")
        self.assertIn("Atlantis", message)
        self.assertEqual(self.driver.find_element(By.ID, "check-to").get_attribute("aria-invalid"), "true")

    def test_5_screen_url_shows_matches_and_the_alignment(self):
        self.open("/screen", {"name": "华为技术有限公司"})
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, ".verdict").get_attribute("data-verdict"), "match")
        self.assertIn("Huawei Technologies", self.text("[data-testid=matches]"))
        self.assertIn("huawei", self.text("[data-testid=alignment]"))
        self.shot("screen")

    def test_5b_chinese_legal_name_shows_its_source_and_a_watch_entry_is_information(self):
        self.open("/screen", {"name": "中芯国际集成电路制造有限公司"})
        self.assertIn("Semiconductor Manufacturing International Corporation", self.text("[data-testid=matches]"))
        source = self.driver.find_element(By.CSS_SELECTOR, "[data-testid=name-source] a")
        self.assertTrue(source.get_attribute("href").startswith("http"))
        self.assertIn("Chinese name from exchange_filing", self.text("[data-testid=name-source]"))
        self.shot("screen-chinese-name")
        self.open("/screen", {"name": "DeepSeek"})
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, ".verdict").get_attribute("data-verdict"), "no-match")
        self.assertIn("watch: publicly reported as under consideration, not listed", self.text("[data-testid=watch]"))
        self.assertIn("Information only", self.text("[data-testid=watch]"))

    def test_6_classify_timeline_url_shows_every_rule_version_and_a_chart(self):
        d = self.open("/classify", {"chip": "nvidia-h800-sxm5-80gb", "timeline": "1"})
        rows = d.find_elements(By.CSS_SELECTOR, "[data-testid=timeline] tbody tr")
        self.assertGreaterEqual(len(rows), 3)
        table = self.text("[data-testid=timeline]")
        self.assertIn("not-3A090", table)
        self.assertIn("3A090.a", table)
        self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".chart canvas[data-drawn=true]"))
        self.shot("classify")

    def test_7_rules_url_lists_what_is_in_force_and_what_changed(self):
        d = self.open("/rules", {"date": "2025-06-01", "compare": "2024-06-01"})
        self.assertGreater(len(d.find_elements(By.CSS_SELECTOR, "[data-testid=rules] tbody tr")), 10)
        self.assertIn("R2025-04-09-H20", self.text("[data-testid=rules-added]"))
        self.shot("rules")

    def test_7z_impact_page_analyses_an_uploaded_order_book(self):
        d = self.driver
        d.get(self.server.base + "/impact?before=2025-04-08&after=2025-04-15")
        self.assertEqual(d.find_element(By.ID, "impact-before").get_attribute("value"), "2025-04-08")
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        d.find_element(By.ID, "impact-orders").send_keys(os.path.join(root, "examples", "orders-2025.csv"))
        d.find_element(By.CSS_SELECTOR, "#impact-form button[type=submit]").click()
        self.wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-state") == "answered")
        row = d.find_element(By.CSS_SELECTOR, "[data-testid=impact-by-change] tr[data-kind=newly_required]")
        self.assertEqual(row.find_elements(By.TAG_NAME, "td")[1].text, "10")
        self.assertIn("USD 22,176,000.00", row.text)
        self.assertIn("before: tpp (14 orders)", self.text("#impact-result"))
        self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#impact-result canvas[data-drawn=true]"))
        self.shot("impact")

    def test_6b_check_timeline_and_a_spec_instead_of_a_chip(self):
        d = self.open("/check", {"chip": "nvidia-h20", "to": "CN", "timeline": "1"})
        table = self.text("[data-testid=timeline]")
        self.assertIn("NO LICENSE REQUIRED", table)
        self.assertIn("LICENSE REQUIRED", table.replace("NO LICENSE REQUIRED", ""))
        spec = json.dumps({"name": "acme-x1", "kind": "ic", "datacenter": True, "dense_tops": {"fp8": 400},
                           "logic_dies": [{"area_mm2": 400, "nonplanar": True}], "vendor": "Acme"})
        self.open("/check", {"spec": spec, "to": "CN", "date": "2024-06-01"})
        self.assertEqual(d.find_element(By.CSS_SELECTOR, ".verdict").get_attribute("data-verdict"), "required")
        self.assertIn("3A090.a", self.text("#check-result .card"))
        self.open("/check", {"spec": "{not json", "to": "CN", "date": "2024-06-01"})
        self.assertIn("not valid JSON", self.text(".error[data-for=spec]"))

    def test_6c_chinese_typed_into_the_screen_form_and_an_accepted_false_positive(self):
        d = self.driver
        d.get(self.server.base + "/screen")
        field = d.find_element(By.ID, "screen-name")
        field.send_keys("华为技术有限公司")
        field.send_keys("\n")  # Enter submits: the form works from the keyboard
        self.wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-state") == "answered")
        self.assertIn("name=%E5%8D%8E%E4%B8%BA", d.current_url)
        self.assertIn("Huawei Technologies", self.text("[data-testid=matches]"))
        self.open("/screen", {"name": ADJUDICATED})
        self.assertEqual(d.find_element(By.CSS_SELECTOR, ".verdict").get_attribute("data-verdict"), "no-match")
        accepted = self.text("[data-testid=accepted]")
        self.assertIn("a.analyst", accepted)
        self.assertIn("German distributor", accepted)

    def test_6d_readable_on_a_phone(self):
        d = self.driver
        d.set_window_size(390, 844)
        try:
            self.open("/check", {"chip": "nvidia-h20", "to": "CN", "date": "2025-04-20"})
            overflow = d.execute_script("return document.documentElement.scrollWidth - window.innerWidth;")
            self.assertLessEqual(overflow, 0, "the page scrolls sideways on a 390 px screen")
            self.shot("check-phone")
        finally:
            d.set_window_size(1280, 1400)

    def test_8_audit_page_shows_the_decisions_made_and_verifies_the_chain(self):
        d = self.open("/audit")
        rows = d.find_elements(By.CSS_SELECTOR, "[data-testid=audit] tbody tr")
        self.assertGreaterEqual(len(rows), 6)  # the checks, screen and classify above
        table = self.text("[data-testid=audit]")
        self.assertIn("nvidia-h20 → CN", table)
        self.assertIn("华为技术有限公司", table)
        d.find_element(By.ID, "audit-verify").click()
        self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=verify]"))
        self.assertIn("Chain whole", self.text("[data-testid=verify]"))
        rows[0].click()
        self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#audit-result pre"))
        self.shot("audit")
        # The API agrees with the page.
        with urllib.request.urlopen(self.server.base + "/v1/audit/verify") as r:
            self.assertTrue(json.load(r)["ok"])


class WebPageWithKeys(unittest.TestCase):
    """With API keys on, the page asks for a key once per browser session and sends it."""

    def test_the_page_asks_for_a_key_and_then_answers(self):
        server = Server(BINARY, auth=True)
        driver = browser()
        try:
            driver.get(server.base + "/check?chip=nvidia-h20&to=CN&date=2025-04-20")
            wait = WebDriverWait(driver, 30)
            wait.until(lambda d: d.find_element(By.ID, "key-panel").is_displayed())
            self.assertIn("API key", driver.find_element(By.CSS_SELECTOR, "#check-result").text)
            driver.find_element(By.ID, "api-key").send_keys(server.key + "\n")
            wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-state") == "answered")
            self.assertEqual(driver.find_element(By.CSS_SELECTOR, ".verdict").get_attribute("data-verdict"), "required")
            # Kept for the session: the next page answers without asking again.
            driver.get(server.base + "/screen?name=Huawei")
            wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-state") == "answered")
            self.assertFalse(driver.find_element(By.ID, "key-panel").is_displayed())
            # The audit log names the key's owner as the caller.
            req = urllib.request.Request(server.base + "/v1/audit", headers={"Authorization": "Bearer " + server.key})
            with urllib.request.urlopen(req) as r:
                self.assertEqual({rec["caller"] for rec in json.load(r)["records"]}, {"browser-test"})
        finally:
            driver.quit()
            server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args, rest = parser.parse_known_args()
    BINARY = os.path.abspath(args.binary)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
