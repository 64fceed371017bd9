#include "http/access_log.hpp"

#include <spdlog/spdlog.h>

namespace fruitpak::http {
namespace {

// Set for the duration of the synchronous spdlog call in log_access: spdlog's loggers here
// are synchronous, so the sinks format on this thread before the call returns.
thread_local const AccessRecord* t_current = nullptr;

}  // namespace

const AccessRecord* current_access_record() { return t_current; }

void log_access(const AccessRecord& r) {
  if (!spdlog::should_log(spdlog::level::info)) return;
  t_current = &r;
  struct Reset {
    ~Reset() { t_current = nullptr; }
  } reset;
  spdlog::info("{} {} {} {}B {:.3f}ms route={} tenant={} rid={}", r.method, r.path.empty() ? "-" : r.path,
               r.status, r.bytes, r.duration_ms, r.route.empty() ? "unmatched" : r.route,
               r.tenant.empty() ? "-" : r.tenant, r.request_id);
}

}  // namespace fruitpak::http
