// The reconciliation contract on PostgreSQL, and the same case on both engines giving the
// same alerts, figure for figure and text for text.

#include "integration/db/reconciliation_contract.hpp"
#include "support/test_env.hpp"

#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

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

TEST_F(ReconciliationPgTest, IncrementalRunMatchesFullRun) { expect_incremental_matches_full(*open()); }

TEST_F(ReconciliationPgTest, GrowerIntakeDaysFollowBatches) { expect_grower_intake_days_follow_batches(*open()); }

TEST_F(ReconciliationPgTest, BatchPackedGramsFollowLots) { expect_batch_packed_grams_follow_lots(*open()); }

TEST_F(ReconciliationPgTest, ScheduledSlotRunsOnce) { expect_scheduled_slot_runs_once(*open()); }

// The journal cut (db/reconciliation_journal.hpp): a writer that marked a change before the
// run started but has not committed yet, while a later writer already committed, makes the
// incremental run wait for it, so the run sees both changes and leaves no mark behind.
// Without the wait the run would read the later writer's newer version as its cut and
// delete the first writer's mark once it commits, although its checks never saw that
// change.
TEST_F(ReconciliationPgTest, IncrementalRunWaitsForWritersThatMarkedBeforeIt) {
  auto db = open();
  const ReconciliationCase c = seed_two_tenants(*db);
  services::ReconciliationService service(*db, domain::Tolerances{});
  ASSERT_TRUE(run_reconciliation(service, "recon-a"));

  net::io_context context;
  net::steady_timer first_marked(context, net::steady_timer::time_point::max());
  net::steady_timer commit_first(context, net::steady_timer::time_point::max());
  std::optional<Result<bool>> first;
  std::optional<Result<domain::RunSummary>> run;
  bool run_waited = false;

  // Writer 1: B2 gets the 30 kg it missed, uncommitted until told.
  auto writer = [&]() -> net::awaitable<Result<bool>> {
    auto work = [&](db::Lease& tx) -> net::awaitable<Result<bool>> {
      db::Params lot{std::string("recon-a-lot-B2-L01")};
      auto updated = co_await tx.execute("UPDATE lots SET weight_kg = 1000 WHERE id = $1", lot);
      if (!updated) co_return updated.error();
      first_marked.cancel();
      boost::system::error_code ignored;
      co_await commit_first.async_wait(net::redirect_error(net::use_awaitable, ignored));
      co_return true;
    };
    co_return co_await db->transaction(work);
  };
  auto driver = [&]() -> net::awaitable<void> {
    boost::system::error_code ignored;
    net::co_spawn(context, writer(), [&](std::exception_ptr, Result<bool> r) { first.emplace(std::move(r)); });
    co_await first_marked.async_wait(net::redirect_error(net::use_awaitable, ignored));
    // Writer 2, committed: L3's total now matches 10 h x 100.00 x 2 (a newer mark).
    db::Params labour{c.l3};
    auto second = co_await db->execute("UPDATE labour_costs SET total_amount = 2000 WHERE id = $1", labour);
    EXPECT_TRUE(second) << second.error().detail;
    net::co_spawn(context,
                  service.run(domain::TenantId("recon-a"), services::RunTrigger::kCli, services::RunScope::kChanged,
                              std::nullopt, nullptr, nullptr),
                  [&](std::exception_ptr, Result<domain::RunSummary> r) { run.emplace(std::move(r)); });
    // Until the run waits for the journal lock (bounded: 10 s).
    net::steady_timer pause(context);
    for (int i = 0; i < 1000 && !run_waited && !run; ++i) {
      auto waiting = co_await db->execute("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                                          " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
      run_waited = waiting && waiting->front().int64(0) > 0;
      pause.expires_after(std::chrono::milliseconds(10));
      co_await pause.async_wait(net::redirect_error(net::use_awaitable, ignored));
    }
    commit_first.cancel();
  };
  net::co_spawn(context, driver(), net::detached);
  context.run();

  EXPECT_TRUE(run_waited) << "the run did not wait for the uncommitted writer";
  ASSERT_TRUE(first && *first) << (first ? first->error().detail : "writer did not finish");
  ASSERT_TRUE(run && *run) << (run ? run->error().detail : "run did not finish");
  EXPECT_EQ((*run)->kind, "incremental");
  EXPECT_EQ((*run)->alerts_resolved, 2);  // B2's lot alert and L3's labour alert
  auto left = util::run_sync(db->execute(
      "SELECT status FROM reconciliation_alerts WHERE entity_key IN ($1, $2) ORDER BY entity_key",
      {"batch:" + c.b2, "labour:" + c.l3}));
  ASSERT_TRUE(left && left->size() == 2);
  EXPECT_EQ(left->front().string(0), "resolved");
  EXPECT_EQ((*left)[1].string(0), "resolved");
  auto marks = util::run_sync(db->execute("SELECT COUNT(*) FROM reconciliation_dirty WHERE enterprise_id = 'recon-a'"));
  ASSERT_TRUE(marks);
  EXPECT_EQ(marks->front().int64(0), 0);
}

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
