-- The trigrams ($1) of new vocabulary words ($2, the same length).
INSERT INTO search_word_trigrams (trigram, word_id)
SELECT * FROM unnest($1::text[], $2::integer[])
ON CONFLICT DO NOTHING
