#include "api/guard.hpp"

#include "api/error_response.hpp"
#include "domain/permissions.hpp"
#include "http/errors.hpp"
#include "services/auth/token_service.hpp"
#include "services/enterprise_directory.hpp"
#include "services/idempotency_service.hpp"
#include "util/crypto.hpp"
#include "util/etag.hpp"

#include <boost/beast/http/field.hpp>

#include <spdlog/spdlog.h>

#include <atomic>

namespace fruitpak::api {
namespace {

constexpr std::string_view kNoTenant = "No tenant context — this endpoint requires an enterprise-scoped user";

void set_rate_headers(http::Response& res, const util::RateDecision& d) {
  res.set("X-RateLimit-Limit", std::to_string(d.limit));
  res.set("X-RateLimit-Remaining", std::to_string(d.remaining));
  res.set("X-RateLimit-Reset", std::to_string(d.reset_epoch));
}

const char* access_name(Access a) {
  switch (a) {
    case Access::kPublic: return "public";
    case Access::kUser: return "user";
    case Access::kTenant: return "tenant";
  }
  return "public";
}

}  // namespace

struct Guard::Limiters {
  explicit Limiters(const RateLimits& l) : user(l.user), anonymous(l.anonymous), login(l.login), registration(l.registration) {}
  util::RateLimiter user;
  util::RateLimiter anonymous;
  util::RateLimiter login;
  util::RateLimiter registration;
  // Refusals (429) by class, for /metrics.
  std::atomic<std::uint64_t> rejected_standard{0};
  std::atomic<std::uint64_t> rejected_login{0};
  std::atomic<std::uint64_t> rejected_registration{0};
};

RateRejections Guard::rate_rejections() const {
  return RateRejections{limiters_->rejected_standard.load(std::memory_order_relaxed),
                        limiters_->rejected_login.load(std::memory_order_relaxed),
                        limiters_->rejected_registration.load(std::memory_order_relaxed)};
}

Guard::Guard(const services::auth::TokenService& tokens, services::EnterpriseDirectory& enterprises,
             services::IdempotencyService& idempotency, RateLimits limits, cache::ResponseCache* cache)
    : tokens_(tokens),
      enterprises_(enterprises),
      idempotency_(idempotency),
      limits_(limits),
      limiters_(std::make_shared<Limiters>(limits_)),
      cache_(cache) {}

void Guard::add(http::Router& router, RouteSpec spec, GuardedHandler handler) {
  http::RouteInfo info{access_name(spec.access), spec.permissions, spec.summary};
  info.onboarded = spec.onboarded;
  info.idempotent = spec.idempotent;
  info.cached = spec.cache.has_value();
  info.rate = spec.rate == RateClass::kLogin ? "login" : spec.rate == RateClass::kRegister ? "register" : "standard";
  info.query = std::move(spec.query);
  info.body = std::move(spec.body);
  info.responses = std::move(spec.responses);
  info.errors = std::move(spec.errors);
  if (spec.cache && cache_) {
    cache_->declare(*spec.cache);
    if (spec.path.find('{') == std::string::npos) warmable_.push_back({spec.path, *spec.cache, handler});
  }
  const auto method = spec.method;
  auto path = spec.path;
  router.add(method, std::move(path),
             [this, spec = std::move(spec), handler = std::move(handler)](http::Request& req) {
               return handle(spec, handler, req);
             },
             std::move(info));
}

std::string Guard::client_address(const http::Request& req) const {
  if (limits_.trust_forwarded_for) {
    auto forwarded = req.header("X-Forwarded-For");
    if (!forwarded.empty()) {
      auto first = forwarded.substr(0, forwarded.find(','));
      while (!first.empty() && first.front() == ' ') first.remove_prefix(1);
      while (!first.empty() && first.back() == ' ') first.remove_suffix(1);
      if (!first.empty()) return std::string(first);
    }
  }
  return req.remote_address;
}

net::awaitable<http::Response> Guard::handle(const RouteSpec& spec, const GuardedHandler& handler,
                                             http::Request& req) const {
  // 1. Identity, in process.
  std::optional<Result<std::shared_ptr<const domain::Principal>>> verified;
  if (auto token = req.bearer_token(); !token.empty()) verified.emplace(tokens_.verify_access(token));
  const domain::Principal* principal = (verified && *verified) ? verified->value().get() : nullptr;
  if (principal && principal->tenant) req.tenant = principal->tenant->value();  // for the access log

  // 2. Rate limit of the route's class.
  const auto now = std::chrono::system_clock::now();
  util::RateDecision decision{};
  switch (spec.rate) {
    case RateClass::kLogin: decision = limiters_->login.check("ip:" + client_address(req), now); break;
    case RateClass::kRegister: decision = limiters_->registration.check("ip:" + client_address(req), now); break;
    case RateClass::kStandard:
      decision = principal ? limiters_->user.check("user:" + principal->user_id, now)
                           : limiters_->anonymous.check("ip:" + client_address(req), now);
      break;
  }
  if (!decision.allowed) {
    switch (spec.rate) {
      case RateClass::kLogin: limiters_->rejected_login.fetch_add(1, std::memory_order_relaxed); break;
      case RateClass::kRegister: limiters_->rejected_registration.fetch_add(1, std::memory_order_relaxed); break;
      case RateClass::kStandard: limiters_->rejected_standard.fetch_add(1, std::memory_order_relaxed); break;
    }
    auto res = http::error_response(http::Status::too_many_requests,
                                    "Rate limit exceeded. Try again in " + std::to_string(decision.retry_after) + " seconds.");
    set_rate_headers(res, decision);
    res.set(http::beast_http::field::retry_after, std::to_string(decision.retry_after));
    co_return res;
  }

  // 3. Access rule.
  std::optional<http::Response> refusal;
  if (spec.access != Access::kPublic) {
    if (!verified) {
      refusal = error_response_for(client_error(Errc::kUnauthorized, "Not authenticated"));
    } else if (!*verified) {
      refusal = error_response_for(verified->error());
    } else if (spec.access == Access::kTenant && !principal->tenant) {
      refusal = http::error_response(http::Status::bad_request, kNoTenant);
    } else if (auto missing = domain::missing_permissions(principal->permissions, spec.permissions); !missing.empty()) {
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
      refusal = http::error_response(http::Status::forbidden, "Missing permissions: " + list);
    }
  }
  if (!refusal && spec.onboarded) {
    auto onboarded = co_await enterprises_.is_onboarded(*principal->tenant);
    if (!onboarded) {
      refusal = error_response_for(onboarded.error());
    } else if (!*onboarded) {
      refusal = http::error_response(http::Status::forbidden, "Complete onboarding wizard first");
    }
  }
  if (refusal) {
    set_rate_headers(*refusal, decision);
    co_return std::move(*refusal);
  }
  const Caller caller{principal};
  std::optional<http::Response> res;
  if (spec.cache && cache_ && principal && principal->tenant) {
    res.emplace(co_await run_cached(*spec.cache, handler, req, caller));
  } else if (spec.idempotent && principal->tenant && !req.header("Idempotency-Key").empty()) {
    res.emplace(co_await run_once(handler, req, caller));
  } else {
    res.emplace(co_await handler(req, caller));
  }
  if (!spec.changes.empty() && cache_ && principal && principal->tenant && res->result_int() / 100 == 2) {
    co_await cache_->changed(*principal->tenant, spec.changes);
  }
  set_rate_headers(*res, decision);
  co_return std::move(*res);
}

net::awaitable<std::size_t> Guard::warm(const domain::TenantId& tenant) const {
  if (!cache_) co_return 0;
  domain::Principal warmer;
  warmer.user_id = "cache-warm";
  warmer.role = domain::Role::kAdministrator;
  warmer.permissions = domain::default_permissions(domain::Role::kAdministrator);
  warmer.tenant = tenant;
  const Caller caller{&warmer};
  std::size_t loaded = 0;
  for (const auto& route : warmable_) {
    http::Request req;
    req.message.method(http::Method::get);
    req.message.target(route.path);
    req.message.version(11);
    req.path = route.path;
    req.route = route.path;
    req.request_id = "cache-warm";
    req.started_at = std::chrono::steady_clock::now();
    auto res = co_await run_cached(route.policy, route.handler, req, caller);
    if (res.result_int() == 200) ++loaded;
  }
  co_return loaded;
}

// The first request with a key runs and its 2xx answer is stored; a retry with the same
// body gets that answer again (marked Idempotent-Replayed), another body gets 422.
net::awaitable<http::Response> Guard::run_once(const GuardedHandler& handler, http::Request& req,
                                               const Caller& caller) const {
  const std::string key(req.header("Idempotency-Key"));
  if (key.size() > 255) {
    co_return http::error_response(http::Status::unprocessable_entity, "Idempotency-Key must be at most 255 characters");
  }
  const std::string method(req.message.method_string());
  const std::string hash = util::sha256_hex(method + " " + req.path + "\n" + req.body());
  auto claim = co_await idempotency_.claim(caller.tenant(), key, method, req.path, hash);
  if (!claim) co_return error_response_for(claim.error());
  using Kind = services::IdempotencyClaim::Kind;
  switch (claim->kind) {
    case Kind::kMismatch:
      co_return http::error_response(http::Status::unprocessable_entity,
                                     "Idempotency-Key was already used with a different request");
    case Kind::kInProgress:
      co_return http::error_response(http::Status::conflict, "A request with this Idempotency-Key is still in progress");
    case Kind::kReplay: {
      http::Response replay{static_cast<http::Status>(claim->status), 11};
      http::set_json(replay, std::move(claim->body));
      replay.set("Idempotent-Replayed", "true");
      co_return replay;
    }
    case Kind::kNew:
      break;
  }
  http::Response res = co_await handler(req, caller);
  Result<void> recorded;
  if (res.result_int() >= 200 && res.result_int() < 300) {
    recorded = co_await idempotency_.complete(caller.tenant(), key, res.result_int(), std::string(res.body().view()));
  } else {
    recorded = co_await idempotency_.release(caller.tenant(), key);
  }
  if (!recorded) spdlog::warn("idempotency key {} not recorded: {}", key, recorded.error().detail);
  co_return res;
}

http::Response reply_from_cache(const cache::CachedResponsePtr& shared, cache::CacheOutcome outcome,
                             const http::Request& req) {
  const cache::CachedResponse& entry = *shared;
  const bool not_modified = util::etag_matches(req.header("If-None-Match"), entry.etag);
  http::Response res{not_modified ? http::Status::not_modified : http::Status::ok, req.message.version()};
  res.set(http::beast_http::field::etag, entry.etag);
  res.set(http::beast_http::field::cache_control, "private, max-age=0, must-revalidate");
  res.set(http::beast_http::field::vary, "Authorization, Accept-Encoding");
  res.set("X-Cache", std::string(cache::outcome_header(outcome)));
  if (outcome == cache::CacheOutcome::kStale) res.set(http::beast_http::field::warning, "110 - \"Response is Stale\"");
  if (not_modified) return res;
  res.set(http::beast_http::field::content_type, entry.content_type);
  const bool gzip = !entry.gzip_body.empty() && req.header("Accept-Encoding").find("gzip") != std::string_view::npos;
  if (gzip) res.set(http::beast_http::field::content_encoding, "gzip");
  res.body().share(shared, gzip ? entry.gzip_body : entry.body);
  res.prepare_payload();
  return res;
}


// A cached read: the key is the route's policy plus every path and query parameter (the
// last value of a repeated query parameter, as the handlers read them).
net::awaitable<http::Response> Guard::run_cached(const cache::CachePolicy& policy, const GuardedHandler& handler,
                                                 http::Request& req, const Caller& caller) const {
  cache::CacheArgs args;
  for (const auto& [name, value] : req.path_params) args.insert_or_assign(name, value);
  for (const auto& [name, value] : req.query_params) args.insert_or_assign(name, value);
  std::optional<http::Response> direct;
  cache::Loader load = [&]() -> net::awaitable<cache::Loaded> {
    direct.emplace(co_await handler(req, caller));
    cache::Loaded loaded;
    const int status = direct->result_int();
    if (status == 200) {
      loaded.kind = cache::Loaded::Kind::kCacheable;
      loaded.body = std::string(direct->body().view());
      loaded.content_type = std::string((*direct)[http::beast_http::field::content_type]);
    } else {
      loaded.kind = status >= 500 ? cache::Loaded::Kind::kFailed : cache::Loaded::Kind::kNotCacheable;
    }
    co_return loaded;
  };
  auto served = co_await cache_->serve(caller.tenant(), policy, args, load);
  if (served.entry) co_return reply_from_cache(served.entry, served.outcome, req);
  if (!direct) direct.emplace(co_await handler(req, caller));  // the flight we waited for had nothing to share
  direct->set("X-Cache", "BYPASS");
  co_return std::move(*direct);
}

}  // namespace fruitpak::api
