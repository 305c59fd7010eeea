"""Strings of the Promises & plans page."""

STRINGS: dict[str, dict[str, str]] = {
    "pro_section_promises": {"en": "Promises", "zh": "还款承诺"},
    "pro_section_queue": {"en": "Work queue for tomorrow", "zh": "明日待办"},
    "pro_section_plans": {"en": "Repayment plans", "zh": "还款计划"},
    "pro_headline": {
        "en": "{kept} of {due} promises due this week were kept ({rate}); {queue} broken promises still have no follow-up.",
        "zh": "本周到期承诺 {due} 笔，兑现 {kept} 笔（{rate}）；仍有 {queue} 笔违约承诺未跟进。",
    },
    "pro_headline_none_due": {
        "en": "No promise fell due this week; {queue} broken promises still have no follow-up.",
        "zh": "本周没有到期的承诺；仍有 {queue} 笔违约承诺未跟进。",
    },
    "pro_due": {"en": "Promises due", "zh": "到期承诺"},
    "pro_kept": {"en": "Kept", "zh": "已兑现"},
    "pro_broken": {"en": "Broken", "zh": "已违约"},
    "pro_kept_rate": {"en": "Kept rate", "zh": "承诺兑现率"},
    "pro_made": {"en": "Promises made", "zh": "新增承诺"},
    "pro_follow_up_rate": {"en": "Broken promises followed up", "zh": "违约后跟进率"},
    "pro_records_due": {
        "en": "The promises due this week, broken first",
        "zh": "本周到期的承诺（违约在前）",
    },
    "pro_plans_charts": {
        "en": "Plans by status, amounts waived and installments on time",
        "zh": "按状态的计划、减免金额与分期按时率",
    },
    "pro_followed_up": {"en": "Followed up", "zh": "已跟进"},
    "pro_made_at": {"en": "Made", "zh": "承诺时间"},
    "pro_kept_help": {
        "en": "A promise is due on its promise date + {grace} days' grace; kept when the account paid at least its amount by then.",
        "zh": "承诺在承诺日期后宽限 {grace} 天到期；到期前账户还款不少于承诺金额即为兑现。",
    },
    "pro_trend_title_up": {
        "en": "Kept rate rose to {rate} this week, from {previous} the week before",
        "zh": "本周兑现率升至 {rate}，上周为 {previous}",
    },
    "pro_trend_title_down": {
        "en": "Kept rate fell to {rate} this week, from {previous} the week before",
        "zh": "本周兑现率降至 {rate}，上周为 {previous}",
    },
    "pro_trend_title_flat": {
        "en": "Kept rate {rate} this week, unchanged from the week before",
        "zh": "本周兑现率 {rate}，与上周持平",
    },
    "pro_trend_title_plain": {
        "en": "Kept rate over the last {weeks} weeks",
        "zh": "最近 {weeks} 周兑现率",
    },
    "pro_no_trend": {
        "en": "No promise fell due in the last {weeks} weeks under these filters.",
        "zh": "在当前筛选下，最近 {weeks} 周没有到期承诺。",
    },
    "pro_queue_caption": {
        "en": "{count} broken promises worth {amount} with no attempt since their follow-up window opened, largest first.",
        "zh": "{count} 笔违约承诺（共 {amount}）自跟进窗口开始后未有任何催收尝试，按金额从大到小排列。",
    },
    "pro_queue_empty": {
        "en": "Every broken promise due this week has been followed up. Nothing to chase tomorrow.",
        "zh": "本周到期的违约承诺均已跟进，明天没有需要追踪的承诺。",
    },
    "pro_plans_headline": {
        "en": "{on_track} of {active} open plans are on track; {late} are late and {broken} broken. Settlements waived {waived}.",
        "zh": "{active} 个执行中的计划里 {on_track} 个正常；{late} 个逾期，{broken} 个已违约。和解减免共 {waived}。",
    },
    "pro_no_plans": {
        "en": "No repayment plan was created before as_of under these filters.",
        "zh": "在当前筛选下，as_of 之前没有创建任何还款计划。",
    },
    "pro_status_title": {
        "en": "Plan status at as_of: {count} plans, {share} completed",
        "zh": "截至 as_of 的计划状态：共 {count} 个，已完成 {share}",
    },
    "pro_status": {"en": "Status", "zh": "状态"},
    "pro_plans": {"en": "Plans", "zh": "计划数"},
    "pro_waived": {"en": "Waived", "zh": "减免金额"},
    "status_on_track": {"en": "On track", "zh": "正常"},
    "status_late": {"en": "Late", "zh": "逾期"},
    "status_broken": {"en": "Broken", "zh": "已违约"},
    "status_completed": {"en": "Completed", "zh": "已完成"},
    "status_superseded": {"en": "Superseded", "zh": "已被替代"},
    "status_inconsistent": {"en": "Inconsistent", "zh": "数据不一致"},
    "pro_on_time_team_title": {
        "en": "Installments paid on time by team: lowest {team} at {rate}",
        "zh": "各团队分期按时还款率：最低为 {team}（{rate}）",
    },
    "pro_on_time_type_title": {
        "en": "Installments paid on time by plan type: lowest {plan_type} at {rate}",
        "zh": "各计划类型分期按时还款率：最低为 {plan_type}（{rate}）",
    },
    "pro_on_time_rate": {"en": "On-time rate", "zh": "按时还款率"},
    "pro_installments_due": {"en": "Installments due", "zh": "到期分期"},
    "pro_installments_on_time": {"en": "On time", "zh": "按时"},
    "pro_no_installments": {
        "en": "No installment fell due this week under these filters.",
        "zh": "在当前筛选下，本周没有到期的分期。",
    },
    "pro_waived_title": {
        "en": "Waived amounts by plan status: {waived} in total",
        "zh": "按计划状态的减免金额：合计 {waived}",
    },
    "pro_inconsistent": {
        "en": "Inconsistent plans: {count} (left out of every rate)",
        "zh": "{count} 个数据不一致的计划（不计入任何比率）",
    },
    "pro_inconsistent_help": {
        "en": "A plan is inconsistent when it has no installment or its installments do not add up to total − waived (± 0.01). Correct it in the source system and reload.",
        "zh": "计划没有分期，或分期合计不等于总额减去减免（误差 ±0.01）时视为不一致。请在源系统更正后重新加载。",
    },
    "pro_all_plans": {"en": "All plans with their status", "zh": "全部计划及其状态"},
    "col_plan": {"en": "Plan", "zh": "计划"},
    "col_plan_type": {"en": "Plan type", "zh": "计划类型"},
    "col_created_at": {"en": "Created", "zh": "创建时间"},
    "col_total_amount": {"en": "Total", "zh": "总额"},
    "col_waived_amount": {"en": "Waived amount", "zh": "减免金额"},
    "col_sum_due": {"en": "Installments sum", "zh": "分期合计"},
    "col_installments": {"en": "Installments", "zh": "分期数"},
    "col_paid": {"en": "Paid", "zh": "已还"},
    "col_status": {"en": "Status", "zh": "状态"},
    "col_promise_date": {"en": "Promise date", "zh": "承诺日期"},
    "col_amount": {"en": "Amount", "zh": "金额"},
    "col_paid_in_window": {"en": "Paid by due day", "zh": "到期前已还"},
    "col_days_overdue": {"en": "Days overdue", "zh": "逾期天数"},
    "col_source": {"en": "Made on", "zh": "承诺来源"},
    "col_week": {"en": "Week", "zh": "周"},
}
