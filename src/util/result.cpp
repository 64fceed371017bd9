#include "util/result.hpp"

#include <stdexcept>

namespace fruitpak {

std::string_view to_string(Errc code) {
  switch (code) {
    case Errc::kNotFound: return "not_found";
    case Errc::kInvalidInput: return "invalid_input";
    case Errc::kUnprocessable: return "unprocessable";
    case Errc::kConflict: return "conflict";
    case Errc::kStateConflict: return "state_conflict";
    case Errc::kUnauthorized: return "unauthorized";
    case Errc::kForbidden: return "forbidden";
    case Errc::kRateLimited: return "rate_limited";
    case Errc::kUnavailable: return "unavailable";
    case Errc::kTimeout: return "timeout";
    case Errc::kInternal: return "internal";
  }
  return "internal";
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw std::runtime_error(std::string(to_string(e.code)) + ": " + e.detail);
}

}  // namespace fruitpak
