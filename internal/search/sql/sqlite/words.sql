-- Adds the words of the JSON array ?1 to the vocabulary; returns those that were new.
INSERT INTO search_words (word) SELECT DISTINCT value FROM json_each(?1) WHERE true
ON CONFLICT (word) DO NOTHING
RETURNING id, word
