#include "util/clock.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace fruitpak::util {

std::string iso_utc(std::chrono::system_clock::time_point when) {
  using namespace std::chrono;
  const auto micros = duration_cast<microseconds>(when.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
  long fraction = static_cast<long>(micros % 1'000'000);
  if (fraction < 0) {
    fraction += 1'000'000;
    --seconds;
  }
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (fraction != 0) out += fmt::format(".{:06}", fraction);
  return out;
}

std::optional<std::chrono::system_clock::time_point> parse_iso_utc(std::string_view text) {
  using namespace std::chrono;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (text.size() < 19 || (text[10] != 'T' && text[10] != ' ')) return std::nullopt;
  const std::string head(text.substr(0, 19));
  if (std::sscanf(head.c_str(), "%4d-%2d-%2d%*c%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) != 6) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  long micros = 0;
  if (text.size() > 20 && text[19] == '.') {
    std::string digits(text.substr(20, 6));
    while (digits.size() < 6) digits += '0';
    micros = std::strtol(digits.c_str(), nullptr, 10);
  }
  const auto days = sys_days(year(y) / month(static_cast<unsigned>(mo)) / day(static_cast<unsigned>(d)));
  return system_clock::time_point(days + hours(h) + minutes(mi) + seconds(sec) + microseconds(micros));
}

}  // namespace fruitpak::util
