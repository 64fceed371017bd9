#include "app/server_app.hpp"

#include "api/auth_api.hpp"
#include "api/guard.hpp"
#include "api/health_api.hpp"
#include "api/batches_api.hpp"
#include "api/cache_api.hpp"
#include "api/metrics_api.hpp"
#include "api/openapi.hpp"
#include "api/growers_api.hpp"
#include "api/wizard_api.hpp"
#include "services/batch_service.hpp"
#include "api/packhouses_api.hpp"
#include "api/labour_api.hpp"
#include "api/reconciliation_api.hpp"
#include "api/lots_api.hpp"
#include "api/containers_api.hpp"
#include "api/pallets_api.hpp"
#include "api/exports_api.hpp"
#include "api/invoices_api.hpp"
#include "api/payments_api.hpp"
#include "api/users_api.hpp"
#include "cache/l2_usage.hpp"
#include "cache/redis_pool.hpp"
#include "cache/redis_subscriber.hpp"
#include "cache/response_cache.hpp"
#include "db/migration_files.hpp"
#include "json/values.hpp"
#include "services/grower_service.hpp"
#include "services/wizard_service.hpp"
#include "services/packhouse_service.hpp"
#include "services/labour_service.hpp"
#include "services/reconciliation_scheduler.hpp"
#include "services/reconciliation_service.hpp"
#include "services/lot_service.hpp"
#include "services/container_service.hpp"
#include "services/pallet_service.hpp"
#include "services/export_service.hpp"
#include "services/invoice_service.hpp"
#include "services/payment_service.hpp"
#include "services/user_admin_service.hpp"
#include "services/auth/auth_service.hpp"
#include "services/auth/revocation_registry.hpp"
#include "services/auth/revocation_sync.hpp"
#include "services/auth/sms_sender.hpp"
#include "services/auth/token_service.hpp"
#include "services/enterprise_directory.hpp"
#include "services/idempotency_service.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "services/health_service.hpp"
#include "util/log_throttle.hpp"
#include "util/run_sync.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include <atomic>

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

services::auth::AuthSettings auth_settings(const config::Config& c, bool sms_delivers) {
  services::auth::AuthSettings s;
  s.bcrypt_cost = c.bcrypt_cost;
  s.otp_lifetime = std::chrono::seconds(c.otp_expiry_seconds);
  s.expose_dev_code = !sms_delivers && c.environment != "production";
  s.otp_key = c.secret_key;
  s.login_failures = {c.login_failures_per_account, std::chrono::seconds(15 * 60)};
  return s;
}

api::RateLimits rate_limits(const config::Config& c) {
  api::RateLimits r;
  r.user = {c.rate_limit_user_per_minute, std::chrono::seconds(60)};
  r.anonymous = {c.rate_limit_anonymous_per_minute, std::chrono::seconds(60)};
  r.login = {c.rate_limit_login_per_minute, std::chrono::seconds(60)};
  r.registration = {c.rate_limit_register_per_5_minutes, std::chrono::seconds(300)};
  r.trust_forwarded_for = c.trust_forwarded_for;
  return r;
}

// CACHE_VERSION, or one derived from the newest migration and the serializers' version:
// a deployment that changes either reads and writes keys of its own (blue/green).

// How often each instance re-reads recent revocations from the database, as a fallback to
// the Redis broadcast (and the only channel without Redis).
constexpr std::chrono::milliseconds kRevocationPoll{2000};

}  // namespace

cache::CacheOptions cache_options(const config::Config& c) {
  cache::CacheOptions o;
  o.version = c.cache_version;
  if (o.version.empty()) {
    const auto& files = db::embedded_migration_files();
    o.version = "m" + std::string(files.empty() ? "0" : files.back().name.substr(0, 4)) + "s" +
                std::to_string(json::kSerializerVersion);
  }
  o.l1_bytes = static_cast<std::size_t>(c.cache_l1_bytes);
  o.l1_tenant_share = c.cache_l1_tenant_share_percent / 100.0;
  o.failsafe = std::chrono::seconds(c.cache_failsafe_seconds);
  return o;
}

ServerApp::ServerApp(config::Config config)
    : config_(std::move(config)), blocking_(4), db_(db::open_database(config_, blocking_)) {
  if (config_.migrate_on_start) {
    auto applied = util::run_sync(db::migrate(*db_));
    if (!applied) throw std::runtime_error("migration failed: " + applied.error().detail);
  }
  revoked_ = std::make_unique<services::auth::RevocationRegistry>();
  revocation_sync_ = std::make_unique<services::auth::RevocationSync>(*db_, *revoked_, config_.redis, kRevocationPoll);
  if (auto loaded = util::run_sync(revocation_sync_->load()); !loaded) {
    throw std::runtime_error("cannot load the token revocation list: " + loaded.error().detail);
  }
  tokens_ = std::make_unique<services::auth::TokenService>(
      services::auth::TokenSettings{config_.secret_key, std::chrono::minutes(config_.access_token_expire_minutes),
                                    std::chrono::hours(24 * config_.refresh_token_expire_days)},
      *revoked_);
  sms_ = services::auth::make_sms_sender(config_);
  auth_ = std::make_unique<services::auth::AuthService>(auth_settings(config_, sms_->delivers()), *db_, blocking_,
                                                        *tokens_, *revocation_sync_, *sms_);
  enterprises_ = std::make_unique<services::EnterpriseDirectory>(*db_);
  wizard_ = std::make_unique<services::WizardService>(*db_, *enterprises_);
  idempotency_ = std::make_unique<services::IdempotencyService>(*db_);
  if (config_.cache_enabled) {
    if (config_.redis) {
      cache::RedisPoolOptions options;
      options.size = static_cast<std::size_t>(config_.redis_pool_size);
      options.command_timeout = std::chrono::milliseconds(config_.redis_command_timeout_ms);
      redis_pool_ = std::make_unique<cache::RedisPool>(*config_.redis, options);
    }
    cache_ = std::make_unique<cache::ResponseCache>(cache_options(config_), redis_pool_.get());
    // Invalidations published while Redis was unreachable are lost: start over.
    if (redis_pool_) redis_pool_->on_reconnect([c = cache_.get()] { c->forget_local(); });
  }
  // After the cache: readiness reports the cache's Redis pool and circuit breaker.
  health_ = std::make_unique<services::HealthService>(config_, *db_, redis_pool_.get());
  guard_ = std::make_unique<api::Guard>(*tokens_, *enterprises_, *idempotency_, rate_limits(config_), cache_.get());

  api::register_health_routes(router_, *health_);
  api::register_auth_routes(router_, *guard_, *auth_);
  api::register_enterprise_routes(router_, *guard_, *auth_);

  packhouses_ = std::make_unique<services::PackhouseService>(*db_);
  api::register_packhouse_routes(router_, *guard_, *packhouses_);
  growers_ = std::make_unique<services::GrowerService>(*db_);
  api::register_grower_routes(router_, *guard_, *growers_);
  api::register_wizard_routes(router_, *guard_, *wizard_);
  payments_ = std::make_unique<services::PaymentService>(*db_);
  api::register_payment_routes(router_, *guard_, *payments_);
  labour_ = std::make_unique<services::LabourService>(*db_);
  api::register_labour_routes(router_, *guard_, *labour_);
  user_admin_ = std::make_unique<services::UserAdminService>(*db_, *auth_);
  api::register_user_admin_routes(router_, *guard_, *user_admin_);
  batches_ = std::make_unique<services::BatchService>(*db_);
  api::register_batch_routes(router_, *guard_, *batches_);
  lots_ = std::make_unique<services::LotService>(*db_);
  api::register_lot_routes(router_, *guard_, *lots_);
  reconciliation_ = std::make_unique<services::ReconciliationService>(*db_, services::tolerances_from(config_));
  api::register_reconciliation_routes(router_, *guard_, *reconciliation_);
  pallets_ = std::make_unique<services::PalletService>(*db_);
  api::register_pallet_routes(router_, *guard_, *pallets_);
  containers_ = std::make_unique<services::ContainerService>(*db_);
  api::register_container_routes(router_, *guard_, *containers_);
  exports_ = std::make_unique<services::ExportService>(*db_);
  api::register_export_routes(router_, *guard_, *exports_);
  invoices_ = std::make_unique<services::InvoiceService>(*db_);
  credits_ = std::make_unique<services::CreditService>(*db_);
  api::register_invoice_routes(router_, *guard_, *invoices_, *credits_);
  // The server is built before /metrics and the cache routes so they can read its HTTP
  // metrics; it reads the router only from start(), so routes may still be added here.
  server_ = std::make_unique<http::Server>(server_options(config_), router_);
  api::register_cache_routes(router_, *guard_, cache_.get(), &server_->metrics());
  if (cache_ && cache_->l2()) {
    l2_usage_ = std::make_unique<cache::L2UsageSampler>(
        *cache_->l2(), cache_->keys(), std::chrono::seconds(config_.metrics_redis_sample_seconds));
    l2_evictions_ = std::make_unique<cache::L2EvictionCounter>(cache_->keys());
  }
  api::register_metrics_route(
      router_, {cache_.get(), db_.get(), guard_.get(), &server_->metrics(), l2_usage_.get(), l2_evictions_.get()},
      config_.metrics_token);
  // Last: the OpenAPI document is built from every route registered before it.
  api::register_docs_routes(router_);
}

ServerApp::~ServerApp() {
  if (server_) {
    server_->stop();
    server_->wait();
  }
}

void ServerApp::start(bool handle_signals) {
  server_->start(handle_signals);
  revocation_sync_->start(server_->executor());
  if (config_.recon_schedule) {
    reconciliation_scheduler_ = std::make_unique<services::ReconciliationScheduler>(*reconciliation_, *enterprises_,
                                                                                   config_.recon_hour,
                                                                                   config_.recon_catch_up);
    reconciliation_scheduler_->start(server_->executor());
  }
  if (cache_ && config_.redis) {
    auto* cache = cache_.get();
    auto warnings = std::make_shared<util::LogThrottle>(std::chrono::seconds(30));
    cache::Subscription subscription{
        cache->channel(), [cache](const std::string& payload) { cache->apply_published(payload); },
        [cache] { cache->forget_local(); },
        [warnings](const std::string& problem) {
          if (warnings->allow()) {
            spdlog::warn("cache invalidation channel: {} (other instances' writes reach this one's L1 "
                         "only through it)", problem);
          }
        }};
    net::co_spawn(server_->executor(), cache::listen_forever(*config_.redis, std::move(subscription)), net::detached);
    // Redis's evicted-key events, when it is configured to publish them (cache/l2_usage.hpp).
    // A node publishes its own events only, so in a cluster each node of the URL is heard.
    auto* evictions = l2_evictions_.get();
    std::vector<config::RedisUrl> event_sources;
    for (const auto& node : config_.redis->cluster_nodes) event_sources.push_back(cache::cluster_node_url(*config_.redis, node));
    if (event_sources.empty()) event_sources.push_back(*config_.redis);
    for (auto& source : event_sources) {
      cache::Subscription evicted{cache::L2EvictionCounter::channel(source.db),
                                  [evictions](const std::string& key) { evictions->evicted(key); }, [] {},
                                  [warnings](const std::string& problem) {
                                    if (warnings->allow()) spdlog::warn("redis eviction events: {}", problem);
                                  }};
      net::co_spawn(server_->executor(), cache::listen_forever(std::move(source), std::move(evicted)), net::detached);
    }
  }
  if (cache_ && config_.cache_warm_on_start) {
    // In the background: the server answers meanwhile (misses load as usual).
    net::co_spawn(server_->executor(), [this]() -> net::awaitable<void> {
      const auto started = std::chrono::steady_clock::now();
      auto report = co_await warm_cache(nullptr);
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
      if (report) {
        spdlog::info("cache warmed: {} responses for {} enterprise(s) in {:.1f} s", report->responses,
                     report->enterprises, took.count());
      } else {
        spdlog::warn("cache warm-up stopped: {}", report.error().detail);
      }
    }, net::detached);
  }
  spdlog::info("fruitpak listening on http://{}:{} ({} thread(s), database {}, redis {})", config_.host,
               server_->port(), config_.threads, config_.database.redacted,
               config_.redis ? config_.redis->redacted : std::string("off"));
}

net::awaitable<Result<ServerApp::WarmReport>> ServerApp::warm_cache(
    std::function<void(std::size_t, std::size_t)> progress) {
  WarmReport report;
  if (!cache_) co_return report;
  auto tenants = co_await enterprises_->onboarded_tenants();
  if (!tenants) co_return tenants.error();
  for (const auto& tenant : *tenants) {
    report.responses += co_await guard_->warm(tenant);
    ++report.enterprises;
    if (progress) progress(report.enterprises, tenants->size());
  }
  co_return report;
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
