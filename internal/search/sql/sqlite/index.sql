-- Writes search documents (?1: a JSON array of internal/search doc, version ?2) and
-- returns their ids; index_fts.sql then writes their tokens.
INSERT INTO search_documents (resource_type, resource_id, doc_version, live, status, category,
    body_len, name_fold, slug_fold)
SELECT json_extract(x.value, '$.resource_type'), json_extract(x.value, '$.resource_id'), ?2,
       json_extract(x.value, '$.live'), json_extract(x.value, '$.status'), json_extract(x.value, '$.category'),
       json_extract(x.value, '$.body_len'), json_extract(x.value, '$.name_fold'), json_extract(x.value, '$.slug_fold')
FROM json_each(?1) x WHERE true
ON CONFLICT (resource_id, resource_type) DO UPDATE SET
    doc_version = excluded.doc_version, live = excluded.live, status = excluded.status,
    category = excluded.category, body_len = excluded.body_len, name_fold = excluded.name_fold,
    slug_fold = excluded.slug_fold
RETURNING id
