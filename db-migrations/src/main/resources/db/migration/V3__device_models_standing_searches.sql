-- MPQ schema, version 3: device cost models (catalogue entry, overrides, calibration), imported
-- measured tables, standing searches and re-searches, and ShedLock's table for cluster-safe ticks.

ALTER TABLE device
    ADD COLUMN catalogue        TEXT,
    ADD COLUMN overrides        JSONB,
    ADD COLUMN calibration      JSONB,
    ADD COLUMN accuracy         JSONB,
    ADD COLUMN model_updated_at TIMESTAMPTZ NOT NULL DEFAULT now();

-- A measured latency table uploaded by a user (JSON points, CSV, or an AutoTVM log), kept as the
-- canonical CSV of dev.mpq.costs.MeasuredTableCsv.
CREATE TABLE measured_import (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id   BIGINT      NOT NULL REFERENCES device (id) ON DELETE CASCADE,
    name        TEXT        NOT NULL,
    points      INTEGER     NOT NULL CHECK (points > 0),
    csv         TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A saved search request without a device ("the front of penalty against latency at batch 1"),
-- re-run for every device that can cost it.
CREATE TABLE standing_search (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    network_id  BIGINT      NOT NULL REFERENCES network (id) ON DELETE CASCADE,
    profile_id  BIGINT      NOT NULL REFERENCES sensitivity_profile (id) ON DELETE CASCADE,
    name        TEXT        NOT NULL CHECK (length(trim(name)) > 0),
    request     JSONB       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (network_id, name)
);

ALTER TABLE search
    ADD COLUMN standing_search_id BIGINT REFERENCES standing_search (id) ON DELETE SET NULL,
    ADD COLUMN reason             TEXT NOT NULL DEFAULT 'user'
        CHECK (reason IN ('user', 'device-registered', 'measured-table-completed', 'inputs-changed')),
    ADD COLUMN inputs_digest      TEXT;

CREATE INDEX search_standing ON search (standing_search_id, device_id, id);

-- ShedLock (net.javacrumbs.shedlock, JDBC provider): one replica runs each scheduled tick.
CREATE TABLE shedlock (
    name       VARCHAR(64)  PRIMARY KEY,
    lock_until TIMESTAMP    NOT NULL,
    locked_at  TIMESTAMP    NOT NULL,
    locked_by  VARCHAR(255) NOT NULL
);
