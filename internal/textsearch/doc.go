// Package textsearch normalises German text for the directory's search so
// that PostgreSQL and the embedded SQLite return the same results.
//
// All linguistic work happens in Go; the databases only store and compare
// plain [a-z0-9] tokens. This keeps both back ends identical and needs no
// database dictionaries (no PostgreSQL "german" configuration, no ICU).
//
// # Pipeline
//
//   - [Fold] lower-cases the text, folds umlauts, ß and accents and maps
//     everything else to word separators. Umlauts fold to their base vowel and
//     the transcriptions ae/oe/ue collapse to a/o/u as well, so "Behördennetz",
//     "Behoerdennetz" and "Behordennetz" all become "behordennetz".
//   - [Stem] strips German inflection endings (a Snowball-German variant that
//     also strips -um, so "Rechenzentrum" and "Rechenzentren" both become
//     "rechenzentr"). A stem is always a prefix of its folded word.
//   - [Document] builds the indexed token string of a resource: every folded
//     word plus its compound parts (see below).
//   - [Query] turns user input into terms, one per word, each matched when one
//     of its prefixes (the stem and its [Derive]d forms) is a PREFIX of some
//     document token; all terms must match (AND).
//
// Because stems are prefixes of their words and terms are prefix-matched,
// documents store unstemmed words: a stemmed query term ("archivier" from
// "Archivierungen") matches the stored surface form ("archivierung"), and an
// unfinished word typed so far ("archivieru") matches too.
//
// # Compound parts, and what they cost
//
// German glues nouns together ("Langzeitarchivierung", "Behördennetz"). Instead
// of a compound dictionary, [Document] emits for each word every suffix that
// starts at least [MinHeadLen] bytes into the word and is at least
// [MinPartLen] bytes long, truncated to [MaxPartLen] bytes. A query term then
// matches a compound part as the prefix of such a suffix: "archivier" is a
// prefix of "archivierung", a suffix of "langzeitarchivierung".
//
// The price is index size and some precision. A word of n letters yields up
// to n-5 extra tokens, so a document is about four times longer than its
// text (BenchmarkDocument: 1.7 KB for a 425-byte description); FTS5 and GIN
// indexes grow accordingly, although common parts ("ung", "archiv") are shared
// between documents. Short terms gain false positives: "tion" matches every
// "-tion" word, "hiv" matches "Stadtarchiv". [MaxTokenLen] and [MaxPartLen]
// bound the cost of very long words to O(n·MaxPartLen) bytes. [MinPartLen]
// is 3 so that frequent three-letter final parts of administrative names
// ("Ordnungsamt", "Stadtrat") are found.
//
// # Using it on PostgreSQL and SQLite
//
// Store Document(title, description, …) in a text column and Fold(name) in a
// name column. Query terms contain only [a-z0-9], but pass them as parameters
// anyway.
//
//	PostgreSQL: to_tsvector('simple', doc) @@ to_tsquery('simple', 'term1:* & term2:*')
//	            (GIN index on to_tsvector('simple', doc))
//	SQLite:     FTS5 table with tokenize='ascii' prefix='2 3 4';
//	            MATCH '"term1"* AND "term2"*'
//
// [Matches] implements the same predicate in Go.
//
// [Derive] adds the forms German derives regularly: a verb in -ieren and its
// nouns in -ierung and -ation (archiviert finds Archivierung, kooperieren finds
// Kooperation). Words of digits are identifiers (AGS, ARS, Leitweg-IDs): they
// get no compound parts, so they are found from their start only.
//
// Typing errors: [Correction] tells whether a query word is a part of an
// indexed word within [MaxEdits] errors (optimal string alignment, the part
// starting where a document token starts) and by which prefix it then finds
// it; the caller keeps a vocabulary of indexed words and asks it only for words
// that no indexed word contains as typed ([PartOf]). [Similarity] and
// [WordSimilarity] give the numbers of pg_trgm's similarity() and
// word_similarity() on folded text, with its default thresholds.
//
// Results are sorted by [SortKey], which is plain ASCII for Latin text and
// therefore orders identically under PostgreSQL COLLATE "C" and SQLite BINARY.
package textsearch
