#include "app/commands.hpp"

#include "app/server_app.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "services/demo_loader.hpp"
#include "util/blocking_pool.hpp"
#include "util/run_sync.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

namespace fruitpak::app {

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
  auto outcome = util::run_sync(services::load_demo(*db, blocking, config.bcrypt_cost));
  if (!outcome) {
    spdlog::error("loading demo data failed: {}", outcome.error().detail);
    return 1;
  }
  std::cout << (outcome->created ? "Demo data loaded: " : "Demo data already present: ")
            << outcome->enterprise_name << "\n";
  for (const auto& login : outcome->logins) {
    std::cout << "  " << login.role << " login: " << login.email << " / " << login.password << "\n";
  }
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
