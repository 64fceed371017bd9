#include "app/commands.hpp"

#include "app/server_app.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "services/demo_loader.hpp"
#include "util/blocking_pool.hpp"
#include "util/progress_bar.hpp"
#include "util/run_sync.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string_view>

namespace fruitpak::app {
namespace {

static_assert(BenchDataOptions::kMaxBatches == services::kMaxBenchBatches);

// A progress callback that draws a bar once the first rows are written. Reset the bar
// (its finishing line) before printing anything else.
services::SeasonProgress progress_into(std::optional<util::ProgressBar>& bar, std::string label) {
  return [&bar, label](std::int64_t done, std::int64_t total) {
    if (!bar) bar.emplace(label, "rows", total);
    bar->set_total(total);
    bar->update(done);
  };
}

// "2,000 batches, 5,012 lots, ..." for the tables people look at first.
std::string season_line(const services::SeasonSummary& season) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kShown{{
      {"growers", "growers"},
      {"batches", "batches"},
      {"lots", "lots"},
      {"pallets", "pallets"},
      {"containers", "containers"},
      {"exports", "exports"},
      {"client_invoices", "invoices"},
      {"grower_payments", "grower payments"},
      {"labour_costs", "labour costs"},
  }};
  std::string line;
  for (const auto& [table, name] : kShown) {
    const auto count = season.count(table);
    if (count == 0) continue;
    line += fmt::format("{}{} {}", line.empty() ? "" : ", ", util::group_thousands(count), name);
  }
  return line + fmt::format(" ({} rows in all)", util::group_thousands(season.rows()));
}

}  // namespace

Result<void> prepare_sqlite_directory(const config::Config& config) {
  if (config.database.engine != config::DatabaseEngine::kSqlite) return {};
  const std::filesystem::path path(config.database.sqlite_path);
  if (path == ":memory:" || !path.has_parent_path()) return {};
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    return make_error(Errc::kUnavailable, "cannot create directory " + path.parent_path().string() +
                                              ": " + ec.message());
  }
  return {};
}

int run_migrate(const config::Config& config) {
  if (auto dir = prepare_sqlite_directory(config); !dir) {
    spdlog::error("{}", dir.error().detail);
    return 1;
  }
  util::BlockingPool blocking(2);
  auto db = db::open_database(config, blocking);
  auto applied = util::run_sync(db::migrate(*db));
  if (!applied) {
    spdlog::error("migration failed on {}: {}", config.database.redacted, applied.error().detail);
    return 1;
  }
  auto version = util::run_sync(db::schema_version(*db));
  spdlog::info("database {} is at schema version {} ({} migration(s) applied now)",
               config.database.redacted, version ? *version : "?", *applied);
  return 0;
}

int run_demo(const config::Config& config) {
  if (int migrated = run_migrate(config); migrated != 0) return migrated;
  util::BlockingPool blocking(2);
  auto db = db::open_database(config, blocking);
  std::optional<util::ProgressBar> bar;
  auto outcome =
      util::run_sync(services::load_demo(*db, blocking, config.bcrypt_cost, progress_into(bar, "demo season")));
  bar.reset();
  if (!outcome) {
    spdlog::error("loading demo data failed: {}", outcome.error().detail);
    return 1;
  }
  std::cout << (outcome->created ? "Demo data loaded: " : "Demo data already present: ")
            << outcome->enterprise_name << "\n";
  if (!outcome->season.tables.empty()) std::cout << "  season: " << season_line(outcome->season) << "\n";
  for (const auto& login : outcome->logins) {
    std::cout << "  " << login.role << " login: " << login.email << " / " << login.password << "\n";
  }
  return 0;
}

int run_bench_data(const config::Config& config, const BenchDataOptions& options) {
  if (int migrated = run_migrate(config); migrated != 0) return migrated;
  // One transaction writes the whole set; no single statement of it should hit the
  // server's statement timeout meant for requests.
  auto bulk = config;
  bulk.db_statement_timeout = std::chrono::milliseconds(0);
  util::BlockingPool blocking(2);
  auto db = db::open_database(bulk, blocking);
  const services::BenchRequest request{options.batches, options.seed, config.bcrypt_cost};
  std::optional<util::ProgressBar> bar;
  const auto started = std::chrono::steady_clock::now();
  auto outcome = util::run_sync(services::load_bench(*db, blocking, request, progress_into(bar, "bench-data")));
  bar.reset();
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  if (!outcome) {
    spdlog::error("generating bench data failed: {}", outcome.error().detail);
    return 1;
  }
  if (outcome->created) {
    std::cout << fmt::format("Bench data loaded: {}, {} batches in {:.1f} s on {}\n", outcome->enterprise_name,
                             util::group_thousands(outcome->batches), elapsed.count(), config.database.redacted)
              << "  created: " << season_line(outcome->season) << "\n";
  } else {
    std::cout << fmt::format("Bench data already present: {}, {} batches; nothing changed (use an empty "
                             "database for another size)\n",
                             outcome->enterprise_name, util::group_thousands(outcome->batches));
  }
  std::cout << "  " << outcome->login.role << " login: " << outcome->login.email << " / " << outcome->login.password
            << "\n";
  return 0;
}

int run_serve(const config::Config& config) {
  if (auto dir = prepare_sqlite_directory(config); !dir) {
    spdlog::error("{}", dir.error().detail);
    return 1;
  }
  try {
    ServerApp app(config);
    return app.run();
  } catch (const std::exception& e) {
    spdlog::critical("cannot start: {}", e.what());
    return 1;
  }
}

}  // namespace fruitpak::app
