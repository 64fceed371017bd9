-- The change journal's triggers on SQLite (see 0009 for what they keep): row triggers, one
-- per table and event, as SQLite has no statement-level ones.

-- grower_intake_days and grower_intake_totals: -1 for the old row and +1 for the new one
-- where they count; a day left without received batches is removed.
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
  INSERT INTO grower_intake_totals (enterprise_id, grower_id, received_batches, received_grams,
                                    complete_batches, complete_grams)
    SELECT NEW.enterprise_id, NEW.grower_id, 1, CAST(FLOOR(COALESCE(CASE WHEN NEW.net_weight_kg IS NOT NULL THEN NEW.net_weight_kg ELSE NEW.gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER),
           CASE WHEN NEW.status = 'complete' THEN 1 ELSE 0 END,
           CASE WHEN NEW.status = 'complete' THEN CAST(FLOOR(COALESCE(CASE WHEN NEW.net_weight_kg IS NOT NULL THEN NEW.net_weight_kg ELSE NEW.gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER) ELSE 0 END
    WHERE NEW.is_deleted = FALSE AND NEW.status <> 'rejected' AND NEW.payment_routing = 'grower'
    ON CONFLICT (enterprise_id, grower_id) DO UPDATE SET
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
  INSERT INTO grower_intake_totals (enterprise_id, grower_id, received_batches, received_grams,
                                    complete_batches, complete_grams)
    SELECT OLD.enterprise_id, OLD.grower_id, -1, -CAST(FLOOR(COALESCE(CASE WHEN OLD.net_weight_kg IS NOT NULL THEN OLD.net_weight_kg ELSE OLD.gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER),
           CASE WHEN OLD.status = 'complete' THEN -1 ELSE 0 END,
           CASE WHEN OLD.status = 'complete' THEN -CAST(FLOOR(COALESCE(CASE WHEN OLD.net_weight_kg IS NOT NULL THEN OLD.net_weight_kg ELSE OLD.gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER) ELSE 0 END
    WHERE OLD.is_deleted = FALSE AND OLD.status <> 'rejected' AND OLD.payment_routing = 'grower'
    ON CONFLICT (enterprise_id, grower_id) DO UPDATE SET
      received_batches = received_batches + excluded.received_batches,
      received_grams = received_grams + excluded.received_grams,
      complete_batches = complete_batches + excluded.complete_batches,
      complete_grams = complete_grams + excluded.complete_grams;
  DELETE FROM grower_intake_days WHERE enterprise_id = OLD.enterprise_id AND grower_id = OLD.grower_id
    AND intake_date = OLD.intake_date AND received_batches = 0;
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
  INSERT INTO grower_intake_totals (enterprise_id, grower_id, received_batches, received_grams,
                                    complete_batches, complete_grams)
    SELECT NEW.enterprise_id, NEW.grower_id, 1, CAST(FLOOR(COALESCE(CASE WHEN NEW.net_weight_kg IS NOT NULL THEN NEW.net_weight_kg ELSE NEW.gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER),
           CASE WHEN NEW.status = 'complete' THEN 1 ELSE 0 END,
           CASE WHEN NEW.status = 'complete' THEN CAST(FLOOR(COALESCE(CASE WHEN NEW.net_weight_kg IS NOT NULL THEN NEW.net_weight_kg ELSE NEW.gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER) ELSE 0 END
    WHERE NEW.is_deleted = FALSE AND NEW.status <> 'rejected' AND NEW.payment_routing = 'grower'
    ON CONFLICT (enterprise_id, grower_id) DO UPDATE SET
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
  INSERT INTO grower_intake_totals (enterprise_id, grower_id, received_batches, received_grams,
                                    complete_batches, complete_grams)
    SELECT OLD.enterprise_id, OLD.grower_id, -1, -CAST(FLOOR(COALESCE(CASE WHEN OLD.net_weight_kg IS NOT NULL THEN OLD.net_weight_kg ELSE OLD.gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER),
           CASE WHEN OLD.status = 'complete' THEN -1 ELSE 0 END,
           CASE WHEN OLD.status = 'complete' THEN -CAST(FLOOR(COALESCE(CASE WHEN OLD.net_weight_kg IS NOT NULL THEN OLD.net_weight_kg ELSE OLD.gross_weight_kg END, 0) * 1000 + 0.5) AS INTEGER) ELSE 0 END
    WHERE OLD.is_deleted = FALSE AND OLD.status <> 'rejected' AND OLD.payment_routing = 'grower'
    ON CONFLICT (enterprise_id, grower_id) DO UPDATE SET
      received_batches = received_batches + excluded.received_batches,
      received_grams = received_grams + excluded.received_grams,
      complete_batches = complete_batches + excluded.complete_batches,
      complete_grams = complete_grams + excluded.complete_grams;
  DELETE FROM grower_intake_days WHERE enterprise_id = OLD.enterprise_id AND grower_id = OLD.grower_id
    AND intake_date = OLD.intake_date AND received_batches = 0;
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
