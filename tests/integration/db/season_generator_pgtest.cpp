// The season generator contract on PostgreSQL (a fresh database per test): the same data
// through COPY instead of SQLite's prepared INSERTs. PostgreSQL checks every foreign key
// as the rows arrive, so a load that succeeds has none broken.

#include "integration/db/season_generator_contract.hpp"
#include "support/test_env.hpp"

namespace fruitpak::testing {
namespace {

class SeasonGeneratorPgTest : public ::testing::Test {
 protected:
  std::unique_ptr<db::Database> open() { return db::open_database(test_config(pg_.url()), blocking_); }

  TempPgDatabase pg_;
  util::BlockingPool blocking_{2};
};

TEST_F(SeasonGeneratorPgTest, BenchProfileWritesTheBatchesAskedForAndMatchingDayCounts) {
  expect_bench_batches_and_counts_agree(*open());
}

TEST_F(SeasonGeneratorPgTest, BenchCodesAreUniqueAndCountersLetTheApiContinue) {
  expect_bench_codes_unique_and_counters_consistent(*open());
}

TEST_F(SeasonGeneratorPgTest, BenchProfilePlantsTheReconciliationMismatches) {
  expect_bench_plants_reconciliation_mismatches(*open());
}

TEST_F(SeasonGeneratorPgTest, BatchListReadsGeneratedBatches) { expect_bench_list_reads_generated_batches(*open()); }

TEST_F(SeasonGeneratorPgTest, BatchCountOutOfRangeIsRefused) { expect_bench_rejects_batch_counts_out_of_range(*open()); }

TEST_F(SeasonGeneratorPgTest, SameSeedGivesSameData) { expect_same_seed_gives_same_data(*open()); }

TEST_F(SeasonGeneratorPgTest, DemoFillsEveryTable) { expect_demo_fills_every_table(*open(), blocking_); }

TEST_F(SeasonGeneratorPgTest, DemoPlantsEachReconciliationMismatchKind) {
  expect_demo_plants_each_mismatch_kind(*open(), blocking_);
}

TEST_F(SeasonGeneratorPgTest, SecondDemoLoadChangesNothing) {
  expect_second_demo_load_changes_nothing(*open(), blocking_);
}

}  // namespace
}  // namespace fruitpak::testing
