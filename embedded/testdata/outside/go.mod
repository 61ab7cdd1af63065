// An outside program that embeds DB-Forge through its public packages.
// TestOutsideModule copies it to a temporary directory, points the replace
// directive at this repository and runs it offline.
module example.com/outside

go 1.26.0

require github.com/dbforge/dbforge v0.0.0

replace github.com/dbforge/dbforge => ../../..
