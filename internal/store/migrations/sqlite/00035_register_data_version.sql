-- +goose Up
-- Loading a register (`ikz-verzeichnis regions import`) changes what the directory
-- answers (population and area of partners, population served, cost per inhabitant)
-- without writing a change entry unless a partner's key vanished, so the data version
-- (migration 00021), which ETags, Last-Modified and caches follow, moves with it too.
-- +goose StatementBegin
CREATE TRIGGER region_registers_data_version AFTER INSERT ON region_registers BEGIN
    UPDATE data_versions SET n = n + 1,
        changed_at = max(coalesce(changed_at, ''), strftime('%Y-%m-%d %H:%M:%f', 'now'))
     WHERE slot = 0;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER region_registers_data_version;
