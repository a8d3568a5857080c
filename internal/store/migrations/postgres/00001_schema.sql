-- +goose Up
-- The directory's schema: every entity of domain.md. Sort columns (*_sort) hold a
-- folded key computed in Go and compare byte-wise (COLLATE "C"), like every other
-- sortable text column, so that sorts are the same as on SQLite whatever the
-- database's default collation. Date columns keep the precise partial date as text and a
-- sortable first-day key (YYYY-MM-DD, '' when unknown). Money is integer cents.
-- Lists that are only shown, never filtered (legal_basis, sources, tags for display)
-- are JSON text columns; tags are also rows of project_tags for the tag filter.

CREATE TABLE partners (
    id               uuid PRIMARY KEY,
    slug             text COLLATE "C" NOT NULL,
    name             text NOT NULL,
    name_sort        text COLLATE "C" NOT NULL,
    short_name       text NOT NULL DEFAULT '',
    type             text COLLATE "C" NOT NULL,
    parent_id        uuid REFERENCES partners(id),
    legal_form       text NOT NULL DEFAULT '',
    ags              text NOT NULL DEFAULT '',
    ars              text NOT NULL DEFAULT '',
    state            text COLLATE "C" NOT NULL DEFAULT '',
    leitweg_id       text NOT NULL DEFAULT '',
    website          text NOT NULL DEFAULT '',
    email            text NOT NULL DEFAULT '',
    street           text NOT NULL DEFAULT '',
    postal_code      text NOT NULL DEFAULT '',
    city             text NOT NULL DEFAULT '',
    employees_count  integer,
    employees_as_of  text NOT NULL DEFAULT '',
    description      text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    version          integer NOT NULL DEFAULT 1,
    deleted_at       timestamptz
);
CREATE UNIQUE INDEX partners_slug_live ON partners (slug) WHERE deleted_at IS NULL;
CREATE INDEX partners_slug ON partners (slug);
CREATE INDEX partners_name ON partners (name_sort, id) WHERE deleted_at IS NULL;
CREATE INDEX partners_type ON partners (type, name_sort, id) WHERE deleted_at IS NULL;
CREATE INDEX partners_state ON partners (state, name_sort, id) WHERE deleted_at IS NULL;
CREATE INDEX partners_parent ON partners (parent_id) WHERE deleted_at IS NULL;
CREATE INDEX partners_updated ON partners (updated_at, id);
CREATE INDEX partners_created ON partners (created_at, id);

CREATE TABLE solutions (
    id          uuid PRIMARY KEY,
    slug        text COLLATE "C" NOT NULL,
    name        text NOT NULL,
    name_sort   text COLLATE "C" NOT NULL,
    description text NOT NULL DEFAULT '',
    category    text COLLATE "C" NOT NULL DEFAULT '',
    website     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    version     integer NOT NULL DEFAULT 1,
    deleted_at  timestamptz
);
CREATE UNIQUE INDEX solutions_slug_live ON solutions (slug) WHERE deleted_at IS NULL;
CREATE INDEX solutions_slug ON solutions (slug);
CREATE INDEX solutions_name ON solutions (name_sort, id) WHERE deleted_at IS NULL;
CREATE INDEX solutions_category ON solutions (category, name_sort, id) WHERE deleted_at IS NULL;
CREATE INDEX solutions_updated ON solutions (updated_at, id);
CREATE INDEX solutions_created ON solutions (created_at, id);

CREATE TABLE solution_developers (
    solution_id uuid NOT NULL REFERENCES solutions(id) ON DELETE CASCADE,
    partner_id  uuid NOT NULL REFERENCES partners(id),
    position    integer NOT NULL,
    PRIMARY KEY (solution_id, partner_id)
);
CREATE INDEX solution_developers_partner ON solution_developers (partner_id, solution_id);

CREATE TABLE cooperations (
    id                   uuid PRIMARY KEY,
    slug                 text COLLATE "C" NOT NULL,
    title                text NOT NULL,
    title_sort           text COLLATE "C" NOT NULL,
    description          text NOT NULL DEFAULT '',
    status               text COLLATE "C" NOT NULL,
    legal_form           text NOT NULL,
    started_on           text NOT NULL DEFAULT '',
    started_on_key       text COLLATE "C" NOT NULL DEFAULT '',
    ended_on             text NOT NULL DEFAULT '',
    legal_basis          text NOT NULL DEFAULT '[]',
    notice_period_months integer,
    vat_treatment        text NOT NULL DEFAULT '',
    procurement_exempt   boolean,
    sources              text NOT NULL DEFAULT '[]',
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    version              integer NOT NULL DEFAULT 1,
    deleted_at           timestamptz
);
CREATE UNIQUE INDEX cooperations_slug_live ON cooperations (slug) WHERE deleted_at IS NULL;
CREATE INDEX cooperations_slug ON cooperations (slug);
CREATE INDEX cooperations_title ON cooperations (title_sort, id) WHERE deleted_at IS NULL;
CREATE INDEX cooperations_status ON cooperations (status, title_sort, id) WHERE deleted_at IS NULL;
CREATE INDEX cooperations_legal_form ON cooperations (legal_form) WHERE deleted_at IS NULL;
CREATE INDEX cooperations_started ON cooperations (started_on_key, id) WHERE deleted_at IS NULL;
CREATE INDEX cooperations_updated ON cooperations (updated_at, id);
CREATE INDEX cooperations_created ON cooperations (created_at, id);

CREATE TABLE cooperation_members (
    cooperation_id uuid NOT NULL REFERENCES cooperations(id) ON DELETE CASCADE,
    partner_id     uuid NOT NULL REFERENCES partners(id),
    role           text NOT NULL,
    position       integer NOT NULL,
    PRIMARY KEY (cooperation_id, partner_id, role)
);
CREATE INDEX cooperation_members_partner ON cooperation_members (partner_id, cooperation_id);

CREATE TABLE projects (
    id                       uuid PRIMARY KEY,
    slug                     text COLLATE "C" NOT NULL,
    title                    text NOT NULL,
    title_sort               text COLLATE "C" NOT NULL,
    description              text NOT NULL DEFAULT '',
    cooperation_id           uuid NOT NULL REFERENCES cooperations(id),
    solution_id              uuid REFERENCES solutions(id),
    category                 text COLLATE "C" NOT NULL,
    status                   text COLLATE "C" NOT NULL,
    started_on               text NOT NULL DEFAULT '',
    started_on_key           text COLLATE "C" NOT NULL DEFAULT '',
    planned_end_on           text NOT NULL DEFAULT '',
    ended_on                 text NOT NULL DEFAULT '',
    legal_basis              text NOT NULL DEFAULT '[]',
    budget_planned_cents     bigint,
    cost_actual_cents        bigint,
    savings_estimated_cents  bigint,
    currency                 text NOT NULL DEFAULT 'EUR',
    tags                     text NOT NULL DEFAULT '[]',
    sources                  text NOT NULL DEFAULT '[]',
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL,
    version                  integer NOT NULL DEFAULT 1,
    deleted_at               timestamptz
);
CREATE UNIQUE INDEX projects_slug_live ON projects (slug) WHERE deleted_at IS NULL;
CREATE INDEX projects_slug ON projects (slug);
CREATE INDEX projects_title ON projects (title_sort, id) WHERE deleted_at IS NULL;
CREATE INDEX projects_status ON projects (status, title_sort, id) WHERE deleted_at IS NULL;
CREATE INDEX projects_status_id ON projects (status, id) WHERE deleted_at IS NULL;
CREATE INDEX projects_category ON projects (category, title_sort, id) WHERE deleted_at IS NULL;
CREATE INDEX projects_cooperation ON projects (cooperation_id) WHERE deleted_at IS NULL;
CREATE INDEX projects_solution ON projects (solution_id) WHERE deleted_at IS NULL;
CREATE INDEX projects_started ON projects (started_on_key, id) WHERE deleted_at IS NULL;
CREATE INDEX projects_updated ON projects (updated_at, id);
CREATE INDEX projects_created ON projects (created_at, id);

CREATE TABLE project_participants (
    project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    partner_id uuid NOT NULL REFERENCES partners(id),
    role       text NOT NULL,
    since      text NOT NULL DEFAULT '',
    until      text NOT NULL DEFAULT '',
    position   integer NOT NULL,
    PRIMARY KEY (project_id, partner_id, role)
);
CREATE INDEX project_participants_partner ON project_participants (partner_id, role, project_id);

CREATE TABLE project_tags (
    project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    tag        text NOT NULL,
    position   integer NOT NULL,
    PRIMARY KEY (project_id, tag)
);
CREATE INDEX project_tags_tag ON project_tags (tag, project_id);

-- The status timeline; never overwritten.
CREATE TABLE status_changes (
    id               bigserial PRIMARY KEY,
    resource_type    text NOT NULL,
    resource_id      uuid NOT NULL,
    from_status      text NOT NULL DEFAULT '',
    to_status        text NOT NULL,
    effective_on     text NOT NULL DEFAULT '',
    effective_on_key text COLLATE "C" NOT NULL DEFAULT '',
    recorded_at      timestamptz NOT NULL,
    actor_type       text NOT NULL,
    actor_id         text NOT NULL DEFAULT '',
    actor_name       text NOT NULL DEFAULT '',
    reason           text NOT NULL DEFAULT ''
);
CREATE INDEX status_changes_resource ON status_changes (resource_type, resource_id, id);
CREATE INDEX status_changes_to ON status_changes (resource_type, to_status, effective_on_key);

-- The change log: every accepted write, in the same transaction as the write.
CREATE TABLE changes (
    id            bigserial PRIMARY KEY,
    at            timestamptz NOT NULL,
    actor_type    text NOT NULL,
    actor_id      text NOT NULL DEFAULT '',
    actor_name    text NOT NULL DEFAULT '',
    request_id    text NOT NULL DEFAULT '',
    action        text NOT NULL,
    resource_type text NOT NULL,
    resource_id   uuid NOT NULL,
    version       integer NOT NULL,
    changes       text NOT NULL DEFAULT '{}'
);
CREATE INDEX changes_resource ON changes (resource_type, resource_id, id);
CREATE INDEX changes_at ON changes (at);

CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY,
    name         text NOT NULL,
    prefix       text NOT NULL,
    hash         text NOT NULL UNIQUE,
    role         text NOT NULL,
    partners     text NOT NULL DEFAULT '[]',
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_created ON api_tokens (created_at, id);

-- +goose Down
DROP TABLE api_tokens, changes, status_changes, project_tags,
    project_participants, projects, cooperation_members, cooperations,
    solution_developers, solutions, partners;
