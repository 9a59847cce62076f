package connector

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// automatonFinds runs an automaton of needles over hay and returns which needles it found.
func automatonFinds(t *testing.T, needles []string, hay string) []bool {
	t.Helper()
	var a automaton
	ids := make([]int32, len(needles))
	for i := range ids {
		ids[i] = int32(i)
	}
	if !a.compile(needles, ids) {
		t.Fatalf("compile(%q) refused", needles)
	}
	found := make([]uint64, (len(needles)+63)/64)
	a.scan(hay, found)
	got := make([]bool, len(needles))
	for i := range needles {
		got[i] = found[i/64]&(1<<(i%64)) != 0
	}
	return got
}

func checkAutomaton(t *testing.T, needles []string, hay string) {
	t.Helper()
	got := automatonFinds(t, needles, hay)
	for i, nd := range needles {
		if want := strings.Contains(hay, nd); got[i] != want {
			t.Fatalf("needles %q in %q: needle %q found %v, want %v", needles, hay, nd, got[i], want)
		}
	}
}

func TestAutomaton(t *testing.T) {
	for _, tc := range []struct {
		hay     string
		needles []string
	}{
		{"/SALE/TICKETS", []string{"/OTHER-1", "/OTHER-2", "/SALE"}},
		{"ushers", []string{"he", "she", "his", "hers"}},          // outputs through failure links
		{"aaaa", []string{"a", "aa", "aaa", "aaaaa"}},             // nested, overlapping
		{"abcabd", []string{"abd", "bca", "cab", "abcabdx", "d"}}, // failures mid-needle
		{"", []string{"x"}},
		{"x", []string{"x", "x"}}, // a duplicate
		{"caf\xc3\xa9 \xff\x00", []string{"\xc3\xa9", "\xff\x00", "\x00"}},
		{"/sale", []string{"/SALE"}}, // case matters: the caller folds
	} {
		checkAutomaton(t, tc.needles, tc.hay)
	}
	// Every byte value in the needles: 256 classes besides none.
	var all []string
	for c := 0; c < 256; c++ {
		all = append(all, string([]byte{byte(c), byte(255 - c)}))
	}
	checkAutomaton(t, all, "\x00\xff\x10\xef\x80\x7f")
}

func TestAutomatonTooLarge(t *testing.T) {
	var a automaton
	if a.compile([]string{strings.Repeat("x", maxIndexCells/2)}, []int32{0}) { // two classes
		t.Fatal("an automaton over maxIndexCells was built")
	}
	// A config whose needles are too many for the index is matched without it, alike.
	var needles []string
	for i := 0; i < 300; i++ {
		needles = append(needles, fmt.Sprintf("/%d-%s", i, strings.Repeat("ab", 1000)))
	}
	cfg := indexedConfig(t, needles, bytes.Repeat([]byte{0x05}, 300))
	if cfg.index != nil {
		t.Fatal("a config of 600,000 needle bytes was indexed")
	}
}

// FuzzAutomaton checks the automaton against strings.Contains: needles are the input's
// '|'-separated pieces (empty ones left out, as compileIndex does).
func FuzzAutomaton(f *testing.F) {
	f.Add("he|she|his|hers", "ushers")
	f.Add("/OTHER-1|/SALE|SALE/T", "/SALE/TICKETS")
	f.Add("a|aa|b\xffa", "aab\xffaa")
	f.Fuzz(func(t *testing.T, list, hay string) {
		if len(list) > 1000 {
			list = list[:1000] // the table stays below maxIndexCells (1 001 states × 512)
		}
		var needles []string
		for _, nd := range strings.Split(list, "|") {
			if nd != "" && len(needles) < 100 {
				needles = append(needles, nd)
			}
		}
		checkAutomaton(t, needles, hay)
	})
}
