-- Which derived rows a refresh rebuilds (queries/refresh.py). A full refresh rebuilds every
-- row; an incremental one, after a load, only those its new or changed rows can affect: every
-- row of a site day on or after `refresh_since` (the first site day the load touched, a
-- midnight) and, when `refresh_wide`, every row of an account in `refresh_accounts` (accounts
-- whose own attributes changed, with every account of their debtors) and every per-day row of
-- an agent day in `refresh_agent_days` (the days such accounts were contacted, with the agent).
-- Both variables are constants once set, so a time filter still skips blocks by zone map.
-- The two scope tables are made here because a macro's subquery is bound when it is made.
CREATE TABLE IF NOT EXISTS refresh_accounts (account_id VARCHAR);
CREATE TABLE IF NOT EXISTS refresh_agent_days (site_date DATE, agent_id VARCHAR);

-- rebuilt_since_day(): the first site day rebuilt ('-infinity' for a full refresh).
CREATE OR REPLACE MACRO rebuilt_since_day() AS CAST(getvariable('refresh_since') AS DATE);

-- rebuilt_at(instant, account): a row of `instant` on `account` is rebuilt.
CREATE OR REPLACE MACRO rebuilt_at(instant, account) AS
    instant >= getvariable('refresh_since')
    OR (getvariable('refresh_wide') AND account IN (SELECT account_id FROM refresh_accounts));

-- rebuilt_day(day, agent): a per-day row of `agent` on the site day `day` is rebuilt.
CREATE OR REPLACE MACRO rebuilt_day(day, agent) AS
    day >= rebuilt_since_day()
    OR (getvariable('refresh_wide') AND EXISTS (
        SELECT 1 FROM refresh_agent_days r WHERE r.site_date = day AND r.agent_id = agent
    ));
