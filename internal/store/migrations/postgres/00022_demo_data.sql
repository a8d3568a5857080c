-- +goose Up
-- demo_data holds one row while the directory holds invented data, loaded by
-- `ikz-verzeichnis seed --demo` (internal/benchdata) into an empty database. The pages,
-- the API's answers and the exports mark such a directory (store/demo.go).
CREATE TABLE demo_data (
    one       integer PRIMARY KEY CHECK (one = 1),
    seed      bigint NOT NULL,
    loaded_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE demo_data;
