"""Open a page with widget choices seeded in the session state, for the page tests: a test
picks a page widget's value (an agent, a rule) before the page's first run, as a user's earlier
choice would have left it."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import signed_in_app


def open_seeded(
    page: str, state: dict[str, Any], *, role: str = "admin", **params: str | list[str]
) -> AppTest:
    """Like ``open_page`` with ``state`` written to the session before ``page`` first runs."""
    at = signed_in_app(role)
    at.query_params.update(params)
    at.run()
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at
