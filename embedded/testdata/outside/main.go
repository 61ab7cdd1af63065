// Command outside embeds DB-Forge: it opens a data directory in-process,
// creates a database from a template, forks it, and queries both.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/dbforge/dbforge/client"
	"github.com/dbforge/dbforge/embedded"
)

func main() {
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "outside:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	gw, err := embedded.Open(dir, nil)
	if err != nil {
		return err
	}
	defer gw.Close()
	c := gw.Client()
	ctx := context.Background()
	if _, err := c.SpawnWith(ctx, "shop", client.SpawnOptions{Template: "ecommerce"}); err != nil {
		return err
	}
	if _, err := c.Fork(ctx, "shop", "shop_try", ""); err != nil {
		return err
	}
	if _, err := c.Query(ctx, "shop_try", client.QueryRequest{SQL: "DELETE FROM order_items"}); err != nil {
		return err
	}
	for _, db := range []string{"shop", "shop_try"} {
		res, err := c.Query(ctx, db, client.QueryRequest{SQL: "SELECT count(*) AS n FROM order_items"})
		if err != nil {
			return err
		}
		var rows []struct {
			N int `db:"n"`
		}
		if err := res.Scan(&rows); err != nil {
			return err
		}
		fmt.Printf("%s order_items=%d\n", db, rows[0].N)
	}
	return nil
}
