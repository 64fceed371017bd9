#include "services/auth/sms_sender.hpp"

#include "config/config.hpp"
#include "services/auth/twilio_sms_sender.hpp"

#include <spdlog/spdlog.h>

namespace fruitpak::services::auth {

net::awaitable<Result<void>> LogSmsSender::send(std::string phone, std::string text) {
  spdlog::warn("SMS (not sent: no TWILIO_ACCOUNT_SID) to {}: {}", phone, text);
  co_return Result<void>{};
}

std::unique_ptr<SmsSender> make_sms_sender(const config::Config& config) {
  if (!config.twilio_account_sid.empty()) {
    spdlog::info("OTP codes are sent by SMS through Twilio from {}", config.twilio_from_number);
    return std::make_unique<TwilioSmsSender>(config.twilio_account_sid, config.twilio_auth_token,
                                             config.twilio_from_number);
  }
  spdlog::warn("TWILIO_ACCOUNT_SID is empty: OTP codes are written to this log, not sent by SMS");
  return std::make_unique<LogSmsSender>();
}

}  // namespace fruitpak::services::auth
