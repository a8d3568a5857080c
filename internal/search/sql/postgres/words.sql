-- Adds words ($1) to the vocabulary; returns those that were new, for their trigrams.
INSERT INTO search_words (word) SELECT DISTINCT w FROM unnest($1::text[]) w
ON CONFLICT (word) DO NOTHING
RETURNING id, word
