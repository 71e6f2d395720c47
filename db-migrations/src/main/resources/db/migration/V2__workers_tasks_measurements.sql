-- MPQ schema, version 2: device workers, their tasks, and the measurements they report.

-- A worker process bound to one device. Its token is shown once; only its SHA-256 is stored.
CREATE TABLE worker (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id     BIGINT      NOT NULL REFERENCES device (id) ON DELETE CASCADE,
    name          TEXT        NOT NULL CHECK (length(trim(name)) > 0),
    token_sha256  TEXT        NOT NULL UNIQUE,
    version       TEXT,
    probe         JSONB,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at  TIMESTAMPTZ,
    UNIQUE (device_id, name)
);

-- Work for the workers of a device: 'profile' (latency of layer shapes x precisions x batches) or
-- 'validate' (one configuration of a search result). Leased like jobs: a lease token per lease, an
-- expiry, and reports accepted only with the current token.
CREATE TABLE worker_task (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id     BIGINT      NOT NULL REFERENCES device (id) ON DELETE CASCADE,
    kind          TEXT        NOT NULL CHECK (kind IN ('profile', 'validate')),
    network_id    BIGINT      NOT NULL REFERENCES network (id) ON DELETE CASCADE,
    search_id     BIGINT      REFERENCES search (id) ON DELETE CASCADE,
    point_index   INTEGER,
    spec          JSONB       NOT NULL,
    status        TEXT        NOT NULL DEFAULT 'QUEUED' CHECK (status IN ('QUEUED', 'LEASED', 'DONE', 'FAILED')),
    attempts      INTEGER     NOT NULL DEFAULT 0,
    lease_token   TEXT,
    lease_worker  BIGINT      REFERENCES worker (id) ON DELETE SET NULL,
    lease_until   TIMESTAMPTZ,
    result        JSONB,
    error         TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at   TIMESTAMPTZ
);

CREATE INDEX worker_task_leasable ON worker_task (device_id, id) WHERE status IN ('QUEUED', 'LEASED');
CREATE INDEX worker_task_search ON worker_task (search_id) WHERE search_id IS NOT NULL;

-- One measured latency per task item and runtime; a repeated report of the same item is ignored.
CREATE TABLE measurement (
    task_id       BIGINT           NOT NULL REFERENCES worker_task (id) ON DELETE CASCADE,
    item_key      TEXT             NOT NULL,
    runtime       TEXT             NOT NULL,
    device_id     BIGINT           NOT NULL REFERENCES device (id) ON DELETE CASCADE,
    layer_kind    TEXT             NOT NULL,
    shape         BIGINT[]         NOT NULL,
    macs          BIGINT           NOT NULL CHECK (macs >= 0),
    precision     TEXT             NOT NULL,
    batch         INTEGER          NOT NULL CHECK (batch > 0),
    seconds       DOUBLE PRECISION NOT NULL CHECK (seconds > 0),
    spread        DOUBLE PRECISION NOT NULL CHECK (spread >= 0),
    runs          INTEGER          NOT NULL CHECK (runs > 0),
    threads       INTEGER          NOT NULL,
    environment   TEXT,
    worker_id     BIGINT           REFERENCES worker (id) ON DELETE SET NULL,
    measured_at   TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (task_id, item_key, runtime)
);

CREATE INDEX measurement_device ON measurement (device_id, precision, batch);
