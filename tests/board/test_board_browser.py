"""The dispatch board in headless Chromium against a real service on loopback.

A dispatcher signs in, plans the day (2 s), sees routes on the map and rows on the time
board, the unassigned list, locks a ticket to another technician and sees the new plan's
checker verdict, publishes the plan; a partner sees only its own technicians.  No request may leave 127.0.0.1.

Needs Debian's ``chromium`` and ``chromium-driver`` and the ``selenium`` package (in the
test extra); skipped without them.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from .service import (
    INSTALL_HINT,
    Service,
    chromium_paths,
    draws,
    network_urls,
    plan_day,
    resource_urls,
    running_service,
    sign_in,
    start_browser,
    wait_until,
)

pytestmark = pytest.mark.slow

PARTNER = "Πανεπιστήμιο Ιωαννίνων"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    if chromium_paths() is None:
        pytest.skip(INSTALL_HINT)
    with running_service(tmp_path_factory.mktemp("board"), workers=2) as running:
        yield running


@pytest.fixture
def browser(service: Service) -> Iterator[Any]:
    driver = start_browser(1600, 1000)
    try:
        yield driver
    finally:
        driver.quit()


def assert_stayed_on_loopback(browser: Any) -> None:
    urls = [*resource_urls(browser), *network_urls(browser)]
    assert urls
    outside = [
        u for u in urls if not u.startswith(("data:", "blob:")) and urlparse(u).hostname != "127.0.0.1"
    ]
    assert not outside, outside


def keep_screenshot(browser: Any, name: str) -> None:
    """Save a screenshot into ``$DROMOLOGIO_SCREENSHOTS`` when set (docs/board/ keeps them)."""
    folder = os.environ.get("DROMOLOGIO_SCREENSHOTS")
    if folder:
        browser.save_screenshot(str(Path(folder) / name))


def count(browser: Any, selector: str) -> int:
    return int(browser.execute_script(f"return document.querySelectorAll({selector!r}).length;"))


def test_dispatcher_plans_the_day_and_locks_a_ticket(service: Service, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    key = service.make_key("dispatcher", service.directorates())
    sign_in(browser, service.url, key)
    assert browser.execute_script("return sessionStorage.getItem('dromologio.key');") == key
    assert browser.execute_script("return localStorage.getItem('dromologio.key');") is None
    wait_until(browser, "document.querySelectorAll('#queue li').length > 0")
    queued = count(browser, "#queue li")
    browser.find_element(By.ID, "q-text").send_keys("Νάξ")
    assert 0 < count(browser, "#queue li") < queued
    browser.find_element(By.ID, "q-text").clear()
    browser.execute_script("document.getElementById('q-text').dispatchEvent(new Event('input'));")

    plan_id = plan_day(browser, time_limit_s=2)
    assert count(browser, "#map svg path.route") > 0
    assert count(browser, "#map svg path.visit") > 0
    assert count(browser, "#map svg path.unassigned-marker") > 0
    rows = count(browser, "#timeboard .tb-row")
    assert rows > 0
    assert count(browser, "#timeboard .block.visit") > 0
    assert count(browser, "#timeboard .block.drive") > 0
    assert browser.find_element(By.ID, "check").get_attribute("data-ok") == "true"

    browser.find_element(By.ID, "tab-unassigned").click()
    items = browser.find_elements(By.CSS_SELECTOR, "#unassigned-list li")
    assert items
    assert all(item.find_element(By.CSS_SELECTOR, ".reason").text.strip() for item in items)

    # Lock a visited ticket to another technician with its skill, through the ticket's action.
    block = browser.find_element(By.CSS_SELECTOR, "#timeboard .block.visit")
    ticket_id = block.get_attribute("data-ticket")
    first_technician = block.find_element(By.XPATH, "ancestor::div[@data-technician]").get_attribute(
        "data-technician"
    )
    browser.execute_script("arguments[0].click();", block)
    wait_until(browser, "document.getElementById('lock-replan')")
    options = [
        o.get_attribute("value")
        for o in browser.find_elements(By.CSS_SELECTOR, "#lock-technician option")
        if o.get_attribute("value") != first_technician
    ]
    assert options, "no other technician has the ticket's skill"
    target = options[0]
    browser.execute_script("document.getElementById('lock-technician').value = arguments[0];", target)
    before = draws(browser)
    browser.find_element(By.ID, "lock-replan").click()
    wait_until(browser, f"window.__board.draws > {before} && window.__board.planId !== {plan_id!r}", 120)
    new_plan = browser.execute_script("return window.__board.planId;")
    check = browser.find_element(By.ID, "check")
    assert check.get_attribute("data-ok") == "true"
    assert check.text.strip()
    assert ticket_id in browser.find_element(By.ID, "flash").text

    with service.client() as client:
        assert client.get(f"/tickets/{ticket_id}").json()["locked_technician_id"] == target
        plan = client.get(f"/plans/{new_plan}").json()
        verdict = client.get(f"/plans/{new_plan}/check").json()
    assert verdict["ok"] is True
    served_by = {
        r["technician_id"] for r in plan["routes"] for s in r["stops"] if ticket_id in s.get("ticket_ids", [])
    }
    assert served_by <= {target}
    if not served_by:
        assert ticket_id in {u["ticket_id"] for u in plan["unassigned"]}

    # Dragging an unassigned ticket onto a technician's row locks it there and plans again.
    browser.find_element(By.ID, "tab-unassigned").click()
    dragged = browser.find_element(By.CSS_SELECTOR, "#unassigned-list li").get_attribute("data-ticket")
    with service.client() as client:
        skill = client.get(f"/tickets/{dragged}").json()["skill"]
        able = {
            t["technician_id"] for t in client.get("/technicians?limit=5000").json() if skill in t["skills"]
        }
    rows = browser.find_elements(By.CSS_SELECTOR, "#timeboard .tb-row")
    row = next((r for r in rows if r.get_attribute("data-technician") in able), None)
    assert row is not None
    dropped_on = row.get_attribute("data-technician")
    before = draws(browser)
    browser.execute_script(
        "const data = new DataTransfer(); data.setData('text/plain', arguments[1]);"
        "arguments[0].dispatchEvent(new DragEvent('dragover', {dataTransfer: data, bubbles: true, cancelable: true}));"
        "arguments[0].dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));",
        row,
        dragged,
    )
    wait_until(browser, f"window.__board.draws > {before} && window.__board.planId !== {new_plan!r}", 120)
    with service.client() as client:
        assert client.get(f"/tickets/{dragged}").json()["locked_technician_id"] == dropped_on
    assert browser.find_element(By.ID, "check").get_attribute("data-ok") == "true"

    # Publish: the draft becomes the plan of the day, version 1.
    latest = browser.execute_script("return window.__board.planId;")
    assert browser.find_element(By.ID, "plan-state").get_attribute("data-state") == "draft"
    browser.find_element(By.ID, "publish-plan").click()
    wait_until(browser, "document.getElementById('plan-state').dataset.state === 'published'")
    assert browser.find_element(By.ID, "plan-state").get_attribute("data-version") == "1"
    assert not browser.find_elements(By.ID, "publish-plan")
    with service.client() as client:
        job = client.get(f"/plans/{latest}/job").json()
        day = client.get(f"/days/{job['date']}/plan").json()
    assert job["state"] == "published" and day["plan_id"] == latest
    keep_screenshot(browser, "publish.png")
    assert_stayed_on_loopback(browser)


def test_a_dispatcher_sees_only_its_directorate(service: Service, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    with service.client() as client:
        directorate_of = {s["school_id"]: s["directorate"] for s in client.get("/schools?limit=5000").json()}
        tickets = client.get("/tickets?status=open&limit=5000").json()
    # The Directorate with the most open tickets to visit; every other one's tickets are out of scope.
    counts = Counter(directorate_of[t["school_id"]] for t in tickets if not t["remote"] and not t["warranty"])
    directorate = counts.most_common(1)[0][0]
    key = service.make_key("dispatcher", [directorate])
    sign_in(browser, service.url, key)
    wait_until(browser, "document.querySelectorAll('#queue li').length > 0")
    options = [
        o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#q-directorate option")
    ]
    assert [o for o in options if o] == [directorate]
    subtitles = [
        li.find_element(By.CSS_SELECTOR, ".q-sub").text
        for li in browser.find_elements(By.CSS_SELECTOR, "#queue li")
    ]
    assert len(subtitles) == counts[directorate]
    assert all(text.startswith(directorate) for text in subtitles)
    assert_stayed_on_loopback(browser)


def test_partner_sees_only_its_technicians(service: Service, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    service.solve(time_limit_s=2)
    with service.client() as client:
        everyone = {t["technician_id"] for t in client.get("/technicians?limit=5000").json()}
    key = service.make_key("partner", service.directorates(), employer=PARTNER)
    with service.client() as client:
        own = {t["technician_id"] for t in client.get("/technicians", headers={"X-API-Key": key}).json()}
    assert own and own < everyone

    sign_in(browser, service.url, key)
    wait_until(browser, "window.__board && window.__board.draws > 0 && document.getElementById('costs')", 60)
    shown_rows = {
        r.get_attribute("data-technician")
        for r in browser.find_elements(By.CSS_SELECTOR, "#timeboard .tb-row")
    }
    costed = {
        r.get_attribute("data-technician")
        for r in browser.find_elements(By.CSS_SELECTOR, "#costs tr[data-technician]")
    }
    assert shown_rows and shown_rows <= own
    assert costed == shown_rows
    route_classes = browser.execute_script(
        "return [...document.querySelectorAll('#map svg path.route')].map(p => p.getAttribute('class'));"
    )
    assert route_classes
    for classes in route_classes:
        assert any(f"route-{technician}" in classes for technician in own), classes
    page = browser.find_element(By.TAG_NAME, "body").text
    for other in everyone - own:
        assert f"{other} ·" not in page
    assert not browser.find_elements(By.ID, "plan-day")
    assert_stayed_on_loopback(browser)
