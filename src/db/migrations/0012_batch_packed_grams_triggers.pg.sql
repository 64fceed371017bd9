-- Keeps batches.packed_grams (0011) on PostgreSQL: one statement-level trigger per event on
-- lots adds the new live rows' grams and subtracts the old ones', summed per batch; a batch
-- whose sum did not move (an update of other lot columns) is not written.
CREATE FUNCTION fp_batch_packed_grams() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  counted constant text :=
    'SELECT enterprise_id, batch_id, %s * CAST(FLOOR(COALESCE(weight_kg, 0) * 1000 + 0.5) AS BIGINT) AS grams'
    ' FROM %I WHERE is_deleted = FALSE';
  changes text;
BEGIN
  changes := CASE TG_OP WHEN 'INSERT' THEN format(counted, 1, 'new_rows')
                        WHEN 'DELETE' THEN format(counted, -1, 'old_rows')
                        ELSE format(counted, 1, 'new_rows') || ' UNION ALL ' || format(counted, -1, 'old_rows')
             END;
  -- In batch id order, so that two statements touching the same batches lock them alike.
  EXECUTE 'UPDATE batches b SET packed_grams = b.packed_grams + c.grams FROM ('
       || 'SELECT enterprise_id, batch_id, SUM(grams) AS grams FROM (' || changes || ') c'
       || ' GROUP BY enterprise_id, batch_id HAVING SUM(grams) <> 0 ORDER BY batch_id) c'
       || ' WHERE b.id = c.batch_id AND b.enterprise_id = c.enterprise_id';
  RETURN NULL;
END $$;

CREATE TRIGGER tr_lots_packed_grams_ins AFTER INSERT ON lots
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_batch_packed_grams();
CREATE TRIGGER tr_lots_packed_grams_upd AFTER UPDATE ON lots
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_batch_packed_grams();
CREATE TRIGGER tr_lots_packed_grams_del AFTER DELETE ON lots
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fp_batch_packed_grams();
