-- The site date of the latest contact or payment (the default as_of is the day after it).
SELECT CAST(max(t) AS DATE) AS latest_day
FROM (
    SELECT max(started_at) AS t FROM calls
    UNION ALL SELECT max(visited_at) FROM visits
    UNION ALL SELECT max(sent_at) FROM messages
    UNION ALL SELECT max(paid_at) FROM payments
)
