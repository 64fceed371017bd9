-- Live batch counts per (tenant, status, creation day), replacing batch_counts (per status).
-- The batches list reads totals from here (issue 5: exact totals without a COUNT over a
-- million rows) and turns a deep OFFSET into a short one: summing the days newest first
-- finds the day that holds row N, so the page query starts at that day's upper bound and
-- skips only the rows inside it (a few thousand at most) instead of walking the index.
--
-- day is the YYYY-MM-DD of batches.created_at (UTC, immutable). Maintained in the
-- transactions that change batches: GRN intake +1, a status change -1/+1 on the same day,
-- soft delete -1. Bulk loaders rebuild a tenant's rows from batches afterwards.
CREATE TABLE batch_day_counts (
  enterprise_id VARCHAR(36) NOT NULL REFERENCES enterprises(id),
  status VARCHAR(30) NOT NULL,
  day VARCHAR(10) NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (enterprise_id, status, day)
);

INSERT INTO batch_day_counts (enterprise_id, status, day, count)
SELECT enterprise_id, status, SUBSTR(CAST(created_at AS TEXT), 1, 10), COUNT(*)
FROM batches WHERE is_deleted = FALSE
GROUP BY enterprise_id, status, SUBSTR(CAST(created_at AS TEXT), 1, 10);

DROP TABLE batch_counts;
