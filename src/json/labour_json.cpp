#include "json/labour_json.hpp"

#include "json/values.hpp"

namespace fruitpak::json {

boost::json::object to_json(const domain::LabourCost& c) {
  return boost::json::object{{"id", c.id},
                             {"category", c.category},
                             {"description", nullable(c.description)},
                             {"supplier_id", nullable(c.supplier_id)},
                             {"packhouse_id", nullable(c.packhouse_id)},
                             {"pack_line_id", nullable(c.pack_line_id)},
                             {"harvest_team_id", nullable(c.harvest_team_id)},
                             {"currency", c.currency},
                             {"hours_worked", nullable(c.hours_worked)},
                             {"rate_per_hour", nullable(c.rate_per_hour)},
                             {"headcount", nullable(c.headcount)},
                             {"total_amount", c.total_amount},
                             {"extras", embedded(c.extras_json)},
                             {"work_date", c.work_date},
                             {"period_start", nullable(c.period_start)},
                             {"period_end", nullable(c.period_end)},
                             {"status", c.status},
                             {"notes", nullable(c.notes)},
                             {"recorded_by", nullable(c.recorded_by)},
                             {"created_at", c.created_at},
                             {"updated_at", c.updated_at}};
}

}  // namespace fruitpak::json
