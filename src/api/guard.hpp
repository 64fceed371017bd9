#pragma once
// Who may call a route, and how often. Every API route is registered through a Guard,
// which wraps its handler: it reads the bearer token (verified in process, no I/O), applies
// the rate limit of the route's class (decision D3), then the route's access rule
// (decision D7: 401 "Not authenticated" without a token, 400 "No tenant context ..." for a
// user without an enterprise on a tenant route, 403 "Missing permissions: ...", then 403
// "Complete onboarding wizard first", answered from memory), and adds
// the X-RateLimit-* headers to the answer. Cached reads are answered through the response
// cache after those checks (so a hit still checks token, permissions and onboarding, all
// in process); writes announce their changes to it. Safe for concurrent use.

#include "cache/response_cache.hpp"
#include "domain/account.hpp"
#include "domain/change.hpp"
#include "http/router.hpp"
#include "util/rate_limiter.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace fruitpak::services {
class EnterpriseDirectory;
class IdempotencyService;
namespace auth {
class TokenService;
}
}  // namespace fruitpak::services

namespace fruitpak::api {

enum class Access { kPublic, kUser, kTenant };

// Which rate-limit window a route counts against. Each class has its own window.
enum class RateClass { kStandard, kLogin, kRegister };

// Written with designated initializers: {.method = ..., .path = ..., .permissions = ...}.
struct RouteSpec {
  http::Method method = http::Method::get;
  std::string path;
  Access access = Access::kTenant;
  std::vector<std::string> permissions;  // all required
  bool onboarded = false;                // the tenant must have completed the wizard
  bool idempotent = false;               // a create honouring Idempotency-Key (tenant routes)
  RateClass rate = RateClass::kStandard;
  std::string summary;
  // A cached read (tenant GET routes): its TTL, prefix and the changes that invalidate it.
  std::optional<cache::CachePolicy> cache;
  // What a successful (2xx) call of a write route changed: announced to the cache after
  // the handler returned, i.e. after its transaction committed.
  std::vector<domain::Change> changes;
  // Documentation for /openapi.json (api/openapi_schema.hpp has the builders): the query
  // parameters the handler reads, the request body's schema, the responses it sends and
  // error statuses beyond those derived from the flags above (401/403/400/422/429/404).
  std::vector<http::ParamDoc> query;
  http::SchemaDoc body;
  std::vector<http::ResponseDoc> responses;
  std::vector<int> errors;
};

// The caller as the handler sees it: set for kUser and kTenant routes; for kPublic routes
// set only if a valid token was sent.
struct Caller {
  const domain::Principal* principal = nullptr;
  // The tenant of a kTenant route (always set there).
  const domain::TenantId& tenant() const { return *principal->tenant; }
};

using GuardedHandler = std::function<net::awaitable<http::Response>(http::Request&, const Caller&)>;

struct RateLimits {
  util::RateLimit user{500, std::chrono::seconds(60)};
  util::RateLimit anonymous{100, std::chrono::seconds(60)};
  util::RateLimit login{5, std::chrono::seconds(60)};
  util::RateLimit registration{3, std::chrono::seconds(300)};
  bool trust_forwarded_for = false;
};

// Requests refused with 429, by rate class, since start-up (for /metrics).
struct RateRejections {
  std::uint64_t standard = 0;
  std::uint64_t login = 0;
  std::uint64_t registration = 0;
};

// The response a cached entry stands for, with the cache headers of issue 6. The body is
// not copied: the response shares the entry's buffer (http::Payload), the gzip one when
// the request accepts gzip and the entry has one. A matching If-None-Match gets 304
// without a body.
http::Response reply_from_cache(const cache::CachedResponsePtr& entry, cache::CacheOutcome outcome,
                                const http::Request& req);

class Guard {
 public:
  // `cache` may be null: routes then run uncached (CACHE_ENABLED=0).
  Guard(const services::auth::TokenService& tokens, services::EnterpriseDirectory& enterprises,
        services::IdempotencyService& idempotency, RateLimits limits, cache::ResponseCache* cache);

  void add(http::Router& router, RouteSpec spec, GuardedHandler handler);

  // Loads every cached route without path parameters (the lists: growers, packhouses,
  // batches, ...) with its default arguments for `tenant` into the cache, as an
  // administrator of that tenant would see them. Returns how many routes answered 200.
  // Used by `fruitpak cache warm` and CACHE_WARM_ON_START. No-op without a cache.
  [[nodiscard]] net::awaitable<std::size_t> warm(const domain::TenantId& tenant) const;
  std::size_t warmable_routes() const { return warmable_.size(); }
  RateRejections rate_rejections() const;

 private:
  struct Limiters;
  net::awaitable<http::Response> handle(const RouteSpec& spec, const GuardedHandler& handler,
                                        http::Request& req) const;
  std::string client_address(const http::Request& req) const;
  net::awaitable<http::Response> run_once(const GuardedHandler& handler, http::Request& req, const Caller& caller) const;
  net::awaitable<http::Response> run_cached(const cache::CachePolicy& policy, const GuardedHandler& handler,
                                            http::Request& req, const Caller& caller) const;

  struct Warmable {
    std::string path;
    cache::CachePolicy policy;
    GuardedHandler handler;
  };
  std::vector<Warmable> warmable_;

  const services::auth::TokenService& tokens_;
  services::EnterpriseDirectory& enterprises_;
  services::IdempotencyService& idempotency_;
  RateLimits limits_;
  std::shared_ptr<Limiters> limiters_;
  cache::ResponseCache* cache_;
};

}  // namespace fruitpak::api
