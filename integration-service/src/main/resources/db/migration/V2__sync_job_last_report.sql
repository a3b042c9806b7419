-- When the sync service last reported on a job: a job silent for too long is failed as timed out.
ALTER TABLE sync_jobs ADD COLUMN last_report_at timestamptz;

CREATE INDEX sync_jobs_active_idx ON sync_jobs (coalesce(last_report_at, created_at))
    WHERE status IN ('pending', 'running');
