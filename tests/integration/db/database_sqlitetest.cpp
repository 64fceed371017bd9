// The database contract on SQLite (a fresh file per test).

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "integration/db/database_contract.hpp"
#include "support/test_env.hpp"

namespace fruitpak::testing {
namespace {

class DatabaseSqliteTest : public ::testing::Test {
 protected:
  std::unique_ptr<db::Database> open(int pool_size = 4) {
    auto config = test_config(file_.url());
    config.db_pool_size = pool_size;
    config.db_acquire_timeout = std::chrono::milliseconds(200);
    return db::open_database(config, blocking_);
  }
  TempSqliteFile file_;
  util::BlockingPool blocking_{2};
};

TEST_F(DatabaseSqliteTest, MigrationsApplyTwiceWithoutChange) {
  expect_migrations_apply_twice_without_change(*open());
}

TEST_F(DatabaseSqliteTest, FailedTransactionRollsBack) { expect_failed_transaction_rolls_back(*open()); }

TEST_F(DatabaseSqliteTest, UniqueViolationIsConflict) { expect_unique_violation_is_conflict(*open()); }

TEST_F(DatabaseSqliteTest, ParametersBindByNumberNotPosition) { expect_parameters_bind_by_number(*open()); }

TEST_F(DatabaseSqliteTest, PoolExhaustionTimesOutWithErrorValue) {
  expect_pool_exhaustion_times_out(*open(1));
}

TEST_F(DatabaseSqliteTest, WaiterGetsReleasedConnection) {
  expect_waiter_gets_released_connection(*open(1));
}

TEST_F(DatabaseSqliteTest, ForeignKeysAreEnforced) {
  auto db = open();
  ASSERT_TRUE(util::run_sync(db::migrate(*db)));
  db::Params user{std::string("u1"), std::string("a@b.c"), std::string("A"), std::string("no-such-enterprise"),
                  std::string("2026-01-01T00:00:00")};
  auto inserted = util::run_sync(db->execute(
      "INSERT INTO users (id, email, full_name, enterprise_id, created_at, updated_at)"
      " VALUES ($1, $2, $3, $4, $5, $5)", user));
  ASSERT_FALSE(inserted);
  EXPECT_EQ(inserted.error().code, Errc::kInvalidInput);
}

TEST_F(DatabaseSqliteTest, UnopenableFileIsUnavailable) {
  auto config = test_config("sqlite:///nonexistent-dir-fp/sub/x.db");
  auto db = db::open_database(config, blocking_);
  auto rows = util::run_sync(db->execute("SELECT 1"));
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().code, Errc::kUnavailable);
}

}  // namespace
}  // namespace fruitpak::testing
