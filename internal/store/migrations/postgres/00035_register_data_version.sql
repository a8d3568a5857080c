-- +goose Up
-- Loading a register (`ikz-verzeichnis regions import`) changes what the directory
-- answers (population and area of partners, population served, cost per inhabitant)
-- without writing a change entry unless a partner's key vanished, so the data version
-- (migration 00021), which ETags, Last-Modified and caches follow, moves with it too.
CREATE TRIGGER region_registers_data_version AFTER INSERT ON region_registers
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();

-- +goose Down
DROP TRIGGER region_registers_data_version ON region_registers;
