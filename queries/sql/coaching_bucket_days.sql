-- Per agent × site day × bucket of the coaching window: the PTP and kept-rate counts that the
-- peer adjustment weighs by bucket. rpc: RPC calls (either direction) and RPC visits, by the
-- contact's day; promises: by the day made; due / kept: by the due day (promise_date +
-- grace_days), only promises due at as_of. Agents: every agent of the selected teams (team
-- rates need the agent's peers), account slicers not applied (coaching judges the agent).
WITH ag AS (
    SELECT agent_id FROM agents WHERE in_slice($teams, team_id)
),
rpc AS (
    SELECT agent_id, site_date AS day, bucket, count(*) AS rpc
    FROM contacts_in($start, $end, $as_of, [], [], [], [], [])
    WHERE is_rpc AND kind IN ('call', 'visit') AND agent_id IN (SELECT agent_id FROM ag)
    GROUP BY ALL
),
made AS (
    SELECT agent_id, made_date AS day, bucket, count(*) AS promises
    FROM promises
    WHERE made_at >= $start AND made_at < $end AND made_at < $as_of
      AND agent_id IN (SELECT agent_id FROM ag)
    GROUP BY ALL
),
due AS (
    -- due and kept as metrics.md defines them; the follow-up attempts are not read here
    SELECT
        agent_id, promise_date + $grace_days AS day, bucket,
        count(*) AS due,
        count(*) FILTER (WHERE kept) AS kept
    FROM promise_outcomes_between(
        $grace_days, $follow_up_days, $start_date, $end_date, with_follow_up := false
    )
    WHERE due_date <= CAST($as_of AS DATE) AND agent_id IN (SELECT agent_id FROM ag)
    GROUP BY ALL
),
keys AS (
    SELECT agent_id, day, bucket FROM rpc
    UNION SELECT agent_id, day, bucket FROM made
    UNION SELECT agent_id, day, bucket FROM due
)
SELECT
    k.agent_id,
    k.day,
    k.bucket,
    coalesce(rpc.rpc, 0) AS rpc,
    coalesce(made.promises, 0) AS promises,
    coalesce(due.due, 0) AS due,
    coalesce(due.kept, 0) AS kept
FROM keys k
LEFT JOIN rpc USING (agent_id, day, bucket)
LEFT JOIN made USING (agent_id, day, bucket)
LEFT JOIN due USING (agent_id, day, bucket)
ORDER BY k.agent_id, k.day, k.bucket
