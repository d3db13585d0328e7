"""Screenshots of every view of the dispatch board, into docs/board/*.png.

Starts the service on a temporary SQLite database seeded with the embedded sample,
drives headless Chromium (Debian's chromium + chromium-driver, and selenium) through the
views and saves a picture of each:

    python bench/board_screens.py [--out docs/board] [--time-limit 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.board.service import (
    plan_day,
    running_service,
    sign_in,
    start_browser,
    wait_until,
)

PARTNER = "Πανεπιστήμιο Ιωαννίνων"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/board"))
    parser.add_argument("--time-limit", type=int, default=3)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from selenium.webdriver.common.by import By

    with tempfile.TemporaryDirectory() as folder, running_service(Path(folder), workers=2) as service:
        dispatcher = service.make_key("dispatcher", service.directorates())
        partner = service.make_key("partner", service.directorates(), employer=PARTNER)
        planner = service.make_key("planner", service.directorates())
        browser = start_browser(1600, 1000)
        try:

            def shot(name: str) -> None:
                browser.save_screenshot(str(args.out / f"{name}.png"))

            browser.get(f"{service.url}/")
            wait_until(browser, "document.getElementById('api-key')")
            shot("signin")
            sign_in(browser, service.url, dispatcher)
            wait_until(browser, "document.querySelector('#queue li')")
            shot("queue")
            # A long solve, its progress, then stop: the best plan found so far is kept and drawn.
            field = browser.find_element(By.ID, "time-limit")
            field.clear()
            field.send_keys("60")
            before = browser.execute_script("return (window.__board && window.__board.draws) || 0;")
            browser.find_element(By.ID, "plan-day").click()
            wait_until(browser, "/[0-9]+/.test(document.getElementById('progress-text').textContent)", 60)
            time.sleep(3)
            shot("progress")
            browser.find_element(By.ID, "cancel-plan").click()
            wait_until(browser, f"window.__board && window.__board.draws > {before}", 60)
            plan_day(browser, args.time_limit)
            time.sleep(0.5)
            shot("day")
            # The first technician's printable route sheet, in a new tab.
            main_tab = browser.current_window_handle
            browser.find_element(By.CSS_SELECTOR, "#timeboard .sheet-link").click()
            wait_until(browser, "true")
            deadline = time.monotonic() + 20
            while len(browser.window_handles) < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
            browser.switch_to.window(next(h for h in browser.window_handles if h != main_tab))
            wait_until(
                browser,
                "location.href.startsWith('blob:') && document.body && document.body.innerText.length > 0",
            )
            shot("sheet")
            browser.close()
            browser.switch_to.window(main_tab)
            browser.find_element(By.ID, "tab-unassigned").click()
            first = browser.find_element(By.CSS_SELECTOR, "#unassigned-list li")
            first.click()
            time.sleep(0.3)
            shot("unassigned")
            # Lock a visited ticket to another technician who has its skill, and plan again.
            visit = browser.find_element(By.CSS_SELECTOR, ".block.visit")
            browser.execute_script("arguments[0].click();", visit)
            wait_until(browser, "document.getElementById('lock-replan')")
            before = browser.execute_script("return window.__board.draws;")
            browser.execute_script(
                "const s = document.getElementById('lock-technician');"
                "const place = document.getElementById('ticket-place').textContent;"
                "const other = [...s.options].find(o => !place.includes(o.value));"
                "if (other) s.value = other.value;"
            )
            browser.find_element(By.ID, "lock-replan").click()
            wait_until(browser, f"window.__board.draws > {before} && document.getElementById('flash')", 120)
            time.sleep(0.5)
            shot("lock")
            # One technician's route: a click on its time-board row highlights it and zooms the map.
            row = browser.find_element(By.CSS_SELECTOR, "#timeboard .tb-row:nth-child(2)")
            row.click()
            time.sleep(0.6)
            shot("route")
            row.click()
            # A visit done, with a note.
            visit = browser.find_element(By.CSS_SELECTOR, ".block.visit")
            browser.execute_script("arguments[0].click();", visit)
            wait_until(browser, "document.getElementById('visit-done')")
            browser.find_element(By.ID, "visit-note").send_keys("ok")
            browser.find_element(By.ID, "visit-done").click()
            wait_until(browser, "!document.getElementById('visit-done')")
            shot("visit-done")
            # An urgent ticket inserted into the plan: a new plan.
            browser.find_element(By.ID, "tab-urgent").click()
            browser.find_element(By.CSS_SELECTOR, "#urgent-form input[name=school]").send_keys("S0010")
            shot("urgent")
            before = browser.execute_script("return window.__board.draws;")
            browser.find_element(By.CSS_SELECTOR, "#urgent-form button[type=submit]").click()
            wait_until(browser, f"window.__board.draws > {before}", 120)
            time.sleep(0.5)
            shot("urgent-done")
            browser.find_element(By.ID, "lang-en").click()
            browser.find_element(By.ID, "tab-queue").click()
            time.sleep(0.3)
            shot("day-en")
            browser.find_element(By.ID, "lang-el").click()
            browser.find_element(By.ID, "view-plans").click()
            wait_until(browser, "document.getElementById('kpi-compare')")
            shot("plans")
            browser.find_element(By.ID, "signout").click()
            sign_in(browser, service.url, planner)
            wait_until(browser, "document.getElementById('kpi-compare')")
            shot("planner")
            browser.find_element(By.ID, "signout").click()
            sign_in(browser, service.url, partner)
            wait_until(
                browser, "window.__board && window.__board.draws > 0 && document.getElementById('costs')"
            )
            time.sleep(0.5)
            shot("partner")
        finally:
            browser.quit()
    for path in sorted(args.out.glob("*.png")):
        print(path)


if __name__ == "__main__":
    main()
