-- Incremental reconciliation (issue 8 point 4) and the per-grower intake the GRN-vs-payment
-- and unpaid-batches checks read.
--
-- reconciliation_dirty is the change journal: one row per (tenant, kind, entity) changed
-- since the tenant's last run, written by triggers (0010) on every table a check reads,
-- so that no write path can forget it. Kinds and the checks that use them:
--   batch     lot_vs_batch          (batches, lots)
--   grower    grn_vs_payment, unpaid_batches   (batches, growers, grower_payments)
--   export    export_vs_invoice     (exports, containers, client_invoices)
--   container pallet_vs_container   (containers, pallets)
--   labour    labour_vs_cost        (labour_costs)
-- A row whose foreign key changes marks both the old and the new parent. An incremental
-- run re-checks only the journal's entities and then deletes the rows it covered (see
-- db/reconciliation_journal.hpp for how it stays exact under concurrent writes). The
-- triggers differ by engine: 0010_reconciliation_triggers.{pg,sqlite}.sql.
--
-- grower_intake_totals and grower_intake_days: per tenant and grower (and per intake day),
-- the batches routed to the grower that count as received (live, not rejected) and those
-- complete, with their received weight in whole grams (net, else gross; half up, as the
-- checks round). Kept by a trigger on batches; a day without received batches has no row.
-- The two grower checks read one totals row per grower and find the first and last day
-- with two index probes, instead of reading every batch (1,000,000 in the benchmark) or
-- every day (about 36,500 rows for 50 growers over two years).
--
-- Indexes the checks use (plans: docs/PERFORMANCE.md, "Results: reconciliation"):
--   reconciliation_dirty PK (enterprise_id, kind, entity_id)   every journal-scoped check:
--       the marked entities of one kind, and the triggers' upsert
--   grower_intake_totals PK (enterprise_id, grower_id)   grn_vs_payment and unpaid_batches
--   grower_intake_days PK (enterprise_id, grower_id, intake_date)   their first and last
--       day per grower: MIN/MAX read the ends of the grower's range of the index
--   batches_pkey, ix_lots_batch (enterprise_id, batch_id)   lot_vs_batch when scoped: the
--       marked batches and their lots (a full run reads most batches: sequential scans)
--   ix_grower_payments_grower (enterprise_id, grower_id, ...)   grn_vs_payment's paid kg
--       when scoped, unpaid_batches' NOT EXISTS per grower
--   ix_exports_status (enterprise_id, status, ...), ix_containers_export and
--       ix_client_invoices_export (enterprise_id, export_id)   export_vs_invoice
--   ix_containers_status (enterprise_id, status, ...), ix_pallets_container
--       (enterprise_id, container_id)   pallet_vs_container
--   ix_labour_costs_work_date (enterprise_id, work_date)   labour_vs_cost (a tenant's rows)
--   uq_alerts_live_entity (0008)   the runs' live alerts (D13)
--   ix_reconciliation_runs_latest (0008)   the last run's settings (incremental or full)

CREATE TABLE reconciliation_dirty (
  enterprise_id VARCHAR(36) NOT NULL,
  kind VARCHAR(20) NOT NULL,
  entity_id VARCHAR(36) NOT NULL,
  -- PostgreSQL draws it anew from a sequence on every change of the entity (0010): a run
  -- deletes only the rows at or below its cut, so a change made during the run stays for
  -- the next one. SQLite keeps 0: a run holds its only write transaction, so no change
  -- can land meanwhile, and it deletes every row it finds.
  version BIGINT NOT NULL DEFAULT 0,
  -- The primary key serves the triggers' upsert and the scoped checks'
  -- `entity IN (SELECT entity_id ... WHERE enterprise_id = $1 AND kind = '...')`.
  PRIMARY KEY (enterprise_id, kind, entity_id)
);

CREATE TABLE grower_intake_totals (
  enterprise_id VARCHAR(36) NOT NULL,
  grower_id VARCHAR(36) NOT NULL,
  received_batches BIGINT NOT NULL,
  received_grams BIGINT NOT NULL,
  complete_batches BIGINT NOT NULL,
  complete_grams BIGINT NOT NULL,
  PRIMARY KEY (enterprise_id, grower_id)
);

CREATE TABLE grower_intake_days (
  enterprise_id VARCHAR(36) NOT NULL,
  grower_id VARCHAR(36) NOT NULL,
  intake_date DATE NOT NULL,
  received_batches BIGINT NOT NULL,
  received_grams BIGINT NOT NULL,
  complete_batches BIGINT NOT NULL,
  complete_grams BIGINT NOT NULL,
  PRIMARY KEY (enterprise_id, grower_id, intake_date)
);

INSERT INTO grower_intake_days
SELECT enterprise_id, grower_id, intake_date, COUNT(*),
       SUM(CAST(FLOOR(COALESCE(CASE WHEN net_weight_kg IS NOT NULL THEN net_weight_kg ELSE gross_weight_kg END, 0) * 1000 + 0.5) AS BIGINT)),
       SUM(CASE WHEN status = 'complete' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'complete' THEN CAST(FLOOR(COALESCE(CASE WHEN net_weight_kg IS NOT NULL THEN net_weight_kg ELSE gross_weight_kg END, 0) * 1000 + 0.5) AS BIGINT) ELSE 0 END)
FROM batches
WHERE is_deleted = FALSE AND status <> 'rejected' AND payment_routing = 'grower'
GROUP BY enterprise_id, grower_id, intake_date;

INSERT INTO grower_intake_totals
SELECT enterprise_id, grower_id, SUM(received_batches), SUM(received_grams), SUM(complete_batches), SUM(complete_grams)
FROM grower_intake_days GROUP BY enterprise_id, grower_id;

-- The runs' settings (tolerances and thresholds): an incremental run is only exact against
-- alerts made with the same settings, so a change of settings makes the next run full.
-- Runs recorded before this migration have none, which also makes the first run after
-- the upgrade full (the journal starts empty).
ALTER TABLE reconciliation_runs ADD COLUMN settings VARCHAR(200);
