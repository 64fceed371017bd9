#include "json/reconciliation_json.hpp"

#include "json/values.hpp"

#include <boost/json/array.hpp>

namespace fruitpak::json {
namespace {

// {name: count} with only the non-zero keys (2.0).
boost::json::object counts_to_json(const domain::AlertCounts& counts) {
  boost::json::object o;
  for (const auto& [name, n] : counts) {
    if (n != 0) o[name] = n;
  }
  return o;
}

}  // namespace

boost::json::object to_json(const domain::Alert& a) {
  return boost::json::object{{"id", a.id},
                             {"alert_type", a.alert_type},
                             {"severity", a.severity},
                             {"title", a.title},
                             {"description", a.description},
                             {"expected_value", nullable(a.expected_value)},
                             {"actual_value", nullable(a.actual_value)},
                             {"variance", nullable(a.variance)},
                             {"variance_pct", nullable(a.variance_pct)},
                             {"unit", nullable(a.unit)},
                             {"entity_refs", embedded(a.entity_refs_json)},
                             {"period_start", nullable(a.period_start)},
                             {"period_end", nullable(a.period_end)},
                             {"status", a.status},
                             {"resolved_at", nullable(a.resolved_at)},
                             {"resolved_by", nullable(a.resolved_by)},
                             {"resolution_note", nullable(a.resolution_note)},
                             {"run_id", nullable(a.run_id)},
                             {"created_at", a.created_at},
                             {"updated_at", a.updated_at}};
}

boost::json::object to_json(const domain::RunSummary& s) {
  return boost::json::object{{"run_id", s.run_id},
                             {"ran_at", s.ran_at},
                             {"kind", s.kind},
                             {"entities_checked", s.entities_checked},
                             {"total_alerts", s.total_alerts},
                             {"by_type", counts_to_json(s.by_type)},
                             {"by_severity", counts_to_json(s.by_severity)},
                             {"alerts_updated", s.alerts_updated},
                             {"alerts_unchanged", s.alerts_unchanged},
                             {"alerts_resolved", s.alerts_resolved}};
}

boost::json::object to_json(const domain::Dashboard& d) {
  boost::json::array alerts;
  for (const auto& a : d.alerts) alerts.emplace_back(to_json(a));
  return boost::json::object{{"total_open", d.total_open},
                             {"total_acknowledged", d.total_acknowledged},
                             {"total_resolved_30d", d.total_resolved_30d},
                             {"by_type", counts_to_json(d.by_type)},
                             {"by_severity", counts_to_json(d.by_severity)},
                             {"latest_run_id", nullable(d.latest_run_id)},
                             {"latest_run_at", nullable(d.latest_run_at)},
                             {"alerts", std::move(alerts)}};
}

}  // namespace fruitpak::json
