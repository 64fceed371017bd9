#include "json/wizard_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

namespace fruitpak::json {
namespace {

// A stored JSON object document; anything else (never written by us) reads as `fallback`.
boost::json::value stored_object(const std::string& text, boost::json::value fallback) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return fallback;
  return value;
}

}  // namespace

boost::json::object to_json(const domain::WizardProgress& p) {
  boost::json::array steps;
  for (int step : p.completed_steps) steps.emplace_back(step);
  return boost::json::object{
      {"current_step", p.current_step},
      {"completed_steps", std::move(steps)},
      {"is_complete", p.is_complete},
      {"draft_data", p.draft_data ? stored_object(*p.draft_data, nullptr) : boost::json::value(nullptr)},
      {"completed_data", stored_object(p.completed_data, boost::json::object())}};
}

}  // namespace fruitpak::json
