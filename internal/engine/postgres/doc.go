// Package postgres is the engine's PostgreSQL backend.
package postgres
