-- Sessions, refresh-token rotation and OTP codes (decision D6, contract section 5).

-- One login and all the tokens refreshed from it (the tokens' "sid" claim). Revoking a
-- session rejects every access and refresh token of it.
CREATE TABLE auth_sessions (
  id VARCHAR(36) PRIMARY KEY,
  user_id VARCHAR(36) NOT NULL REFERENCES users(id),
  created_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NOT NULL,
  revoked_at TIMESTAMP,
  revoked_reason VARCHAR(40)
);
-- Revoke all sessions of a user (deactivation).
CREATE INDEX ix_auth_sessions_user_id ON auth_sessions (user_id);
-- Load and poll the revocation list: revoked sessions not yet expired.
CREATE INDEX ix_auth_sessions_revoked_at ON auth_sessions (revoked_at);

-- Every refresh token issued; used_at marks it spent (rotation). Presenting a spent one
-- again revokes its whole session.
CREATE TABLE refresh_tokens (
  jti VARCHAR(36) PRIMARY KEY,
  session_id VARCHAR(36) NOT NULL REFERENCES auth_sessions(id),
  issued_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NOT NULL,
  used_at TIMESTAMP
);
CREATE INDEX ix_refresh_tokens_session_id ON refresh_tokens (session_id);

-- The pending one-time code per phone, stored as an HMAC, never in clear.
CREATE TABLE otp_codes (
  phone VARCHAR(20) PRIMARY KEY,
  code_hash VARCHAR(64) NOT NULL,
  created_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);
