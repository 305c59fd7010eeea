-- The distinct note texts of the period's calls and visits (no slicers: a superset of what
-- compliance_notes returns). The lexicon is matched against each text once, not once per row:
-- notes repeat (templates, "no answer"), and the matching is the costly part.
SELECT notes
FROM calls
WHERE notes IS NOT NULL AND started_at >= $start AND started_at < $end AND started_at < $as_of
UNION
SELECT notes
FROM visits
WHERE notes IS NOT NULL AND visited_at >= $start AND visited_at < $end AND visited_at < $as_of
