#include "app/logging.hpp"

#include "http/access_log.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/formatter.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

namespace fruitpak::app {
namespace {

// One JSON object per line, built with boost::json so every string is escaped correctly.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    boost::json::object line;
    line["time"] = utc_time(msg.time);
    const auto level = spdlog::level::to_string_view(msg.level);
    line["level"] = std::string_view(level.data(), level.size());
    line["thread"] = static_cast<std::uint64_t>(msg.thread_id);
    line["message"] = std::string_view(msg.payload.data(), msg.payload.size());
    if (const auto* access = http::current_access_record()) {
      line["request_id"] = access->request_id;
      if (!access->tenant.empty()) line["tenant"] = access->tenant;
      line["route"] = access->route.empty() ? std::string_view("unmatched") : access->route;
      line["method"] = access->method;
      line["path"] = access->path;
      line["status"] = access->status;
      line["duration_ms"] = access->duration_ms;
      line["bytes"] = static_cast<std::uint64_t>(access->bytes);
    }
    const std::string text = boost::json::serialize(line);
    dest.append(text.data(), text.data() + text.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }

 private:
  // 2026-11-26T08:00:00.123456Z
  static std::string utc_time(spdlog::log_clock::time_point time) {
    const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(time);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(time - seconds).count();
    const std::time_t t = spdlog::log_clock::to_time_t(seconds);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06}Z", tm, micros);
  }
};

}  // namespace

std::unique_ptr<spdlog::formatter> make_log_formatter(config::LogFormat format) {
  if (format == config::LogFormat::kJson) return std::make_unique<JsonFormatter>();
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ %v");
  return formatter;
}

void setup_logging(const std::string& level, config::LogFormat format) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("fruitpak", sink));
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::set_formatter(make_log_formatter(format));
  spdlog::flush_on(spdlog::level::warn);
}

}  // namespace fruitpak::app
