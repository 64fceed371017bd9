#pragma once
// bcrypt password hashing through libxcrypt, compatible with the original service
// (passlib + bcrypt 4.x, "$2b$12$..." modular crypt strings; contract section 5).
//
// Both functions are CPU-bound and block for about 0.25 s at cost 12 (doubling per cost
// step): callers run them on the blocking pool (util::run_blocking), never on an I/O
// thread. Thread-safe: each call uses its own heap-allocated crypt state.

#include "util/result.hpp"

#include <string>
#include <string_view>

namespace fruitpak::services::auth {

// Hashes `password` with a fresh salt from the OS CSPRNG, as "$2b$<cost>$<53 chars>".
// Only the first 72 bytes of the password are used, as bcrypt defines and as the
// original's bcrypt 4.x did silently: two passwords that share their first 72 bytes
// have the same hash.
// Returns kInvalidInput if cost is outside 4..31 or the password contains a NUL byte
// (bcrypt sees a C string, so the bytes after a NUL would be ignored without notice);
// kInternal if libxcrypt fails.
[[nodiscard]] Result<std::string> hash_password(std::string_view password, int cost);

// True if `password` matches the bcrypt `hash` ("$2b$", "$2a$" or "$2y$" prefix; the
// first 72 bytes of the password count, as in hash_password). False, never an error or
// a crash, for an empty, malformed, truncated or otherwise unsupported hash, and for a
// password containing a NUL byte. The final comparison is constant time.
[[nodiscard]] bool verify_password(std::string_view password, std::string_view hash);

}  // namespace fruitpak::services::auth
