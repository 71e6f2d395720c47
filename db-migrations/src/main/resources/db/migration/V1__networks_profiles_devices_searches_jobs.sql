-- MPQ schema, version 1: networks, sensitivity profiles, devices and their cost tables, searches, jobs.
-- Large layer x option matrices are JSONB documents aligned with network_layer.position; metadata are columns.

CREATE TABLE network (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT        NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE network_layer (
    network_id  BIGINT   NOT NULL REFERENCES network (id) ON DELETE CASCADE,
    position    INTEGER  NOT NULL CHECK (position >= 0),
    name        TEXT     NOT NULL,
    kind        TEXT     NOT NULL CHECK (kind IN ('linear', 'conv', 'matmul', 'embedding', 'kv-cache')),
    shape       BIGINT[] NOT NULL,
    parameters  BIGINT   NOT NULL CHECK (parameters >= 0),
    macs        BIGINT   NOT NULL CHECK (macs >= 0),
    tie_group   TEXT,
    PRIMARY KEY (network_id, position),
    UNIQUE (network_id, name)
);

-- Penalties: a JSON array with one object {optionId: penalty} per layer, in layer order.
CREATE TABLE sensitivity_profile (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    network_id  BIGINT      NOT NULL REFERENCES network (id) ON DELETE CASCADE,
    name        TEXT        NOT NULL CHECK (length(trim(name)) > 0),
    method      TEXT        NOT NULL,
    inputs      JSONB       NOT NULL DEFAULT '{}'::jsonb,
    penalties   JSONB       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (network_id, name)
);

CREATE TABLE device (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT        NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    kind        TEXT        NOT NULL CHECK (kind IN ('cpu', 'gpu')),
    spec        JSONB       NOT NULL DEFAULT '{}'::jsonb,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A user-supplied cost table of one network on one device: a JSON array with one object
-- {optionId: {latency, bytes, bops}} per layer, in layer order.
CREATE TABLE device_cost_table (
    device_id   BIGINT      NOT NULL REFERENCES device (id) ON DELETE CASCADE,
    network_id  BIGINT      NOT NULL REFERENCES network (id) ON DELETE CASCADE,
    costs       JSONB       NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, network_id)
);

-- Background work. Any number of service replicas claim rows with FOR UPDATE SKIP LOCKED; a claim
-- is a lease that the holder renews; an expired lease makes the job claimable again.
CREATE TABLE job (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT        NOT NULL,
    status       TEXT        NOT NULL DEFAULT 'QUEUED' CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    attempts     INTEGER     NOT NULL DEFAULT 0,
    lease_owner  TEXT,
    lease_until  TIMESTAMPTZ,
    progress     DOUBLE PRECISION,
    error        TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at   TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ
);

CREATE INDEX job_claimable ON job (id) WHERE status IN ('QUEUED', 'RUNNING');

CREATE TABLE search (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id       BIGINT      NOT NULL UNIQUE REFERENCES job (id),
    network_id   BIGINT      NOT NULL REFERENCES network (id) ON DELETE CASCADE,
    profile_id   BIGINT      NOT NULL REFERENCES sensitivity_profile (id) ON DELETE CASCADE,
    device_id    BIGINT      REFERENCES device (id) ON DELETE CASCADE,
    request      JSONB       NOT NULL,
    engine       TEXT,
    seed         BIGINT      NOT NULL DEFAULT 0,
    result       JSONB,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX search_network ON search (network_id);
