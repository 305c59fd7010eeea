"""The dashboard's entry point: first-start database build, navigation, sidebar filters, and
the filter state written to the URL on every page.

Run from the repository root: ``streamlit run dashboard/app.py``, with the project installed
(``pip install -e .``), which is how the packages it imports are found.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard import data, session, state
from dashboard.components.sidebar import render_sidebar
from dashboard.components.upload import progress_bar
from dashboard.i18n import t
from queries.settings import get_settings

# Not "pages/": a folder of that name beside the entry point puts Streamlit in its legacy
# multipage mode, where a link to a page runs that page alone, without this file's sidebar.
PAGES_DIR = Path(__file__).resolve().parent / "views"
#: Served by the app itself: a Material icon as favicon is fetched from fonts.gstatic.com, and the
#: dashboard runs offline.
FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"

#: (section key, [(script, title key, icon, url path)]) in menu order; the first page is the default
NAVIGATION: tuple[tuple[str, tuple[tuple[str, str, str, str], ...]], ...] = (
    (
        "nav_section_managers",
        (
            ("weekly_review.py", "nav_weekly", ":material/calendar_view_week:", "weekly"),
            ("recovery.py", "nav_recovery", ":material/savings:", "recovery"),
            ("promises.py", "nav_promises", ":material/handshake:", "promises"),
            ("flow.py", "nav_flow", ":material/swap_vert:", "flow"),
            ("agencies.py", "nav_agencies", ":material/corporate_fare:", "agencies"),
        ),
    ),
    (
        "nav_section_conduct",
        (
            ("compliance.py", "nav_compliance", ":material/gavel:", "compliance"),
            ("wellbeing.py", "nav_wellbeing", ":material/favorite:", "wellbeing"),
            ("coaching.py", "nav_coaching", ":material/school:", "coaching"),
        ),
    ),
    (
        "nav_section_admin",
        (
            ("data.py", "nav_data", ":material/database:", "data"),
            ("users.py", "nav_users", ":material/group:", "users"),
            ("audit.py", "nav_audit", ":material/policy:", "audit"),
        ),
    ),
)


def build_database_on_first_start() -> None:
    """Build the database from the sample data when it does not exist yet (or refresh the
    derived models an older release built), with visible progress (the loader's build takes a
    file lock, so two first visitors build it once)."""
    if data.database_ready():
        return
    from etl.build import ensure_database

    settings = get_settings()
    with st.status(t("first_start_title"), expanded=True) as status:
        on_progress = progress_bar(t("first_start_title"))
        try:
            ensure_database(
                Path(settings.served_db_path), Path(settings.sample_data_dir), on_progress
            )
        except Exception as error:  # one line for the user, never an exception's text
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            status.update(label=t("first_start_failed", error=reason), state="error")
            st.stop()
        status.update(label=t("first_start_done"), state="complete", expanded=False)


def _refused(url: str) -> Callable[[], None]:
    """The page a role may not open: reachable by its URL only to say so (and be audited)."""

    def refused() -> None:
        session.refuse(url)

    refused.__name__ = f"refused_{url}"
    return refused


def navigation() -> StreamlitPage:
    """The role's pages in the menu; every other page's URL leads to a plain refusal."""
    allowed = [url for _, entries in NAVIGATION for *_, url in entries if session.may_open(url)]
    pages: dict[str, list[StreamlitPage]] = {}
    hidden: list[StreamlitPage] = []
    for section, entries in NAVIGATION:
        for script, title, icon, url in entries:
            if url in allowed:
                page = st.Page(
                    PAGES_DIR / script,
                    title=t(title),
                    icon=icon,
                    url_path=url,
                    default=url == allowed[0],
                )
                pages.setdefault(t(section), []).append(page)
            else:
                hidden.append(
                    st.Page(_refused(url), title=t(title), url_path=url, visibility="hidden")
                )
    if hidden:
        pages.setdefault(t(NAVIGATION[-1][0]), []).extend(hidden)
    return st.navigation(pages)


def main() -> None:
    state.read_url_once()  # first, so the page title is already in the linked language
    st.set_page_config(page_title=t("app_title"), page_icon=str(FAVICON), layout="wide")
    identity = session.require_identity()
    build_database_on_first_start()
    if get_settings().demo_mode:
        st.info(t("demo_banner"), icon=":material/visibility:")
    page = navigation()
    with st.sidebar:
        session.identity_line(identity)
    render_sidebar(data.slicer_choices())
    state.write_url()
    session.write_pending_cookie()
    st.session_state[session.PAGE_KEY] = page.url_path
    page.run()


main()
