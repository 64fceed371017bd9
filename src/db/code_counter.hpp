#pragma once
// Race-free document codes (decision D12): a per-tenant, per-prefix, per-day counter row,
// incremented in the same transaction as the insert that uses the code. Two concurrent
// intakes serialise on the counter row and never get the same number.

#include "db/runner.hpp"
#include "domain/account.hpp"

#include <cstdint>
#include <string>

namespace fruitpak::db::codes {

// The next number for (tenant, prefix, day), starting at 1.
[[nodiscard]] net::awaitable<Result<std::int64_t>> next(Runner run, domain::TenantId tenant, std::string prefix,
                                                        std::string day);

// Reserves `count` consecutive numbers for (tenant, prefix, day) in one statement and
// returns the first. Requires: count >= 1.
[[nodiscard]] net::awaitable<Result<std::int64_t>> reserve(Runner run, domain::TenantId tenant, std::string prefix,
                                                           std::string day, std::int64_t count);

// "GRN-20260212-007": prefix, UTC day, number zero-padded to 3 digits (grows past 999).
std::string format_code(std::string_view prefix, std::string_view day, std::int64_t number);

}  // namespace fruitpak::db::codes
