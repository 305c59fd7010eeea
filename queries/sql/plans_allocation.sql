-- The plan of each payment without plan_id, as allocated at refresh.
SELECT payment_id, plan_id FROM plan_allocation ORDER BY payment_id
