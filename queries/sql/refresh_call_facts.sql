-- One row per call with everything the conduct rules and the well-being figures read, so that
-- the rolling windows run once per load instead of once per page view.
--   local_ts / local_day / local_hour: the call in its account's zone (compliance days and the
--     contact window are account-local).
--   cap_rank: position among the debtor's connected outbound calls of that local day, in
--     (started_at, call_id) order (NULL for other calls); a rank above the daily cap violates.
--   calls_7d: outbound calls on the account from 00:00 local of the 6th day before this call's
--     local day up to and including this call, in (started_at, call_id) order (NULL for inbound).
--   last_rpc_day / last_rpc_call_id / last_rpc_local_ts: the latest earlier RPC call (either
--     direction) on the account: the quiet period runs from it.
--   *_known: the row's file carried the optional column (loaded_files.columns), or the row holds
--     a value for it (a later export may fill in a column the first file lacked).
CREATE OR REPLACE TABLE call_facts AS
WITH base AS (
    SELECT
        c.call_id,
        c.account_id,
        c.agent_id,
        ag.team_id AS agent_team_id,
        c.started_at,
        CAST(c.started_at AS DATE) AS site_date,
        timezone(d.tz, c.started_at) AS local_ts,
        CAST(local_ts AS DATE) AS local_day,
        hour(local_ts) AS local_hour,
        d.tz,
        d.debtor_key,
        d.strategy,
        d.product,
        d.bucket,
        c.direction,
        c.outcome,
        c.direction = 'outbound' AS is_outbound,
        c.outcome NOT IN ('no_answer', 'busy', 'voicemail') AS is_connected,
        c.outcome IN ('right_party', 'promise_to_pay', 'refused', 'dispute', 'hardship', 'callback')
            AS is_rpc,
        c.duration_s,
        c.abusive,
        c.sentiment,
        c.identity_verified,
        c.recording_id,
        coalesce(list_contains(f.columns, 'abusive'), false) OR c.abusive IS NOT NULL
            AS abusive_known,
        coalesce(list_contains(f.columns, 'sentiment'), false) OR c.sentiment IS NOT NULL
            AS sentiment_known,
        coalesce(list_contains(f.columns, 'identity_verified'), false)
            OR c.identity_verified IS NOT NULL AS identity_verified_known,
        coalesce(list_contains(f.columns, 'recording_id'), false) OR c.recording_id IS NOT NULL
            AS recording_known
    FROM calls c
    JOIN account_dim d USING (account_id)
    LEFT JOIN agents ag ON ag.agent_id = c.agent_id
    LEFT JOIN loaded_files f ON f.file_id = c._file_id
),
outbound AS (
    -- count over whole local days, then remove the same-day calls that come after this one
    SELECT
        call_id,
        count(*) OVER (
            PARTITION BY account_id ORDER BY epoch_day
            RANGE BETWEEN 6 PRECEDING AND CURRENT ROW
        )
        - count(*) OVER (PARTITION BY account_id, epoch_day)
        + row_number() OVER (PARTITION BY account_id, epoch_day ORDER BY started_at, call_id)
            AS calls_7d
    FROM (
        SELECT call_id, account_id, started_at, local_day - DATE '1970-01-01' AS epoch_day
        FROM base
        WHERE is_outbound
    )
),
capped AS (
    SELECT
        call_id,
        row_number() OVER (PARTITION BY debtor_key, local_day ORDER BY started_at, call_id)
            AS cap_rank
    FROM base
    WHERE is_outbound AND is_connected
),
quiet AS (
    SELECT
        call_id,
        last_value(CASE WHEN is_rpc THEN call_id END IGNORE NULLS) OVER w AS last_rpc_call_id,
        last_value(CASE WHEN is_rpc THEN local_ts END IGNORE NULLS) OVER w AS last_rpc_local_ts
    FROM base
    WINDOW w AS (
        PARTITION BY account_id ORDER BY started_at, call_id
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    )
)
SELECT
    b.*,
    capped.cap_rank,
    outbound.calls_7d,
    quiet.last_rpc_call_id,
    quiet.last_rpc_local_ts,
    CAST(quiet.last_rpc_local_ts AS DATE) AS last_rpc_day
FROM base b
LEFT JOIN capped USING (call_id)
LEFT JOIN outbound USING (call_id)
LEFT JOIN quiet USING (call_id)
ORDER BY b.started_at, b.call_id;

-- Visits and messages in the same shape as call_facts' contact columns, and contact_facts, the
-- union of the three without joins: the conduct and workload queries read it instead of the
-- `contacts` view so that the account-local time and slicers are not recomputed per query.
CREATE OR REPLACE TABLE noncall_facts AS
WITH unified AS (
    SELECT
        'visit' AS kind, visit_id AS contact_id, 'visit' AS channel, account_id, agent_id,
        visited_at AS contact_at, outcome, true AS is_attempt,
        outcome IN ('met_debtor', 'promise_to_pay', 'paid_on_site', 'hostile') AS is_rpc,
        false AS automated
    FROM visits
    UNION ALL
    SELECT
        'message', message_id, channel, account_id, agent_id, sent_at, NULL, NOT automated,
        coalesce(replied, false), automated
    FROM messages
)
SELECT
    u.*,
    CAST(u.contact_at AS DATE) AS site_date,
    timezone(d.tz, u.contact_at) AS local_ts,
    hour(local_ts) AS local_hour,
    d.tz,
    d.debtor_key,
    d.strategy,
    d.product,
    d.bucket,
    ag.team_id AS agent_team_id
FROM unified u
JOIN account_dim d USING (account_id)
LEFT JOIN agents ag ON ag.agent_id = u.agent_id
ORDER BY u.contact_at, u.contact_id;

CREATE OR REPLACE VIEW contact_facts AS
SELECT
    'call' AS kind, call_id AS contact_id, 'phone' AS channel, account_id, agent_id,
    started_at AS contact_at, outcome, is_outbound AS is_attempt, is_rpc, false AS automated,
    site_date, local_ts, local_hour, tz, debtor_key, strategy, product, bucket, agent_team_id
FROM call_facts
UNION ALL
SELECT
    kind, contact_id, channel, account_id, agent_id, contact_at, outcome, is_attempt, is_rpc,
    automated, site_date, local_ts, local_hour, tz, debtor_key, strategy, product, bucket,
    agent_team_id
FROM noncall_facts;
