"""Strings of the Coaching page."""

STRINGS: dict[str, dict[str, str]] = {
    "coa_window": {
        "en": "Needs are judged over the four weeks {first} to {last}; a team's rate never includes the agent judged. Strategy, product and bucket filters do not apply: coaching judges the agent's whole portfolio, peer-adjusted by bucket.",
        "zh": "辅导需求按 {first} 至 {last} 四周判断；团队比率不含被评估的催收员本人。策略、产品和逾期阶段筛选不适用：辅导按催收员的全部案件评估，并按逾期阶段做同伴调整。",
    },
    "coa_headline": {
        "en": "{needs} coaching needs for {agents} agents; the most common topic is {topic} ({count}).",
        "zh": "{agents} 名催收员共有 {needs} 项辅导需求；最常见的主题是{topic}（{count} 项）。",
    },
    "coa_headline_none": {
        "en": "No coaching need in these four weeks: every agent is within the thresholds or below the minimum sample of {min_sample}.",
        "zh": "这四周没有辅导需求：所有催收员都在阈值内，或样本量低于 {min_sample}。",
    },
    "coa_queue_section": {"en": "Coaching queue", "zh": "辅导队列"},
    "coa_topic_heading": {"en": "{topic} · {count}", "zh": "{topic} · {count} 项"},
    "coa_queue_download": {"en": "The whole queue", "zh": "完整队列"},
    "coa_agent_section": {"en": "One agent", "zh": "单个催收员"},
    "coa_open_agent": {
        "en": "One agent's rates by bucket against the team, and past sessions",
        "zh": "单个催收员各逾期阶段的比率与团队对比，以及历次辅导",
    },
    "coa_open_effect": {
        "en": "Whether coaching on each topic helped, over every session so far",
        "zh": "各主题辅导是否有效（迄今全部辅导）",
    },
    "coa_pick_agent": {"en": "Agent", "zh": "催收员"},
    "coa_bucket_title": {
        "en": "{agent}: {sentence}",
        "zh": "{agent}：{sentence}",
    },
    "coa_bucket_title_plain": {
        "en": "{agent}: rates by bucket beside the team's (without the agent)",
        "zh": "{agent}：各逾期阶段比率与团队（不含本人）对比",
    },
    "coa_no_buckets": {
        "en": "{agent} has no right-party contacts or due promises in these four weeks.",
        "zh": "{agent} 这四周没有本人接触或到期承诺。",
    },
    "coa_sessions_section": {"en": "Past coaching sessions", "zh": "历史辅导记录"},
    "coa_no_sessions": {
        "en": "No coaching sessions recorded for {agent} up to this week (load coaching_sessions files to see them).",
        "zh": "截至本周没有 {agent} 的辅导记录（导入 coaching_sessions 文件后可见）。",
    },
    "coa_effect_section": {"en": "Coaching effect by topic", "zh": "各主题辅导效果"},
    "coa_effect_title": {
        "en": "{topic} sessions improved their metric in {improved} of {judged} judged sessions",
        "zh": "{topic}辅导在 {judged} 次已评估的辅导中有 {improved} 次带来改善",
    },
    "coa_effect_title_none": {
        "en": "No session is judged yet (each needs 28 days after it)",
        "zh": "尚无可评估的辅导（每次辅导需经过 28 天）",
    },
    "coa_no_effect": {
        "en": "No coaching sessions recorded up to this week for the current filters.",
        "zh": "当前筛选条件下截至本周没有辅导记录。",
    },
    "coa_effect_caption": {
        "en": 'Each session\'s topic metric over the 28 days before and the 28 days after it; "in progress" until the second window has passed.',
        "zh": "比较每次辅导前 28 天与后 28 天的主题指标；后一窗口未结束时显示“进行中”。",
    },
    # topics (the queue's groups)
    "coa_topic_negotiation": {"en": "Negotiation", "zh": "谈判技巧"},
    "coa_topic_promise_quality": {"en": "Promise quality", "zh": "还款方案设计"},
    "coa_topic_communication_compliance": {
        "en": "Communication and compliance",
        "zh": "沟通与合规",
    },
    "coa_topic_rules": {"en": "Rules and regulations", "zh": "法律法规"},
    "coa_topic_emotional_resilience": {"en": "Emotional resilience", "zh": "情绪管理"},
    "coa_topic_other": {"en": "Other", "zh": "其他"},
    # the evidence, one sentence per metric ({value}, {benchmark}, {ratio}, {sample}, {events})
    "coa_evidence_ptp_rate": {
        "en": "PTP rate {value}% vs {benchmark}% expected for this portfolio ({events} promises in {sample} right-party contacts)",
        "zh": "承诺还款率 {value}%，按其案件结构预期为 {benchmark}%（{sample} 次本人接触中 {events} 次承诺）",
    },
    "coa_evidence_kept_rate": {
        "en": "Kept rate {value}% vs {benchmark}% expected for this portfolio ({events} kept of {sample} due)",
        "zh": "守约率 {value}%，按其案件结构预期为 {benchmark}%（{sample} 个到期承诺中守约 {events} 个）",
    },
    "coa_evidence_complaints_per_1000": {
        "en": "{value} complaints per 1,000 attempts vs {benchmark} for the team ({events} in {sample} attempts)",
        "zh": "每千次催收尝试投诉 {value} 件，团队为 {benchmark} 件（{sample} 次尝试中 {events} 件）",
    },
    "coa_evidence_threatening_records_per_1000": {
        "en": "{value} threatening-language records per 1,000 attempts vs {benchmark} for the team ({events} records)",
        "zh": "每千次催收尝试威胁性语言记录 {value} 条，团队为 {benchmark} 条（共 {events} 条）",
    },
    "coa_evidence_off_hours_share": {
        "en": "Off-hours share {value}% vs {benchmark}% for the team ({events} of {sample} contacts)",
        "zh": "非允许时段联系占比 {value}%，团队为 {benchmark}%（{sample} 次联系中 {events} 次）",
    },
    "coa_evidence_frequency_share": {
        "en": "7-day cap violations {value}% of outbound calls vs {benchmark}% for the team ({events} of {sample})",
        "zh": "超 7 日上限的外呼占 {value}%，团队为 {benchmark}%（{sample} 通中 {events} 通）",
    },
    "coa_evidence_third_party_share": {
        "en": "Third-party share {value}% vs {benchmark}% for the team ({events} of {sample} attempts)",
        "zh": "第三方联系占比 {value}%，团队为 {benchmark}%（{sample} 次尝试中 {events} 次）",
    },
    "coa_evidence_longest_hostile_streak": {
        "en": "{value} hostile calls in a row (limit {benchmark})",
        "zh": "连续 {value} 通敌意通话（上限 {benchmark}）",
    },
    "coa_evidence_consecutive_at_risk_weeks": {
        "en": "At risk {value} weeks in a row",
        "zh": "连续 {value} 周处于风险",
    },
    "coa_evidence_separator": {"en": "; ", "zh": "；"},
    # metric names (effect tables)
    "coa_metric_ptp_rate": {"en": "PTP rate", "zh": "承诺还款率"},
    "coa_metric_kept_rate": {"en": "Kept rate", "zh": "承诺兑现率"},
    "coa_metric_complaints_per_1000": {
        "en": "Complaints per 1,000 attempts",
        "zh": "每千次触达投诉数",
    },
    "coa_metric_off_hours_share": {"en": "Off-hours share", "zh": "非允许时段联系占比"},
    "coa_metric_stress_index": {"en": "Stress index", "zh": "压力指数"},
    "coa_status_done": {"en": "done", "zh": "已完成"},
    "coa_status_in progress": {"en": "in progress", "zh": "进行中"},
    # columns
    "coa_col_agent": {"en": "Agent", "zh": "催收员"},
    "coa_col_name": {"en": "Name", "zh": "姓名"},
    "coa_col_team": {"en": "Team", "zh": "团队"},
    "coa_col_topic": {"en": "Topic", "zh": "主题"},
    "coa_col_evidence": {"en": "Evidence", "zh": "依据"},
    "coa_col_bucket": {"en": "Bucket", "zh": "逾期阶段"},
    "coa_col_metric": {"en": "Metric", "zh": "指标"},
    "coa_col_events": {"en": "Events", "zh": "事件数"},
    "coa_col_n": {"en": "Denominator", "zh": "分母"},
    "coa_col_rate": {"en": "Agent's rate", "zh": "本人比率"},
    "coa_col_team_rate": {"en": "Team's rate (without the agent)", "zh": "团队比率（不含本人）"},
    "coa_col_session": {"en": "Session", "zh": "辅导编号"},
    "coa_col_trainer": {"en": "Trainer", "zh": "培训师"},
    "coa_col_date": {"en": "Date", "zh": "日期"},
    "coa_col_before": {"en": "28 days before", "zh": "前 28 天"},
    "coa_col_after": {"en": "28 days after", "zh": "后 28 天"},
    "coa_col_change": {"en": "Change", "zh": "变化"},
    "coa_col_improved": {"en": "Improved", "zh": "改善"},
    "coa_col_status": {"en": "Status", "zh": "状态"},
    "coa_col_sessions": {"en": "Sessions", "zh": "辅导次数"},
    "coa_col_judged": {"en": "Judged", "zh": "已评估"},
    "coa_col_improved_count": {"en": "Times improved", "zh": "改善次数"},
    "coa_col_improved_share": {"en": "Share improved", "zh": "改善比例"},
    "coa_series_agent": {"en": "This agent", "zh": "本人"},
    "coa_series_team": {"en": "Team without the agent", "zh": "团队（不含本人）"},
}
