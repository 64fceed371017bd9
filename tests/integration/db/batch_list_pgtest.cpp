// The batch list contract (deep offsets, keyset cursor, bulk insert) on PostgreSQL.

#include "integration/db/batch_list_contract.hpp"
#include "support/test_env.hpp"

namespace fruitpak::testing {
namespace {

class BatchListPgTest : public ::testing::Test {
 protected:
  std::unique_ptr<db::Database> open() { return db::open_database(test_config(pg_.url()), blocking_); }
  TempPgDatabase pg_;
  util::BlockingPool blocking_{2};
};

TEST_F(BatchListPgTest, EveryOffsetPathMatchesSortedOrder) { expect_every_offset_path_matches_sorted_order(*open()); }

TEST_F(BatchListPgTest, CountBatchKeepsCountsInStep) { expect_count_batch_keeps_counts_in_step(*open()); }

TEST_F(BatchListPgTest, KeysetWalkVisitsEveryRowOnce) { expect_keyset_walk_visits_every_row_once(*open()); }

TEST_F(BatchListPgTest, BulkInsertRoundTripsAwkwardText) { expect_bulk_insert_round_trips_awkward_text(*open()); }

}  // namespace
}  // namespace fruitpak::testing
