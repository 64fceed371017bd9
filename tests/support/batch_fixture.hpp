#pragma once
// Creating the records a GRN needs, through the API.

#include "support/api_client.hpp"

#include <string>

namespace fruitpak::testing {

struct IntakeSetup {
  std::string grower_id;
  std::string packhouse_id;
};

// A packhouse and a grower in the account's (onboarded) enterprise.
IntakeSetup create_intake_setup(HttpClient& c, const Account& owner);

// POST /api/batches/grn with a gross weight; returns the response.
HttpResponse post_grn(HttpClient& c, const Account& owner, const IntakeSetup& setup, double gross_kg = 1000,
                      double tare_kg = 50);

}  // namespace fruitpak::testing
