#pragma once
// GRN intake and batches (contract 2.6; decisions D8, D10, D12). Every write is one
// transaction: a refused request leaves nothing behind. Safe for concurrent use.

#include "domain/account.hpp"
#include "domain/batch.hpp"
#include "domain/page.hpp"
#include "util/asio.hpp"
#include "util/query_counter.hpp"
#include "util/result.hpp"

#include <functional>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services {

struct GrnInput {
  std::string grower_id;
  std::string packhouse_id;
  std::string fruit_type;
  std::optional<std::string> variety;
  std::optional<std::string> harvest_date;
  std::optional<double> gross_weight_kg;
  double tare_weight_kg = 0;
  std::optional<std::int64_t> bin_count;
  std::optional<std::string> bin_type;
  std::optional<std::string> harvest_team_id;
  std::optional<std::string> delivery_notes;
  std::optional<std::string> quality_grade;
  std::optional<double> arrival_temp_c;
  std::optional<double> brix_reading;
  std::optional<std::string> quality_assessment_json;
};

// Applies the keys a PATCH sent to a batch (absent = unchanged, null = cleared).
using BatchPatch = std::function<void(domain::Batch&)>;

class BatchService {
 public:
  explicit BatchService(db::Database& db) : db_(db) {}

  // 422 "Grower not found or inactive: <id>" / "Packhouse not found: <id>" /
  // "Harvest team not found: <id>".
  [[nodiscard]] net::awaitable<Result<domain::GrnReceipt>> intake(domain::TenantId tenant, std::string user_id,
                                                                  GrnInput input, util::QueryCounter* counter);
  // Offset page, or keyset page continuing after `after` (D9).
  [[nodiscard]] net::awaitable<Result<domain::BatchListing>> list(domain::TenantId tenant, domain::BatchFilter filter,
                                                                 domain::PageRequest page,
                                                                 std::optional<domain::BatchKey> after,
                                                                 util::QueryCounter* counter);
  // kNotFound "Batch not found" for unknown, deleted and other tenants' ids alike.
  [[nodiscard]] net::awaitable<Result<domain::BatchDetail>> detail(domain::TenantId tenant, std::string id,
                                                                  util::QueryCounter* counter);
  // Applies `patch`, recomputes net weight when a weight was sent, records who changed
  // what in the history, keeps the status counts; returns the detail shape (D10).
  [[nodiscard]] net::awaitable<Result<domain::BatchDetail>> update(domain::TenantId tenant, std::string user_id,
                                                                  std::string id, BatchPatch patch, bool weight_sent,
                                                                  util::QueryCounter* counter);

 private:
  db::Database& db_;
};

}  // namespace fruitpak::services
