-- The agent days an incremental refresh rebuilds beyond its first day: those on which an
-- account it rebuilds whole was contacted (macros/rebuild.sql).
INSERT INTO refresh_agent_days
SELECT DISTINCT site_date, agent_id
FROM contact_rows
WHERE account_id IN (SELECT account_id FROM refresh_accounts)
