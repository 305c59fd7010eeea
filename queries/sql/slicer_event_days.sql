-- The first and last site date with a contact or payment: the range of selectable weeks.
SELECT CAST(min(t0) AS DATE) AS first_day, CAST(max(t1) AS DATE) AS latest_day
FROM (
    SELECT min(started_at) AS t0, max(started_at) AS t1 FROM calls
    UNION ALL SELECT min(visited_at), max(visited_at) FROM visits
    UNION ALL SELECT min(sent_at), max(sent_at) FROM messages
    UNION ALL SELECT min(paid_at), max(paid_at) FROM payments
)
