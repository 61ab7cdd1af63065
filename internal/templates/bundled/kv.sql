-- A key-value store: text keys, any value, optional expiry.
CREATE TABLE kv (
  key TEXT PRIMARY KEY,
  value,  -- no declared type: values are kept exactly as given (text, numbers, blobs)
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  expires_at TEXT
) WITHOUT ROWID;
CREATE INDEX idx_kv_expires ON kv(expires_at) WHERE expires_at IS NOT NULL;
