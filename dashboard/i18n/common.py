"""Strings shared by the shell and every page: navigation, filters, units, states."""

STRINGS: dict[str, dict[str, str]] = {
    "defined_in": {"en": "Defined in {file}", "zh": "定义见 {file}"},
    "app_title": {"en": "Collections dashboard", "zh": "催收运营看板"},
    "nav_weekly": {"en": "Weekly review", "zh": "每周回顾"},
    "nav_recovery": {"en": "Recovery", "zh": "回收与策略"},
    "nav_promises": {"en": "Promises & plans", "zh": "承诺与还款计划"},
    "nav_compliance": {"en": "Compliance", "zh": "合规"},
    "nav_wellbeing": {"en": "Well-being", "zh": "工作负荷与身心健康"},
    "nav_coaching": {"en": "Coaching", "zh": "辅导"},
    "nav_data": {"en": "Data", "zh": "数据"},
    "nav_section_managers": {"en": "Performance", "zh": "业绩"},
    "nav_section_conduct": {"en": "Conduct and people", "zh": "合规与员工"},
    "nav_section_admin": {"en": "Administration", "zh": "管理"},
    "filter_language": {"en": "Language", "zh": "语言"},
    "filter_period": {"en": "Period", "zh": "周期"},
    "filter_mode_week": {"en": "By week", "zh": "按周"},
    "filter_mode_range": {"en": "Date range", "zh": "日期范围"},
    "filter_week": {"en": "Week", "zh": "周"},
    "filter_range": {"en": "From – to (site dates)", "zh": "起止日期（站点时区）"},
    "filter_team": {"en": "Team", "zh": "团队"},
    "filter_agent": {"en": "Agent", "zh": "催收员"},
    "filter_strategy": {"en": "Strategy", "zh": "策略"},
    "filter_product": {"en": "Product", "zh": "产品"},
    "filter_bucket": {"en": "Bucket", "zh": "逾期阶段"},
    "filter_all": {"en": "All", "zh": "全部"},
    "filter_preset": {"en": "Compliance preset", "zh": "合规规则集"},
    "filter_preset_help": {
        "en": "The set of conduct rules the compliance figures are checked against.",
        "zh": "合规指标所依据的行为规则集。",
    },
    "preset_cn": {"en": "China (cn)", "zh": "中国（cn）"},
    "preset_us_reg_f": {"en": "US Regulation F (us_reg_f)", "zh": "美国 Regulation F（us_reg_f）"},
    "unit_pp": {"en": "{value} pp", "zh": "{value}个百分点"},
    "unit_week": {"en": "{year}-W{week:02d}", "zh": "{year}年第{week}周"},
    "list_separator": {"en": ", ", "zh": "、"},
    "download_csv": {"en": "Download CSV", "zh": "下载 CSV"},
    "period_caption": {
        "en": "{start} to {end} · data up to {as_of}",
        "zh": "{start} 至 {end} · 数据截至 {as_of}",
    },
    "first_start_title": {
        "en": "First start: building the database from the sample data…",
        "zh": "首次启动：正在用示例数据构建数据库…",
    },
    "first_start_done": {"en": "Database ready.", "zh": "数据库已就绪。"},
    "first_start_failed": {
        "en": "The database could not be built: {error}",
        "zh": "数据库构建失败：{error}",
    },
    "no_database": {
        "en": "No database at {path}. Load export files on the Data page or run `python -m etl load`.",
        "zh": "{path} 处没有数据库。请在“数据”页上传导出文件，或运行 `python -m etl load`。",
    },
    "page_placeholder": {
        "en": "This page is being built.",
        "zh": "此页面正在建设中。",
    },
    "no_value_reason_zero_denominator": {
        "en": "No data: nothing to divide by in this period.",
        "zh": "无数据：本期分母为零。",
    },
    "account_filter_note": {
        "en": "Strategy, product and bucket filters do not apply to shift-based figures.",
        "zh": "策略、产品和逾期阶段筛选不适用于基于排班的指标。",
    },
}

#: Values of the data contract's vocabularies, shown in both languages.
VOCABULARY: dict[str, dict[str, str]] = {
    "channel_phone": {"en": "Phone", "zh": "电话"},
    "channel_visit": {"en": "Visit", "zh": "外访"},
    "channel_sms": {"en": "SMS", "zh": "短信"},
    "channel_email": {"en": "Email", "zh": "电子邮件"},
    "channel_letter": {"en": "Letter", "zh": "信函"},
    "channel_im": {"en": "IM", "zh": "即时消息"},
    "channel_none": {"en": "No touch", "zh": "无触达"},
    "weekday_1": {"en": "Mon", "zh": "周一"},
    "weekday_2": {"en": "Tue", "zh": "周二"},
    "weekday_3": {"en": "Wed", "zh": "周三"},
    "weekday_4": {"en": "Thu", "zh": "周四"},
    "weekday_5": {"en": "Fri", "zh": "周五"},
    "weekday_6": {"en": "Sat", "zh": "周六"},
    "weekday_7": {"en": "Sun", "zh": "周日"},
}
STRINGS.update(VOCABULARY)
STRINGS.update(
    {
        "col_attempts": {"en": "Attempts", "zh": "触达次数"},
        "col_sends": {"en": "Sends", "zh": "触达次数"},
    }
)
