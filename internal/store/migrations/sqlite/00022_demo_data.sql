-- +goose Up
-- demo_data holds one row while the directory holds invented data (see the PostgreSQL
-- migration).
CREATE TABLE demo_data (
    one       integer PRIMARY KEY CHECK (one = 1),
    seed      integer NOT NULL,
    loaded_at datetime NOT NULL
);

-- +goose Down
DROP TABLE demo_data;
