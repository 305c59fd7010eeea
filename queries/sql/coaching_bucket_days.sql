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
timed AS (
    SELECT *, CAST(promise_date + ($grace_days + 1) AS TIMESTAMPTZ) AS due_at
    FROM promises
    WHERE promise_date + $grace_days BETWEEN $start_date AND $end_date
      AND CAST(promise_date + ($grace_days + 1) AS TIMESTAMPTZ) <= $as_of
      AND agent_id IN (SELECT agent_id FROM ag)
),
made AS (
    SELECT agent_id, made_date AS day, bucket, count(*) AS promises
    FROM promises
    WHERE made_at >= $start AND made_at < $end AND made_at < $as_of
      AND agent_id IN (SELECT agent_id FROM ag)
    GROUP BY ALL
),
due AS (
    -- due and kept as metrics.md defines them, for the promises falling due in the window only
    -- (promise_outcomes() also joins every promise's follow-up attempts, which coaching does not
    -- read and which costs seconds at 10M calls): kept = net payments on the account with
    -- made_at <= paid_at < due_at reach amount - 0.01
    SELECT
        p.agent_id, p.promise_date + $grace_days AS day, p.bucket,
        count(*) AS due,
        count(*) FILTER (WHERE coalesce(paid.net, 0) >= p.amount - 0.01) AS kept
    FROM timed p
    LEFT JOIN (
        SELECT t.source_kind, t.source_id, sum(l.net_amount) AS net
        FROM timed t
        JOIN payment_lines l
          ON l.account_id = t.account_id AND l.paid_at >= t.made_at AND l.paid_at < t.due_at
        GROUP BY ALL
    ) paid USING (source_kind, source_id)
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
