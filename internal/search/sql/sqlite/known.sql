-- Which of the prefixes of the JSON array ?1 some vocabulary word starts with.
SELECT value FROM json_each(?1) p
WHERE EXISTS (SELECT 1 FROM search_words w WHERE w.word >= p.value AND w.word < p.value || '{')
