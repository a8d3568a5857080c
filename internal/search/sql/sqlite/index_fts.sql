-- Writes the tokens of the documents of ?1 (the JSON array of index.sql).
INSERT INTO search_fts (rowid, title_doc, alt_doc, body_doc)
SELECT d.id, json_extract(x.value, '$.title_doc'), json_extract(x.value, '$.alt_doc'), json_extract(x.value, '$.body_doc')
FROM json_each(?1) x
JOIN search_documents d ON d.resource_id = json_extract(x.value, '$.resource_id')
                       AND d.resource_type = json_extract(x.value, '$.resource_type')
