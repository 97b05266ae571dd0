-- Registry paths carry no organisation (<registry>/<namespace>/<image>), so each registry
-- namespace belongs to exactly one organisation, as a user namespace (namespace tags) or as a
-- cache namespace (<cache-ns>/<image>:<hash>). Rows are only ever inserted, never moved.
CREATE TABLE namespace_owners (
    name       text PRIMARY KEY,
    org        text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('user', 'cache')),
    claimed_at timestamptz NOT NULL
);

-- Existing tokens: the oldest token of a namespace wins it.
INSERT INTO namespace_owners (name, org, kind, claimed_at)
SELECT DISTINCT ON (namespace) namespace, org, 'user', created_at
FROM tokens
ORDER BY namespace, created_at, token_sha256;

-- Cache namespaces already used by builds: the organisation of the oldest build wins; a name
-- that is already a user namespace stays one.
INSERT INTO namespace_owners (name, org, kind, claimed_at)
SELECT DISTINCT ON (cache_namespace) cache_namespace, org, 'cache', created_at
FROM builds
ORDER BY cache_namespace, created_at, id
ON CONFLICT (name) DO NOTHING;

-- Cache namespaces set by admins but not built with yet.
INSERT INTO namespace_owners (name, org, kind, claimed_at)
SELECT DISTINCT ON (value) value, org, 'cache', updated_at
FROM admin_variables
WHERE name = 'KILN_CACHE_NAMESPACE'
ORDER BY value, updated_at, org
ON CONFLICT (name) DO NOTHING;
