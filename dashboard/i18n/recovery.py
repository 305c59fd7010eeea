"""Strings of the Recovery page."""

STRINGS: dict[str, dict[str, str]] = {
    "rec_bucket": {"en": "Bucket to compare in", "zh": "比较的逾期阶段"},
    "rec_horizon": {"en": "Recovery window (days)", "zh": "回收窗口（天）"},
    "rec_section_strategies": {"en": "Strategies", "zh": "策略比较"},
    "rec_section_channels": {"en": "Channels", "zh": "渠道"},
    "rec_section_drilldown": {"en": "Accounts behind the figures", "zh": "明细账户"},
    "rec_open_curves": {
        "en": "Cumulative recovery by day since assignment, per strategy",
        "zh": "各策略分配后逐日累计回收率",
    },
    "rec_open_channels": {
        "en": "Amount and yield per channel, last {weeks} weeks",
        "zh": "各渠道回收金额与单次收益（近 {weeks} 周）",
    },
    "rec_open_age_bands": {
        "en": "Right-party contact and yield by channel and debtor age band",
        "zh": "按渠道与债务人年龄段的本人接触率与收益",
    },
    "rec_open_hours": {
        "en": "When debtors answer: right-party contact by hour and weekday",
        "zh": "债务人何时接听：按小时与星期的本人接触率",
    },
    "rec_open_drilldown": {
        "en": "The accounts of one strategy in {bucket}",
        "zh": "{bucket} 中某一策略的账户",
    },
    "rec_no_mature": {
        "en": "No account in bucket {bucket} is {n} days past assignment yet, so no strategy can be compared. Choose another bucket or a shorter window.",
        "zh": "逾期阶段 {bucket} 中尚无分配满 {n} 天的账户，无法比较策略。请选择其他阶段或更短的窗口。",
    },
    "rec_no_buckets": {
        "en": "No account has reached any recovery window under these filters. Widen the filters or load older assignments.",
        "zh": "在当前筛选下没有账户达到任何回收窗口。请放宽筛选或加载更早的分配数据。",
    },
    "rec_verdict_real": {
        "en": "{best} recovers {diff} more than {worst} in {bucket} ({n}-day): a real difference.",
        "zh": "在 {bucket}（{n} 天）中，{best} 比 {worst} 多回收 {diff}：差异真实存在。",
    },
    "rec_verdict_unsure": {
        "en": "{best} recovers {diff} more than {worst} in {bucket} ({n}-day), but there is not enough evidence yet.",
        "zh": "在 {bucket}（{n} 天）中，{best} 比 {worst} 多回收 {diff}，但目前证据尚不充分。",
    },
    "rec_verdict_single": {
        "en": "Only {strategy} has mature accounts in {bucket} ({n}-day): {rate} recovered; nothing to compare yet.",
        "zh": "在 {bucket}（{n} 天）中只有 {strategy} 有成熟账户：回收率 {rate}；暂无可比较对象。",
    },
    "rec_verdict_help": {
        "en": "Bars: recovery rate (collected ÷ balance) of accounts mature at as_of, with the 95% interval (percentile bootstrap over accounts; the delta-method normal interval above {max_boot} accounts in the bucket). A difference is called real when its interval excludes zero and both strategies have at least {min} mature accounts.",
        "zh": "柱形：截至 as_of 已成熟账户的回收率（回收金额 ÷ 余额），误差线为 95% 区间（按账户自助法抽样；桶内超过 {max_boot} 个账户时用 delta 法正态区间）。仅当差异区间不含 0 且两种策略均至少有 {min} 个成熟账户时，判定为真实差异。",
    },
    "rec_col_strategy": {"en": "Strategy", "zh": "策略"},
    "rec_col_other": {"en": "Compared with", "zh": "对比策略"},
    "rec_col_accounts": {"en": "Mature accounts", "zh": "成熟账户数"},
    "rec_col_other_accounts": {"en": "Their mature accounts", "zh": "对比方成熟账户数"},
    "rec_col_estimate": {"en": "Recovery rate", "zh": "回收率"},
    "rec_col_difference": {"en": "Difference", "zh": "差异"},
    "rec_col_low": {"en": "95% low", "zh": "95% 下限"},
    "rec_col_high": {"en": "95% high", "zh": "95% 上限"},
    "rec_col_real": {"en": "Real difference", "zh": "差异真实"},
    "rec_differences": {
        "en": "Every pair of strategies: the difference and its 95% interval",
        "zh": "策略两两差异及其 95% 区间",
    },
    "rec_curve_title": {
        "en": "After {days} days, {best} has recovered {best_rate} of balance and {worst} {worst_rate} ({bucket})",
        "zh": "分配后 {days} 天，{best} 已回收余额的 {best_rate}，{worst} 为 {worst_rate}（{bucket}）",
    },
    "rec_curve_title_single": {
        "en": "After {days} days, {best} has recovered {best_rate} of balance ({bucket})",
        "zh": "分配后 {days} 天，{best} 已回收余额的 {best_rate}（{bucket}）",
    },
    "rec_curve_x": {"en": "Days since assignment", "zh": "分配后天数"},
    "rec_curve_y": {"en": "Cumulative recovery rate", "zh": "累计回收率"},
    "rec_no_curve": {
        "en": "No cohort in {bucket} has reached {days} days since assignment yet.",
        "zh": "{bucket} 中尚无分配满 {days} 天的账户批次。",
    },
    "rec_weekly_title": {
        "en": "{channel} led attributed collections in {week}: {amount}",
        "zh": "{week} 归因回收最多的渠道是 {channel}：{amount}",
    },
    "rec_yield_title": {
        "en": "{channel} yielded the most per send in {week}: {amount} per send",
        "zh": "{week} 单次触达收益最高的渠道是 {channel}：每次 {amount}",
    },
    "rec_no_channel_weeks": {
        "en": "No attributed payments or sends in the last {weeks} weeks under these filters.",
        "zh": "在当前筛选下，最近 {weeks} 周没有归因回收或触达。",
    },
    "rec_week": {"en": "Week", "zh": "周"},
    "rec_channel": {"en": "Channel", "zh": "渠道"},
    "rec_attributed": {"en": "Attributed collected", "zh": "归因回收金额"},
    "rec_yield": {"en": "Yield per send", "zh": "单次触达收益"},
    "rec_age_band": {"en": "Debtor age band", "zh": "债务人年龄段"},
    "rec_rpc_rate": {"en": "RPC rate", "zh": "本人接触率"},
    "rec_heat_rpc_title": {
        "en": "Best RPC rate: {channel} with debtors aged {band} ({rate})",
        "zh": "本人接触率最高：{channel}，债务人年龄段 {band}（{rate}）",
    },
    "rec_heat_yield_title": {
        "en": "Best yield per send: {channel} with debtors aged {band} ({amount})",
        "zh": "单次触达收益最高：{channel}，债务人年龄段 {band}（{amount}）",
    },
    "rec_no_age_band": {
        "en": "No attempts or sends in this period under these filters.",
        "zh": "本期在当前筛选下没有催收尝试或触达。",
    },
    "rec_hour_title": {
        "en": "Calls and visits reach the debtor most often on {weekday} at {hour}:00 local time ({rate} of {attempts} attempts)",
        "zh": "在债务人当地时间{weekday} {hour}:00 接触成功率最高（{attempts} 次尝试中 {rate}）",
    },
    "rec_no_hours": {
        "en": "No outbound calls or visits in this period under these filters.",
        "zh": "本期在当前筛选下没有外呼或外访。",
    },
    "rec_hour": {"en": "Local hour", "zh": "当地小时"},
    "rec_weekday": {"en": "Weekday", "zh": "星期"},
    "rec_drill_strategy": {"en": "Strategy", "zh": "策略"},
    "rec_drill_caption": {
        "en": "{count} accounts of {strategy} in {bucket}: balance {balance}, collected {collected} to as_of.",
        "zh": "{bucket} 中 {strategy} 共 {count} 个账户：余额 {balance}，截至 as_of 已回收 {collected}。",
    },
    "rec_no_drill": {
        "en": "No accounts of {strategy} in {bucket} under these filters.",
        "zh": "在当前筛选下，{bucket} 中没有 {strategy} 的账户。",
    },
    "col_account": {"en": "Account", "zh": "账户"},
    "col_product": {"en": "Product", "zh": "产品"},
    "col_team": {"en": "Team", "zh": "团队"},
    "col_agent": {"en": "Agent", "zh": "催收员"},
    "col_assigned_at": {"en": "Assigned", "zh": "分配时间"},
    "col_balance": {"en": "Balance", "zh": "余额"},
    "col_collected": {"en": "Collected", "zh": "回收金额"},
    "col_last_touch_at": {"en": "Last touch", "zh": "最近触达"},
    "col_last_touch_channel": {"en": "Last touch channel", "zh": "最近触达渠道"},
    "col_close_reason": {"en": "Closed as", "zh": "结案原因"},
}
