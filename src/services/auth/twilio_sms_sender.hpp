#pragma once
// Sends SMS through Twilio's REST API (POST /2010-04-01/Accounts/{sid}/Messages.json over
// HTTPS with Basic auth), configured by TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and
// TWILIO_FROM_NUMBER as in the original. Asynchronous, 10 s deadline.

#include "services/auth/sms_sender.hpp"

namespace fruitpak::services::auth {

class TwilioSmsSender final : public SmsSender {
 public:
  TwilioSmsSender(std::string account_sid, std::string auth_token, std::string from_number,
                  std::string host = "api.twilio.com");
  net::awaitable<Result<void>> send(std::string phone, std::string text) override;
  bool delivers() const override { return true; }

 private:
  std::string account_sid_;
  std::string auth_token_;
  std::string from_number_;
  std::string host_;
};

// application/x-www-form-urlencoded encoding of one value (exposed for tests).
std::string form_encode(std::string_view value);

}  // namespace fruitpak::services::auth
