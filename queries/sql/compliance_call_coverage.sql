-- What the optional-column rules could and could not judge in the period: calls whose file
-- lacked the column are "not in export"; a carried but empty identity_verified is "not recorded".
-- Every column it counts is call_facts' own, so it reads no contact (at 10M calls, a month
-- joined to its contacts took 1 s).
SELECT
    count(*) FILTER (WHERE is_rpc) AS rpc_calls,
    count(*) FILTER (WHERE is_rpc AND identity_verified_known AND identity_verified = false)
        AS unverified,
    count(*) FILTER (WHERE is_rpc AND identity_verified_known AND identity_verified IS NULL)
        AS verification_not_recorded,
    count(*) FILTER (WHERE is_rpc AND NOT identity_verified_known) AS verification_not_in_export,
    count(*) FILTER (WHERE is_connected) AS connected_calls,
    count(*) FILTER (WHERE is_connected AND recording_known AND recording_id IS NULL)
        AS unrecorded,
    count(*) FILTER (WHERE is_connected AND NOT recording_known) AS recording_not_in_export,
    count(*) FILTER (WHERE is_rpc AND NOT abusive_known AND NOT sentiment_known)
        AS hostility_not_in_export
FROM call_facts_in($start, $end, $as_of, $teams, $agents, $strategies, $products, $buckets)
