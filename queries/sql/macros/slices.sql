-- The sidebar's slicers as one rule every query applies.

-- in_slice(selection, value): true when the sidebar selection is empty ("all") or holds value.
CREATE OR REPLACE MACRO in_slice(selection, value) AS
    (len(selection) = 0 OR list_contains(selection, value));

-- in_slices(the five sidebar selections, the row's team, agent, strategy, product, bucket):
-- the row passes every slicer. Called as
--   in_slices($teams, $agents, $strategies, $products, $buckets,
--             team_id, agent_id, strategy, product, bucket)
CREATE OR REPLACE MACRO in_slices(
    teams, agents, strategies, products, buckets, team, agent, strategy, product, bucket
) AS
    in_slice(teams, team) AND in_slice(agents, agent) AND in_slice(strategies, strategy)
    AND in_slice(products, product) AND in_slice(buckets, bucket);
