#pragma once
// Wall-clock formatting in the contract's form: naive UTC ISO 8601 without a zone suffix,
// microseconds shown only when non-zero ("2026-02-12T14:03:22.123456").

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fruitpak::util {

std::string iso_utc(std::chrono::system_clock::time_point when);
inline std::string iso_utc_now() { return iso_utc(std::chrono::system_clock::now()); }

// Parses "YYYY-MM-DDTHH:MM:SS[.ffffff]" (a space instead of 'T' too) as UTC; nullopt if
// malformed.
std::optional<std::chrono::system_clock::time_point> parse_iso_utc(std::string_view text);

inline std::int64_t epoch_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace fruitpak::util
