-- Calls and visits of the period whose note is one of $note_texts (the texts that matched the
-- lexicon, see compliance_note_texts.sql), in the common record shape with the note.
WITH matched AS (
    SELECT DISTINCT unnest(CAST($note_texts AS VARCHAR[])) AS notes
),
noted AS (
    SELECT 'call' AS record_kind, call_id AS record_id, 'phone' AS channel, account_id, agent_id,
        started_at AS occurred_at, notes
    FROM calls
    SEMI JOIN matched USING (notes)
    WHERE started_at >= $start AND started_at < $end AND started_at < $as_of
    UNION ALL
    SELECT 'visit', visit_id, 'visit', account_id, agent_id, visited_at, notes
    FROM visits
    SEMI JOIN matched USING (notes)
    WHERE visited_at >= $start AND visited_at < $end AND visited_at < $as_of
)
SELECT
    n.record_kind,
    n.record_id,
    n.channel,
    n.occurred_at,
    timezone(d.tz, n.occurred_at) AS local_time,
    d.tz AS timezone,
    n.account_id,
    d.debtor_key AS debtor_id,
    n.agent_id,
    ag.team_id,
    n.notes,
    CAST(date_trunc('week', CAST(n.occurred_at AS DATE)) AS DATE) AS week_start
FROM noted n
JOIN account_dim d USING (account_id)
LEFT JOIN agents ag ON ag.agent_id = n.agent_id
WHERE in_slices($teams, $agents, $strategies, $products, $buckets,
                ag.team_id, n.agent_id, d.strategy, d.product, d.bucket)
ORDER BY n.occurred_at, n.record_id
