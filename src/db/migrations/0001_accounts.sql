-- Public (non-tenant) tables: enterprises and their users (contract section 3.1, D5).
-- Timestamps are naive UTC written by the application as ISO 8601 text.

CREATE TABLE enterprises (
  id VARCHAR(36) PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  country VARCHAR(100) NOT NULL,
  tenant_schema VARCHAR(50) NOT NULL UNIQUE,
  is_active BOOLEAN NOT NULL DEFAULT TRUE,
  is_onboarded BOOLEAN NOT NULL DEFAULT FALSE,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
  id VARCHAR(36) PRIMARY KEY,
  email VARCHAR(255) NOT NULL UNIQUE,
  hashed_password VARCHAR(255),
  full_name VARCHAR(255) NOT NULL,
  phone VARCHAR(20) UNIQUE,
  role VARCHAR(20) NOT NULL DEFAULT 'operator',
  is_active BOOLEAN NOT NULL DEFAULT TRUE,
  otp_verified BOOLEAN NOT NULL DEFAULT FALSE,
  enterprise_id VARCHAR(36) REFERENCES enterprises(id),
  custom_permissions TEXT,
  assigned_packhouses TEXT,
  created_by VARCHAR(36),
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);

CREATE INDEX ix_users_enterprise_id ON users (enterprise_id);
