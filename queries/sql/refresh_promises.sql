-- One row per promise to pay: a call (either direction) or a visit with outcome promise_to_pay,
-- promise_amount > 0 and a promise_date on or after the contact's site date.
-- `team_id` is the acting agent's team (activity grouping); the account's slicers ride along.
CREATE OR REPLACE MACRO promises_rebuilt() AS TABLE
SELECT
    c.kind AS source_kind,
    c.contact_id AS source_id,
    c.account_id,
    c.agent_id,
    c.agent_team_id AS team_id,
    c.portfolio_team_id,
    c.strategy,
    c.product,
    c.bucket,
    c.contact_at AS made_at,
    c.site_date AS made_date,
    c.promise_date,
    c.promise_amount AS amount
FROM contacts c
WHERE c.kind IN ('call', 'visit')
  AND c.outcome = 'promise_to_pay'
  AND c.promise_amount > 0
  AND c.promise_date >= c.site_date
  AND rebuilt_at(c.contact_at, c.account_id)
ORDER BY c.contact_at, c.kind, c.contact_id;

CREATE OR REPLACE TABLE promises AS FROM promises_rebuilt();

-- The grace-dependent part of a promise, computed when queried so that grace_days and
-- follow_up_days always come from the current settings (a refresh knows no settings), for the
-- promises whose due day (promise_date + grace_days) is in [first_due_day, last_due_day]:
--   FROM promise_outcomes_between($grace_days, $follow_up_days, $start_date, $end_date)
-- due_at: 00:00 site time on promise_date + grace_days + 1 day (due when as_of >= due_at);
--   due_date: that day (due_at <= an instant T exactly when due_date <= T's site date).
-- kept: net payments on the account with made_at <= paid_at < due_at reach amount - 0.01;
--   it never depends on as_of, because a due promise's window ends before as_of
--   (read it only where due_at <= as_of).
-- follow_up_start/end: the broken-promise follow-up window [due_at, end of the
--   (grace_days + follow_up_days)-th site day after promise_date), whole site days;
--   followed_up: an attempt on the account by any agent inside it (NULL with
--   with_follow_up := false, for figures that do not need it: finding the attempts scans the
--   period's contacts).
-- The constant time bounds on payments and contacts let zone maps skip the rest of the year.
CREATE OR REPLACE MACRO promise_outcomes_between(
    grace_days, follow_up_days, first_due_day, last_due_day, with_follow_up := true
) AS TABLE
WITH timed AS (
    -- site dates only: a date → instant conversion per row costs more than the rest of the
    -- filter, so instants are made in the last SELECT, where a caller that compares dates
    -- (due_date, follow_up_end_date) does not pay for them
    SELECT
        p.*,
        p.promise_date + (grace_days + 1) AS due_date,
        p.promise_date + (grace_days + follow_up_days + 1) AS follow_up_end_date
    FROM promises p
    WHERE p.promise_date + grace_days BETWEEN first_due_day AND last_due_day
),
paid AS (
    SELECT t.source_kind, t.source_id, sum(l.net_amount) AS paid_in_window
    FROM timed t
    JOIN payment_lines l
      ON l.account_id = t.account_id AND l.paid_at >= t.made_at AND l.paid_date < t.due_date
    WHERE l.paid_at < CAST(last_due_day + 1 AS TIMESTAMPTZ)
    GROUP BY ALL
),
follow_up_days AS (
    -- the window's site days, so that the attempts are found by (account, day) equality
    SELECT
        source_kind, source_id, account_id,
        unnest(range(promise_date + (grace_days + 1), promise_date
            + (grace_days + follow_up_days + 1), INTERVAL 1 DAY))::DATE AS site_date
    FROM timed
    WHERE with_follow_up
),
followed AS (
    SELECT DISTINCT d.source_kind, d.source_id
    FROM follow_up_days d
    SEMI JOIN contacts c
      ON c.account_id = d.account_id AND c.site_date = d.site_date AND c.is_attempt
     AND c.contact_at >= CAST(first_due_day + 1 AS TIMESTAMPTZ)
     AND c.contact_at < CAST(last_due_day + (follow_up_days + 1) AS TIMESTAMPTZ)
)
SELECT
    t.*,
    CAST(t.due_date AS TIMESTAMPTZ) AS due_at,
    CAST(t.follow_up_end_date AS TIMESTAMPTZ) AS follow_up_end,
    coalesce(paid.paid_in_window, 0) AS paid_in_window,
    coalesce(paid.paid_in_window, 0) >= t.amount - 0.01 AS kept,
    CAST(t.due_date AS TIMESTAMPTZ) AS follow_up_start,
    CASE WHEN with_follow_up THEN f.source_id IS NOT NULL END AS followed_up
FROM timed t
LEFT JOIN paid USING (source_kind, source_id)
LEFT JOIN followed f USING (source_kind, source_id);
