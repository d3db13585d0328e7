"""The service on a free loopback port in a background thread, and headless Chromium to drive it.

Used by the browser test and by ``bench/board_screens.py`` / ``bench/board_draw.py``.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr

from dromologio.api.main import create_app
from dromologio.api.settings import Settings

ADMIN_KEY = "board-admin-key"
INSTALL_HINT = (
    "headless Chromium is needed: apt-get install -y chromium chromium-driver; pip install selenium"
)


@dataclass
class Service:
    url: str
    admin_key: str

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"X-API-Key": self.admin_key}, timeout=30)

    def make_key(self, role: str, directorates: list[str] | None = None, employer: str | None = None) -> str:
        body: dict[str, Any] = {"name": f"{role} {employer or ''}".strip(), "role": role}
        body["directorates"] = directorates or []
        if employer is not None:
            body["employer"] = employer
        with self.client() as client:
            response = client.post("/keys", json=body)
            response.raise_for_status()
            return str(response.json()["api_key"])

    def solve(self, time_limit_s: float = 2.0, timeout_s: float = 120.0) -> str:
        """Plan the next working day for every Directorate (admin key); the plan id once the job has ended."""
        body = {"date": next_working_day().isoformat(), "time_limit_s": time_limit_s}
        with self.client() as client:
            response = client.post("/plans", json=body)
            assert response.status_code == 202, response.text
            plan_id = str(response.json()["plan_id"])
            deadline = time.monotonic() + timeout_s
            while client.get(f"/plans/{plan_id}/job").json()["status"] not in ("done", "failed", "cancelled"):
                if time.monotonic() > deadline:
                    raise AssertionError(f"plan {plan_id} did not finish")
                time.sleep(0.3)
        return plan_id

    def directorates(self) -> list[str]:
        with self.client() as client:
            return sorted({s["directorate"] for s in client.get("/schools?limit=5000").json()})


def next_working_day() -> date:
    """Tomorrow, or the Monday after when tomorrow is a weekend day (the board offers the same)."""
    day = date.today() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_service(folder: Path, *, seed_sample: bool = True, workers: int = 1) -> Iterator[Service]:
    """``create_app`` on a new SQLite file in ``folder`` (the embedded sample imported), served by uvicorn."""
    settings = Settings(
        database_url=f"sqlite:///{folder / 'board.db'}",
        api_key=SecretStr(ADMIN_KEY),
        solver_workers=workers,
        seed_sample=seed_sample,
        auth_failure_limit=0,
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="board-service", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the service did not start")
        time.sleep(0.05)
    try:
        yield Service(url=f"http://127.0.0.1:{port}", admin_key=ADMIN_KEY)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def chromium_paths() -> tuple[str, str] | None:
    """(browser, driver) of Debian's chromium + chromium-driver, or None when either is missing."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        return None
    try:
        import selenium  # noqa: F401
    except ImportError:
        return None
    return browser, driver


def start_browser(width: int = 1600, height: int = 1000) -> Any:
    """Headless Chromium under selenium, with performance logs (every network request) on."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as DriverService

    paths = chromium_paths()
    if paths is None:
        raise RuntimeError(INSTALL_HINT)
    browser, driver = paths
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={width},{height}",
        "--lang=el",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-features=Translate,OptimizationHints,MediaRouter",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return webdriver.Chrome(service=DriverService(executable_path=driver), options=options)


# --- driving the board ---------------------------------------------------------------------------


def wait_until(browser: Any, script: str, timeout_s: float = 60.0) -> Any:
    """Run ``script`` (a JavaScript expression) until it is truthy; its value."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = browser.execute_script(f"return ({script});")
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {script}")
        time.sleep(0.1)


def draws(browser: Any) -> int:
    return int(browser.execute_script("return (window.__board && window.__board.draws) || 0;"))


def sign_in(browser: Any, url: str, key: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{url}/")
    wait_until(browser, "document.getElementById('api-key')")
    browser.find_element(By.ID, "api-key").send_keys(key)
    browser.find_element(By.ID, "signin-button").click()
    wait_until(browser, "document.getElementById('who')")


def plan_day(browser: Any, time_limit_s: int = 2, timeout_s: float = 120.0) -> str:
    """Press "plan the day" with a time limit; wait until the new plan is drawn; its id."""
    from selenium.webdriver.common.by import By

    before = draws(browser)
    wait_until(
        browser, "document.getElementById('plan-day') && !document.getElementById('plan-day').disabled"
    )
    field = browser.find_element(By.ID, "time-limit")
    field.clear()
    field.send_keys(str(time_limit_s))
    browser.find_element(By.ID, "plan-day").click()
    # The progress bar shows while the job runs (or the plan is already drawn).
    wait_until(browser, f"!document.getElementById('progress').hidden || window.__board.draws > {before}")
    wait_until(
        browser, f"window.__board && window.__board.draws > {before} && window.__board.planId", timeout_s
    )
    return str(browser.execute_script("return window.__board.planId;"))


def resource_urls(browser: Any) -> list[str]:
    """Every URL the page loaded or fetched (the Resource Timing entries and the document itself)."""
    return list(
        browser.execute_script(
            "return [location.href, ...performance.getEntriesByType('resource').map(e => e.name)];"
        )
    )


def network_urls(browser: Any) -> list[str]:
    """Every URL Chromium sent a request for, from its performance (DevTools network) log."""
    import json

    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(str(message["params"]["request"]["url"]))
    return urls
