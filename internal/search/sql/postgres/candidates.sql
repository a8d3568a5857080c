-- Vocabulary words sharing at least $2 of the trigrams $1, most shared first, at most
-- $3: the candidates a mistyped word is compared with (textsearch.Correction).
SELECT w.word FROM (
    SELECT word_id, count(*) AS shared FROM search_word_trigrams
    WHERE trigram = ANY($1::text[]) GROUP BY word_id HAVING count(*) >= $2::integer
) t JOIN search_words w ON w.id = t.word_id
ORDER BY t.shared DESC, w.word
LIMIT $3::integer
