-- MPQ schema, version 5: profile items a worker reported it cannot measure (no kernel for the
-- precision on that device). A task whose items are all measured or failed is done, with its gaps named.
CREATE TABLE measurement_failure (
    task_id      BIGINT      NOT NULL REFERENCES worker_task (id) ON DELETE CASCADE,
    item_key     TEXT        NOT NULL,
    reason       TEXT        NOT NULL,
    worker_id    BIGINT      REFERENCES worker (id) ON DELETE SET NULL,
    reported_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (task_id, item_key)
);
