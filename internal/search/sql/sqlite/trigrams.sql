-- The trigrams (?1) of new vocabulary words (?2), JSON arrays of the same length.
INSERT INTO search_word_trigrams (trigram, word_id)
SELECT t.value, w.value FROM json_each(?1) t JOIN json_each(?2) w ON w.key = t.key WHERE true
ON CONFLICT DO NOTHING
