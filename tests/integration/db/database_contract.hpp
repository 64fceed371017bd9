#pragma once
// Behaviour every database engine must show. Each engine's test file runs these checks
// against a fresh database of its own (database_sqlitetest.cpp, database_pgtest.cpp).

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "util/run_sync.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

#include <gtest/gtest.h>

namespace fruitpak::testing {

inline void expect_migrations_apply_twice_without_change(db::Database& db) {
  auto first = util::run_sync(db::migrate(db));
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_GT(*first, 0);
  auto schema_before = util::run_sync(db::describe_schema(db));
  ASSERT_TRUE(schema_before);
  auto second = util::run_sync(db::migrate(db));
  ASSERT_TRUE(second) << second.error().detail;
  EXPECT_EQ(*second, 0);
  auto schema_after = util::run_sync(db::describe_schema(db));
  ASSERT_TRUE(schema_after);
  EXPECT_EQ(*schema_before, *schema_after);
  EXPECT_TRUE(schema_after->contains("users"));
  EXPECT_TRUE(schema_after->contains("schema_migrations"));
}

inline net::awaitable<Result<std::int64_t>> count_rows(db::Database& db, std::string table) {
  auto rows = co_await db.execute("SELECT COUNT(*) FROM " + table);
  if (!rows) co_return rows.error();
  co_return rows->front().int64(0);
}

inline void expect_failed_transaction_rolls_back(db::Database& db) {
  ASSERT_TRUE(util::run_sync(db.execute("CREATE TABLE t_rollback (id INTEGER PRIMARY KEY, name VARCHAR(20))")));
  auto outcome = util::run_sync(db.transaction([](db::Lease& tx) -> net::awaitable<Result<int>> {
    db::Params row{std::int64_t{1}, std::string("kept?")};
    auto inserted = co_await tx.execute("INSERT INTO t_rollback (id, name) VALUES ($1, $2)", row);
    if (!inserted) co_return inserted.error();
    co_return make_error(Errc::kInvalidInput, "business rule failed after the insert");
  }));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, Errc::kInvalidInput);
  auto count = util::run_sync(count_rows(db, "t_rollback"));
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 0);

  auto committed = util::run_sync(db.transaction([](db::Lease& tx) -> net::awaitable<Result<int>> {
    db::Params row{std::int64_t{2}, std::string("kept")};
    auto inserted = co_await tx.execute("INSERT INTO t_rollback (id, name) VALUES ($1, $2)", row);
    if (!inserted) co_return inserted.error();
    co_return 1;
  }));
  ASSERT_TRUE(committed);
  count = util::run_sync(count_rows(db, "t_rollback"));
  EXPECT_EQ(*count, 1);
}

inline void expect_unique_violation_is_conflict(db::Database& db) {
  ASSERT_TRUE(util::run_sync(db.execute("CREATE TABLE t_unique (code VARCHAR(20) PRIMARY KEY)")));
  db::Params code{std::string("GRN-1")};
  ASSERT_TRUE(util::run_sync(db.execute("INSERT INTO t_unique (code) VALUES ($1)", code)));
  auto again = util::run_sync(db.execute("INSERT INTO t_unique (code) VALUES ($1)", code));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kConflict) << again.error().detail;
}

inline void expect_parameters_bind_by_number(db::Database& db) {
  db::Params params{std::string("b"), std::int64_t{7}, nullptr, 2.5, true};
  auto rows = util::run_sync(db.execute("SELECT $2, $1, $3, $4, $5", params));
  ASSERT_TRUE(rows) << rows.error().detail;
  auto row = rows->front();
  EXPECT_EQ(row.int64(0), 7);
  EXPECT_EQ(row.string(1), "b");
  EXPECT_TRUE(row.is_null(2));
  EXPECT_DOUBLE_EQ(row.number(3), 2.5);
  EXPECT_TRUE(row.boolean(4));
}

// Requires a pool of size 1 and a short acquire timeout.
inline void expect_pool_exhaustion_times_out(db::Database& db) {
  auto outcome = util::run_sync([&db]() -> net::awaitable<Result<int>> {
    auto held = co_await db.acquire();
    if (!held) co_return held.error();
    auto second = co_await db.acquire();
    if (second) co_return 2;
    co_return second.error();
  }());
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, Errc::kTimeout);
  // The held connection went back to the pool: the next acquire succeeds.
  auto after = util::run_sync(db.execute("SELECT 1"));
  EXPECT_TRUE(after);
}

inline net::awaitable<bool> acquire_succeeds(db::Database& db) {
  auto lease = co_await db.acquire();
  co_return static_cast<bool>(lease);
}

inline net::awaitable<bool> use_then_release(db::Lease lease) {
  auto ran = co_await lease.execute("SELECT 1");
  co_return static_cast<bool>(ran);  // the lease returns to the pool here
}

// Requires a pool of size 1. The second user waits in the pool and is handed the
// connection when the first releases it, well within the acquire timeout.
inline void expect_waiter_gets_released_connection(db::Database& db) {
  using namespace boost::asio::experimental::awaitable_operators;
  auto outcome = util::run_sync([&db]() -> net::awaitable<Result<bool>> {
    auto first = co_await db.acquire();
    if (!first) co_return first.error();
    auto [waited, used] = co_await (acquire_succeeds(db) && use_then_release(std::move(*first)));
    co_return waited && used;
  }());
  ASSERT_TRUE(outcome) << outcome.error().detail;
  EXPECT_TRUE(*outcome);
}

}  // namespace fruitpak::testing
