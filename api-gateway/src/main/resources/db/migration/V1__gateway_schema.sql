-- kiln api-gateway schema: tokens, admin variables, builds and their event log,
-- per-image sequence numbers and the last-build record behind each namespace tag.

-- Only the sha256 of a token is stored; the token itself is shown once, at creation.
CREATE TABLE tokens (
    token_sha256 text PRIMARY KEY,
    org          text NOT NULL,
    namespace    text NOT NULL,
    created_at   timestamptz NOT NULL
);

CREATE TABLE admin_variables (
    org        text NOT NULL,
    name       text NOT NULL,
    value      text NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (org, name)
);

-- Allocated with an atomic upsert, so concurrent requests never share a number.
CREATE TABLE image_sequences (
    org           text   NOT NULL,
    namespace     text   NOT NULL,
    image         text   NOT NULL,
    last_sequence bigint NOT NULL,
    PRIMARY KEY (org, namespace, image)
);

CREATE TABLE builds (
    id             uuid PRIMARY KEY,
    org            text    NOT NULL,
    namespace      text    NOT NULL,
    image          text    NOT NULL,
    tag            text    NOT NULL,
    sequence       bigint  NOT NULL,
    state          text    NOT NULL
        CHECK (state IN ('QUEUED', 'NEEDS_CONTEXT', 'BUILDING', 'SUCCEEDED', 'FAILED')),
    outcome        text
        CHECK (outcome IN ('BUILT', 'SKIPPED', 'FAILED', 'NEEDS_CONTEXT')),
    hash           text,
    client_hash    text,
    digest         text,
    cache_ref      text,
    registry       text    NOT NULL,
    cache_namespace text   NOT NULL,
    image_ref      text    NOT NULL,
    builder        text,
    error          text,
    message        text,
    params         jsonb   NOT NULL,
    context_digest text,
    no_cache       boolean NOT NULL,
    smart_builds   boolean NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    UNIQUE (org, namespace, image, sequence)
);

-- The build behind each namespace tag; moves only to a higher sequence (compare-and-set).
CREATE TABLE last_builds (
    org        text   NOT NULL,
    namespace  text   NOT NULL,
    image      text   NOT NULL,
    tag        text   NOT NULL,
    sequence   bigint NOT NULL,
    build_id   uuid   NOT NULL REFERENCES builds (id),
    digest     text   NOT NULL,
    hash       text   NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (org, namespace, image, tag)
);

-- What GET /v1/builds/{id}/events replays. Rows of one build are inserted while holding
-- that build's row lock, so their seq order is also their commit order and a poller
-- that has seen seq N never misses a later-committed row below N.
CREATE TABLE build_events (
    seq        bigserial PRIMARY KEY,
    build_id   uuid  NOT NULL REFERENCES builds (id),
    kind       text  NOT NULL CHECK (kind IN ('progress', 'state')),
    payload    jsonb NOT NULL,
    -- "<topic>/<partition>/<offset>" of the Kafka record that produced the row, so a
    -- redelivered record is not stored twice; null for rows the gateway made itself
    source     text UNIQUE,
    created_at timestamptz NOT NULL
);

CREATE INDEX build_events_by_build ON build_events (build_id, seq);
