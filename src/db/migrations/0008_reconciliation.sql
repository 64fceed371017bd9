-- Reconciliation runs and alert identity (issue 8, decision D13).

-- Which entity an alert is about, within its check: 'batch:<id>', 'grower:<id>',
-- 'export:<id>:weight', 'export:<id>:value', 'container:<id>', 'labour:<id>',
-- 'unpaid:<grower id>'. A re-run matches its findings to live alerts by it.
ALTER TABLE reconciliation_alerts ADD COLUMN entity_key VARCHAR(120);
-- The grower and the fruit an alert concerns, when it has one: the alerts list's
-- ?grower_id= and ?product= filters (D8) as plain columns, the same on both engines
-- (entity_refs repeats them for clients).
ALTER TABLE reconciliation_alerts ADD COLUMN grower_id VARCHAR(36);
ALTER TABLE reconciliation_alerts ADD COLUMN fruit_type VARCHAR(100);

-- D13: at most one live (open or acknowledged) alert per check and entity. A run's
-- update-or-insert looks its findings up here; the index also makes a concurrent second
-- run fail instead of duplicating.
CREATE UNIQUE INDEX uq_alerts_live_entity ON reconciliation_alerts (enterprise_id, alert_type, entity_key)
  WHERE status IN ('open', 'acknowledged') AND is_deleted = FALSE;

-- One row per run: what it covered and what it did. The newest row of a tenant is the
-- dashboard's latest run, and its started_at the watermark of the next incremental run.
CREATE TABLE reconciliation_runs (
  id VARCHAR(36) PRIMARY KEY,
  enterprise_id VARCHAR(36) NOT NULL REFERENCES enterprises(id),
  kind VARCHAR(20) NOT NULL,          -- full | incremental
  trigger_source VARCHAR(20) NOT NULL, -- api | cli | scheduler
  scheduled_for TIMESTAMP,             -- the daily slot a scheduler run stands for
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP NOT NULL,
  alerts_opened INTEGER NOT NULL,
  alerts_updated INTEGER NOT NULL,
  alerts_resolved INTEGER NOT NULL,
  created_by VARCHAR(36)
);
-- The dashboard's latest run; the incremental run's watermark.
CREATE INDEX ix_reconciliation_runs_latest ON reconciliation_runs (enterprise_id, started_at DESC);
-- A daily slot runs once per tenant, however many instances wake for it: the scheduler
-- looks its slot up under the tenant's run lock, and this index backs that up.
CREATE UNIQUE INDEX uq_reconciliation_runs_slot ON reconciliation_runs (enterprise_id, scheduled_for);
