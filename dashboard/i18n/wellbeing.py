"""Strings of the Workload and well-being page."""

STRINGS: dict[str, dict[str, str]] = {
    "wb_not_a_rating": {
        "en": "The stress index opens a conversation with an agent about their workload; it is not a performance rating. Agents are listed by team and name, never ranked by their index.",
        "zh": "压力指数用于开启与催收员关于工作负荷的沟通，不是绩效评分。催收员按团队和姓名排列，从不按指数排名。",
    },
    "wb_headline_at_risk": {
        "en": "{n} of {agents} agents are at risk this week (index ≥ {threshold}): {teams}.",
        "zh": "本周 {agents} 名催收员中有 {n} 名处于风险（指数 ≥ {threshold}）：{teams}。",
    },
    "wb_headline_none": {
        "en": "No agent is at risk this week ({agents} agents, threshold {threshold}).",
        "zh": "本周没有催收员处于风险（共 {agents} 名，阈值 {threshold}）。",
    },
    "wb_team_count": {"en": "{team} {n}", "zh": "{team} {n} 名"},
    "wb_no_agents": {
        "en": "No agent had a shift or an attempt in this period for the current filters.",
        "zh": "当前筛选条件下本期没有催收员有排班或催收尝试。",
    },
    "wb_heatmap_section": {"en": "Stress index by agent and week", "zh": "各催收员每周压力指数"},
    "wb_heatmap_title": {
        "en": "{cells} agent-weeks at risk in the last {weeks} weeks, {now} of them this week",
        "zh": "近 {weeks} 周共有 {cells} 个“催收员-周”处于风险，其中本周 {now} 个",
    },
    "wb_heatmap_grey": {
        "en": "Grey: not enough data (fewer than 3 of the 8 components).",
        "zh": "灰色：数据不足（8 个分项中少于 3 个）。",
    },
    "wb_heatmap_by_team": {
        "en": "{agents} agents are in view, more than a row each can show ({max}): each row is a "
        "team, coloured by its agents' mean index, with the number of agents at risk printed. "
        "Choose agents, or a team of at most {max}, in the sidebar to see one row per agent; the "
        "at-risk list below names every agent at risk.",
        "zh": "当前范围内有 {agents} 名催收员，超过逐人显示的上限（{max}）：每行为一个团队，"
        "颜色为其催收员的平均指数，数字为处于风险的人数。在侧边栏选择催收员或不超过 {max} 人的团队即可逐人查看；下方风险名单列出所有处于风险的催收员。",
    },
    "wb_sort": {"en": "Order rows by", "zh": "行排序"},
    "wb_sort_team": {"en": "Team, then agent", "zh": "团队，再按催收员"},
    "wb_sort_agent": {"en": "Agent", "zh": "催收员"},
    "wb_at_risk_section": {"en": "At risk, with the reasons", "zh": "风险名单及原因"},
    "wb_no_at_risk": {
        "en": "No agent reached the threshold of {threshold} in this period.",
        "zh": "本期没有催收员达到阈值 {threshold}。",
    },
    "wb_agent_section": {"en": "One agent", "zh": "单个催收员"},
    "wb_open_agent": {
        "en": "One agent's index components, hostile-call streaks and shifts",
        "zh": "单个催收员的指数构成、连续敌意通话与排班",
    },
    "wb_pick_agent": {"en": "Agent", "zh": "催收员"},
    "wb_components_title": {
        "en": "{agent}: index {index} in {week}; the largest part is {reason}",
        "zh": "{agent}：{week} 指数为 {index}；占比最大的是{reason}",
    },
    "wb_components_title_plain": {
        "en": "{agent}: index {index} in {week}",
        "zh": "{agent}：{week} 指数为 {index}",
    },
    "wb_streak_day": {"en": "Day", "zh": "日期"},
    "wb_streak_title": {
        "en": "Longest hostile run on {day}: {n} calls in a row",
        "zh": "{day} 最长连续敌意通话：{n} 通",
    },
    "wb_no_calls_day": {
        "en": "No calls by {agent} on {day}.",
        "zh": "{agent} 在 {day} 没有通话。",
    },
    "wb_shifts_title": {
        "en": "Logged in {logged} min on {days} shift days; talk and field work {worked} min",
        "zh": "排班 {days} 天共登录 {logged} 分钟；通话和外访 {worked} 分钟",
    },
    "wb_no_days": {
        "en": "No shift rows or activity for {agent} in this period.",
        "zh": "{agent} 本期没有排班记录或工作记录。",
    },
    "wb_team_section": {"en": "Teams", "zh": "团队"},
    "wb_open_teams": {
        "en": "Agents at risk per team over {weeks} weeks, and this week's team figures",
        "zh": "近 {weeks} 周各团队高风险人数及本周团队指标",
    },
    "wb_team_title": {
        "en": "Agents at risk per team over the last {weeks} weeks",
        "zh": "近 {weeks} 周各团队处于风险的催收员人数",
    },
    # components: names, and the reason sentences ({value}, {points} are filled in)
    "wb_component_occupancy": {"en": "Occupancy", "zh": "占用率"},
    "wb_component_overtime_minutes": {"en": "Overtime minutes", "zh": "加班分钟"},
    "wb_component_long_days": {"en": "Long days (> 10 h)", "zh": "超长工作日（> 10 小时）"},
    "wb_component_break_deficit_days": {"en": "Days with too short a break", "zh": "休息不足天数"},
    "wb_component_hostile_share": {"en": "Hostile contact share", "zh": "敌意接触占比"},
    "wb_component_longest_hostile_streak": {
        "en": "Longest hostile streak",
        "zh": "最长连续敌意通话",
    },
    "wb_component_complaints_received": {"en": "Complaints received", "zh": "被投诉数"},
    "wb_component_pulse_score": {"en": "Average pulse score", "zh": "情绪自评均分"},
    "wb_reason_occupancy": {
        "en": "occupancy {value}% (+{points})",
        "zh": "占用率 {value}%（+{points}）",
    },
    "wb_reason_overtime_minutes": {
        "en": "{value} min overtime (+{points})",
        "zh": "加班 {value} 分钟（+{points}）",
    },
    "wb_reason_long_days": {
        "en": "{value} days over 10 hours (+{points})",
        "zh": "{value} 天工作超过 10 小时（+{points}）",
    },
    "wb_reason_break_deficit_days": {
        "en": "{value} days with too short a break (+{points})",
        "zh": "{value} 天休息不足（+{points}）",
    },
    "wb_reason_hostile_share": {
        "en": "{value}% of conversations hostile (+{points})",
        "zh": "{value}% 的接触带有敌意（+{points}）",
    },
    "wb_reason_longest_hostile_streak": {
        "en": "{value} hostile calls in a row (+{points})",
        "zh": "连续 {value} 通敌意通话（+{points}）",
    },
    "wb_reason_complaints_received": {
        "en": "{value} complaints received (+{points})",
        "zh": "被投诉 {value} 次（+{points}）",
    },
    "wb_reason_pulse_score": {
        "en": "pulse score {value} of 5 (+{points})",
        "zh": "情绪自评 {value}/5（+{points}）",
    },
    "wb_reason_separator": {"en": "; ", "zh": "；"},
    # columns and axes
    "wb_col_team": {"en": "Team", "zh": "团队"},
    "wb_col_agent": {"en": "Agent", "zh": "催收员"},
    "wb_col_name": {"en": "Name", "zh": "姓名"},
    "wb_col_week": {"en": "Week", "zh": "周"},
    "wb_col_index": {"en": "Stress index", "zh": "压力指数"},
    "wb_col_reasons": {"en": "Reasons", "zh": "原因"},
    "wb_col_component": {"en": "Component", "zh": "分项"},
    "wb_col_value": {"en": "Value", "zh": "数值"},
    "wb_col_present": {"en": "Counted", "zh": "计入"},
    "wb_col_contribution": {"en": "Points of the index", "zh": "指数贡献"},
    "wb_col_time": {"en": "Time (site)", "zh": "时间（站点）"},
    "wb_col_local_time": {"en": "Debtor's local time", "zh": "债务人当地时间"},
    "wb_col_call": {"en": "Call", "zh": "通话"},
    "wb_col_account": {"en": "Account", "zh": "账户"},
    "wb_col_outcome": {"en": "Outcome", "zh": "结果"},
    "wb_col_rpc": {"en": "Right party", "zh": "本人接听"},
    "wb_col_judged": {"en": "Hostility known", "zh": "可判断敌意"},
    "wb_col_hostile": {"en": "Hostile", "zh": "敌意"},
    "wb_col_streak": {"en": "Run so far", "zh": "当前连续数"},
    "wb_col_day": {"en": "Day", "zh": "日期"},
    "wb_col_scheduled": {"en": "Scheduled min", "zh": "排班分钟"},
    "wb_col_logged": {"en": "Logged-in min", "zh": "登录分钟"},
    "wb_col_break": {"en": "Break min", "zh": "休息分钟"},
    "wb_col_absent": {"en": "Absent", "zh": "缺勤"},
    "wb_col_talk": {"en": "Talk min", "zh": "通话分钟"},
    "wb_col_field": {"en": "Field min", "zh": "外访分钟"},
    "wb_col_attempts": {"en": "Attempts", "zh": "触达次数"},
    "wb_col_agents": {"en": "Number of agents", "zh": "人数"},
    "wb_col_at_risk": {"en": "At risk", "zh": "风险人数"},
    "wb_col_insufficient": {"en": "Not enough data", "zh": "数据不足"},
    "wb_col_median_index": {"en": "Median index", "zh": "指数中位数"},
    "wb_col_occupancy": {"en": "Occupancy", "zh": "占用率"},
    "wb_col_overtime": {"en": "Overtime min", "zh": "加班分钟"},
    "wb_col_long_days": {"en": "Long days", "zh": "超长工作日"},
    "wb_col_break_days": {"en": "Break-deficit days", "zh": "休息不足天数"},
    "wb_col_hostile_contacts": {"en": "Hostile contacts", "zh": "敌意接触"},
    "wb_col_complaints": {"en": "Complaints", "zh": "投诉"},
    "wb_axis_minutes": {"en": "Minutes", "zh": "分钟"},
    "wb_series_scheduled": {"en": "Scheduled", "zh": "排班"},
    "wb_series_logged": {"en": "Logged in", "zh": "登录"},
    "wb_series_worked": {"en": "Talk + field", "zh": "通话 + 外访"},
    "wb_point_hostile": {"en": "Hostile right-party call", "zh": "敌意本人通话"},
    "wb_point_calm": {"en": "Other right-party call", "zh": "其他本人通话"},
    "wb_point_other": {"en": "Not a right-party call", "zh": "非本人通话"},
    "wb_point_unknown": {"en": "Hostility not in export", "zh": "导出中无敌意字段"},
}
