#pragma once
// Containers of one tenant (contract 11.1, 11.5), the pallets loaded into them and the
// tenant tables they refer to. Soft-deleted containers and pallets are invisible to every
// function here. Statement counts never depend on how many pallets or containers are read.

#include "db/runner.hpp"
#include "domain/account.hpp"
#include "domain/container.hpp"
#include "domain/page.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fruitpak::db::containers {

// Stores every column of a new container. kConflict if its number is taken in this tenant.
[[nodiscard]] net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::Container c);

// Writes every column a request may change (not the number, export_id, packhouse_id or
// created_at), including the tallies and status, as `c` holds them.
[[nodiscard]] net::awaitable<Result<void>> save(Runner run, domain::TenantId tenant, domain::Container c);

// Takes the live container's row lock for the rest of the transaction (PostgreSQL: the
// row; SQLite: the write lock the transaction already holds) by touching updated_at.
// False if there is no such container.
[[nodiscard]] net::awaitable<Result<bool>> lock(Runner run, domain::TenantId tenant, std::string id, std::string now);

// The live container with the transporter, shipping agent and shipping line names (the
// code lists stay empty).
[[nodiscard]] net::awaitable<Result<std::optional<domain::Container>>> find(Runner run, domain::TenantId tenant,
                                                                           std::string id);

// Newest first (created_at, then id, descending), filtered. One statement, plus a count
// when the page lies past the end. The code lists stay empty.
[[nodiscard]] net::awaitable<Result<domain::Page<domain::Container>>> list(Runner run, domain::TenantId tenant,
                                                                          domain::ContainerFilter filter,
                                                                          domain::PageRequest page);

// The pallet numbers, lot codes and batch codes of the listed containers, in one statement;
// containers without pallets are left out.
[[nodiscard]] net::awaitable<Result<std::vector<domain::ContainerCodes>>> codes(Runner run, domain::TenantId tenant,
                                                                               std::vector<std::string> ids);

// The container's live pallets in loading order with what each holds (active allocations,
// their lots, batches and growers), and the codes of all of them, in one statement.
struct Contents {
  std::vector<domain::ContainerPallet> pallets;
  std::vector<domain::PalletTrace> traceability;
  domain::ContainerCodes codes;
};
[[nodiscard]] net::awaitable<Result<Contents>> contents(Runner run, domain::TenantId tenant, std::string id);

// Locks the listed live pallets (touching updated_at) and returns them, in one statement;
// ids that name no live pallet of the tenant are missing from the result.
// Requires: 1..200 ids without repeats.
[[nodiscard]] net::awaitable<Result<std::vector<domain::LoadablePallet>>> lock_pallets(Runner run,
                                                                                      domain::TenantId tenant,
                                                                                      std::vector<std::string> ids,
                                                                                      std::string now);

// The live pallets in the container.
[[nodiscard]] net::awaitable<Result<std::vector<domain::LoadablePallet>>> pallets_in(Runner run,
                                                                                    domain::TenantId tenant,
                                                                                    std::string container_id);

// What loading or unloading sets on one pallet.
struct PalletMove {
  std::string pallet_id;
  std::optional<std::string> position;  // loading only
  std::string status;
};

// Puts the pallets into the container (container_id, loaded_at, position, status) if they
// are in none, in one statement. Returns how many moved.
[[nodiscard]] net::awaitable<Result<std::int64_t>> load(Runner run, domain::TenantId tenant, std::string container_id,
                                                       std::vector<PalletMove> moves, std::string now);

// Takes the pallets out of the container (clears container_id, loaded_at, position; sets
// status), in one statement. Returns how many moved.
[[nodiscard]] net::awaitable<Result<std::int64_t>> unload(Runner run, domain::TenantId tenant,
                                                         std::string container_id, std::vector<PalletMove> moves,
                                                         std::string now);

// Moves the container's pallets in status `from` to `to`.
[[nodiscard]] net::awaitable<Result<void>> cascade_status(Runner run, domain::TenantId tenant,
                                                          std::string container_id, std::string from, std::string to,
                                                          std::string now);

// Recomputes the tallies from the live pallets in the container: gross weight always
// (Σ gross else net; null when 0); pallet_count and total_cartons unless counts_manual.
[[nodiscard]] net::awaitable<Result<void>> retally(Runner run, domain::TenantId tenant, std::string id);

// Soft-deletes the live container unless pallets are in it, checked in the same
// statement. False if nothing was deleted.
[[nodiscard]] net::awaitable<Result<bool>> soft_delete(Runner run, domain::TenantId tenant, std::string id,
                                                       std::string now);

// The tenant tables a container refers to by an id a client sends.
enum class Reference { kClient, kTransporter, kShippingAgent, kShippingLine, kTransportConfig };

// The name of that row of this tenant, nullopt if there is none.
[[nodiscard]] net::awaitable<Result<std::optional<std::string>>> reference_name(Runner run, domain::TenantId tenant,
                                                                               Reference table, std::string id);

}  // namespace fruitpak::db::containers
