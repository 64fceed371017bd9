#include "json/batch_json.hpp"

#include "json/lot_json.hpp"
#include "json/page_json.hpp"
#include "json/values.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace fruitpak::json {
namespace {

namespace bj = boost::json;

std::string as_datetime(const std::string& date) { return date.empty() ? date : date + "T00:00:00"; }

}  // namespace

bj::object to_json(const domain::Batch& b) {
  return bj::object{{"id", b.id},
                    {"batch_code", b.batch_code},
                    {"grower_id", b.grower_id},
                    {"harvest_team_id", nullable(b.harvest_team_id)},
                    {"packhouse_id", b.packhouse_id},
                    {"fruit_type", b.fruit_type},
                    {"variety", nullable(b.variety)},
                    {"harvest_date", nullable(b.harvest_date)},
                    {"intake_date", as_datetime(b.intake_date)},
                    {"gross_weight_kg", nullable(b.gross_weight_kg)},
                    {"tare_weight_kg", b.tare_weight_kg},
                    {"net_weight_kg", nullable(b.net_weight_kg)},
                    {"arrival_temp_c", nullable(b.arrival_temp_c)},
                    {"brix_reading", nullable(b.brix_reading)},
                    {"quality_assessment", embedded(b.quality_assessment_json)},
                    {"status", b.status},
                    {"rejection_reason", nullable(b.rejection_reason)},
                    {"bin_count", nullable(b.bin_count)},
                    {"bin_type", nullable(b.bin_type)},
                    {"notes", nullable(b.notes)},
                    {"received_by", nullable(b.received_by)},
                    {"created_at", b.created_at},
                    {"updated_at", b.updated_at}};
}

bj::object to_json(const domain::BatchSummary& s) {
  const auto& b = s.batch;
  return bj::object{{"id", b.id},
                    {"batch_code", b.batch_code},
                    {"grower_id", b.grower_id},
                    {"grower_name", nullable(s.grower_name)},
                    {"fruit_type", b.fruit_type},
                    {"variety", nullable(b.variety)},
                    {"gross_weight_kg", nullable(b.gross_weight_kg)},
                    {"net_weight_kg", nullable(b.net_weight_kg)},
                    {"status", b.status},
                    {"intake_date", as_datetime(b.intake_date)},
                    {"created_at", b.created_at}};
}

bj::object to_json(const domain::BatchHistoryEntry& e) {
  return bj::object{{"id", e.id},
                    {"event_type", e.event_type},
                    {"event_subtype", nullable(e.event_subtype)},
                    {"event_data", embedded(e.event_data_json)},
                    {"location_detail", nullable(e.location_detail)},
                    {"notes", nullable(e.notes)},
                    {"recorded_by", nullable(e.recorded_by)},
                    {"recorded_at", e.recorded_at}};
}

bj::object to_json(const domain::BatchDetail& d) {
  bj::object o = to_json(d.batch);
  o["grower_name"] = nullable(d.grower_name);
  o["packhouse_name"] = nullable(d.packhouse_name);
  bj::array history;
  for (const auto& e : d.history) history.emplace_back(to_json(e));
  o["history"] = std::move(history);
  bj::array lots;
  for (const auto& lot : d.lots) lots.emplace_back(to_json(lot));
  o["lots"] = std::move(lots);
  return o;
}

bj::object to_json(const domain::GrnReceipt& r) {
  return bj::object{{"batch", to_json(r.batch)},
                    {"qr_code_url", "/api/batches/" + r.batch.id + "/qr"},
                    {"advance_payment_linked", r.advance_payment_linked},
                    {"advance_payment_ref", nullable(r.advance_payment_ref)}};
}

bj::object to_json(const domain::BatchListing& listing) {
  bj::object o = page_to_json(listing.page, [](const auto& s) { return to_json(s); });
  o["next_cursor"] = listing.next ? bj::value(encode_cursor(*listing.next)) : bj::value(nullptr);
  o["has_more"] = listing.has_more;
  return o;
}

std::string encode_cursor(const domain::BatchKey& key) { return util::base64url_encode(key.created_at + "|" + key.id); }

std::optional<domain::BatchKey> decode_cursor(std::string_view cursor) {
  auto text = util::base64url_decode(cursor);
  if (!text) return std::nullopt;
  const auto bar = text->find('|');
  if (bar == std::string::npos) return std::nullopt;
  domain::BatchKey key{text->substr(0, bar), text->substr(bar + 1)};
  if (!util::parse_iso_utc(key.created_at) || key.id.empty() || key.id.size() > 36) return std::nullopt;
  return key;
}

std::string qr_payload(const domain::BatchDetail& d) {
  const auto& b = d.batch;
  bj::value net = nullptr;
  if (b.net_weight_kg && *b.net_weight_kg != 0) net = *b.net_weight_kg;
  return bj::serialize(bj::object{{"batch_id", b.id},
                                  {"code", b.batch_code},
                                  {"grower_name", nullable(d.grower_name)},
                                  {"variety", nullable(b.variety)},
                                  {"net_weight_kg", net},
                                  {"intake_date", b.intake_date}});
}

}  // namespace fruitpak::json
