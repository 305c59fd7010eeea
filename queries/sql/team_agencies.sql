-- Which teams are outside agencies (docs/metrics.md, "Agencies"). A team is an agency team when
-- at least one of its agents has a known employment, every agent with a known employment is
-- 'agency' (inactive agents count), and their non-empty agency names, trimmed, are one name:
-- that name is the team's agency. Every other team is in-house (agency_name NULL).
WITH known AS (
    SELECT team_id, employment, nullif(trim(agency_name), '') AS agency_name
    FROM agents
    WHERE employment IS NOT NULL
)

SELECT
    team_id,
    CASE
        WHEN bool_and(employment = 'agency') AND count(DISTINCT agency_name) = 1
            THEN min(agency_name)
    END AS agency_name
FROM known
GROUP BY team_id
ORDER BY team_id
