package compare_test

import (
	"fmt"
	"strings"

	"github.com/qload/qload/bench/compare"
	"github.com/qload/qload/bench/report"
)

func ExampleAnalyze() {
	var base, head report.Set
	line := func(ns string) string {
		return "BenchmarkVisitor/path=token/integrations=10/impl=go-2 1000 " + ns + " ns/op 1856 B/op 12 allocs/op\n"
	}
	report.Read(strings.NewReader(line("5000")+line("5050")+line("4950")+line("5020")+line("4980")+line("5010")), "base.txt", &base)
	report.Read(strings.NewReader(line("6000")+line("6050")+line("5950")+line("6020")+line("5980")+line("6010")), "head.txt", &head)
	a := compare.Analyze(&base, &head, 0.10, 0.05)
	for _, d := range a.Regressions() {
		fmt.Printf("%s %s: %.0f → %.0f (%+.0f%%, p=%.3f)\n", d.Name, d.Unit, d.Base, d.Head, d.Change*100, d.P)
	}
	// Output: Visitor/path=token/integrations=10/impl=go ns/op: 5005 → 6005 (+20%, p=0.002)
}
