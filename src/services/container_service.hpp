#pragma once
// Shipping containers of a tenant (contract 11.5 with D12 and D16; issue 7 point 3):
// create them (empty or from pallets), load and unload pallets, move them through
// loaded -> sealed -> dispatched -> in transit -> arrived -> delivered and back one step,
// record temperature readings, list, read with traceability, edit and delete them.
// Every write is one transaction that locks the container row (and the pallet rows it
// moves) first: a refused request leaves nothing behind, and two requests never load the
// same pallet twice. Safe for concurrent use.

#include "domain/account.hpp"
#include "domain/container.hpp"
#include "domain/page.hpp"
#include "util/asio.hpp"
#include "util/query_counter.hpp"
#include "util/result.hpp"

#include <string>
#include <vector>

namespace fruitpak::db {
class Database;
}

namespace fruitpak::services {

class ContainerService {
 public:
  explicit ContainerService(db::Database& db) : db_(db) {}

  // Creates a container CONT-YYYYMMDD-NNN (UTC day, race-free) from the sent fields of
  // `draft`, status "open"; with `pallet_ids` it loads them at once (see load). A client
  // sets customer_name to the client's name. Returns the summary. Errors: kInvalidInput
  // "Client not found" / "Transporter not found" / "Shipping agent not found" / "Shipping
  // line not found" / "Transport config not found" for ids not of this tenant; those of load.
  [[nodiscard]] net::awaitable<Result<domain::Container>> create(domain::TenantId tenant,
                                                                domain::ContainerUpdate draft,
                                                                std::vector<std::string> pallet_ids,
                                                                util::QueryCounter* counter);

  // Live containers, newest first, with their pallet numbers, lot and batch codes. Two
  // statements whatever the page size.
  [[nodiscard]] net::awaitable<Result<domain::Page<domain::Container>>> list(domain::TenantId tenant,
                                                                            domain::ContainerFilter filter,
                                                                            domain::PageRequest page,
                                                                            util::QueryCounter* counter);

  // The container with its pallets and their traceability, in two statements whatever the
  // number of pallets. kNotFound "Container not found" for unknown, deleted and other
  // tenants' ids alike.
  [[nodiscard]] net::awaitable<Result<domain::ContainerDetail>> get(domain::TenantId tenant, std::string id,
                                                                   util::QueryCounter* counter);

  // Applies the sent keys (references resolved as in create; a client replaces
  // customer_name). Sending pallet_count or total_cartons as numbers marks the tallies as
  // entered by hand; as null, returns them to the pallets' tallies. Errors: kNotFound; the
  // reference errors of create; kUnprocessable when capacity_pallets falls below the
  // pallets loaded.
  [[nodiscard]] net::awaitable<Result<domain::Container>> update(domain::TenantId tenant, std::string id,
                                                                domain::ContainerUpdate update,
                                                                util::QueryCounter* counter);

  // Loads the tenant's live pallets (in the order given, positions continuing after the
  // highest held): container_id, loaded_at, position, status "loaded"; an open container
  // becomes "loading"; tallies follow unless entered by hand. Errors: kNotFound "Container
  // not found"; kUnprocessable "Cannot load pallets — container is <status>" unless open
  // or loading; kNotFound "Pallets not found: <ids>"; kUnprocessable "Already in a
  // container: <numbers>"; kUnprocessable when the pallets would exceed capacity_pallets.
  [[nodiscard]] net::awaitable<Result<domain::Container>> load(domain::TenantId tenant, std::string id,
                                                              std::vector<std::string> pallet_ids,
                                                              util::QueryCounter* counter);

  // Takes pallets out of an open or loading container: they become "closed" when full,
  // else "open"; tallies follow unless entered by hand. Errors: kNotFound; kUnprocessable
  // "Cannot unload pallets — container is <status>"; kNotFound "Pallets not found: <ids>";
  // kUnprocessable "Not in container <number>: <pallet numbers>".
  [[nodiscard]] net::awaitable<Result<domain::Container>> unload(domain::TenantId tenant, std::string id,
                                                                std::vector<std::string> pallet_ids,
                                                                util::QueryCounter* counter);

  // One forward step (11.5). Sealing records the seal, the time and the sealer's full name
  // (and the set point if given); dispatching ships the loaded pallets ("exported"); the
  // export step applies the voyage fields given. Errors: kNotFound; kUnprocessable with
  // 11.5's "Cannot <step> — container is '<s>', expected '<t>'"; kUnprocessable "... —
  // container has no pallets" when marking loaded or sealing an empty container;
  // kInvalidInput "Shipping line not found".
  [[nodiscard]] net::awaitable<Result<domain::Container>> step(domain::TenantId tenant, std::string user_id,
                                                              std::string id, domain::ContainerStep step,
                                                              domain::SealInput seal, domain::VoyageUpdate voyage,
                                                              util::QueryCounter* counter);

  // One step back, clearing what the step undone had recorded. Errors: kNotFound;
  // kUnprocessable "Cannot revert — container status '<s>' has no previous step".
  [[nodiscard]] net::awaitable<Result<domain::Container>> revert(domain::TenantId tenant, std::string id,
                                                                util::QueryCounter* counter);

  // Appends a reading to temp_readings (kept in recorded_at order). Errors: kNotFound;
  // kUnprocessable once the container holds 1000 readings.
  [[nodiscard]] net::awaitable<Result<domain::TemperatureReading>> add_reading(domain::TenantId tenant,
                                                                              std::string id,
                                                                              domain::TemperatureReading reading,
                                                                              util::QueryCounter* counter);

  // Soft delete of an open or empty loading container. Errors: kNotFound; kInvalidInput
  // "Cannot delete container with status '<s>'. ...", "Cannot delete container with <n>
  // loaded pallet(s). Unload all pallets first.", or when an export lists it.
  [[nodiscard]] net::awaitable<Result<void>> remove(domain::TenantId tenant, std::string id,
                                                   util::QueryCounter* counter);

 private:
  db::Database& db_;
};

}  // namespace fruitpak::services
