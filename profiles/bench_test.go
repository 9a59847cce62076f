package profiles

import "testing"

func BenchmarkParseFlashCrowd(b *testing.B) {
	data, _ := BuiltinYAML("flash-crowd")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("flash-crowd.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}
