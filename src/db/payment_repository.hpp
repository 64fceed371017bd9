#pragma once
// Grower payments of one tenant (contract 2.7, 3.4, 11.11), and the batch weights a new
// payment covers. Soft-deleted payments and batches are invisible to every function here.

#include "db/runner.hpp"
#include "domain/account.hpp"
#include "domain/page.hpp"
#include "domain/payment.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fruitpak::db::payments {

// Stores every column of `payment` (grower_name and grower_code are not columns). kConflict
// if the payment_ref is taken in this tenant.
[[nodiscard]] net::awaitable<Result<void>> insert(Runner run, domain::TenantId tenant, domain::GrowerPayment payment);

// Newest first (created_at, then id, descending); grower_name and grower_code joined from
// the grower. With `grower_id`, only that grower's payments. One statement, plus a count
// when the page lies past the end.
[[nodiscard]] net::awaitable<Result<domain::Page<domain::GrowerPayment>>> list(Runner run, domain::TenantId tenant,
                                                                               std::optional<std::string> grower_id,
                                                                               domain::PageRequest page);

// Those of `batch_ids` that are live batches of the grower, rejected ones included, in no
// particular order. Requires: batch_ids has no duplicates.
[[nodiscard]] net::awaitable<Result<std::vector<domain::CoveredBatch>>> find_grower_batches(
    Runner run, domain::TenantId tenant, std::string grower_id, std::vector<std::string> batch_ids);

// Every live, non-rejected batch of the grower, oldest first: what a payment without
// batch_ids covers.
[[nodiscard]] net::awaitable<Result<std::vector<domain::CoveredBatch>>> payable_grower_batches(
    Runner run, domain::TenantId tenant, std::string grower_id);

}  // namespace fruitpak::db::payments
