-- Which of the prefixes $1 some vocabulary word starts with ('{' follows z and 9).
SELECT p FROM unnest($1::text[]) p
WHERE EXISTS (SELECT 1 FROM search_words w WHERE w.word >= p AND w.word < p || '{')
