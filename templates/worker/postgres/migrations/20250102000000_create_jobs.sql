-- The durable job queue (src/worker/durable.rs). A job is `queued` until a worker claims it
-- (`running`, leased until `locked_until`), then `done`, or back to `queued` with a later
-- `run_at` to retry, or `dead` once out of attempts. A `running` job whose lease expired (its
-- worker died) is claimed again while it has attempts left, and buried (`dead`) otherwise.
-- `attempts` doubles as the fencing token: a worker may only record the outcome of the attempt
-- it claimed, so one that lost its lease cannot overwrite the new owner's result.
CREATE TABLE jobs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'dead')),
    attempts INT NOT NULL DEFAULT 0,
    max_attempts INT NOT NULL CHECK (max_attempts >= 1),
    -- A caller-chosen key that makes pushing the same job twice a no-op (NULL: no key).
    idempotency_key TEXT UNIQUE,
    run_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    locked_until TIMESTAMPTZ,
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- When the job became `done` or `dead`; retention deletes old finished rows by it.
    finished_at TIMESTAMPTZ
);

-- Claiming scans only the jobs that can still run.
CREATE INDEX jobs_claimable ON jobs (run_at) WHERE state IN ('queued', 'running');
-- Retention scans only finished jobs.
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE state IN ('done', 'dead');

-- Idle workers LISTEN on `jobs_queued`, so a new job starts at once instead of at the next
-- poll. NOTIFY is transactional: a job pushed inside a transaction wakes workers on commit,
-- and never if it rolls back. One notification per statement: workers claim until the queue
-- is empty, so they need a nudge, not a count.
CREATE FUNCTION jobs_notify_queued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('jobs_queued', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER jobs_queued AFTER INSERT ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify_queued();
