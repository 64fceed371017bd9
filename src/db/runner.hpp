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

}  // namespace fruitpak::db
