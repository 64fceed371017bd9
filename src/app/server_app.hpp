#pragma once
// The composition root of `fruitpak serve`: config -> pools -> services -> routes -> server.
// Also used by the HTTP test tier to run the real server in process on an ephemeral port.

#include "config/config.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "util/asio.hpp"
#include "util/blocking_pool.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <functional>
#include <memory>

namespace fruitpak::db {
class Database;
}
namespace fruitpak::services {
class BatchService;
class EnterpriseDirectory;
class IdempotencyService;
class GrowerService;
class HealthService;
class PackhouseService;
class LabourService;
class PaymentService;
class UserAdminService;
class LotService;
class PalletService;
class ContainerService;
class ExportService;
class InvoiceService;
class CreditService;
class ReconciliationService;
class ReconciliationScheduler;
class WizardService;
namespace auth {
class AuthService;
class RevocationRegistry;
class RevocationSync;
class SmsSender;
class TokenService;
}  // namespace auth
}  // namespace fruitpak::services
namespace fruitpak::api {
class Guard;
}
namespace fruitpak::cache {
class RedisPool;
class ResponseCache;
class L2UsageSampler;
class L2EvictionCounter;
struct CacheOptions;
}

namespace fruitpak::app {

// The response cache's options from the configuration; the version defaults to
// "m<last migration>s<serializer version>" (CACHE_VERSION overrides it).
cache::CacheOptions cache_options(const config::Config& config);

class ServerApp {
 public:
  // Builds every component and, unless config.migrate_on_start is false, migrates the
  // database. Throws std::runtime_error on a start-up failure (database unreachable,
  // migration failed).
  explicit ServerApp(config::Config config);
  ~ServerApp();

  // Binds and starts serving; throws if the address cannot be bound.
  void start(bool handle_signals);
  std::uint16_t port() const { return server_->port(); }
  // Graceful shutdown (see http::Server::stop) and wait for it.
  void stop();
  // start(true), then block until a signal has shut the server down. Returns 0.
  int run();

  // Loads every cached list route of every active, onboarded enterprise into the cache
  // (L1 of this process, and Redis). `progress(done, total)` counts enterprises.
  struct WarmReport {
    std::size_t enterprises = 0;
    std::size_t responses = 0;  // routes that answered 200 and are now cached
  };
  [[nodiscard]] net::awaitable<Result<WarmReport>> warm_cache(std::function<void(std::size_t, std::size_t)> progress);

  http::Router& router() { return router_; }
  db::Database& database() { return *db_; }
  services::auth::AuthService& auth() { return *auth_; }
  api::Guard& guard() { return *guard_; }
  // Null when CACHE_ENABLED=0.
  cache::ResponseCache* response_cache() { return cache_.get(); }

 private:
  config::Config config_;
  util::BlockingPool blocking_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<services::HealthService> health_;
  std::unique_ptr<services::auth::RevocationRegistry> revoked_;
  std::unique_ptr<services::auth::RevocationSync> revocation_sync_;
  std::unique_ptr<services::auth::TokenService> tokens_;
  std::unique_ptr<services::auth::SmsSender> sms_;
  std::unique_ptr<services::auth::AuthService> auth_;
  std::unique_ptr<services::EnterpriseDirectory> enterprises_;
  std::unique_ptr<services::IdempotencyService> idempotency_;
  std::unique_ptr<services::PackhouseService> packhouses_;
  std::unique_ptr<services::GrowerService> growers_;
  std::unique_ptr<services::WizardService> wizard_;
  std::unique_ptr<services::PaymentService> payments_;
  std::unique_ptr<services::LabourService> labour_;
  std::unique_ptr<services::UserAdminService> user_admin_;
  std::unique_ptr<services::BatchService> batches_;
  std::unique_ptr<services::LotService> lots_;
  std::unique_ptr<services::PalletService> pallets_;
  std::unique_ptr<services::ContainerService> containers_;
  std::unique_ptr<services::ExportService> exports_;
  std::unique_ptr<services::InvoiceService> invoices_;
  std::unique_ptr<services::CreditService> credits_;
  std::unique_ptr<services::ReconciliationService> reconciliation_;
  std::unique_ptr<services::ReconciliationScheduler> reconciliation_scheduler_;
  std::unique_ptr<cache::RedisPool> redis_pool_;
  std::unique_ptr<cache::ResponseCache> cache_;
  std::unique_ptr<cache::L2UsageSampler> l2_usage_;        // /metrics' Redis figures
  std::unique_ptr<cache::L2EvictionCounter> l2_evictions_;  // fed by Redis's evicted-key events
  std::unique_ptr<api::Guard> guard_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace fruitpak::app
