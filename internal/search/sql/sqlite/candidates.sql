-- Vocabulary words sharing at least ?2 of the trigrams of the JSON array ?1, most
-- shared first, at most ?3 (see sql/postgres/candidates.sql).
SELECT w.word FROM (
    SELECT word_id, count(*) AS shared FROM search_word_trigrams
    WHERE trigram IN (SELECT value FROM json_each(?1)) GROUP BY word_id HAVING count(*) >= ?2
) t JOIN search_words w ON w.id = t.word_id
ORDER BY t.shared DESC, w.word
LIMIT ?3
