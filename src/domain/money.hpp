#pragma once
// Money kept to the cent. Amounts are stored as DOUBLE columns (the contract's schema) but
// every sum, comparison and rounding happens in whole cents.

#include <cstdint>

namespace fruitpak::domain {

using Cents = std::int64_t;

// A stored amount in cents: the nearest cent, halves away from zero (12.345 -> 1235).
Cents to_cents(double amount);
inline double from_cents(Cents cents) { return static_cast<double>(cents) / 100.0; }

}  // namespace fruitpak::domain
