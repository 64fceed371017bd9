#pragma once
// Wall-clock formatting in the contract's form: naive UTC ISO 8601 without a zone suffix,
// microseconds shown only when non-zero ("2026-02-12T14:03:22.123456").

#include <chrono>
#include <string>

namespace fruitpak::util {

std::string iso_utc(std::chrono::system_clock::time_point when);
inline std::string iso_utc_now() { return iso_utc(std::chrono::system_clock::now()); }

}  // namespace fruitpak::util
