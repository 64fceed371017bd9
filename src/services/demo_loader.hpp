#pragma once
// `fruitpak demo` and `fruitpak bench-data`: enterprises with generated data to try the API
// with or to measure it. Both create the enterprise (onboarded) and its logins, then a data
// set from services/season_generator.hpp, all in one transaction.

#include "services/season_generator.hpp"
#include "util/asio.hpp"
#include "util/blocking_pool.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services {

struct DemoLogin {
  std::string role;
  std::string email;
  std::string password;
};

struct DemoOutcome {
  bool created = false;  // false: the demo data was already there and nothing changed
  std::string enterprise_name;
  std::vector<DemoLogin> logins;
  SeasonSummary season;  // rows written now (empty when nothing changed)
};

// The demo enterprise "Demo Citrus Packhouse", its administrator and operator, and a
// generated citrus season (SeasonProfile::kDemo, ending yesterday). Idempotent: when the
// logins and the season exist it changes nothing. A demo enterprise from before the
// season existed (logins, no growers) gets its season added.
[[nodiscard]] net::awaitable<Result<DemoOutcome>> load_demo(db::Database& db, util::BlockingPool& blocking,
                                                            int bcrypt_cost, SeasonProgress progress = {});

struct BenchRequest {
  std::int64_t batches = 1'000'000;  // 1..kMaxBenchBatches
  std::uint64_t seed = 2026;
  int bcrypt_cost = 12;
};

struct BenchOutcome {
  bool created = false;  // false: the bench enterprise already had its data; nothing changed
  std::string enterprise_name;
  DemoLogin login;
  std::int64_t batches = 0;  // batches of the bench enterprise (generated now or found)
  SeasonSummary season;
};

// The enterprise "Bench Packhouse" with the administrator bench@bench.example and
// `batches` generated GRNs (SeasonProfile::kBench). If the bench administrator exists
// already, nothing is generated and the outcome reports its enterprise as found.
// kInvalidInput for a batch count out of range.
[[nodiscard]] net::awaitable<Result<BenchOutcome>> load_bench(db::Database& db, util::BlockingPool& blocking,
                                                              BenchRequest request, SeasonProgress progress = {});

}  // namespace fruitpak::services
