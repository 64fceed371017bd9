// The reconciliation contract on PostgreSQL, and the same case on both engines giving the
// same alerts, figure for figure and text for text.

#include "integration/db/reconciliation_contract.hpp"
#include "support/test_env.hpp"

namespace fruitpak::testing {
namespace {

class ReconciliationPgTest : public ::testing::Test {
 protected:
  std::unique_ptr<db::Database> open() { return db::open_database(test_config(pg_.url()), blocking_); }
  TempPgDatabase pg_;
  util::BlockingPool blocking_{2};
};

TEST_F(ReconciliationPgTest, FirstRunFindsTheHandWorkedMismatches) {
  expect_first_run_finds_the_hand_worked_mismatches(*open());
}

TEST_F(ReconciliationPgTest, ReRunUpdatesInsteadOfDuplicating) { expect_rerun_updates_instead_of_duplicating(*open()); }

TEST_F(ReconciliationPgTest, TolerancesComeFromConfiguration) { expect_tolerances_come_from_configuration(*open()); }

TEST_F(ReconciliationPgTest, ScheduledSlotRunsOnce) { expect_scheduled_slot_runs_once(*open()); }

// Everything an alert shows, as text, in a stable order.
std::vector<std::string> alert_texts(db::Database& db) {
  auto rows = util::run_sync(db.execute(
      "SELECT alert_type, entity_key, severity, title, description, expected_value, actual_value, variance,"
      " variance_pct, unit, entity_refs, period_start, period_end, grower_id, fruit_type"
      " FROM reconciliation_alerts WHERE enterprise_id = 'recon-a' ORDER BY alert_type, entity_key"));
  EXPECT_TRUE(rows) << rows.error().detail;
  std::vector<std::string> out;
  for (std::size_t i = 0; rows && i < rows->size(); ++i) {
    const auto& r = (*rows)[i];
    std::string line;
    for (std::size_t c = 0; c < 5; ++c) line += r.string(c) + " | ";
    for (std::size_t c = 5; c < 9; ++c) line += std::to_string(r.number(c)) + " | ";
    line += r.string(9) + " | " + r.string(10) + " | " + r.timestamp(11).value_or("-") + " | " +
            r.timestamp(12).value_or("-") + " | " + r.string(13) + " | " + r.string(14);
    out.push_back(std::move(line));
  }
  return out;
}

TEST_F(ReconciliationPgTest, BothEnginesGiveIdenticalAlerts) {
  auto pg = open();
  TempSqliteFile file;
  auto sqlite = db::open_database(test_config(file.url()), blocking_);
  for (db::Database* db : {pg.get(), sqlite.get()}) {
    seed_two_tenants(*db);
    services::ReconciliationService service(*db, domain::Tolerances{});
    auto summary = run_reconciliation(service, "recon-a");
    ASSERT_TRUE(summary) << summary.error().detail;
  }
  const auto on_pg = alert_texts(*pg);
  EXPECT_EQ(on_pg.size(), 11u);
  EXPECT_EQ(on_pg, alert_texts(*sqlite));
}

}  // namespace
}  // namespace fruitpak::testing
