-- +goose Up
-- The register of territorial units (internal/region). serves: the regions a partner
-- that is no territorial unit itself serves (an IT provider, a regional association),
-- as 12-digit ARS separated by blanks. region_status: how the partner's keys stand in
-- the register in force (current, outdated after a register update, missing: a
-- municipality, district or state without a key); one index per filter.
ALTER TABLE partners ADD COLUMN serves text NOT NULL DEFAULT '';
ALTER TABLE partners ADD COLUMN region_status text NOT NULL DEFAULT 'current';
UPDATE partners SET region_status = 'missing'
 WHERE type IN ('municipality', 'district', 'state') AND ags = '' AND ars = '';
CREATE INDEX partners_region_status ON partners (region_status, name_sort, id) WHERE deleted_at IS NULL;

-- Newer extracts of the register, loaded by `ikz-verzeichnis regions import FILE`; the
-- newest is in force (none: the one the binary ships). data is the gzip-compressed CSV;
-- sha256 that of the CSV itself.
CREATE TABLE region_registers (
    id                integer PRIMARY KEY AUTOINCREMENT,
    sha256            text NOT NULL UNIQUE,
    name              text NOT NULL,
    as_of             text NOT NULL,
    population_as_of  text NOT NULL,
    licence           text NOT NULL,
    licence_url       text NOT NULL,
    attribution       text NOT NULL,
    data              blob NOT NULL,
    imported_at       datetime NOT NULL
);

-- +goose Down
DROP TABLE region_registers;
DROP INDEX partners_region_status;
ALTER TABLE partners DROP COLUMN region_status;
ALTER TABLE partners DROP COLUMN serves;
