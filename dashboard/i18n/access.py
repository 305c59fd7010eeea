"""Strings of sign-in, roles, the demo banner and the administrators' Users and Audit pages."""

STRINGS: dict[str, dict[str, str]] = {
    "nav_users": {"en": "Users", "zh": "用户"},
    "nav_audit": {"en": "Audit trail", "zh": "审计日志"},
    "auth_sign_in": {"en": "Sign in", "zh": "登录"},
    "auth_sign_in_oidc": {"en": "Sign in with your organisation", "zh": "使用单位账号登录"},
    "auth_user": {"en": "User name", "zh": "用户名"},
    "auth_password": {"en": "Password", "zh": "密码"},
    "auth_refused": {
        "en": "Sign-in refused: the user name or password is wrong, or there were too many "
        "attempts. Try again later or ask an administrator.",
        "zh": "登录被拒绝：用户名或密码错误，或尝试次数过多。请稍后再试或联系管理员。",
    },
    "auth_first_start_hint": {
        "en": "First start? The password of the user admin and a sign-in link are printed once "
        "in the terminal that started the dashboard.",
        "zh": "首次启动？管理员账号 admin 的密码和登录链接只在启动看板的终端中显示一次。",
    },
    "auth_no_role": {
        "en": "You are signed in, but your organisation account has no role in this dashboard. "
        "Ask an administrator to grant one.",
        "zh": "您已登录，但您的单位账号在本看板中没有角色。请联系管理员授权。",
    },
    "auth_policy_invalid": {
        "en": "The access policy cannot be read: {error}",
        "zh": "无法读取访问策略：{error}",
    },
    "auth_sign_out": {"en": "Sign out", "zh": "退出登录"},
    "auth_signed_in_as": {
        "en": "Signed in as **{name}** · {role} · teams: {teams}",
        "zh": "当前用户 **{name}** · {role} · 团队：{teams}",
    },
    "auth_all_teams": {"en": "all", "zh": "全部"},
    "auth_not_allowed_title": {"en": "Not allowed", "zh": "无权访问"},
    "auth_not_allowed": {
        "en": "Not allowed: your role does not include this page.",
        "zh": "无权访问：您的角色不包含此页面。",
    },
    "role_admin": {"en": "administrator", "zh": "管理员"},
    "role_manager": {"en": "manager", "zh": "经理"},
    "role_trainer": {"en": "trainer", "zh": "培训师"},
    "role_compliance": {"en": "compliance officer", "zh": "合规专员"},
    "role_demo": {"en": "demo visitor", "zh": "演示访客"},
    "demo_banner": {
        "en": "Demo mode: the shipped sample data, read-only, open without sign-in. No real "
        "operation's data is served here.",
        "zh": "演示模式：仅展示随附的样例数据，只读，无需登录。此处不提供任何真实业务数据。",
    },
    "scope_caption": {
        "en": "You see teams {teams} only; figures compared with peers use the rest of the "
        "portfolio as one aggregate, never its individual rows.",
        "zh": "您只能查看团队 {teams}；与同行比较的指标把其余组合作为一个整体汇总，不显示其明细。",
    },
    "cmp_records_role_only": {
        "en": "The records behind these counts (borrowers, notes, times) are open to compliance "
        "officers; ask one to review a flag.",
        "zh": "这些计数背后的记录（借款人、备注、时间）仅向合规专员开放；如需复核请联系合规专员。",
    },
    # Users page
    "usr_title": {"en": "Users", "zh": "用户"},
    "usr_caption": {
        "en": "Who may sign in, with which role and teams. Passwords are stored only as salted "
        "hashes; a new or reset password is shown once, here.",
        "zh": "可登录的用户及其角色和团队。密码仅以加盐哈希保存；新密码或重置后的密码只在此处显示一次。",
    },
    "usr_add": {"en": "Add a user", "zh": "添加用户"},
    "usr_name": {"en": "User name", "zh": "用户名"},
    "usr_role": {"en": "Role", "zh": "角色"},
    "usr_teams": {"en": "Teams (empty: every team)", "zh": "团队（留空：全部团队）"},
    "usr_create": {"en": "Create user", "zh": "创建用户"},
    "usr_created": {
        "en": "User {name} created. Their password, shown only now: `{password}`",
        "zh": "已创建用户 {name}。其密码仅此一次显示：`{password}`",
    },
    "usr_manage": {"en": "Change a user", "zh": "修改用户"},
    "usr_pick": {"en": "User", "zh": "用户"},
    "usr_reset": {"en": "Reset password", "zh": "重置密码"},
    "usr_reset_done": {
        "en": "New password of {name}, shown only now: `{password}`",
        "zh": "{name} 的新密码仅此一次显示：`{password}`",
    },
    "usr_disable": {"en": "Disable user", "zh": "停用用户"},
    "usr_disabled": {
        "en": "{name} is disabled and signed out everywhere.",
        "zh": "{name} 已停用，并已在所有设备上退出登录。",
    },
    "usr_error": {"en": "Not done: {error}", "zh": "未完成：{error}"},
    "usr_col_name": {"en": "User", "zh": "用户"},
    "usr_col_role": {"en": "Role", "zh": "角色"},
    "usr_col_teams": {"en": "Teams", "zh": "团队"},
    "usr_col_disabled": {"en": "Disabled", "zh": "已停用"},
    "usr_col_created": {"en": "Created", "zh": "创建时间"},
    "usr_col_last_sign_in": {"en": "Last sign-in", "zh": "上次登录"},
    # Audit page
    "aud_title": {"en": "Audit trail", "zh": "审计日志"},
    "aud_caption": {
        "en": "Every sign-in, sign-out, refused page, export, load, view of one agent's "
        "well-being, user change and unmasking, append-only. Each entry carries the hash of "
        "the one before, so a changed or deleted entry breaks the chain.",
        "zh": "所有登录、退出、被拒访问、导出、数据加载、查看单个催收员身心健康数据、用户变更和"
        "取消遮蔽的记录，只追加不修改。每条记录都带有上一条的哈希值，任何修改或删除都会使链条断开。",
    },
    "aud_intact": {
        "en": "Chain intact: {entries} entries checked.",
        "zh": "链条完整：已校验 {entries} 条记录。",
    },
    "aud_broken": {
        "en": "Chain broken at entry {entry}: {reason}",
        "zh": "链条在第 {entry} 条记录处断开：{reason}",
    },
    "aud_actor": {"en": "User", "zh": "用户"},
    "aud_action": {"en": "Action", "zh": "操作"},
    "aud_days": {"en": "Dates", "zh": "日期"},
    "aud_empty": {
        "en": "No entries for these filters.",
        "zh": "没有符合这些筛选条件的记录。",
    },
    "aud_col_id": {"en": "Entry", "zh": "序号"},
    "aud_col_at": {"en": "At (UTC)", "zh": "时间（UTC）"},
    "aud_col_detail": {"en": "Detail", "zh": "详情"},
}
