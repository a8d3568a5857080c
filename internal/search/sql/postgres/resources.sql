-- The rows of resources of one type ($1) with the given ids ($2), with every column a
-- search document is built from (internal/search documents.go), as the caller's
-- transaction sees them.
SELECT 'partner' AS resource_type, x.id::text, x.slug, x.deleted_at IS NULL AS live, NULL AS status,
       NULL AS category, x.name AS title, x.short_name, x.description, x.city, x.ags, x.ars,
       x.leitweg_id, '[]' AS legal_basis, '[]' AS tags
FROM partners x WHERE $1::text = 'partner' AND x.id = ANY($2::text[]::uuid[])
UNION ALL
SELECT 'cooperation', x.id::text, x.slug, x.deleted_at IS NULL, NULL, NULL, x.title, '', x.description,
       '', '', '', '', x.legal_basis, '[]'
FROM cooperations x WHERE $1 = 'cooperation' AND x.id = ANY($2::text[]::uuid[])
UNION ALL
SELECT 'project', x.id::text, x.slug, x.deleted_at IS NULL, x.status, x.category, x.title, '',
       x.description, '', '', '', '', '[]', x.tags
FROM projects x WHERE $1 = 'project' AND x.id = ANY($2::text[]::uuid[])
UNION ALL
SELECT 'solution', x.id::text, x.slug, x.deleted_at IS NULL, NULL, NULL, x.name, '', x.description,
       '', '', '', '', '[]', '[]'
FROM solutions x WHERE $1 = 'solution' AND x.id = ANY($2::text[]::uuid[])
