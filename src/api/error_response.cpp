#include "api/error_response.hpp"

#include "http/errors.hpp"
#include "util/log_throttle.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdint>

namespace fruitpak::api {
namespace {

// In a database outage every request that needs the database is answered 503: one warning
// a second says so, with how many such answers there were, instead of a line per request.
util::LogThrottle unavailable_warnings{std::chrono::seconds(1)};
std::atomic<std::uint64_t> unavailable_answers{0};

void warn_unavailable(const Error& error) {
  ++unavailable_answers;
  if (!unavailable_warnings.allow()) return;
  spdlog::warn("service unavailable: {} ({} answer(s) 503 since the last such warning)", error.detail,
               unavailable_answers.exchange(0));
}

}  // namespace

http::Status http_status(Errc code) {
  switch (code) {
    case Errc::kNotFound: return http::Status::not_found;
    case Errc::kInvalidInput: return http::Status::bad_request;
    case Errc::kUnprocessable: return http::Status::unprocessable_entity;
    case Errc::kConflict: return http::Status::unprocessable_entity;  // the original's DUPLICATE_RECORD
    case Errc::kStateConflict: return http::Status::conflict;
    case Errc::kUnauthorized: return http::Status::unauthorized;
    case Errc::kForbidden: return http::Status::forbidden;
    case Errc::kRateLimited: return http::Status::too_many_requests;
    case Errc::kUnavailable:
    case Errc::kTimeout: return http::Status::service_unavailable;
    case Errc::kInternal: return http::Status::internal_server_error;
  }
  return http::Status::internal_server_error;
}

http::Response error_response_for(const Error& error) {
  const auto status = http_status(error.code);
  switch (error.code) {
    case Errc::kUnavailable:
    case Errc::kTimeout: {
      warn_unavailable(error);
      auto res = http::error_response(status, http::kDatabaseUnavailableMessage, "DATABASE_UNAVAILABLE");
      res.set(http::beast_http::field::retry_after, "1");
      return res;
    }
    case Errc::kInternal:
      spdlog::error("internal error: {}", error.detail);
      return http::error_response(status, http::kInternalErrorMessage, "INTERNAL_SERVER_ERROR");
    case Errc::kConflict:
      if (error.message.empty()) {
        return http::error_response(status, "A record with this value already exists", "DUPLICATE_RECORD");
      }
      break;
    default:
      break;
  }
  const std::string message =
      error.message.empty() ? std::string(http::beast_http::obsolete_reason(status)) : error.message;
  auto res = http::error_response(status, message);
  if (status == http::Status::unauthorized) res.set(http::beast_http::field::www_authenticate, "Bearer");
  if (error.code == Errc::kRateLimited) {
    res.set(http::beast_http::field::retry_after, std::to_string(std::max(1L, error.retry_after_seconds)));
  }
  return res;
}

}  // namespace fruitpak::api
