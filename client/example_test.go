package client_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/internal/embedded"
)

// Example runs the gateway in-process (embedded mode), creates a database
// and a table, and queries it. Against a remote gateway only the New call
// changes: client.New("http://host:8080", client.WithAPIKey(key)).
func Example() {
	dir, err := os.MkdirTemp("", "dbforge-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	backend, err := embedded.Open(dir, embedded.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer backend.Close()

	c := client.New(embedded.BaseURL, client.WithTransport(backend.Transport()))
	ctx := context.Background()

	if _, err := c.Spawn(ctx, "shop"); err != nil {
		log.Fatal(err)
	}
	if _, err := c.Query(ctx, "shop", client.QueryRequest{
		SQL: "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL)",
	}); err != nil {
		log.Fatal(err)
	}
	n, err := c.InsertRows(ctx, "shop", "items", []map[string]any{
		{"name": "apple", "price": 0.5},
		{"name": "melon", "price": 3.0},
		{"name": "cherry", "price": 7.25},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("inserted", n)

	res, err := c.Query(ctx, "shop", client.QueryRequest{
		SQL:    "SELECT name, price FROM items WHERE price > ? ORDER BY price",
		Params: []any{1.0},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range res.Rows {
		fmt.Printf("%s %.2f\n", row[0], row[1])
	}

	_, err = c.Query(ctx, "shop", client.QueryRequest{SQL: "SELECT * FROM nowhere"})
	fmt.Println(client.IsSQLError(err), err)
	// Output:
	// inserted 3
	// melon 3.00
	// cherry 7.25
	// true dbforge: 400 SQL_ERROR: SQL Error: no such table: nowhere
}
