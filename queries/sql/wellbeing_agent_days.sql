-- One row per agent × site day with any activity, shift row, complaint or pulse answer in the
-- period: the inputs of every agent-week figure (metrics.md, "Workload and well-being").
-- Account slicers do not apply: these describe the agent's whole day.
-- Calls from files that carried neither `abusive` nor `sentiment` are left out of the hostile
-- figures (rpc_calls_judged, hostile_calls, streaks) but still count as talk time.
WITH ag AS (
    SELECT agent_id FROM agents WHERE in_slice($teams, team_id) AND in_slice($agents, agent_id)
),
call_days AS (
    SELECT
        agent_id, site_date AS day,
        talk_seconds / 60.0 AS talk_minutes,
        rpc_calls,
        rpc_calls_judged
    FROM call_days_in($start, $end, $as_of)
    WHERE agent_id IN (SELECT agent_id FROM ag)
),
hostile AS (
    SELECT agent_id, site_date AS day, rpc_seq
    FROM rpc_calls
    WHERE started_at >= $start AND started_at < $end AND started_at < $as_of
      AND hostile_call(abusive_known, abusive, sentiment_known, sentiment, $hostile_sentiment)
      AND agent_id IN (SELECT agent_id FROM ag)
),
runs AS (
    -- consecutive positions among the day's judged RPC calls are one hostile run
    SELECT agent_id, day, count(*) AS run_length
    FROM (
        SELECT
            agent_id, day,
            rpc_seq - row_number() OVER (PARTITION BY agent_id, day ORDER BY rpc_seq) AS run_key
        FROM hostile
    )
    GROUP BY agent_id, day, run_key
),
hostile_days AS (
    SELECT
        agent_id, day,
        sum_counts(run_length) AS hostile_calls,
        max(run_length) AS longest_hostile_streak
    FROM runs
    GROUP BY ALL
),
visit_days AS (
    SELECT
        v.agent_id,
        CAST(v.visited_at AS DATE) AS day,
        CAST(sum(v.duration_min + coalesce(v.travel_min, 0)) AS DOUBLE) AS field_minutes,
        count(*) FILTER (WHERE rpc_visit(v.outcome)) AS rpc_visits,
        count(*) FILTER (WHERE hostile_visit(v.outcome, v.safety_incident)) AS hostile_visits
    FROM visits v
    WHERE v.visited_at >= $start AND v.visited_at < $end AND v.visited_at < $as_of
      AND v.agent_id IN (SELECT agent_id FROM ag)
    GROUP BY ALL
),
attempt_days AS (
    SELECT agent_id, site_date AS day, sum_counts(attempts) AS attempts
    FROM contact_days_in($start, $end, $as_of, [], [], [], [], [])
    WHERE agent_id IN (SELECT agent_id FROM ag)
    GROUP BY ALL
),
shift_days AS (
    SELECT
        agent_id, work_date AS day, true AS has_shift, coalesce(absent, false) AS absent,
        scheduled_min, logged_in_min, break_min
    FROM shifts
    WHERE work_date BETWEEN $start_date AND $end_date AND CAST(work_date AS TIMESTAMPTZ) < $as_of
      AND agent_id IN (SELECT agent_id FROM ag)
),
complaint_days AS (
    SELECT agent_id, CAST(received_at AS DATE) AS day, count(*) AS complaints_received
    FROM complaints
    WHERE received_at >= $start AND received_at < $end AND received_at < $as_of
      AND agent_id IN (SELECT agent_id FROM ag)
    GROUP BY ALL
),
pulse_days AS (
    SELECT agent_id, survey_date AS day, score AS pulse_score
    FROM pulse
    WHERE survey_date BETWEEN $start_date AND $end_date
      AND CAST(survey_date AS TIMESTAMPTZ) < $as_of
      AND agent_id IN (SELECT agent_id FROM ag)
),
keys AS (
    SELECT agent_id, day FROM call_days
    UNION SELECT agent_id, day FROM visit_days
    UNION SELECT agent_id, day FROM attempt_days
    UNION SELECT agent_id, day FROM shift_days
    UNION SELECT agent_id, day FROM complaint_days
    UNION SELECT agent_id, day FROM pulse_days
)
SELECT
    k.agent_id,
    k.day,
    CAST(date_trunc('week', k.day) AS DATE) AS week_start,
    coalesce(a.attempts, 0) AS attempts,
    coalesce(c.talk_minutes, 0) AS talk_minutes,
    coalesce(v.field_minutes, 0) AS field_minutes,
    coalesce(c.rpc_calls, 0) AS rpc_calls,
    coalesce(c.rpc_calls_judged, 0) AS rpc_calls_judged,
    coalesce(h.hostile_calls, 0) AS hostile_calls,
    coalesce(v.rpc_visits, 0) AS rpc_visits,
    coalesce(v.hostile_visits, 0) AS hostile_visits,
    coalesce(h.longest_hostile_streak, 0) AS longest_hostile_streak,
    coalesce(s.has_shift, false) AS has_shift,
    coalesce(s.absent, false) AS absent,
    s.scheduled_min,
    s.logged_in_min,
    s.break_min,
    coalesce(cp.complaints_received, 0) AS complaints_received,
    p.pulse_score
FROM keys k
LEFT JOIN attempt_days a USING (agent_id, day)
LEFT JOIN call_days c USING (agent_id, day)
LEFT JOIN visit_days v USING (agent_id, day)
LEFT JOIN hostile_days h USING (agent_id, day)
LEFT JOIN shift_days s USING (agent_id, day)
LEFT JOIN complaint_days cp USING (agent_id, day)
LEFT JOIN pulse_days p USING (agent_id, day)
ORDER BY k.agent_id, k.day
