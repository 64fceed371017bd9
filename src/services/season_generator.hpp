#pragma once
// Generated packhouse data for one tenant (issue 5 item 6): a realistic citrus season for
// `fruitpak demo`, or a large set of batches for `fruitpak bench-data`.
//
// Deterministic: the same options (profile, seed, last day, size) give the same rows, codes,
// weights and dates on every run. Only the ids also depend on the tenant, so two tenants
// generated with one seed in one database never share a primary key.
//
// Rows go through Lease::bulk_insert (COPY on PostgreSQL) in chunks of at most
// kSeasonChunkRows, so memory stays bounded at any batch count. Every code sequence written
// (GRN-, PAL-, CONT-, PAY- per day, lot codes per batch) leaves its code_counters row at the
// last number used, and the batch day counts are rebuilt, so the API carries on from the
// generated data without collisions.

#include "domain/account.hpp"
#include "util/asio.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fruitpak::db {
class Lease;
}

namespace fruitpak::services {

enum class SeasonProfile {
  // ~2,000 GRNs over a 26-week citrus season with everything that follows from them, plus a
  // few deliberate mismatches of each reconciliation kind (see DemoMismatches).
  kDemo,
  // `batches` GRNs over ~2 seasons (730 days), with the packhouses, growers and harvest
  // teams they refer to. No history, lots or finance rows: the benchmarks read batches.
  kBench,
};

inline constexpr std::int64_t kSeasonChunkRows = 10'000;
inline constexpr std::int64_t kMaxBenchBatches = 10'000'000;
inline constexpr std::int64_t kDemoBatches = 2'000;

// How many records of each reconciliation finding the demo season plants on purpose. The
// rest of the demo data is consistent, so a reconciliation run finds exactly these.
struct DemoMismatches {
  static constexpr int kLotVsBatch = 3;         // packed lots far below the batch's net weight
  static constexpr int kGrnVsPayment = 2;       // growers paid for a different kg than received
  static constexpr int kUnpaidGrowers = 2;      // growers with complete batches and no payment
  static constexpr int kExportVsInvoice = 2;    // invoice total differs from the export value
  static constexpr int kPalletVsContainer = 2;  // container pallet_count != allocated pallets
  static constexpr int kLabourVsCost = 3;       // total != hours x rate x headcount
  static constexpr int kLabourWithoutHours = 1; // a cost recorded without hours or rate
};

struct SeasonOptions {
  SeasonProfile profile = SeasonProfile::kDemo;
  std::uint64_t seed = 2026;
  std::int64_t batches = kDemoBatches;  // kBench: 1..kMaxBenchBatches; kDemo: ignored
  std::string last_day;                 // YYYY-MM-DD, the newest intake day (UTC); "" = yesterday
  std::string user_id;                  // stored as received_by, recorded_by, created_by; "" = null
  std::string company_name;             // kDemo: the company profile's trading name
};

// Rows written per table, in load order.
struct SeasonSummary {
  std::vector<std::pair<std::string, std::int64_t>> tables;

  std::int64_t rows() const;
  std::int64_t count(std::string_view table) const;  // 0 for a table not written
  void add(std::string_view table, std::int64_t rows);
};

// Called after every chunk with the rows written so far and the rows planned in all.
using SeasonProgress = std::function<void(std::int64_t done, std::int64_t total)>;

// Writes one generated data set for `tenant` on `tx`, which must be inside
// Database::transaction; the caller commits. Requires the tenant's enterprise row, and a
// tenant without generated data yet (ids and codes would collide). Returns kInvalidInput
// for a bad option (batch count out of range, malformed last_day), else database errors
// as they come.
[[nodiscard]] net::awaitable<Result<SeasonSummary>> generate_season(db::Lease& tx, domain::TenantId tenant,
                                                                    SeasonOptions options, SeasonProgress progress);

}  // namespace fruitpak::services
