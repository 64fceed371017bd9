#pragma once
// Sends one-time codes by SMS. The default implementation writes the code to the log (and
// says so at start); a Twilio sender is chosen when TWILIO_ACCOUNT_SID is set.

#include "util/asio.hpp"
#include "util/result.hpp"

#include <memory>
#include <string>

namespace fruitpak::config {
struct Config;
}

namespace fruitpak::services::auth {

class SmsSender {
 public:
  virtual ~SmsSender() = default;
  [[nodiscard]] virtual net::awaitable<Result<void>> send(std::string phone, std::string text) = 0;
  // True when codes really leave the server (so the API must not echo them).
  virtual bool delivers() const = 0;
};

// Logs "SMS to <phone>: <text>" at warn level. For development and tests.
class LogSmsSender final : public SmsSender {
 public:
  net::awaitable<Result<void>> send(std::string phone, std::string text) override;
  bool delivers() const override { return false; }
};

std::unique_ptr<SmsSender> make_sms_sender(const config::Config& config);

}  // namespace fruitpak::services::auth
