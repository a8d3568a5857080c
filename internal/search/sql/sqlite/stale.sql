-- Up to ?4 ids of resources of type ?1 after id ?3 without a search document of version
-- ?2 or newer (see sql/postgres/stale.sql).
SELECT id FROM (
    SELECT x.id FROM partners x WHERE ?1 = 'partner' AND x.id > ?3
    UNION ALL SELECT x.id FROM cooperations x WHERE ?1 = 'cooperation' AND x.id > ?3
    UNION ALL SELECT x.id FROM projects x WHERE ?1 = 'project' AND x.id > ?3
    UNION ALL SELECT x.id FROM solutions x WHERE ?1 = 'solution' AND x.id > ?3
) x
WHERE NOT EXISTS (SELECT 1 FROM search_documents d
    WHERE d.resource_id = x.id AND d.resource_type = ?1 AND d.doc_version >= ?2)
ORDER BY id
LIMIT ?4
