package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Sizes of the generated tables.
const (
	Customers = 400
	Products  = 120
	Orders    = 1500
	batchSize = 250
)

const schema = `CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  city TEXT NOT NULL,
  country TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  price REAL NOT NULL CHECK (price > 0),
  stock INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  status TEXT NOT NULL CHECK (status IN ('pending','paid','shipped','delivered','cancelled')),
  ordered_at TEXT NOT NULL,
  total REAL NOT NULL DEFAULT 0
);
CREATE TABLE order_items (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  product_id INTEGER NOT NULL REFERENCES products(id),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  unit_price REAL NOT NULL
);
CREATE INDEX idx_orders_customer ON orders(customer_id);
CREATE INDEX idx_orders_ordered_at ON orders(ordered_at);
CREATE INDEX idx_items_order ON order_items(order_id);
CREATE INDEX idx_items_product ON order_items(product_id);
CREATE INDEX idx_products_category ON products(category);
CREATE VIEW revenue_by_month AS
  SELECT substr(ordered_at, 1, 7) AS month, count(*) AS orders, round(sum(total), 2) AS revenue
  FROM orders WHERE status <> 'cancelled' GROUP BY 1 ORDER BY 1`

// Statements returns the schema and data as single statements, in order,
// identical on every call.
func Statements() []string {
	// the word lists live here, not at package level, so no command but
	// the demo's first run pays for building them
	var (
		firstNames = []string{"Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger",
			"Radia", "Donald", "Hedy", "John", "Karen", "Niklaus", "Sophie", "Tim", "Yukihiro", "Anita"}
		lastNames = []string{"Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen",
			"Dijkstra", "Perlman", "Knuth", "Lamarr", "McCarthy", "Spärck Jones", "Wirth", "Wilson", "Berners-Lee", "Matsumoto", "Borg"}
		places = [][2]string{{"Lisbon", "PT"}, {"Berlin", "DE"}, {"Paris", "FR"}, {"Madrid", "ES"}, {"Oslo", "NO"},
			{"Toronto", "CA"}, {"Austin", "US"}, {"Osaka", "JP"}, {"Melbourne", "AU"}, {"São Paulo", "BR"}, {"Nairobi", "KE"}, {"Pune", "IN"}}
		categories = []string{"books", "garden", "kitchen", "music", "outdoor", "toys", "tools"}
		adjectives = []string{"Classic", "Compact", "Deluxe", "Eco", "Pocket", "Pro", "Rustic", "Smart", "Solid", "Trusty"}
		nouns      = map[string][]string{
			"books":   {"Cookbook", "Atlas", "Novel", "Field Guide", "Poetry Book"},
			"garden":  {"Trowel", "Planter", "Hose", "Seed Kit", "Pruner"},
			"kitchen": {"Kettle", "Skillet", "Knife Set", "Grinder", "Teapot"},
			"music":   {"Ukulele", "Metronome", "Harmonica", "Drum Pad", "Capo"},
			"outdoor": {"Tent", "Lantern", "Backpack", "Hammock", "Flask"},
			"toys":    {"Puzzle", "Kite", "Robot", "Yo-yo", "Block Set"},
			"tools":   {"Hammer", "Level", "Drill", "Wrench", "Tape Measure"},
		}
		statuses = []string{"delivered", "delivered", "delivered", "shipped", "paid", "pending", "cancelled"}
		epoch    = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	)
	r := rand.New(rand.NewPCG(20240101, 42))
	out := strings.Split(schema, ";\n")
	out = append(out, batches("customers", "id, name, email, city, country, created_at", Customers, func(i int) string {
		f, l := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		p := places[r.IntN(len(places))]
		email := fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(f), strings.ToLower(strings.ReplaceAll(l, " ", "")), i)
		at := epoch.Add(time.Duration(r.IntN(365*24)) * time.Hour)
		return fmt.Sprintf("(%d, %s, %s, %s, %s, '%s')", i, quote(f+" "+l), quote(email), quote(p[0]), quote(p[1]), at.Format(time.DateTime))
	})...)
	prices := make([]float64, Products+1)
	out = append(out, batches("products", "id, sku, name, category, price, stock", Products, func(i int) string {
		c := categories[r.IntN(len(categories))]
		name := adjectives[r.IntN(len(adjectives))] + " " + nouns[c][r.IntN(len(nouns[c]))]
		prices[i] = float64(199+r.IntN(19800)) / 100
		return fmt.Sprintf("(%d, 'SKU-%05d', %s, '%s', %.2f, %d)", i, 1000+i*7, quote(name), c, prices[i], r.IntN(500))
	})...)
	// Orders grow over time, so revenue_by_month has a trend worth charting.
	totals := make([]float64, Orders+1)
	var items []string
	itemID := 0
	for o := 1; o <= Orders; o++ {
		for n := 1 + r.IntN(5); n > 0; n-- {
			itemID++
			p := 1 + r.IntN(Products)
			q := 1 + r.IntN(4)
			totals[o] += float64(q) * prices[p]
			items = append(items, fmt.Sprintf("(%d, %d, %d, %d, %.2f)", itemID, o, p, q, prices[p]))
		}
	}
	out = append(out, batches("orders", "id, customer_id, status, ordered_at, total", Orders, func(i int) string {
		frac := float64(i) / Orders
		day := int(frac*frac*540) + r.IntN(20)
		at := epoch.Add(time.Duration(day)*24*time.Hour + time.Duration(r.IntN(86400))*time.Second)
		return fmt.Sprintf("(%d, %d, '%s', '%s', %.2f)", i, 1+r.IntN(Customers), statuses[r.IntN(len(statuses))], at.Format(time.DateTime), totals[i])
	})...)
	out = append(out, batches("order_items", "id, order_id, product_id, quantity, unit_price", len(items), func(i int) string {
		return items[i-1]
	})...)
	return out
}

// batches renders rows 1..n as multi-row INSERTs of batchSize rows each.
func batches(table, cols string, n int, row func(i int) string) []string {
	var out []string
	for start := 1; start <= n; start += batchSize {
		var b strings.Builder
		fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES\n", table, cols)
		for i := start; i < start+batchSize && i <= n; i++ {
			if i > start {
				b.WriteString(",\n")
			}
			b.WriteString(row(i))
		}
		out = append(out, b.String())
	}
	return out
}

// quote makes a SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
