"""Terminal tests wait for real conditions; on a loaded 2-core CI host bash, python and the
Tk loop can be descheduled for seconds, so the default wait here is generous (it only
bounds how long a real failure takes to report)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

WAIT_S = 30.0


@pytest.fixture
def wait_until(wait_until: Callable[..., None]) -> Callable[..., None]:
    """The suite's wait_until with a 30 s default timeout instead of 10 s."""

    def wait(condition: Callable[[], bool], timeout: float = WAIT_S, what: str = "condition") -> None:
        wait_until(condition, timeout=max(timeout, WAIT_S), what=what)

    return wait
