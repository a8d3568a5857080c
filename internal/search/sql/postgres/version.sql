-- The data version (migration 00021: the sum of its rows): the result cache keeps
-- answers of this one only.
SELECT CAST(SUM(n) AS bigint) FROM data_versions
