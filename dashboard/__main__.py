"""Administration of the dashboard from the command line.

    python -m dashboard users add NAME --role ROLE [--teams T1,T2] [--password-stdin]
    python -m dashboard users passwd NAME [--generate | --password-stdin]
    python -m dashboard users list | disable NAME | enable NAME | role NAME ROLE
    python -m dashboard users teams NAME (--teams T1,T2 | --all) | link NAME | signout NAME
    python -m dashboard audit verify | show
    python -m dashboard [--port 8501] [--demo] [--no-browser]     (start the dashboard)

Every change is written to the audit trail as ``cli:<operating-system user>``. The store and
the policy are the settings' (``CDASH_ACCESS_DB_PATH``, ``CDASH_POLICY_PATH``).
"""

from __future__ import annotations

import getpass
from typing import Annotated, NoReturn
from zoneinfo import ZoneInfo

import typer

from access import audit
from access.policy import PolicyError
from access.users import (
    UserError,
    add_user,
    disable_user,
    enable_user,
    end_all_sessions,
    issue_signin_token,
    list_users,
    normalize_name,
    set_password,
    set_role,
    set_teams,
)
from dashboard.serve import DEFAULT_PORT, serve
from queries.settings import Settings, get_settings

app = typer.Typer(
    add_completion=False,
    help="Administration of the dashboard: users and the audit trail.",
)
users_app = typer.Typer(no_args_is_help=True, help="Who may sign in, with which role and teams.")
audit_app = typer.Typer(no_args_is_help=True, help="The tamper-evident audit trail.")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")


# --- serve: `python -m dashboard` without a command -------------------------------------------


@app.callback(invoke_without_command=True)
def main(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="The port to serve on.")] = DEFAULT_PORT,
    demo: Annotated[
        bool, typer.Option("--demo", help="The shipped sample only, read-only, no sign-in.")
    ] = False,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser.")
    ] = False,
) -> None:
    """Without a command: start the dashboard (on first start, create admin and print its
    password and a one-time sign-in link)."""
    if ctx.invoked_subcommand is None:
        raise typer.Exit(serve(port=port, demo=demo, open_browser=not no_browser))


# --- helpers -----------------------------------------------------------------------------------


def _settings() -> Settings:
    return get_settings()


def actor() -> str:
    """Who acts from the command line: ``cli:<operating-system user>``."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError, ImportError):  # no name for this uid (a bare container)
        user = "unknown"
    return f"cli:{user}"


def _fail(error: Exception) -> NoReturn:
    typer.echo(f"error: {str(error).splitlines()[0]}", err=True)
    raise typer.Exit(1)


def _stdin_password() -> str:
    """One line of standard input, without its line ending."""
    return typer.get_text_stream("stdin").readline().rstrip("\r\n")


def _teams(text: str | None) -> list[str] | None:
    return None if text is None else text.split(",")


def _scope(teams: tuple[str, ...] | None) -> str:
    if teams is None:
        return "all"
    return ",".join(teams) if teams else "(none)"


# --- users -------------------------------------------------------------------------------------

PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from one line of stdin.")
]


@users_app.command("add")
def users_add(
    name: str,
    role: Annotated[str, typer.Option("--role", help="A role of the policy file.")],
    teams: Annotated[
        str | None,
        typer.Option("--teams", help="The team_ids this user sees, T1,T2 (default: every team)."),
    ] = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a user; prints the generated password once (unless --password-stdin)."""
    password = _stdin_password() if password_stdin else None
    settings = _settings()
    try:
        secret = add_user(name, role, _teams(teams), password, actor=actor(), settings=settings)
    except (UserError, PolicyError, OSError) as error:
        _fail(error)
    row = next(u for u in list_users(settings) if u.name == normalize_name(name))
    typer.echo(f"added {row.name}: role {row.role}, teams {_scope(row.teams)}")
    if password is None:
        typer.echo(f"password (shown once, not stored): {secret}")


@users_app.command("passwd")
def users_passwd(
    name: str,
    generate: Annotated[
        bool, typer.Option("--generate", help="Generate a password and print it once.")
    ] = False,
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a user's password (asked twice, hidden); ends the user's sessions."""
    if generate and password_stdin:
        _fail(ValueError("choose --generate or --password-stdin, not both"))
    if generate:
        password = None
    elif password_stdin:
        password = _stdin_password()
    else:
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        secret = set_password(name, password, actor=actor(), settings=_settings())
    except (UserError, PolicyError, OSError) as error:
        _fail(error)
    typer.echo(f"password of {normalize_name(name)} changed; their sessions have ended")
    if generate:
        typer.echo(f"password (shown once, not stored): {secret}")


@users_app.command("list")
def users_list() -> None:
    """Every user: role, teams, status, created, last sign-in (site time)."""
    settings = _settings()
    zone = ZoneInfo(settings.site_timezone)
    rows = [("name", "role", "teams", "status", "created", "last sign-in")]
    for user in list_users(settings):
        created = user.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        last = (
            user.last_sign_in.astimezone(zone).strftime("%Y-%m-%d %H:%M")
            if user.last_sign_in
            else "-"
        )
        status = "disabled" if user.disabled else "active"
        rows.append((user.name, user.role, _scope(user.teams), status, created, last))
    if len(rows) == 1:
        typer.echo("no users yet")
        return
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        typer.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


@users_app.command("disable")
def users_disable(name: str) -> None:
    """Disable a user; their sessions and sign-in links end now."""
    try:
        disable_user(name, actor=actor(), settings=_settings())
    except (UserError, PolicyError, OSError) as error:
        _fail(error)
    typer.echo(f"disabled {normalize_name(name)}")


@users_app.command("enable")
def users_enable(name: str) -> None:
    """Let a disabled user sign in again."""
    try:
        enable_user(name, actor=actor(), settings=_settings())
    except (UserError, PolicyError, OSError) as error:
        _fail(error)
    typer.echo(f"enabled {normalize_name(name)}")


@users_app.command("role")
def users_role(name: str, role: str) -> None:
    """Give a user another role (applies at their next page run)."""
    try:
        set_role(name, role, actor=actor(), settings=_settings())
    except (UserError, PolicyError, OSError) as error:
        _fail(error)
    typer.echo(f"{normalize_name(name)} is now {role}")


@users_app.command("teams")
def users_teams(
    name: str,
    teams: Annotated[
        str | None, typer.Option("--teams", help="The team_ids this user sees, T1,T2.")
    ] = None,
    all_teams: Annotated[bool, typer.Option("--all", help="Every team.")] = False,
) -> None:
    """Change the teams a user sees."""
    if (teams is None) == (not all_teams):
        _fail(ValueError("give --teams T1,T2 or --all"))
    try:
        set_teams(name, None if all_teams else _teams(teams), actor=actor(), settings=_settings())
    except (UserError, PolicyError, OSError) as error:
        _fail(error)
    typer.echo(f"{normalize_name(name)} now sees teams {'all' if all_teams else teams}")


@users_app.command("link")
def users_link(
    name: str,
    base_url: Annotated[
        str, typer.Option("--base-url", help="The dashboard's address as users open it.")
    ] = "http://localhost:8501",
) -> None:
    """Print a one-time sign-in link for a user (valid CDASH_SIGNIN_TOKEN_HOURS, 24 h)."""
    try:
        token = issue_signin_token(name, actor=actor(), settings=_settings())
    except (UserError, PolicyError, OSError) as error:
        _fail(error)
    typer.echo(f"{base_url.rstrip('/')}/?signin={token}")


@users_app.command("signout")
def users_signout(name: str) -> None:
    """End every session and unused sign-in link of a user."""
    try:
        end_all_sessions(name, actor=actor(), settings=_settings())
    except (UserError, PolicyError, OSError) as error:
        _fail(error)
    typer.echo(f"signed {normalize_name(name)} out everywhere")


# --- audit -------------------------------------------------------------------------------------


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the hash chain: exit 0 when intact, 1 naming the first broken entry."""
    check = audit.verify(settings=_settings())
    if not check.ok:
        typer.echo(f"audit trail broken at entry {check.first_broken}: {check.reason}")
        raise typer.Exit(1)
    typer.echo(f"audit trail intact: {check.entries} entries")
    if check.head_hash:
        typer.echo(f"last entry's hash: {check.head_hash}")


@audit_app.command("show")
def audit_show(
    limit: Annotated[int, typer.Option("--limit", help="How many entries, newest first.")] = 20,
    who: Annotated[str | None, typer.Option("--actor", help="Only this actor.")] = None,
    action: Annotated[str | None, typer.Option("--action", help="Only this action.")] = None,
) -> None:
    """The latest entries: id, time (UTC), actor, action, detail."""
    rows = audit.entries(settings=_settings(), actor=who, action=action, limit=limit)
    for row in rows:
        typer.echo(
            f"{row['id']:>6}  {row['at'][:19]}Z  {row['actor']}  {row['action']}  {row['detail_json']}"
        )


if __name__ == "__main__":
    app()
