#include "app/server_app.hpp"

#include "api/health_api.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "services/health_service.hpp"
#include "util/run_sync.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace fruitpak::app {
namespace {

http::ServerOptions server_options(const config::Config& c) {
  http::ServerOptions o;
  o.host = c.host;
  o.port = c.port;
  o.threads = c.threads;
  o.body_limit_bytes = c.body_limit_bytes;
  o.header_timeout = c.header_timeout;
  o.idle_timeout = c.idle_timeout;
  o.shutdown_grace = c.shutdown_grace;
  o.allowed_origins = c.allowed_origins;
  o.production = c.environment == "production";
  o.test_mode = c.test_mode;
  return o;
}

}  // namespace

ServerApp::ServerApp(config::Config config)
    : config_(std::move(config)), blocking_(4), db_(db::open_database(config_, blocking_)) {
  if (config_.migrate_on_start) {
    auto applied = util::run_sync(db::migrate(*db_));
    if (!applied) throw std::runtime_error("migration failed: " + applied.error().detail);
  }
  health_ = std::make_unique<services::HealthService>(config_.environment, *db_, config_.redis);
  api::register_health_routes(router_, *health_);
  server_ = std::make_unique<http::Server>(server_options(config_), router_);
}

ServerApp::~ServerApp() {
  if (server_) {
    server_->stop();
    server_->wait();
  }
}

void ServerApp::start(bool handle_signals) {
  server_->start(handle_signals);
  spdlog::info("fruitpak listening on http://{}:{} ({} thread(s), database {}, redis {})", config_.host,
               server_->port(), config_.threads, config_.database.redacted,
               config_.redis ? config_.redis->redacted : std::string("off"));
}

void ServerApp::stop() {
  server_->stop();
  server_->wait();
}

int ServerApp::run() {
  start(true);
  server_->wait();
  spdlog::info("fruitpak stopped");
  return 0;
}

}  // namespace fruitpak::app
