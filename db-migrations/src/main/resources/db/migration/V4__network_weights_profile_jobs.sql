-- MPQ schema, version 4: the weights file a network was created from, and sensitivity profiles
-- computed by background jobs.

-- The uploaded weights (ONNX) of a network: workers download them to measure a configuration's
-- output error, profile jobs read them.
CREATE TABLE network_model (
    network_id  BIGINT      PRIMARY KEY REFERENCES network (id) ON DELETE CASCADE,
    file_name   TEXT        NOT NULL,
    format      TEXT        NOT NULL CHECK (format IN ('onnx')),
    size_bytes  BIGINT      NOT NULL CHECK (size_bytes > 0),
    sha256      TEXT        NOT NULL,
    content     BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A request to compute a profile; the job computes it and records the profile it stored.
CREATE TABLE profile_request (
    job_id      BIGINT      PRIMARY KEY REFERENCES job (id),
    network_id  BIGINT      NOT NULL REFERENCES network (id) ON DELETE CASCADE,
    name        TEXT        NOT NULL,
    method      TEXT        NOT NULL,
    formats     TEXT[]      NOT NULL,
    options     JSONB       NOT NULL DEFAULT '{}'::jsonb,
    profile_id  BIGINT      REFERENCES sensitivity_profile (id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
