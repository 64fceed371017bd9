-- The change journal's triggers on PostgreSQL (see 0009 for what they keep).

CREATE SEQUENCE reconciliation_journal_version;
ALTER TABLE reconciliation_dirty ALTER COLUMN version SET DEFAULT nextval('reconciliation_journal_version');

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

-- Adds the changed batches' part to grower_intake_days and grower_intake_totals: +1 for
-- each new row that counts, -1 for each old one, summed per (tenant, grower, day) and per
-- (tenant, grower); figures that did not move (an update of other columns) are not
-- written, and days left without received batches are removed.
CREATE FUNCTION fp_grower_intake_days() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  counted constant text :=
    'SELECT enterprise_id, grower_id, intake_date, %s AS sign, CASE WHEN status = ''complete'' THEN %s ELSE 0 END'
    ' AS complete_sign, CAST(FLOOR(COALESCE(CASE WHEN net_weight_kg IS NOT NULL THEN net_weight_kg'
    ' ELSE gross_weight_kg END, 0) * 1000 + 0.5) AS BIGINT) AS grams FROM %I'
    ' WHERE is_deleted = FALSE AND status <> ''rejected'' AND payment_routing = ''grower''';
  sums constant text := ' SUM(sign), SUM(sign * grams), SUM(complete_sign), SUM(complete_sign * grams)';
  moved constant text :=
    ' HAVING SUM(sign) <> 0 OR SUM(sign * grams) <> 0 OR SUM(complete_sign) <> 0 OR SUM(complete_sign * grams) <> 0';
  add constant text :=
    ' received_batches = t.received_batches + EXCLUDED.received_batches,'
    ' received_grams = t.received_grams + EXCLUDED.received_grams,'
    ' complete_batches = t.complete_batches + EXCLUDED.complete_batches,'
    ' complete_grams = t.complete_grams + EXCLUDED.complete_grams';
  changes text;
BEGIN
  changes := CASE TG_OP WHEN 'INSERT' THEN format(counted, 1, 1, 'new_rows')
                        WHEN 'DELETE' THEN format(counted, -1, -1, 'old_rows')
                        ELSE format(counted, 1, 1, 'new_rows') || ' UNION ALL ' || format(counted, -1, -1, 'old_rows')
             END;
  EXECUTE 'INSERT INTO grower_intake_days AS t SELECT enterprise_id, grower_id, intake_date,' || sums
       || ' FROM (' || changes || ') c GROUP BY enterprise_id, grower_id, intake_date' || moved
       || ' ORDER BY 1, 2, 3 ON CONFLICT (enterprise_id, grower_id, intake_date) DO UPDATE SET' || add;
  EXECUTE 'DELETE FROM grower_intake_days d USING (SELECT DISTINCT enterprise_id, grower_id, intake_date FROM ('
       || changes || ') c) c WHERE d.enterprise_id = c.enterprise_id AND d.grower_id = c.grower_id'
       || ' AND d.intake_date = c.intake_date AND d.received_batches = 0';
  EXECUTE 'INSERT INTO grower_intake_totals AS t SELECT enterprise_id, grower_id,' || sums
       || ' FROM (' || changes || ') c GROUP BY enterprise_id, grower_id' || moved
       || ' ORDER BY 1, 2 ON CONFLICT (enterprise_id, grower_id) DO UPDATE SET' || add;
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
