-- What the optional-column rules could and could not judge in the period: calls whose file
-- lacked the column are "not in export"; a carried but empty identity_verified is "not recorded".
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
FROM calls_in($start, $end, $as_of, $teams, $agents, $strategies, $products, $buckets)
