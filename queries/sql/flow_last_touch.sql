-- The last touch before as_of of each named account (tie order as in attribution): the
-- portfolio flow's drill-down shows it beside the cell's accounts.
SELECT
    t.account_id,
    max(t.touch_at) AS last_touch_at,
    arg_max(t.channel, t.touch_at) AS last_touch_channel
FROM touches t
WHERE list_contains($accounts, t.account_id) AND t.touch_at < $as_of
GROUP BY t.account_id
