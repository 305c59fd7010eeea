-- Touches for last-touch attribution: RPC calls of either direction (phone), RPC visits (visit)
-- and delivered messages, automated ones included (their own channel). Touches on one account
-- at one instant keep only the winner of metrics.md's tie order (visit, phone, im, sms, email,
-- letter, then the lower source id), so an ASOF JOIN on time alone picks the right one.
CREATE OR REPLACE MACRO touches_rebuilt() AS TABLE
SELECT account_id, contact_at AS touch_at, channel, kind AS source_kind, contact_id AS source_id
FROM contacts
WHERE ((kind IN ('call', 'visit') AND is_rpc) OR (kind = 'message' AND delivered))
  AND rebuilt_at(contact_at, account_id)
QUALIFY row_number() OVER (
    PARTITION BY account_id, contact_at
    ORDER BY list_position(['visit', 'phone', 'im', 'sms', 'email', 'letter'], channel), contact_id
) = 1
ORDER BY account_id, touch_at;

CREATE OR REPLACE TABLE touches AS FROM touches_rebuilt();

-- The last touch at or before each payment (no window: the latest touch is the only
-- candidate, so the attribution window is applied when queried, from settings). The payment's
-- account and time say which rows a refresh rebuilds.
-- (The touches are narrowed to the payments' accounts first: an ASOF join sorts all of its
-- right side, and a nightly refresh rebuilds the payments of a few thousand accounts.)
CREATE OR REPLACE MACRO payment_touches_rebuilt() AS TABLE
WITH rebuilt AS (
    SELECT payment_id, account_id, paid_at FROM payment_lines
    WHERE NOT is_reversal AND rebuilt_at(paid_at, account_id)
),
their_touches AS (
    SELECT * FROM touches WHERE account_id IN (SELECT account_id FROM rebuilt)
)
SELECT p.payment_id, p.account_id, p.paid_at, t.touch_at, t.channel, t.source_id
FROM rebuilt p
ASOF LEFT JOIN their_touches t ON t.account_id = p.account_id AND p.paid_at >= t.touch_at
ORDER BY p.payment_id;

CREATE OR REPLACE TABLE payment_touches AS FROM payment_touches_rebuilt();

-- Payment lines of [start_at, end_at) with the channel of the last touch before their source
-- payment (a reversal takes its payment's channel), `none` when no touch lies within
-- attribution_days × 24 h before it (both ends inclusive):
--   FROM attributed_lines($attribution_days, $start, least($end, $as_of))
CREATE OR REPLACE MACRO attributed_lines(attribution_days, start_at, end_at) AS TABLE
SELECT
    payment_id, source_payment_id, is_reversal, account_id, plan_id, paid_at, net_amount,
    CASE WHEN in_window THEN last_channel ELSE 'none' END AS channel,
    CASE WHEN in_window THEN last_touch_at END AS touch_at,
    CASE WHEN in_window THEN last_source_id END AS touch_source_id
FROM (
    SELECT
        l.*,
        pt.channel AS last_channel,
        pt.touch_at AS last_touch_at,
        pt.source_id AS last_source_id,
        coalesce(pt.touch_at >= src.paid_at - to_hours(24 * attribution_days), false) AS in_window
    FROM payment_lines l
    JOIN payment_lines src ON src.payment_id = l.source_payment_id
    LEFT JOIN payment_touches pt ON pt.payment_id = l.source_payment_id
    WHERE l.paid_at >= start_at AND l.paid_at < end_at
);
