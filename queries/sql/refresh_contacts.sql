-- Every contact in one shape: calls, visits and messages, with the flags the funnel, the
-- compliance rules, well-being and attribution share. `is_attempt`: outbound call, visit, or
-- non-automated message. `is_rpc`: right-party contact per metrics.md. `local_ts` / `local_day` /
-- `local_hour`: the contact in its account's zone `tz` (compliance days and the contact window
-- are account-local). The account's slicers and the acting agent's team ride along.
-- The one materialised contact table (`contact_rows`; joining account_dim on every query cost
-- ~35x on 10M calls), in time order and read through the `contacts` view (a view, so that an
-- existing database can change the table behind it), so that zone maps skip out-of-period data.
-- Call-only columns (the conduct rules' rolling windows, duration, hostility) are in call_facts.
-- contact_rows_rebuilt(): the rows a refresh rebuilds (macros/rebuild.sql), in table order.
CREATE OR REPLACE MACRO contact_rows_rebuilt() AS TABLE
WITH unified AS (
    SELECT
        'call' AS kind, c.call_id AS contact_id, c.account_id, c.agent_id, c.started_at AS contact_at,
        'phone' AS channel, c.direction, c.outcome,
        c.direction = 'outbound' AS is_attempt,
        rpc_call(c.outcome) AS is_rpc,
        connected_call(c.outcome) AS is_connected,
        false AS automated,
        NULL::BOOLEAN AS delivered,
        c.promise_amount, c.promise_date
    FROM calls c
    UNION ALL
    SELECT
        'visit', v.visit_id, v.account_id, v.agent_id, v.visited_at,
        'visit', 'outbound', v.outcome,
        true,
        rpc_visit(v.outcome),
        NULL::BOOLEAN,
        false,
        NULL::BOOLEAN,
        v.promise_amount, v.promise_date
    FROM visits v
    UNION ALL
    SELECT
        'message', m.message_id, m.account_id, m.agent_id, m.sent_at,
        m.channel, 'outbound', NULL,
        NOT m.automated,
        coalesce(m.replied, false),
        NULL::BOOLEAN,
        m.automated,
        m.delivered,
        NULL::DECIMAL(18, 2), NULL::DATE
    FROM messages m
)
SELECT
    u.*,
    CAST(u.contact_at AS DATE) AS site_date,
    timezone(d.tz, u.contact_at) AS local_ts,
    CAST(local_ts AS DATE) AS local_day,
    hour(local_ts) AS local_hour,
    d.tz,
    d.debtor_key,
    d.portfolio_team_id,
    d.product, d.strategy, d.bucket, d.debtor_age_band,
    ag.team_id AS agent_team_id
FROM unified u
JOIN account_dim d USING (account_id)
LEFT JOIN agents ag ON ag.agent_id = u.agent_id
WHERE rebuilt_at(u.contact_at, u.account_id)
ORDER BY u.contact_at, u.kind, u.contact_id;

CREATE OR REPLACE TABLE contact_rows AS FROM contact_rows_rebuilt();

CREATE OR REPLACE VIEW contacts AS SELECT * FROM contact_rows;
