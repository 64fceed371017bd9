#pragma once
// Where a repository's statements run: on pooled connections (one per statement), or on
// the connection of an open transaction. Cheap to copy; does not own what it points to.
// Repositories are free functions taking a Runner, so the same code serves both cases.

#include "db/database.hpp"

namespace fruitpak::db {

class Runner {
 public:
  Runner(Database& db, util::QueryCounter* counter) : db_(&db), counter_(counter) {}
  explicit Runner(Lease& transaction) : transaction_(&transaction) {}

  [[nodiscard]] net::awaitable<Result<Rows>> execute(std::string_view sql, Params params = {}) const {
    if (transaction_) return transaction_->execute(sql, std::move(params));
    return db_->execute(sql, std::move(params), counter_);
  }

 private:
  Database* db_ = nullptr;
  util::QueryCounter* counter_ = nullptr;
  Lease* transaction_ = nullptr;
};

// A statement whose rows do not matter (INSERT, UPDATE, DELETE without RETURNING). The
// Runner is taken by value so the returned awaitable owns it.
[[nodiscard]] inline net::awaitable<Result<void>> run_statement(Runner run, std::string_view sql, Params params) {
  auto rows = co_await run.execute(sql, std::move(params));
  if (!rows) co_return rows.error();
  co_return Result<void>{};
}

}  // namespace fruitpak::db
