-- dpd_buckets(): the delinquency buckets in order, 30 days past due a bucket: current (0),
-- M1 (1-30), M2 (31-60) ... M6 (151-180), M7+ (181 and more). The assignment bucket and the
-- portfolio flow's opening and closing buckets (account_snapshots) all read this one list.
CREATE OR REPLACE MACRO dpd_buckets() AS ['current', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7+'];

-- dpd_bucket(dpd): the bucket of a days-past-due figure.
CREATE OR REPLACE MACRO dpd_bucket(dpd) AS
    dpd_buckets()[least(greatest(CAST(ceil(dpd / 30) AS INTEGER), 0), 7) + 1];

-- bucket_rank(bucket): its place in dpd_buckets() (1 = current), NULL for any other state.
CREATE OR REPLACE MACRO bucket_rank(bucket) AS nullif(list_position(dpd_buckets(), bucket), 0);
