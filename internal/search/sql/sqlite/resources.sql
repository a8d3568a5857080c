-- The rows of resources of one type (?1) with the ids of the JSON array ?2, with every
-- column a search document is built from (see sql/postgres/resources.sql).
SELECT 'partner' AS resource_type, x.id, x.slug, x.deleted_at IS NULL AS live, NULL AS status,
       NULL AS category, x.name AS title, x.short_name, x.description, x.city, x.ags, x.ars,
       x.leitweg_id, '[]' AS legal_basis, '[]' AS tags
FROM partners x WHERE ?1 = 'partner' AND x.id IN (SELECT value FROM json_each(?2))
UNION ALL
SELECT 'cooperation', x.id, x.slug, x.deleted_at IS NULL, NULL, NULL, x.title, '', x.description,
       '', '', '', '', x.legal_basis, '[]'
FROM cooperations x WHERE ?1 = 'cooperation' AND x.id IN (SELECT value FROM json_each(?2))
UNION ALL
SELECT 'project', x.id, x.slug, x.deleted_at IS NULL, x.status, x.category, x.title, '',
       x.description, '', '', '', '', '[]', x.tags
FROM projects x WHERE ?1 = 'project' AND x.id IN (SELECT value FROM json_each(?2))
UNION ALL
SELECT 'solution', x.id, x.slug, x.deleted_at IS NULL, NULL, NULL, x.name, '', x.description,
       '', '', '', '', '[]', '[]'
FROM solutions x WHERE ?1 = 'solution' AND x.id IN (SELECT value FROM json_each(?2))
