-- Up to $4 ids of resources of type $1 after id $3 (in id order) without a search
-- document of version $2 or newer: what Reindex indexes, soft-deleted ones included.
SELECT x.id::text FROM partners x
WHERE $1::text = 'partner' AND x.id > $3::uuid AND NOT EXISTS (SELECT 1 FROM search_documents d
    WHERE d.resource_id = x.id AND d.resource_type = $1 AND d.doc_version >= $2::integer)
UNION ALL
SELECT x.id::text FROM cooperations x
WHERE $1 = 'cooperation' AND x.id > $3::uuid AND NOT EXISTS (SELECT 1 FROM search_documents d
    WHERE d.resource_id = x.id AND d.resource_type = $1 AND d.doc_version >= $2)
UNION ALL
SELECT x.id::text FROM projects x
WHERE $1 = 'project' AND x.id > $3::uuid AND NOT EXISTS (SELECT 1 FROM search_documents d
    WHERE d.resource_id = x.id AND d.resource_type = $1 AND d.doc_version >= $2)
UNION ALL
SELECT x.id::text FROM solutions x
WHERE $1 = 'solution' AND x.id > $3::uuid AND NOT EXISTS (SELECT 1 FROM search_documents d
    WHERE d.resource_id = x.id AND d.resource_type = $1 AND d.doc_version >= $2)
ORDER BY 1
LIMIT $4::integer
