#pragma once
// Booking exports through the API, for tests of the resources that refer to them (invoices,
// credits, reconciliation).

#include "support/api_client.hpp"

#include <string>
#include <vector>

namespace fruitpak::testing {

// POST /api/exports/ as `owner` with the booking_ref, client name and currency given (and
// the listed containers attached); fails the test unless 201. Returns the export's id ("" on
// failure).
std::string create_export(HttpClient& c, const Account& owner, const std::string& booking_ref,
                          const std::string& client_name = "Harbour Fresh Ltd", const std::string& currency = "USD",
                          const std::vector<std::string>& container_ids = {});

// PATCH /api/exports/{id} {"status": status}; fails the test unless 200. Moves a draft along
// the path (e.g. to "booked") or cancels it.
void set_export_status(HttpClient& c, const Account& owner, const std::string& export_id, const std::string& status);

}  // namespace fruitpak::testing
