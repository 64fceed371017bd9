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
  kInvalidInput,
  kConflict,
  kUnauthorized,
  kForbidden,
  kUnavailable,
  kTimeout,
  kInternal,
};

// `detail` is for logs only and never sent to a client.
struct Error {
  Errc code = Errc::kInternal;
  std::string detail;
};

std::string_view to_string(Errc code);

// Lets `.value()` compile for Result<T>: throws std::runtime_error carrying the detail.
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;

inline Error make_error(Errc code, std::string detail) { return Error{code, std::move(detail)}; }

}  // namespace fruitpak
