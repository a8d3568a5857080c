-- The data version (migration 00005): the result cache keeps answers of this one only.
SELECT id FROM data_version
