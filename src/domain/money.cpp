#include "domain/money.hpp"

#include <cmath>

namespace fruitpak::domain {

Cents to_cents(double amount) { return static_cast<Cents>(std::llround(amount * 100.0)); }

}  // namespace fruitpak::domain
