-- Live batch totals per (tenant, creation day), all statuses together: where an unfiltered
-- batches list at a deep offset starts. The list finds the day that holds row N by a
-- running sum over these rows, newest first, and stops at that day (a window query that
-- reads about one row per day back to the offset, not the ~3 status rows per day of
-- batch_day_counts grouped and sorted first). Maintained with batch_day_counts by the
-- same writes in the same transactions: GRN intake +1, soft delete -1, a status change
-- -1/+1 (net zero), and the bulk loaders' rebuild.
CREATE TABLE batch_day_totals (
  enterprise_id VARCHAR(36) NOT NULL REFERENCES enterprises(id),
  day VARCHAR(10) NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (enterprise_id, day)
);

INSERT INTO batch_day_totals (enterprise_id, day, count)
SELECT enterprise_id, day, SUM(count) FROM batch_day_counts
GROUP BY enterprise_id, day;
