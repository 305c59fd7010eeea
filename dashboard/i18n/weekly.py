"""Strings of the Weekly review page."""

STRINGS: dict[str, dict[str, str]] = {
    "kpi_collected": {"en": "Collected", "zh": "回收金额"},
    "kpi_recovery_rate_30d": {"en": "Recovery rate 30d", "zh": "30天回收率"},
    "kpi_rpc_rate": {"en": "RPC rate", "zh": "本人接触率"},
    "kpi_ptp_rate": {"en": "PTP rate", "zh": "承诺还款率"},
    "kpi_kept_rate": {"en": "Kept rate", "zh": "承诺兑现率"},
    "kpi_installment_on_time_rate": {"en": "Installments on time", "zh": "分期按时率"},
    "kpi_complaints_per_1000_attempts": {
        "en": "Complaints per 1,000 attempts",
        "zh": "每千次触达投诉数",
    },
    "kpi_agents_at_risk": {"en": "Agents at risk", "zh": "高风险催收员"},
    "kpi_help_collected": {
        "en": "Payments minus reversals paid this week.",
        "zh": "本周实收金额减去冲正。",
    },
    "kpi_help_recovery_rate_30d": {
        "en": "Collected ÷ balance at assignment over the 30 days after assignment, for accounts whose 30-day window closed this week.",
        "zh": "本周 30 天窗口结束的账户：分配后 30 天内回收金额 ÷ 分配时余额。",
    },
    "kpi_help_rpc_rate": {
        "en": "(Outbound RPC calls + RPC visits) ÷ (outbound calls + visits).",
        "zh": "（外呼本人接触 + 外访本人接触）÷（外呼次数 + 外访次数）。",
    },
    "kpi_help_ptp_rate": {
        "en": "Promises made ÷ right-party contacts.",
        "zh": "新增承诺 ÷ 本人接触次数。",
    },
    "kpi_help_kept_rate": {
        "en": "Promises kept ÷ promises due this week (promise date + grace).",
        "zh": "本周到期（承诺日期 + 宽限期）的承诺中已兑现的比例。",
    },
    "kpi_help_installment_on_time_rate": {
        "en": "Installments paid in full by their due day + grace ÷ installments due this week.",
        "zh": "本周到期分期中在到期日 + 宽限期内足额还款的比例。",
    },
    "kpi_help_complaints_per_1000_attempts": {
        "en": "Complaints received this week per 1,000 attempts. A rise is bad.",
        "zh": "本周每千次催收尝试收到的投诉数。上升为不利。",
    },
    "kpi_help_agents_at_risk": {
        "en": "Agents whose stress index reached the threshold this week. A rise is bad.",
        "zh": "本周压力指数达到阈值的催收员人数。上升为不利。",
    },
    "kpi_no_value": {
        "en": "–: nothing to measure this week (no denominator).",
        "zh": "–：本周无可计量数据（分母为零）。",
    },
    "kpi_caption": {"en": "4-wk avg {avg}", "zh": "四周均值 {avg}"},
    "kpi_change_help": {
        "en": "The arrow shows the change against last week (rates in percentage points), green when it is good news.",
        "zh": "箭头表示较上周的变化（比率以百分点计），绿色表示向好。",
    },
    "wk_headline": {
        "en": "{collected} collected in {week}; {improved} of {total} figures improved on last week.",
        "zh": "{week} 回收 {collected}；{total} 项指标中 {improved} 项较上周改善。",
    },
    "wk_headline_worse": {
        "en": "Watch: {names}.",
        "zh": "需关注：{names}。",
    },
    "wk_section_trends": {"en": "12-week trends", "zh": "12 周趋势"},
    "wk_trend_title": {
        "en": "Since {first}, {better} figures improved and {worse} worsened",
        "zh": "自 {first} 以来，{better} 项指标改善，{worse} 项指标恶化",
    },
    "wk_trend_title_plain": {"en": "The last 12 weeks", "zh": "最近 12 周"},
    "wk_section_teams": {"en": "Teams", "zh": "团队"},
    "wk_teams_caption": {
        "en": "Activity figures by the acting agent's team; collected, recovery and installments by the account's team. Sparklines: the last {weeks} weeks.",
        "zh": "活动类指标按执行催收员所在团队统计；回收金额、回收率和分期按账户所属团队统计。迷你图：最近 {weeks} 周。",
    },
    "wk_no_teams": {
        "en": "No team activity in {week} under these filters.",
        "zh": "在当前筛选下，{week} 没有团队活动。",
    },
    "wk_collected_trend": {"en": "Collected, weekly", "zh": "每周回收"},
    "wk_rpc_trend": {"en": "RPC rate, weekly", "zh": "每周本人接触率"},
    "wk_section_movers": {"en": "Movers", "zh": "变化最大"},
    "wk_mover_metric": {"en": "Largest change in", "zh": "变化指标"},
    "wk_metric_collected": {"en": "Collected", "zh": "回收金额"},
    "wk_metric_rpc_rate": {"en": "RPC rate", "zh": "本人接触率"},
    "wk_movers_teams": {"en": "Teams", "zh": "团队"},
    "wk_level_team": {"en": "team", "zh": "团队"},
    "wk_level_agent": {"en": "agent", "zh": "催收员"},
    "wk_movers_agents": {"en": "Agents", "zh": "催收员"},
    "wk_movers_help": {
        "en": "Only teams and agents with at least {min} attempts in both weeks are compared.",
        "zh": "仅比较两周均至少有 {min} 次尝试的团队和催收员。",
    },
    "wk_no_movers": {
        "en": "No {level} had at least {min} attempts both this week and last week, so none is compared.",
        "zh": "本周和上周均至少有 {min} 次尝试的{level}不存在，无法比较。",
    },
    "wk_mover_sentence": {
        "en": "**{name}**: {metric} {direction} {change} ({previous} → {current}). {reason}",
        "zh": "**{name}**：{metric}{direction} {change}（{previous} → {current}）。{reason}",
    },
    "wk_up": {"en": "up", "zh": "上升"},
    "wk_down": {"en": "down", "zh": "下降"},
    "wk_reason_input": {
        "en": "The input that moved most: {input}, {previous} → {current}.",
        "zh": "变化最大的驱动因素：{input}，{previous} → {current}。",
    },
    "wk_reason_channel_mix": {
        "en": "The input that moved most: the channel mix ({share} of attempts changed channel).",
        "zh": "变化最大的驱动因素：渠道结构（{share} 的尝试换了渠道）。",
    },
    "wk_reason_none": {
        "en": "No single input stands out.",
        "zh": "没有单一的突出驱动因素。",
    },
    "input_attempts": {"en": "attempts", "zh": "尝试次数"},
    "input_rpc_rate": {"en": "RPC rate", "zh": "本人接触率"},
    "input_ptp_rate": {"en": "PTP rate", "zh": "承诺还款率"},
    "input_kept_rate": {"en": "kept rate", "zh": "承诺兑现率"},
    "wk_trend_panel_pct": {"en": "{name} (%)", "zh": "{name}（%）"},
    "wk_open_trends": {
        "en": "Each figure's last {weeks} weeks, with axes",
        "zh": "各指标近 {weeks} 周走势（带坐标轴）",
    },
    "wk_trend_panels_title": {
        "en": "The eight figures over {weeks} weeks, each on its own scale",
        "zh": "八项指标近 {weeks} 周走势（各自刻度）",
    },
    "wk_records_at_risk": {"en": "Agents at risk this week", "zh": "本周高风险催收员"},
    "wk_records_complaints": {"en": "Complaints this week", "zh": "本周投诉"},
    "col_reasons": {"en": "Reasons", "zh": "原因"},
    "col_stress_index": {"en": "Stress index", "zh": "压力指数"},
    "col_agent_name": {"en": "Name", "zh": "姓名"},
    "col_rpc_rate": {"en": "RPC rate", "zh": "本人接触率"},
    "col_ptp_rate": {"en": "PTP rate", "zh": "承诺还款率"},
    "col_kept_rate": {"en": "Kept rate", "zh": "承诺兑现率"},
    "col_recovery_rate_30d": {"en": "Recovery 30d", "zh": "30天回收率"},
    "col_installment_on_time_rate": {"en": "Installments on time", "zh": "分期按时率"},
    "col_complaints_per_1000": {"en": "Complaints /1,000", "zh": "每千次投诉"},
    "col_agents_at_risk": {"en": "At-risk agents", "zh": "高风险人数"},
    "col_received_at": {"en": "Received", "zh": "收到时间"},
    "col_category": {"en": "Category", "zh": "类别"},
    "col_severity": {"en": "Severity", "zh": "严重程度"},
    "col_complaint": {"en": "Complaint", "zh": "投诉"},
}
