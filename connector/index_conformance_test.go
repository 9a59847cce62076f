package connector_test

import (
	"context"
	"testing"

	"github.com/qload/qload/conformance"
	"github.com/qload/qload/connector"
)

// TestIndexAgreesOnGeneratedCases runs the differential test's generated cases through the
// CloudFront glue twice, every config with a prefiltered integration indexed and no config
// indexed, and requires the same results: the index changes no decision, on the conformance
// generator's configs (which the official connector's results check in TestDifferential).
func TestIndexAgreesOnGeneratedCases(t *testing.T) {
	ctx := context.Background()
	indexed := 0
	for _, seed := range []int64{11, 12} {
		for _, c := range conformance.Generate(seed, 1500) {
			text, err := c.ConfigString()
			if err != nil {
				continue
			}
			restore := connector.SetIndexFrom(1)
			if connector.Indexed(connector.Compile([]byte(text))) {
				indexed++
			}
			with := conformance.RunGo(ctx, &c)
			restore()
			restore = connector.SetIndexFrom(1 << 30)
			without := conformance.RunGo(ctx, &c)
			restore()
			if diffs := conformance.Compare(without, with); len(diffs) > 0 {
				t.Fatalf("seed %d, case %s: indexed and not indexed differ: %v", seed, c.Name, diffs)
			}
		}
	}
	t.Logf("%d configs indexed", indexed)
	if indexed < 100 {
		t.Fatalf("only %d of the generated configs were indexed: the test checks too little", indexed)
	}
}
