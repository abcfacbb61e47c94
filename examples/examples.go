// Package examples embeds the shipped example AIMSs, so `aims init
// --example` can scaffold a complete, realistic one and tests can check that
// every example stays valid.
package examples

import "embed"

// Northwind is the complete example: Northwind Lending, a fictional consumer
// lender with four AI systems across risk tiers.
//
//go:embed all:northwind
var Northwind embed.FS
