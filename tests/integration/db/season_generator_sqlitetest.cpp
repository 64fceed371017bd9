// The season generator contract on SQLite (a fresh file per test), plus SQLite's own
// foreign-key audit of the generated data.

#include "integration/db/season_generator_contract.hpp"
#include "support/test_env.hpp"

namespace fruitpak::testing {
namespace {

class SeasonGeneratorSqliteTest : public ::testing::Test {
 protected:
  std::unique_ptr<db::Database> open() { return db::open_database(test_config(file_.url()), blocking_); }

  // Rows of PRAGMA foreign_key_check: references to rows that do not exist.
  static std::int64_t broken_references(db::Database& db) {
    auto rows = util::run_sync(db.execute("PRAGMA foreign_key_check"));
    EXPECT_TRUE(rows) << rows.error().detail;
    return rows ? static_cast<std::int64_t>(rows->size()) : -1;
  }

  TempSqliteFile file_;
  util::BlockingPool blocking_{2};
};

TEST_F(SeasonGeneratorSqliteTest, BenchProfileWritesTheBatchesAskedForAndMatchingDayCounts) {
  expect_bench_batches_and_counts_agree(*open());
}

TEST_F(SeasonGeneratorSqliteTest, BenchCodesAreUniqueAndCountersLetTheApiContinue) {
  expect_bench_codes_unique_and_counters_consistent(*open());
}

TEST_F(SeasonGeneratorSqliteTest, BenchProfilePlantsTheReconciliationMismatches) {
  expect_bench_plants_reconciliation_mismatches(*open());
}

TEST_F(SeasonGeneratorSqliteTest, BatchListReadsGeneratedBatches) { expect_bench_list_reads_generated_batches(*open()); }

TEST_F(SeasonGeneratorSqliteTest, BatchCountOutOfRangeIsRefused) { expect_bench_rejects_batch_counts_out_of_range(*open()); }

TEST_F(SeasonGeneratorSqliteTest, SameSeedGivesSameData) { expect_same_seed_gives_same_data(*open()); }

TEST_F(SeasonGeneratorSqliteTest, DemoFillsEveryTable) { expect_demo_fills_every_table(*open(), blocking_); }

TEST_F(SeasonGeneratorSqliteTest, DemoPlantsEachReconciliationMismatchKind) {
  expect_demo_plants_each_mismatch_kind(*open(), blocking_);
}

TEST_F(SeasonGeneratorSqliteTest, SecondDemoLoadChangesNothing) {
  expect_second_demo_load_changes_nothing(*open(), blocking_);
}

TEST_F(SeasonGeneratorSqliteTest, GeneratedDataHasNoBrokenForeignKeys) {
  auto db = open();
  ASSERT_TRUE(util::run_sync(db::migrate(*db)));
  ASSERT_TRUE(util::run_sync(services::load_demo(*db, blocking_, 4)));
  add_enterprise(*db, "fk-bench");
  ASSERT_TRUE(generate(*db, "fk-bench", bench_options(5'000)));
  EXPECT_EQ(broken_references(*db), 0);
}

}  // namespace
}  // namespace fruitpak::testing
