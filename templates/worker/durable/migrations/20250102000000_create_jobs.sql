-- The durable job queue (src/worker/durable.rs). A job is `queued` until a worker claims it
-- (`running`, leased until `locked_until`), then `done`, or back to `queued` with a later
-- `run_at` to retry, or `dead` once out of attempts. A `running` job whose lease expired (its
-- worker died) is claimed again.
CREATE TABLE jobs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'dead')),
    attempts INT NOT NULL DEFAULT 0,
    max_attempts INT NOT NULL,
    run_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    locked_until TIMESTAMPTZ,
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Claiming scans only the jobs that can still run.
CREATE INDEX jobs_claimable ON jobs (run_at) WHERE state IN ('queued', 'running');
