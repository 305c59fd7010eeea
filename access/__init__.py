"""Access control of the dashboard, without Streamlit or DuckDB: users and their roles and team
scope, password sign-in with lockout, sessions, one-time sign-in links, the role policy
(``access/policy.toml``) with OpenID Connect claim mapping, and the tamper-evident audit trail.

Everything is kept in one SQLite file, ``settings.access_db_path`` (``access.store``).
docs/access.md describes the files, the policy format, the command line and the audit trail.
"""
