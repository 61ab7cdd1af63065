package embedded_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/embedded"
)

// Open a data directory, create a database, write and read rows, and scan
// them into structs: no server runs.
func Example() {
	dir, err := os.MkdirTemp("", "dbforge-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	gw, err := embedded.Open(dir, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer gw.Close()
	c := gw.Client()
	ctx := context.Background()

	if _, err := c.Spawn(ctx, "app"); err != nil {
		log.Fatal(err)
	}
	for _, q := range []client.QueryRequest{
		{SQL: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL)"},
		{SQL: "INSERT INTO users (name, score) VALUES (?, ?), (?, ?)", Params: []any{"ada", 9.5, "linus", 7}},
	} {
		if _, err := c.Query(ctx, "app", q); err != nil {
			log.Fatal(err)
		}
	}
	res, err := c.Query(ctx, "app", client.QueryRequest{SQL: "SELECT id, name, score FROM users ORDER BY score DESC"})
	if err != nil {
		log.Fatal(err)
	}
	var users []struct {
		ID    int64   `db:"id"`
		Name  string  `db:"name"`
		Score float64 `db:"score"`
	}
	if err := res.Scan(&users); err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		fmt.Printf("%d %s %.1f\n", u.ID, u.Name, u.Score)
	}
	fmt.Println(res.Maps()[1]["name"])
	// Output:
	// 1 ada 9.5
	// 2 linus 7.0
	// linus
}
