-- Incremental reconciliation (issue 8 point 4) and the per-grower intake the GRN-vs-payment
-- and unpaid-batches checks read.
--
-- reconciliation_dirty is the change journal: one row per (tenant, kind, entity) changed
-- since the tenant's last run, written by the triggers below on every table a check reads,
-- so that no write path can forget it. Kinds and the checks that use them:
--   batch     lot_vs_batch          (batches, lots)
--   grower    grn_vs_payment, unpaid_batches   (batches, growers, grower_payments)
--   export    export_vs_invoice     (exports, containers, client_invoices)
--   container pallet_vs_container   (containers, pallets)
--   labour    labour_vs_cost        (labour_costs)
-- A row whose foreign key changes marks both the old and the new parent. An incremental
-- run re-checks only the journal's entities and then deletes the rows it covered (see
-- services/reconciliation_service.cpp for how it stays exact under concurrent writes).
--
-- grower_intake_days: per tenant, grower and intake day, the batches routed to the grower
-- that count as received (live, not rejected) and those complete, with their received
-- weight in whole grams (net, else gross; half up, as the checks round). Kept by a trigger
-- on batches. The two grower checks sum at most one row per grower and day instead of
-- every batch (about 36,500 rows for 50 growers over two years against 1,000,000 batches).
--
-- Indexes the checks use (plans: docs/PERFORMANCE.md, "Results: reconciliation"):
--   reconciliation_dirty PK (enterprise_id, kind, entity_id)   every journal-scoped check:
--       the marked entities of one kind, and the triggers' upsert
--   grower_intake_days PK (enterprise_id, grower_id, intake_date)   grn_vs_payment and
--       unpaid_batches (a tenant's rows; one grower's when scoped)
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

CREATE SEQUENCE reconciliation_journal_version;

CREATE TABLE reconciliation_dirty (
  enterprise_id VARCHAR(36) NOT NULL,
  kind VARCHAR(20) NOT NULL,
  entity_id VARCHAR(36) NOT NULL,
  -- Drawn anew on every change of the entity: a run deletes only the rows it has seen at
  -- their version or older, so a change made during the run stays for the next one.
  version BIGINT NOT NULL DEFAULT nextval('reconciliation_journal_version'),
  -- The primary key serves the triggers' upsert and the scoped checks'
  -- `entity IN (SELECT entity_id ... WHERE enterprise_id = $1 AND kind = '...')`.
  PRIMARY KEY (enterprise_id, kind, entity_id)
);

CREATE TABLE grower_intake_days (
  enterprise_id VARCHAR(36) NOT NULL,
  grower_id VARCHAR(36) NOT NULL,
  intake_date DATE NOT NULL,
  received_batches BIGINT NOT NULL,
  received_grams BIGINT NOT NULL,
  complete_batches BIGINT NOT NULL,
  complete_grams BIGINT NOT NULL,
  -- grn_vs_payment and unpaid_batches read a tenant's rows, or one grower's in an
  -- incremental run, through this key.
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

-- The runs' settings (tolerances and thresholds): an incremental run is only exact against
-- alerts made with the same settings, so a change of settings makes the next run full.
-- Runs recorded before this migration have none, which also makes the first run after
-- the upgrade full (the journal starts empty).
ALTER TABLE reconciliation_runs ADD COLUMN settings VARCHAR(200);

-- Marks the entities that the changed rows feed (statement level: one upsert per
-- statement, also for COPY and bulk updates). Arguments: pairs of (kind, column).
-- Before writing, holds the tenant's journal lock shared until commit: a run's journal
-- cut takes it exclusively, so that every change numbered before the cut has committed.
CREATE FUNCTION fp_reconciliation_journal() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  marked text := '';
  source text;
  i int;
BEGIN
  FOREACH source IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows']
                                     ELSE ARRAY['old_rows', 'new_rows'] END LOOP
    FOR i IN 0 .. TG_NARGS / 2 - 1 LOOP
      marked := marked || CASE WHEN marked = '' THEN '' ELSE ' UNION ' END
        || format('SELECT enterprise_id, %L AS kind, %I AS entity_id FROM %I WHERE %I IS NOT NULL',
                  TG_ARGV[2 * i], TG_ARGV[2 * i + 1], source, TG_ARGV[2 * i + 1]);
    END LOOP;
  END LOOP;
  EXECUTE 'SELECT pg_advisory_xact_lock_shared(hashtext(''reconciliation-journal:'' || enterprise_id))'
       || ' FROM (SELECT DISTINCT enterprise_id FROM (' || marked || ') m) t ORDER BY enterprise_id';
  EXECUTE 'INSERT INTO reconciliation_dirty (enterprise_id, kind, entity_id)'
       || ' SELECT DISTINCT enterprise_id, kind, entity_id FROM (' || marked || ') m ORDER BY 1, 2, 3'
       || ' ON CONFLICT (enterprise_id, kind, entity_id) DO UPDATE SET version = EXCLUDED.version';
  RETURN NULL;
END $$;

-- Adds the changed batches' part to grower_intake_days: +1 for each new row that counts,
-- -1 for each old one, summed per (tenant, grower, day); days whose figures did not move
-- (an update of other columns) are not written.
CREATE FUNCTION fp_grower_intake_days() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  counted constant text :=
    'SELECT enterprise_id, grower_id, intake_date, %s AS sign, status = ''complete'' AS complete,'
    ' CAST(FLOOR(COALESCE(CASE WHEN net_weight_kg IS NOT NULL THEN net_weight_kg ELSE gross_weight_kg END, 0)'
    ' * 1000 + 0.5) AS BIGINT) AS grams FROM %I'
    ' WHERE is_deleted = FALSE AND status <> ''rejected'' AND payment_routing = ''grower''';
  changes text;
BEGIN
  changes := CASE TG_OP WHEN 'INSERT' THEN format(counted, 1, 'new_rows')
                        WHEN 'DELETE' THEN format(counted, -1, 'old_rows')
                        ELSE format(counted, 1, 'new_rows') || ' UNION ALL ' || format(counted, -1, 'old_rows') END;
  EXECUTE 'INSERT INTO grower_intake_days AS d'
       || ' SELECT enterprise_id, grower_id, intake_date, SUM(sign), SUM(sign * grams),'
       || ' SUM(CASE WHEN complete THEN sign ELSE 0 END), SUM(CASE WHEN complete THEN sign * grams ELSE 0 END)'
       || ' FROM (' || changes || ') c GROUP BY enterprise_id, grower_id, intake_date'
       || ' HAVING SUM(sign) <> 0 OR SUM(sign * grams) <> 0 OR SUM(CASE WHEN complete THEN sign ELSE 0 END) <> 0'
       || ' OR SUM(CASE WHEN complete THEN sign * grams ELSE 0 END) <> 0'
       || ' ORDER BY 1, 2, 3'
       || ' ON CONFLICT (enterprise_id, grower_id, intake_date) DO UPDATE SET'
       || ' received_batches = d.received_batches + EXCLUDED.received_batches,'
       || ' received_grams = d.received_grams + EXCLUDED.received_grams,'
       || ' complete_batches = d.complete_batches + EXCLUDED.complete_batches,'
       || ' complete_grams = d.complete_grams + EXCLUDED.complete_grams';
  RETURN NULL;
END $$;

CREATE TRIGGER tr_batches_intake_days_ins AFTER INSERT ON batches
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_grower_intake_days();
CREATE TRIGGER tr_batches_intake_days_upd AFTER UPDATE ON batches
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_grower_intake_days();
CREATE TRIGGER tr_batches_intake_days_del AFTER DELETE ON batches
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_grower_intake_days();

CREATE TRIGGER tr_batches_journal_ins AFTER INSERT ON batches
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('batch', 'id', 'grower', 'grower_id');
CREATE TRIGGER tr_batches_journal_upd AFTER UPDATE ON batches
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('batch', 'id', 'grower', 'grower_id');
CREATE TRIGGER tr_batches_journal_del AFTER DELETE ON batches
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('batch', 'id', 'grower', 'grower_id');
CREATE TRIGGER tr_lots_journal_ins AFTER INSERT ON lots
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('batch', 'batch_id');
CREATE TRIGGER tr_lots_journal_upd AFTER UPDATE ON lots
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('batch', 'batch_id');
CREATE TRIGGER tr_lots_journal_del AFTER DELETE ON lots
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('batch', 'batch_id');
CREATE TRIGGER tr_growers_journal_ins AFTER INSERT ON growers
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('grower', 'id');
CREATE TRIGGER tr_growers_journal_upd AFTER UPDATE ON growers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('grower', 'id');
CREATE TRIGGER tr_growers_journal_del AFTER DELETE ON growers
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('grower', 'id');
CREATE TRIGGER tr_grower_payments_journal_ins AFTER INSERT ON grower_payments
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('grower', 'grower_id');
CREATE TRIGGER tr_grower_payments_journal_upd AFTER UPDATE ON grower_payments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('grower', 'grower_id');
CREATE TRIGGER tr_grower_payments_journal_del AFTER DELETE ON grower_payments
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('grower', 'grower_id');
CREATE TRIGGER tr_exports_journal_ins AFTER INSERT ON exports
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('export', 'id');
CREATE TRIGGER tr_exports_journal_upd AFTER UPDATE ON exports
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('export', 'id');
CREATE TRIGGER tr_exports_journal_del AFTER DELETE ON exports
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('export', 'id');
CREATE TRIGGER tr_containers_journal_ins AFTER INSERT ON containers
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('container', 'id', 'export', 'export_id');
CREATE TRIGGER tr_containers_journal_upd AFTER UPDATE ON containers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('container', 'id', 'export', 'export_id');
CREATE TRIGGER tr_containers_journal_del AFTER DELETE ON containers
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('container', 'id', 'export', 'export_id');
CREATE TRIGGER tr_client_invoices_journal_ins AFTER INSERT ON client_invoices
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('export', 'export_id');
CREATE TRIGGER tr_client_invoices_journal_upd AFTER UPDATE ON client_invoices
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('export', 'export_id');
CREATE TRIGGER tr_client_invoices_journal_del AFTER DELETE ON client_invoices
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('export', 'export_id');
CREATE TRIGGER tr_pallets_journal_ins AFTER INSERT ON pallets
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('container', 'container_id');
CREATE TRIGGER tr_pallets_journal_upd AFTER UPDATE ON pallets
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('container', 'container_id');
CREATE TRIGGER tr_pallets_journal_del AFTER DELETE ON pallets
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('container', 'container_id');
CREATE TRIGGER tr_labour_costs_journal_ins AFTER INSERT ON labour_costs
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('labour', 'id');
CREATE TRIGGER tr_labour_costs_journal_upd AFTER UPDATE ON labour_costs
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('labour', 'id');
CREATE TRIGGER tr_labour_costs_journal_del AFTER DELETE ON labour_costs
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_reconciliation_journal('labour', 'id');
