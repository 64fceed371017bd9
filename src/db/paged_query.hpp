#pragma once
// One page of a tenant list whose SQL carries "COUNT(*) OVER ()" as its column
// `total_column` and takes ($1 tenant, $2 limit, $3 offset). One query per page; a page past
// the end, where the window count has no row to ride on, costs one more COUNT.

#include "db/runner.hpp"
#include "domain/account.hpp"
#include "domain/page.hpp"

namespace fruitpak::db {

template <class T>
[[nodiscard]] net::awaitable<Result<domain::Page<T>>> windowed_page(Runner run, std::string_view list_sql,
                                                                    std::string_view count_sql,
                                                                    domain::TenantId tenant, domain::PageRequest page,
                                                                    T (*from_row)(const Row&),
                                                                    std::size_t total_column) {
  Params params{tenant.value(), std::int64_t{page.limit}, page.offset};
  auto rows = co_await run.execute(list_sql, std::move(params));
  if (!rows) co_return rows.error();
  domain::Page<T> out{{}, 0, page.limit, page.offset};
  for (std::size_t i = 0; i < rows->size(); ++i) out.items.push_back(from_row((*rows)[i]));
  if (!rows->empty()) {
    out.total = rows->front().int64(total_column);
  } else if (page.offset > 0) {
    Params count_params{tenant.value()};
    auto counted = co_await run.execute(count_sql, std::move(count_params));
    if (!counted) co_return counted.error();
    out.total = counted->front().int64(0);
  }
  co_return out;
}

}  // namespace fruitpak::db
