"""Rule tests place schools by kilometres on hand-made maps: they travel by the
straight-line estimate (``DROMOLOGIO_ROUTING=estimate``), so every distance they
state is the one the rule sees, whatever the embedded road network makes of the place."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def straight_line_travel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DROMOLOGIO_ROUTING", "estimate")
