// The database contract on PostgreSQL (a fresh database per test), plus what only a
// server can do: restart under us, and the schema comparison with SQLite.

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "integration/db/database_contract.hpp"
#include "support/test_env.hpp"

namespace fruitpak::testing {
namespace {

class DatabasePgTest : public ::testing::Test {
 protected:
  std::unique_ptr<db::Database> open(int pool_size = 4) {
    auto config = test_config(pg_.url());
    config.db_pool_size = pool_size;
    config.db_acquire_timeout = std::chrono::milliseconds(200);
    return db::open_database(config, blocking_);
  }
  TempPgDatabase pg_;
  util::BlockingPool blocking_{2};
};

TEST_F(DatabasePgTest, MigrationsApplyTwiceWithoutChange) {
  expect_migrations_apply_twice_without_change(*open());
}

TEST_F(DatabasePgTest, FailedTransactionRollsBack) { expect_failed_transaction_rolls_back(*open()); }

TEST_F(DatabasePgTest, UniqueViolationIsConflict) { expect_unique_violation_is_conflict(*open()); }

TEST_F(DatabasePgTest, ParametersBindByNumber) { expect_parameters_bind_by_number(*open()); }

TEST_F(DatabasePgTest, PoolExhaustionTimesOutWithErrorValue) { expect_pool_exhaustion_times_out(*open(1)); }

TEST_F(DatabasePgTest, WaiterGetsReleasedConnection) { expect_waiter_gets_released_connection(*open(1)); }

TEST_F(DatabasePgTest, SameMigrationsGiveSameLogicalSchemaAsSqlite) {
  auto pg = open();
  ASSERT_TRUE(util::run_sync(db::migrate(*pg)));
  TempSqliteFile file;
  auto lite = db::open_database(test_config(file.url()), blocking_);
  ASSERT_TRUE(util::run_sync(db::migrate(*lite)));
  auto pg_schema = util::run_sync(db::describe_schema(*pg));
  auto lite_schema = util::run_sync(db::describe_schema(*lite));
  ASSERT_TRUE(pg_schema && lite_schema);
  EXPECT_EQ(*pg_schema, *lite_schema);
  EXPECT_GE(pg_schema->size(), 3u);
}

TEST_F(DatabasePgTest, NextQueryAfterServerRestartSucceeds) {
  auto db = open(2);
  auto before = util::run_sync(db->execute("SELECT 1"));
  ASSERT_TRUE(before) << before.error().detail;
  EXPECT_EQ(db->pool_stats().idle, 1u);  // the connection waits in the pool across the restart
  run_env_command("FRUITPAK_TEST_PG_RESTART");
  auto after = util::run_sync(db->execute("SELECT 1"));
  ASSERT_TRUE(after) << after.error().detail;
  EXPECT_EQ(after->front().int64(0), 1);
}

TEST_F(DatabasePgTest, ServerDownIsUnavailableNotAHang) {
  auto db = open(2);
  ASSERT_TRUE(util::run_sync(db->execute("SELECT 1")));
  run_env_command("FRUITPAK_TEST_PG_STOP");
  auto during = util::run_sync(db->execute("SELECT 1"));
  run_env_command("FRUITPAK_TEST_PG_START");
  ASSERT_FALSE(during);
  EXPECT_EQ(during.error().code, Errc::kUnavailable) << during.error().detail;
  auto after = util::run_sync(db->execute("SELECT 1"));
  EXPECT_TRUE(after);
}

TEST_F(DatabasePgTest, StatementTimeoutIsTimeout) {
  auto config = test_config(pg_.url());
  config.db_statement_timeout = std::chrono::milliseconds(100);
  auto db = db::open_database(config, blocking_);
  auto rows = util::run_sync(db->execute("SELECT pg_sleep(2)"));
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().code, Errc::kTimeout);
}

}  // namespace
}  // namespace fruitpak::testing
