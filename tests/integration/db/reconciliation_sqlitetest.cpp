// The reconciliation contract (hand-worked alerts, re-runs, tolerances) on SQLite.

#include "integration/db/reconciliation_contract.hpp"
#include "support/test_env.hpp"

namespace fruitpak::testing {
namespace {

class ReconciliationSqliteTest : public ::testing::Test {
 protected:
  std::unique_ptr<db::Database> open() { return db::open_database(test_config(file_.url()), blocking_); }
  TempSqliteFile file_;
  util::BlockingPool blocking_{2};
};

TEST_F(ReconciliationSqliteTest, FirstRunFindsTheHandWorkedMismatches) {
  expect_first_run_finds_the_hand_worked_mismatches(*open());
}

TEST_F(ReconciliationSqliteTest, ReRunUpdatesInsteadOfDuplicating) { expect_rerun_updates_instead_of_duplicating(*open()); }

TEST_F(ReconciliationSqliteTest, TolerancesComeFromConfiguration) { expect_tolerances_come_from_configuration(*open()); }

TEST_F(ReconciliationSqliteTest, IncrementalRunMatchesFullRun) { expect_incremental_matches_full(*open()); }

TEST_F(ReconciliationSqliteTest, GrowerIntakeDaysFollowBatches) { expect_grower_intake_days_follow_batches(*open()); }

TEST_F(ReconciliationSqliteTest, BatchPackedGramsFollowLots) { expect_batch_packed_grams_follow_lots(*open()); }

TEST_F(ReconciliationSqliteTest, ScheduledSlotRunsOnce) { expect_scheduled_slot_runs_once(*open()); }

}  // namespace
}  // namespace fruitpak::testing
