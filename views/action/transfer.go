package action

// ExportDatabase (and ImportFile) name their Format as internal/app's
// format table does (app.CSV, app.SQL, …).

// ExportDatabase writes a table (CSV, JSON, NDJSON) or the whole database
// (SQL dump, Table "") of DB to the file at Path.
type ExportDatabase struct {
	DB, Table, Path, Format string
}

// ImportFile loads the file at Path into DB: CSV into Table (created when
// missing), or a SQL script run in one transaction.
type ImportFile struct {
	DB, Table, Path, Format string
}

// BackupDatabase takes a snapshot of DB (already confirmed).
type BackupDatabase struct{ DB string }

// ListBackups fetches DB's backups for the databases pane to show.
type ListBackups struct{ DB string }

// RestoreBackup replaces DB's content with backup Name (already confirmed).
type RestoreBackup struct{ DB, Name string }
