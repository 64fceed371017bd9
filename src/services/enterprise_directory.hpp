#pragma once
// Answers "has this tenant finished onboarding?" in process (the original read the database
// on every request). Completion never reverts, so a "yes" is kept for good; a "no" is kept
// a few seconds, so that another instance's wizard completion shows up quickly.
// Safe for concurrent use.

#include "domain/account.hpp"
#include "util/asio.hpp"
#include "util/result.hpp"

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services {

class EnterpriseDirectory {
 public:
  explicit EnterpriseDirectory(db::Database& db, std::chrono::seconds negative_ttl = std::chrono::seconds(5));

  // kNotFound if the enterprise does not exist.
  [[nodiscard]] net::awaitable<Result<bool>> is_onboarded(domain::TenantId tenant);

  // The active enterprises that completed onboarding (what the cache warmer walks).
  [[nodiscard]] net::awaitable<Result<std::vector<domain::TenantId>>> onboarded_tenants();

  // Called by the wizard after it set is_onboarded in the database.
  void mark_onboarded(const domain::TenantId& tenant);

 private:
  struct Entry {
    bool onboarded = false;
    std::chrono::steady_clock::time_point checked_at;
  };
  db::Database& db_;
  std::chrono::seconds negative_ttl_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace fruitpak::services
