package edge_test

import (
	"context"
	"fmt"
	"log"

	"github.com/qload/qload/edge"
)

// NormalizePath is the path behaviors are matched against; the raw path still goes to the
// function and the origin.
func ExampleNormalizePath() {
	for _, p := range []string{"/static/../sale/x", "/st%61tic//a.css", "/static/%2e%2e/sale", "/a%2Fb"} {
		fmt.Println(p, "→", edge.NormalizePath(p))
	}
	// Output:
	// /static/../sale/x → /sale/x
	// /st%61tic//a.css → /static/a.css
	// /static/%2e%2e/sale → /sale
	// /a%2Fb → /a%2Fb
}

// A control client takes the control address as `qload serve` prints it, and changes only the
// faults it names.
func ExampleControlClient_SetFaults() {
	c, err := edge.NewControlClient("127.0.0.1:8081")
	if err != nil {
		log.Fatal(err)
	}
	rate := 0.05
	f, err := c.SetFaults(context.Background(), edge.FaultsUpdate{CrashRate: &rate})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", f)
}
