-- The live lots' packed weight per batch, in whole grams (each lot's weight_kg half up, as
-- the checks round), kept on the batch row by triggers on lots (0012, per engine).
-- The lot-vs-batch check reads it instead of joining and summing the lots: a full run is
-- one scan of batches, and a journal-scoped run one index lookup per marked batch (the
-- incremental target of issue 8 was missed by the lot lookups). Index: batches_pkey for a
-- scoped run; ix_lots_batch (0009's note) now serves the lot routes only.
ALTER TABLE batches ADD COLUMN packed_grams BIGINT NOT NULL DEFAULT 0;

UPDATE batches SET packed_grams = (
  SELECT COALESCE(SUM(CAST(FLOOR(COALESCE(l.weight_kg, 0) * 1000 + 0.5) AS BIGINT)), 0) FROM lots l
  WHERE l.enterprise_id = batches.enterprise_id AND l.batch_id = batches.id AND l.is_deleted = FALSE)
WHERE id IN (SELECT batch_id FROM lots);
