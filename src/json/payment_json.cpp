#include "json/payment_json.hpp"

#include "json/values.hpp"

#include <boost/json/array.hpp>

namespace fruitpak::json {
boost::json::object to_json(const domain::GrowerPayment& p) {
  boost::json::array batch_ids;
  batch_ids.reserve(p.batch_ids.size());
  for (const auto& id : p.batch_ids) batch_ids.emplace_back(id);
  return boost::json::object{{"id", p.id},
                             {"payment_ref", p.payment_ref},
                             {"grower_id", p.grower_id},
                             {"grower_name", nullable(p.grower_name)},
                             {"grower_code", nullable(p.grower_code)},
                             {"batch_ids", std::move(batch_ids)},
                             {"currency", p.currency},
                             {"gross_amount", p.gross_amount},
                             {"net_amount", p.net_amount},
                             {"total_kg", nullable(p.total_kg)},
                             {"payment_type", p.payment_type},
                             {"paid_date", nullable(p.paid_date)},
                             {"status", p.status},
                             {"notes", nullable(p.notes)},
                             {"created_at", p.created_at}};
}

}  // namespace fruitpak::json
