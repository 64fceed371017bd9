#pragma once
// Errors as values: every operation that can fail for a reason outside the program's
// control returns Result<T>. See STYLE.md section 3.

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace fruitpak {

enum class Errc {
  kNotFound,
  kInvalidInput,     // 400: a business rule refused the request
  kUnprocessable,    // 422: a referenced record is missing or a rule on the body failed
  kConflict,         // 422 DUPLICATE_RECORD: a unique value is taken
  kStateConflict,    // 409: the data's current state refuses the change (a downstream lock, over-packing)
  kUnauthorized,
  kForbidden,
  kRateLimited,
  kUnavailable,
  kTimeout,
  kInternal,
};

// `detail` is for logs only and never sent to a client. `message` is the client-facing
// text of a 4xx outcome ("Email already registered"); empty means "use the generic text of
// the status". A 5xx never shows either.
struct Error {
  Errc code = Errc::kInternal;
  std::string detail;
  std::string message;
  long retry_after_seconds = 0;  // kRateLimited: when to try again (Retry-After)
};

std::string_view to_string(Errc code);

// Lets `.value()` compile for Result<T>: throws std::runtime_error carrying the detail.
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;

inline Error make_error(Errc code, std::string detail) { return Error{code, std::move(detail), {}, 0}; }

// An expected outcome whose message the client sees (and the log too).
inline Error client_error(Errc code, std::string message) {
  return Error{code, message, std::move(message), 0};
}

}  // namespace fruitpak
