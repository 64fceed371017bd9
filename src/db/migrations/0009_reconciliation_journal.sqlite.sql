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

CREATE TABLE reconciliation_dirty (
  enterprise_id VARCHAR(36) NOT NULL,
  kind VARCHAR(20) NOT NULL,
  entity_id VARCHAR(36) NOT NULL,
  -- Always 0 here: a run holds SQLite's only write transaction, so no change can land
  -- while it runs, and it deletes every row it finds (version <= 0). PostgreSQL numbers
  -- the changes (see its migration).
  version BIGINT NOT NULL DEFAULT 0,
  -- The primary key serves the triggers' insert and the scoped checks'
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
       SUM(CAST(FLOOR(COALESCE(CASE WHEN net_weight_kg IS NOT NULL THEN net_weight_kg ELSE gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER)),
       SUM(CASE WHEN status = 'complete' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'complete' THEN CAST(FLOOR(COALESCE(CASE WHEN net_weight_kg IS NOT NULL THEN net_weight_kg ELSE gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER) ELSE 0 END)
FROM batches
WHERE is_deleted = FALSE AND status <> 'rejected' AND payment_routing = 'grower'
GROUP BY enterprise_id, grower_id, intake_date;

-- The runs' settings (tolerances and thresholds): an incremental run is only exact against
-- alerts made with the same settings, so a change of settings makes the next run full.
-- Runs recorded before this migration have none, which also makes the first run after
-- the upgrade full (the journal starts empty).
ALTER TABLE reconciliation_runs ADD COLUMN settings VARCHAR(200);

-- grower_intake_days: -1 for the old row and +1 for the new one where they count.
CREATE TRIGGER tr_batches_intake_days_ins AFTER INSERT ON batches BEGIN
  INSERT INTO grower_intake_days (enterprise_id, grower_id, intake_date, received_batches, received_grams,
                                  complete_batches, complete_grams)
    SELECT NEW.enterprise_id, NEW.grower_id, NEW.intake_date, 1, CAST(FLOOR(COALESCE(CASE WHEN NEW.net_weight_kg IS NOT NULL THEN NEW.net_weight_kg ELSE NEW.gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER),
           CASE WHEN NEW.status = 'complete' THEN 1 ELSE 0 END,
           CASE WHEN NEW.status = 'complete' THEN CAST(FLOOR(COALESCE(CASE WHEN NEW.net_weight_kg IS NOT NULL THEN NEW.net_weight_kg ELSE NEW.gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER) ELSE 0 END
    WHERE NEW.is_deleted = FALSE AND NEW.status <> 'rejected' AND NEW.payment_routing = 'grower'
    ON CONFLICT (enterprise_id, grower_id, intake_date) DO UPDATE SET
      received_batches = received_batches + excluded.received_batches,
      received_grams = received_grams + excluded.received_grams,
      complete_batches = complete_batches + excluded.complete_batches,
      complete_grams = complete_grams + excluded.complete_grams;
END;
-- Only when a counted column changed: an update of notes or quality writes nothing here.
CREATE TRIGGER tr_batches_intake_days_upd AFTER UPDATE OF enterprise_id, grower_id, intake_date, status,
  payment_routing, is_deleted, net_weight_kg, gross_weight_kg ON batches BEGIN
  INSERT INTO grower_intake_days (enterprise_id, grower_id, intake_date, received_batches, received_grams,
                                  complete_batches, complete_grams)
    SELECT OLD.enterprise_id, OLD.grower_id, OLD.intake_date, -1, -CAST(FLOOR(COALESCE(CASE WHEN OLD.net_weight_kg IS NOT NULL THEN OLD.net_weight_kg ELSE OLD.gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER),
           CASE WHEN OLD.status = 'complete' THEN -1 ELSE 0 END,
           CASE WHEN OLD.status = 'complete' THEN -CAST(FLOOR(COALESCE(CASE WHEN OLD.net_weight_kg IS NOT NULL THEN OLD.net_weight_kg ELSE OLD.gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER) ELSE 0 END
    WHERE OLD.is_deleted = FALSE AND OLD.status <> 'rejected' AND OLD.payment_routing = 'grower'
    ON CONFLICT (enterprise_id, grower_id, intake_date) DO UPDATE SET
      received_batches = received_batches + excluded.received_batches,
      received_grams = received_grams + excluded.received_grams,
      complete_batches = complete_batches + excluded.complete_batches,
      complete_grams = complete_grams + excluded.complete_grams;
  INSERT INTO grower_intake_days (enterprise_id, grower_id, intake_date, received_batches, received_grams,
                                  complete_batches, complete_grams)
    SELECT NEW.enterprise_id, NEW.grower_id, NEW.intake_date, 1, CAST(FLOOR(COALESCE(CASE WHEN NEW.net_weight_kg IS NOT NULL THEN NEW.net_weight_kg ELSE NEW.gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER),
           CASE WHEN NEW.status = 'complete' THEN 1 ELSE 0 END,
           CASE WHEN NEW.status = 'complete' THEN CAST(FLOOR(COALESCE(CASE WHEN NEW.net_weight_kg IS NOT NULL THEN NEW.net_weight_kg ELSE NEW.gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER) ELSE 0 END
    WHERE NEW.is_deleted = FALSE AND NEW.status <> 'rejected' AND NEW.payment_routing = 'grower'
    ON CONFLICT (enterprise_id, grower_id, intake_date) DO UPDATE SET
      received_batches = received_batches + excluded.received_batches,
      received_grams = received_grams + excluded.received_grams,
      complete_batches = complete_batches + excluded.complete_batches,
      complete_grams = complete_grams + excluded.complete_grams;
END;
CREATE TRIGGER tr_batches_intake_days_del AFTER DELETE ON batches BEGIN
  INSERT INTO grower_intake_days (enterprise_id, grower_id, intake_date, received_batches, received_grams,
                                  complete_batches, complete_grams)
    SELECT OLD.enterprise_id, OLD.grower_id, OLD.intake_date, -1, -CAST(FLOOR(COALESCE(CASE WHEN OLD.net_weight_kg IS NOT NULL THEN OLD.net_weight_kg ELSE OLD.gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER),
           CASE WHEN OLD.status = 'complete' THEN -1 ELSE 0 END,
           CASE WHEN OLD.status = 'complete' THEN -CAST(FLOOR(COALESCE(CASE WHEN OLD.net_weight_kg IS NOT NULL THEN OLD.net_weight_kg ELSE OLD.gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER) ELSE 0 END
    WHERE OLD.is_deleted = FALSE AND OLD.status <> 'rejected' AND OLD.payment_routing = 'grower'
    ON CONFLICT (enterprise_id, grower_id, intake_date) DO UPDATE SET
      received_batches = received_batches + excluded.received_batches,
      received_grams = received_grams + excluded.received_grams,
      complete_batches = complete_batches + excluded.complete_batches,
      complete_grams = complete_grams + excluded.complete_grams;
END;

-- The journal: every entity the changed row feeds (an update marks the old parent too when
-- the row moved).
CREATE TRIGGER tr_batches_journal_ins AFTER INSERT ON batches BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'batch', NEW.id;
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'grower', NEW.grower_id WHERE NEW.grower_id IS NOT NULL;
END;
CREATE TRIGGER tr_batches_journal_upd AFTER UPDATE ON batches BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'batch', NEW.id;
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'grower', NEW.grower_id WHERE NEW.grower_id IS NOT NULL;
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT OLD.enterprise_id, 'grower', OLD.grower_id WHERE OLD.grower_id IS NOT NULL AND OLD.grower_id IS NOT NEW.grower_id;
END;
CREATE TRIGGER tr_batches_journal_del AFTER DELETE ON batches BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT OLD.enterprise_id, 'batch', OLD.id;
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT OLD.enterprise_id, 'grower', OLD.grower_id WHERE OLD.grower_id IS NOT NULL;
END;
CREATE TRIGGER tr_lots_journal_ins AFTER INSERT ON lots BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'batch', NEW.batch_id WHERE NEW.batch_id IS NOT NULL;
END;
CREATE TRIGGER tr_lots_journal_upd AFTER UPDATE ON lots BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'batch', NEW.batch_id WHERE NEW.batch_id IS NOT NULL;
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT OLD.enterprise_id, 'batch', OLD.batch_id WHERE OLD.batch_id IS NOT NULL AND OLD.batch_id IS NOT NEW.batch_id;
END;
CREATE TRIGGER tr_lots_journal_del AFTER DELETE ON lots BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT OLD.enterprise_id, 'batch', OLD.batch_id WHERE OLD.batch_id IS NOT NULL;
END;
CREATE TRIGGER tr_growers_journal_ins AFTER INSERT ON growers BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'grower', NEW.id;
END;
CREATE TRIGGER tr_growers_journal_upd AFTER UPDATE ON growers BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'grower', NEW.id;
END;
CREATE TRIGGER tr_growers_journal_del AFTER DELETE ON growers BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT OLD.enterprise_id, 'grower', OLD.id;
END;
CREATE TRIGGER tr_grower_payments_journal_ins AFTER INSERT ON grower_payments BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'grower', NEW.grower_id WHERE NEW.grower_id IS NOT NULL;
END;
CREATE TRIGGER tr_grower_payments_journal_upd AFTER UPDATE ON grower_payments BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'grower', NEW.grower_id WHERE NEW.grower_id IS NOT NULL;
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT OLD.enterprise_id, 'grower', OLD.grower_id WHERE OLD.grower_id IS NOT NULL AND OLD.grower_id IS NOT NEW.grower_id;
END;
CREATE TRIGGER tr_grower_payments_journal_del AFTER DELETE ON grower_payments BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT OLD.enterprise_id, 'grower', OLD.grower_id WHERE OLD.grower_id IS NOT NULL;
END;
CREATE TRIGGER tr_exports_journal_ins AFTER INSERT ON exports BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'export', NEW.id;
END;
CREATE TRIGGER tr_exports_journal_upd AFTER UPDATE ON exports BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'export', NEW.id;
END;
CREATE TRIGGER tr_exports_journal_del AFTER DELETE ON exports BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT OLD.enterprise_id, 'export', OLD.id;
END;
CREATE TRIGGER tr_containers_journal_ins AFTER INSERT ON containers BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'container', NEW.id;
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'export', NEW.export_id WHERE NEW.export_id IS NOT NULL;
END;
CREATE TRIGGER tr_containers_journal_upd AFTER UPDATE ON containers BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'container', NEW.id;
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'export', NEW.export_id WHERE NEW.export_id IS NOT NULL;
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT OLD.enterprise_id, 'export', OLD.export_id WHERE OLD.export_id IS NOT NULL AND OLD.export_id IS NOT NEW.export_id;
END;
CREATE TRIGGER tr_containers_journal_del AFTER DELETE ON containers BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT OLD.enterprise_id, 'container', OLD.id;
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT OLD.enterprise_id, 'export', OLD.export_id WHERE OLD.export_id IS NOT NULL;
END;
CREATE TRIGGER tr_client_invoices_journal_ins AFTER INSERT ON client_invoices BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'export', NEW.export_id WHERE NEW.export_id IS NOT NULL;
END;
CREATE TRIGGER tr_client_invoices_journal_upd AFTER UPDATE ON client_invoices BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'export', NEW.export_id WHERE NEW.export_id IS NOT NULL;
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT OLD.enterprise_id, 'export', OLD.export_id WHERE OLD.export_id IS NOT NULL AND OLD.export_id IS NOT NEW.export_id;
END;
CREATE TRIGGER tr_client_invoices_journal_del AFTER DELETE ON client_invoices BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT OLD.enterprise_id, 'export', OLD.export_id WHERE OLD.export_id IS NOT NULL;
END;
CREATE TRIGGER tr_pallets_journal_ins AFTER INSERT ON pallets BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'container', NEW.container_id WHERE NEW.container_id IS NOT NULL;
END;
CREATE TRIGGER tr_pallets_journal_upd AFTER UPDATE ON pallets BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'container', NEW.container_id WHERE NEW.container_id IS NOT NULL;
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT OLD.enterprise_id, 'container', OLD.container_id WHERE OLD.container_id IS NOT NULL AND OLD.container_id IS NOT NEW.container_id;
END;
CREATE TRIGGER tr_pallets_journal_del AFTER DELETE ON pallets BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT OLD.enterprise_id, 'container', OLD.container_id WHERE OLD.container_id IS NOT NULL;
END;
CREATE TRIGGER tr_labour_costs_journal_ins AFTER INSERT ON labour_costs BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'labour', NEW.id;
END;
CREATE TRIGGER tr_labour_costs_journal_upd AFTER UPDATE ON labour_costs BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT NEW.enterprise_id, 'labour', NEW.id;
END;
CREATE TRIGGER tr_labour_costs_journal_del AFTER DELETE ON labour_costs BEGIN
  INSERT OR IGNORE INTO reconciliation_dirty (enterprise_id, kind, entity_id)
    SELECT OLD.enterprise_id, 'labour', OLD.id;
END;
