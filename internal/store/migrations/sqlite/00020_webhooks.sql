-- +goose Up
-- Webhook subscriptions (api.md "Webhooks") and their delivery state: each one
-- follows the change log with a cursor of its own (the last change delivered or passed
-- over), so that a failing receiver holds back only its own subscription. The lease
-- (lease_owner, lease_until) names the one instance that delivers it at a time; another
-- takes it over once it expires.
CREATE TABLE webhooks (
    id                    text PRIMARY KEY,
    url                   text NOT NULL,
    description           text NOT NULL DEFAULT '',
    events                text NOT NULL DEFAULT '[]',
    partner_id            text REFERENCES partners(id),
    cooperation_id        text REFERENCES cooperations(id),
    scope_partners        text NOT NULL DEFAULT '[]',
    role                  text NOT NULL,
    active                boolean NOT NULL,
    status                text NOT NULL,
    disabled_reason       text NOT NULL DEFAULT '',
    secret                text NOT NULL,
    previous_secret       text NOT NULL DEFAULT '',
    previous_secret_until datetime,
    owner_id              text NOT NULL DEFAULT '',
    owner_name            text NOT NULL DEFAULT '',
    cursor                bigint NOT NULL,
    attempt               integer NOT NULL DEFAULT 0,
    next_attempt_at       datetime,
    lease_owner           text NOT NULL DEFAULT '',
    lease_until           datetime,
    version               integer NOT NULL,
    created_at            datetime NOT NULL,
    updated_at            datetime NOT NULL
);
CREATE INDEX webhooks_owner ON webhooks (owner_id, created_at, id);
CREATE INDEX webhooks_due ON webhooks (active, lease_until);

-- Every attempt to deliver (and every ping), newest last.
CREATE TABLE webhook_deliveries (
    id          integer PRIMARY KEY AUTOINCREMENT,
    webhook_id  text NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    change_id   bigint NOT NULL,
    message_id  text NOT NULL,
    event_type  text NOT NULL,
    attempt     integer NOT NULL,
    trigger     text NOT NULL,
    at          datetime NOT NULL,
    status_code integer,
    duration_ms integer NOT NULL,
    error       text NOT NULL DEFAULT '',
    excerpt     text NOT NULL DEFAULT ''
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
