"""Strings of the Compliance page."""

STRINGS: dict[str, dict[str, str]] = {
    "cmp_preset_line": {
        "en": "Rules checked against the **{preset}** preset (switch it in the sidebar).",
        "zh": "按 **{preset}** 规则集检查（可在侧边栏切换）。",
    },
    "cmp_headline": {
        "en": "{violations} rule violations this week, most of them {rule} ({count}, {change} vs last week); {complaints} complaints, {per_1000} per 1,000 attempts.",
        "zh": "本周违规 {violations} 次，最多的是{rule}（{count} 次，较上周 {change}）；投诉 {complaints} 件，每千次催收尝试 {per_1000} 件。",
    },
    "cmp_headline_clean": {
        "en": "No rule violations this week; {complaints} complaints, {per_1000} per 1,000 attempts.",
        "zh": "本周无违规；投诉 {complaints} 件，每千次催收尝试 {per_1000} 件。",
    },
    "cmp_rules_section": {"en": "Rules", "zh": "合规规则"},
    "cmp_complaints_section": {"en": "Complaints", "zh": "投诉"},
    "cmp_records_section": {"en": "The records behind the counts", "zh": "计数背后的记录"},
    # one name and one window description per rule
    "rule_off_hours": {"en": "Off-hours contact", "zh": "非允许时段联系"},
    "rule_daily_cap": {"en": "Daily call cap", "zh": "每日通话上限"},
    "rule_frequency": {"en": "7-day call cap", "zh": "7日通话上限"},
    "rule_quiet_period": {"en": "Quiet period", "zh": "沟通后静默期"},
    "rule_third_party": {"en": "Third-party contact", "zh": "第三方联系"},
    "rule_unverified_disclosure": {"en": "Unverified disclosure", "zh": "未核身即告知债务"},
    "rule_unrecorded": {"en": "Unrecorded calls", "zh": "无录音通话"},
    "rule_threatening_language": {"en": "Threatening language", "zh": "威胁性语言"},
    "rule_window_off_hours": {
        "en": "Allowed {start:02d}:00–{end:02d}:00 in the debtor's zone",
        "zh": "允许时段为债务人当地时间 {start:02d}:00–{end:02d}:00",
    },
    "rule_window_daily_cap": {
        "en": "At most {cap} connected outbound calls per debtor per local day",
        "zh": "每位债务人每个当地自然日最多 {cap} 通接通的外呼",
    },
    "rule_window_frequency": {
        "en": "At most {cap} outbound calls per account in 7 local days",
        "zh": "每个账户 7 个当地自然日内最多 {cap} 通外呼",
    },
    "rule_window_quiet_period": {
        "en": "No outbound call within {days} days after a right-party conversation",
        "zh": "与本人通话后 {days} 天内不得外呼",
    },
    "rule_window_third_party": {
        "en": "Outbound calls and visits that reached a third party",
        "zh": "外呼或外访接触到第三方",
    },
    "rule_window_unverified_disclosure": {
        "en": "Right-party calls without identity verification",
        "zh": "与本人通话但未核实身份",
    },
    "rule_window_unrecorded": {
        "en": "Connected calls without a recording",
        "zh": "已接通但无录音的通话",
    },
    "rule_window_threatening_language": {
        "en": "Call and visit notes matching the lexicon",
        "zh": "通话及外访备注命中威胁词库",
    },
    "cmp_not_a_rule": {
        "en": "Not a rule under this preset",
        "zh": "此规则集中没有该规则",
    },
    "cmp_not_in_export": {
        "en": "Not in export: the files did not carry this column",
        "zh": "导出文件中没有此字段",
    },
    "cmp_card_count": {"en": "This week", "zh": "本周"},
    "cmp_card_delta_caption": {"en": "vs last week", "zh": "较上周"},
    "cmp_top_agents": {"en": "Top agents: {agents}", "zh": "最多的催收员：{agents}"},
    "cmp_no_agents": {"en": "No agent involved", "zh": "不涉及催收员"},
    "cmp_coverage_unverified": {
        "en": "{unknown} right-party calls with verification not recorded, {missing} from files without the column.",
        "zh": "{unknown} 通与本人通话未记录核身结果，{missing} 通来自不含该字段的文件。",
    },
    "cmp_coverage_unrecorded": {
        "en": "{missing} connected calls from files without a recording column.",
        "zh": "{missing} 通已接通通话来自不含录音字段的文件。",
    },
    "cmp_records_pick": {"en": "Show the records of", "zh": "查看以下规则的记录"},
    "cmp_records_count": {
        "en": "{count} records for {rule} in the period; times in the debtor's zone, with the rule's window.",
        "zh": "本期{rule}共 {count} 条记录；时间为债务人当地时间，并列出规则窗口。",
    },
    "cmp_no_records": {
        "en": "No {rule} records in this period for the current filters.",
        "zh": "当前筛选条件下本期没有{rule}记录。",
    },
    "cmp_no_rules": {
        "en": "No rule of this preset produced records in this period.",
        "zh": "本期该规则集下没有违规记录。",
    },
    "cmp_by_team_title": {
        "en": "Violations by team this week",
        "zh": "本周各团队违规次数",
    },
    # complaints
    "cmp_complaints_title": {
        "en": "{category} was the largest complaint category this week ({count} of {total})",
        "zh": "本周最多的投诉类别是{category}（{total} 件中的 {count} 件）",
    },
    "cmp_sources_title": {
        "en": "Most complaints this week came through {source} ({count} of {total})",
        "zh": "本周投诉最多来自{source}（{total} 件中的 {count} 件）",
    },
    "cmp_no_complaints": {
        "en": "No complaints received in the {weeks} weeks up to this one for the current filters.",
        "zh": "当前筛选条件下截至本周的 {weeks} 周内没有收到投诉。",
    },
    "cmp_no_complaints_week": {
        "en": "No complaints received this week for the current filters.",
        "zh": "当前筛选条件下本周没有收到投诉。",
    },
    "cmp_upheld_share": {"en": "Upheld share", "zh": "投诉成立比例"},
    "cmp_upheld_help": {
        "en": "Upheld / (upheld + rejected + resolved) among complaints received this week; – when none is closed.",
        "zh": "本周收到的投诉中：成立 /（成立 + 驳回 + 已解决）；没有已结投诉时显示 –。",
    },
    "cmp_median_days": {"en": "Median days to resolve", "zh": "解决天数中位数"},
    "cmp_median_days_help": {
        "en": "Over complaints received this week that have a resolved time; – when none has.",
        "zh": "以本周收到且有解决时间的投诉计算；没有则显示 –。",
    },
    "cmp_complaints_count": {"en": "Complaints this week", "zh": "本周投诉"},
    "cmp_per_1000": {"en": "Per 1,000 attempts", "zh": "每千次触达投诉数"},
    "cmp_per_1000_help": {
        "en": "Complaints received / attempts × 1,000; – when there were no attempts.",
        "zh": "投诉数 / 催收尝试次数 × 1000；没有催收尝试时显示 –。",
    },
    "cmp_team_rate_title": {
        "en": "Team {team} has the most complaints per 1,000 attempts ({rate})",
        "zh": "{team} 团队每千次催收尝试投诉最多（{rate}）",
    },
    "cmp_team_rate_none": {
        "en": "Complaints per 1,000 attempts by team",
        "zh": "各团队每千次催收尝试投诉",
    },
    "cmp_by_agent": {
        "en": "Complaints per 1,000 attempts by agent",
        "zh": "各催收员每千次催收尝试投诉",
    },
    "cmp_complaint_records": {"en": "Complaints received this week", "zh": "本周收到的投诉"},
    "cmp_complaints_more": {
        "en": "Complaints by source, team and agent, and how they were resolved",
        "zh": "按来源、团队和催收员的投诉及处理情况",
    },
    "cmp_resolution_by_week": {"en": "Resolution by week received", "zh": "按收到周统计的处理情况"},
    # column headers
    "cmp_col_rule": {"en": "Rule", "zh": "规则"},
    "cmp_col_kind": {"en": "Record kind", "zh": "记录类型"},
    "cmp_col_id": {"en": "Id", "zh": "编号"},
    "cmp_col_channel": {"en": "Channel", "zh": "渠道"},
    "cmp_col_local_time": {"en": "Local time", "zh": "当地时间"},
    "cmp_col_timezone": {"en": "Debtor's zone", "zh": "债务人时区"},
    "cmp_col_window_start": {"en": "Window from", "zh": "窗口开始"},
    "cmp_col_window_end": {"en": "Window to", "zh": "窗口结束"},
    "cmp_col_site_time": {"en": "Site time", "zh": "站点时间"},
    "cmp_col_account": {"en": "Account", "zh": "账户"},
    "cmp_col_debtor": {"en": "Debtor", "zh": "债务人"},
    "cmp_col_agent": {"en": "Agent", "zh": "催收员"},
    "cmp_col_team": {"en": "Team", "zh": "团队"},
    "cmp_col_count_in_window": {"en": "Count in window", "zh": "窗口内次数"},
    "cmp_col_detail": {"en": "Detail", "zh": "详情"},
    "cmp_col_week": {"en": "Week", "zh": "周"},
    "cmp_col_complaints": {"en": "Complaints", "zh": "投诉"},
    "cmp_col_per_1000": {"en": "Per 1,000 attempts", "zh": "每千次触达投诉数"},
    "cmp_col_received": {"en": "Received", "zh": "收到时间"},
    "cmp_col_source": {"en": "Source", "zh": "来源"},
    "cmp_col_category": {"en": "Category", "zh": "类别"},
    "cmp_col_severity": {"en": "Severity", "zh": "严重程度"},
    "cmp_col_status": {"en": "Status", "zh": "状态"},
    "cmp_col_resolved": {"en": "Resolved at", "zh": "解决时间"},
    "cmp_col_days": {"en": "Days to resolve", "zh": "解决天数"},
    "cmp_col_upheld": {"en": "Upheld", "zh": "成立"},
    "cmp_col_closed": {"en": "Closed", "zh": "已结"},
    "cmp_col_upheld_share": {"en": "Upheld share", "zh": "投诉成立比例"},
    "cmp_col_median_days": {"en": "Median days", "zh": "天数中位数"},
    "cmp_col_third_party": {"en": "Third-party contacts", "zh": "第三方联系"},
    "cmp_col_third_party_share": {"en": "Third-party share", "zh": "第三方联系占比"},
    "cmp_third_party_title": {
        "en": "Third-party contacts by agent this week",
        "zh": "本周各催收员第三方联系",
    },
    "cmp_axis_week": {"en": "Week starting", "zh": "周起始日"},
    "cmp_axis_count": {"en": "Count", "zh": "次数"},
}

#: complaint vocabularies of the data contract
VOCABULARY: dict[str, dict[str, str]] = {
    "complaint_category_harassment": {"en": "Harassment", "zh": "骚扰"},
    "complaint_category_threat": {"en": "Threat", "zh": "威胁"},
    "complaint_category_third_party_disclosure": {
        "en": "Third-party disclosure",
        "zh": "向第三方泄露",
    },
    "complaint_category_contact_time": {"en": "Contact time", "zh": "联系时间"},
    "complaint_category_contact_frequency": {"en": "Contact frequency", "zh": "联系频率"},
    "complaint_category_wrong_amount": {"en": "Wrong amount", "zh": "金额错误"},
    "complaint_category_privacy": {"en": "Privacy", "zh": "隐私"},
    "complaint_category_rudeness": {"en": "Rudeness", "zh": "态度粗鲁"},
    "complaint_category_other": {"en": "Other", "zh": "其他"},
    "complaint_source_hotline": {"en": "Hotline", "zh": "客服热线"},
    "complaint_source_regulator": {"en": "Regulator", "zh": "监管转办"},
    "complaint_source_app": {"en": "App", "zh": "App"},
    "complaint_source_social_media": {"en": "Social media", "zh": "社交媒体"},
    "complaint_source_email": {"en": "Email", "zh": "电子邮件"},
    "complaint_source_other": {"en": "Other", "zh": "其他"},
    "complaint_status_open": {"en": "Open", "zh": "处理中"},
    "complaint_status_resolved": {"en": "Resolved", "zh": "已解决"},
    "complaint_status_upheld": {"en": "Upheld", "zh": "成立"},
    "complaint_status_rejected": {"en": "Rejected", "zh": "驳回"},
    "record_kind_call": {"en": "Call", "zh": "通话"},
    "record_kind_visit": {"en": "Visit", "zh": "外访"},
    "record_kind_message": {"en": "Message", "zh": "消息"},
    "cmp_col_note": {"en": "Note (identifiers masked)", "zh": "备注（已遮蔽身份信息）"},
    "cmp_unmask_title": {"en": "Read one note unmasked", "zh": "查看单条未遮蔽备注"},
    "cmp_unmask_record": {"en": "Record", "zh": "记录"},
    "cmp_unmask_reason": {
        "en": "Why you need the identifiers (written to the audit trail)",
        "zh": "查看身份信息的原因（将写入审计日志）",
    },
    "cmp_unmask_button": {"en": "Show the note unmasked", "zh": "显示未遮蔽的备注"},
    "cmp_unmask_reason_short": {
        "en": "Give a reason of at least {chars} characters.",
        "zh": "请填写至少 {chars} 个字符的原因。",
    },
    "cmp_unmask_shown": {
        "en": "Note of {record} as written (this reveal is in the audit trail):",
        "zh": "{record} 的原始备注（本次查看已记入审计日志）：",
    },
}
STRINGS.update(VOCABULARY)
