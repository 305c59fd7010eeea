-- Touches for last-touch attribution: RPC calls of either direction (phone), RPC visits (visit)
-- and delivered messages, automated ones included (their own channel). Touches on one account
-- at one instant keep only the winner of metrics.md's tie order (visit, phone, im, sms, email,
-- letter, then the lower source id), so an ASOF JOIN on time alone picks the right one.
CREATE OR REPLACE TABLE touches AS
SELECT account_id, contact_at AS touch_at, channel, kind AS source_kind, contact_id AS source_id
FROM contacts
WHERE (kind IN ('call', 'visit') AND is_rpc) OR (kind = 'message' AND delivered)
QUALIFY row_number() OVER (
    PARTITION BY account_id, contact_at
    ORDER BY list_position(['visit', 'phone', 'im', 'sms', 'email', 'letter'], channel), contact_id
) = 1
ORDER BY account_id, touch_at;

-- Payment lines of [start_at, end_at) with the channel of the last touch before their source
-- payment (a reversal takes its payment's channel), `none` when no touch lies within
-- attribution_days × 24 h before it (both ends inclusive):
--   FROM attributed_lines($attribution_days, $start, least($end, $as_of))
CREATE OR REPLACE MACRO attributed_lines(attribution_days, start_at, end_at) AS TABLE
WITH wanted AS (
    SELECT * FROM payment_lines WHERE paid_at >= start_at AND paid_at < end_at
),
sources AS (
    SELECT s.payment_id, s.account_id, s.paid_at
    FROM payment_lines s
    WHERE s.payment_id IN (SELECT source_payment_id FROM wanted)
),
last_touch AS (
    SELECT s.payment_id, t.touch_at, t.channel, t.source_kind, t.source_id
    FROM sources s
    ASOF LEFT JOIN touches t ON t.account_id = s.account_id AND s.paid_at >= t.touch_at
)
SELECT
    w.*,
    CASE
        WHEN lt.touch_at >= w2.paid_at - to_hours(24 * attribution_days) THEN lt.channel
        ELSE 'none'
    END AS channel,
    CASE WHEN lt.touch_at >= w2.paid_at - to_hours(24 * attribution_days) THEN lt.touch_at END
        AS touch_at,
    CASE WHEN lt.touch_at >= w2.paid_at - to_hours(24 * attribution_days) THEN lt.source_id END
        AS touch_source_id
FROM wanted w
JOIN sources w2 ON w2.payment_id = w.source_payment_id
LEFT JOIN last_touch lt ON lt.payment_id = w.source_payment_id;
