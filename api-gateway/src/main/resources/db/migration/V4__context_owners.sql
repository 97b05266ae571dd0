-- The context store is shared and content-addressed; this records which organisations uploaded
-- (and so may use) each archive, so a digest seen elsewhere is not a key to another org's files.
CREATE TABLE context_owners (
    digest     text NOT NULL,
    org        text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (digest, org)
);

-- Contexts already attached to builds belong to the builds' organisations.
INSERT INTO context_owners (digest, org, created_at)
SELECT context_digest, org, min(created_at)
FROM builds
WHERE context_digest IS NOT NULL
GROUP BY context_digest, org;
