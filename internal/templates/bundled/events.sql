-- An events / time-series table, indexed by time, by kind and by subject.
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  ts TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  kind TEXT NOT NULL,
  subject TEXT,
  value REAL,
  data TEXT CHECK (data IS NULL OR json_valid(data))
);
CREATE INDEX idx_events_ts ON events(ts);
CREATE INDEX idx_events_kind_ts ON events(kind, ts);
CREATE INDEX idx_events_subject_ts ON events(subject, ts) WHERE subject IS NOT NULL;
CREATE VIEW events_per_hour AS
  SELECT substr(ts, 1, 13) AS hour, kind, count(*) AS events, avg(value) AS avg_value
  FROM events GROUP BY hour, kind;
