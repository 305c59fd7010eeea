-- Per channel × debtor_age_band: attempts and RPC as defined per channel, sends (automated
-- messages included) and the attributed collected of the period, for RPC rate and yield.
-- Accounts without an age band are shown as '(unknown)'.
WITH sent AS (
    SELECT
        channel,
        coalesce(debtor_age_band, '(unknown)') AS debtor_age_band,
        count(*) FILTER (is_attempt) AS attempts,
        count(*) FILTER (is_attempt AND is_rpc) AS rpc,
        count(*) FILTER (is_attempt OR automated) AS sends
    FROM contacts_in($start, $end, $as_of, $teams, $agents, $strategies, $products, $buckets)
    GROUP BY ALL
),
paid AS (
    SELECT
        l.channel,
        coalesce(d.debtor_age_band, '(unknown)') AS debtor_age_band,
        sum(l.net_amount) AS attributed_collected
    FROM attributed_lines($attribution_days, $start, least($end, $as_of)) l
    JOIN account_dim d USING (account_id)
    WHERE in_slices($teams, $agents, $strategies, $products, $buckets,
                    d.portfolio_team_id, d.owner_agent_id, d.strategy, d.product, d.bucket)
    GROUP BY ALL
)
SELECT
    channel, debtor_age_band,
    coalesce(s.attempts, 0) AS attempts,
    coalesce(s.rpc, 0) AS rpc,
    coalesce(s.sends, 0) AS sends,
    coalesce(p.attributed_collected, 0) AS attributed_collected
FROM sent s
FULL JOIN paid p USING (channel, debtor_age_band)
ORDER BY list_position(['phone', 'visit', 'sms', 'email', 'letter', 'im', 'none'], channel),
    debtor_age_band
