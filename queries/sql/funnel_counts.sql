-- Funnel counts at the finest grain the funnel is shown by: ISO week (its Monday) × acting
-- agent's team × agent × channel. Contact counts are anchored at the contact's time, promises
-- made at their contact's time, promises due/kept at the due day (promise_date + grace_days).
-- Each week sees as_of = the earlier of its own Monday-after and $as_of, as its report would.
-- With $with_follow_up false the two follow-up counts are 0 (not computed; the caller drops them).
-- $grain names the keys to keep of team_id, agent_id, channel (all of them for the finest grain);
-- the others are NULL, which makes a coarser grain cheap for a caller that sums over it (rows of
-- the three parts then stay apart: NULL keys do not join).
WITH contact_counts AS (
    SELECT
        CAST(date_trunc('week', site_date) AS DATE) AS week,
        grain_key($grain, 'team_id', agent_team_id) AS team_id,
        grain_key($grain, 'agent_id', agent_id) AS agent_id,
        grain_key($grain, 'channel', channel) AS channel,
        sum_counts(attempts) AS attempts,
        sum_counts(automated_messages) AS automated_messages,
        sum_counts(sends) AS sends,
        sum_counts(rpc) AS rpc,
        sum_counts(voice_attempts) AS voice_attempts,
        sum_counts(voice_rpc) AS voice_rpc,
        sum_counts(ptp_base) AS ptp_base
    FROM contact_days_in($start, $end, $as_of, $teams, $agents, $strategies, $products, $buckets)
    GROUP BY ALL
),
judged AS (
    SELECT
        p.*,
        p.promise_date + $grace_days AS due_day,
        -- the site date of the week's as_of (the earlier of its Monday-after and $as_of): a
        -- midnight-based instant is at or before it exactly when its date is
        least(CAST(date_trunc('week', p.promise_date + $grace_days) AS DATE) + 7,
              CAST($as_of AS DATE)) AS week_as_of_date
    FROM promise_outcomes_between(
        $grace_days, $follow_up_days, $start_date, $end_date, with_follow_up := $with_follow_up
    ) p
    WHERE in_slices($teams, $agents, $strategies, $products, $buckets,
                    p.team_id, p.agent_id, p.strategy, p.product, p.bucket)
),
made AS (
    SELECT
        CAST(date_trunc('week', made_date) AS DATE) AS week,
        grain_key($grain, 'team_id', team_id) AS team_id,
        grain_key($grain, 'agent_id', agent_id) AS agent_id,
        grain_key($grain, 'channel', CASE source_kind WHEN 'call' THEN 'phone' ELSE 'visit' END)
            AS channel,
        count(*) AS promises_made
    FROM promises
    WHERE made_at >= $start AND made_at < $end AND made_at < $as_of
      AND in_slices($teams, $agents, $strategies, $products, $buckets,
                    team_id, agent_id, strategy, product, bucket)
    GROUP BY ALL
),
due AS (
    SELECT
        CAST(date_trunc('week', due_day) AS DATE) AS week,
        grain_key($grain, 'team_id', team_id) AS team_id,
        grain_key($grain, 'agent_id', agent_id) AS agent_id,
        grain_key($grain, 'channel', CASE source_kind WHEN 'call' THEN 'phone' ELSE 'visit' END)
            AS channel,
        count(*) AS promises_due,
        count(*) FILTER (kept) AS promises_kept,
        count(*) FILTER (NOT kept) AS promises_broken,
        count(*) FILTER (NOT kept AND follow_up_end_date <= week_as_of_date)
            AS broken_window_closed,
        count(*) FILTER (NOT kept AND follow_up_end_date <= week_as_of_date AND followed_up)
            AS broken_followed_up
    FROM judged
    WHERE due_day BETWEEN $start_date AND $end_date AND due_date <= week_as_of_date
    GROUP BY ALL
)
SELECT
    week, team_id, agent_id, channel,
    coalesce(c.attempts, 0) AS attempts,
    coalesce(c.automated_messages, 0) AS automated_messages,
    coalesce(c.sends, 0) AS sends,
    coalesce(c.rpc, 0) AS rpc,
    coalesce(c.voice_attempts, 0) AS voice_attempts,
    coalesce(c.voice_rpc, 0) AS voice_rpc,
    coalesce(c.ptp_base, 0) AS ptp_base,
    coalesce(m.promises_made, 0) AS promises_made,
    coalesce(d.promises_due, 0) AS promises_due,
    coalesce(d.promises_kept, 0) AS promises_kept,
    coalesce(d.promises_broken, 0) AS promises_broken,
    coalesce(d.broken_window_closed, 0) AS broken_window_closed,
    coalesce(d.broken_followed_up, 0) AS broken_followed_up
FROM contact_counts c
FULL JOIN made m USING (week, team_id, agent_id, channel)
FULL JOIN due d USING (week, team_id, agent_id, channel)
