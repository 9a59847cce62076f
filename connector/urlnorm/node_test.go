package urlnorm

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// connectorDir finds an installed copy of @queue-it/connector-javascript
// 5.0.1: $QLOAD_CONNECTOR_JS, the conformance runner's node_modules, or the
// probe install in /tmp.
func connectorDir(t *testing.T) string {
	t.Helper()
	cands := []string{os.Getenv("QLOAD_CONNECTOR_JS"),
		filepath.Join("..", "..", "conformance", "node", "node_modules", "@queue-it", "connector-javascript"),
		"/tmp/npmprobe/node_modules/@queue-it/connector-javascript"}
	for _, c := range cands {
		if c == "" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(c, "package.json"))
		if err != nil {
			continue
		}
		var pkg struct{ Version string }
		if json.Unmarshal(b, &pkg) == nil && pkg.Version == "5.0.1" {
			abs, err := filepath.Abs(c)
			if err != nil {
				t.Fatal(err)
			}
			return abs
		}
	}
	t.Skip("@queue-it/connector-javascript 5.0.1 not found (set QLOAD_CONNECTOR_JS)")
	return ""
}

// normalizeInNode runs the official DefaultNormalizationProvider on every
// input; the second result is the provider applied twice.
func normalizeInNode(t *testing.T, in []string) [][2]string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not in PATH")
	}
	dir := connectorDir(t)
	script := `"use strict";
const { DefaultNormalizationProvider } = require(process.argv[1] + "/dist/Normalization/defaultNormalizationProvider");
const p = new DefaultNormalizationProvider();
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(input.map((s) => { const a = p.normalizeUrl(s); return [a, p.normalizeUrl(a)]; })));`
	var stdin bytes.Buffer
	enc := json.NewEncoder(&stdin)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(in); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := nodeContext(t)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "-e", script, dir)
	cmd.Stdin = &stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var out [][2]string
	if err := json.Unmarshal(res, &out); err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("node returned %d results for %d inputs", len(out), len(in))
	}
	return out
}

var probes = []string{
	"", " ", "\t\n", "\u00a0\ufeff\u3000", "a", ".", "..", "...", "/", "//", "///", "\\", "\\\\",
	"https://example.com", "https://example.com/", "https://example.com//a///b", "http://h/a/./b/../c",
	"https://h/a/b/../../../../c", "https://h/..", "https://h/.", "https://h/a/..", "https://h/a/.", "https://h/a/...",
	"HTTPS://Example.com/a/../b", "HTTPS://h/../../x", "Http://h/a/./b", "ftp://h/a/../b", "//h/a/../b",
	"https:///h/x", "https:////h/x", "http:\\\\h\\a\\..\\b", "https:\\/h/x", "http://", "https://", "http:///",
	"example.com", "example.com/a/../b", "a.b", "a.", ".a", "a.b.", "./a", "../a", "../../a/b", ".././a",
	"a/../b", "a/./b", "/a/b/c/./../../g", "mid/content=5/../6", "/./", "/../", "/.../", "/.a/", "/a./",
	"https://h/%2e%2E/x", "https://h/a/%2e%2e/b", "https://h/%2E/x", "https://h/%41%62%7e%7E%5f%2D%2e",
	"https://h/%2f%2F%25%3a%3A%3f%23%5B%5d%40", "https://h/%c3%a9%C3%A9", "https://h/%zz%4%%", "https://h/%%41",
	"https://h/%2541", "https://h/%a%ab%aB%Ab%AB", "https://h/é?é#é", "https://h/ü ö", "https://h/a b?c d#e f",
	"https://h/p?q=%20&r=a%20b#f%20g", "https://h/p#f%20g?x%20y", "https://h/p%20q?r%20s", "https://h/p?%2520",
	"https://h/p?a=1&b=2//3#//4", "https://h/p?x=http://y//z", "https://h/a:b//c", "a://b", "://x", "x:////y",
	"https://h/😀", "😀", " 😀 ", "https://h/\U0001F600?x", "https://h/\ud7ff\ue000\uffff", "https://h/\u2028x",
	"https://h/\u0000\u001f\u007f", "https://h/{}|^`\"<>", "https://h/[]@!$&'()*+,;=:", "https://h/~-._",
	"  https://h/a  ", "\thttps://h/a\n", "https://h/a\r\nb", "https://h/\u00a0x\u00a0", "https://h/ΣΑΣ",
	"https://h/p?q#f?g", "https://h/p#f#g", "?", "#", "?a/../b", "#a/../b", "/?//", "/#//", "https://h?x",
	"https://h#x", "https://h.com?x//y", "h.com?x", "https://user:pw@h.com:8080/a/../b?c#d",
	"https://[::1]:8080/a//b", "http://h/a/b/c/../../../../..", "http://h/./../.", "https://h/%2e%2e%2f",
	"https://h/a\\..\\b", "https://h/\xff", "\xff", "https://h/a\xe2\x82/b", "https://h/%ff%FE",
	"https://h/" + strings.Repeat("a/", 200) + strings.Repeat("../", 150),
}

var (
	schemes = []string{"", "", "http://", "https://", "https://", "HTTPS://", "Http://", "ftp://", "//", "http:",
		"http:/", "https:///", "http:\\\\", "https:\\/", "mailto:", "http:////"}
	hosts = []string{"example.com", "a.b", "localhost", "h", "EXAMPLE.COM:8080", "user@host.com", "[::1]",
		"bücher.de", "192.168.0.1", ".", "..", "...", "a.", ".a", "", "www.x.y.z"}
	pieces = []string{"/", "/", "/", "//", "///", "\\", "a", "b", "ab", ".", ".", "..", "..", "...", ".a", "a.",
		"%2e", "%2E", "%2e%2e", "%2F", "%2f", "%41", "%61", "%7e", "%7E", "%5F", "%2d", "%20", "%25", "%", "%4",
		"%zz", "%c3%a9", "%C3%A9", "%ab", "%aB", "é", "ü", "😀", " ", "\t", ";", "=", ":", "@", "!", "$", "&", "'",
		"(", ")", "*", "+", ",", "[", "]", "{", "}", "|", "^", "`", "\"", "<", ">", "~", "\u00a0", "\u2028",
		"\ufeff", "\x00", "\x7f", "\r", "\n", "a:b", "::", "\u3000", "\uffff", "Σ", "?", "#", "%3F", "%23"}
	spaces = []string{"", "", "", "", " ", "\t", "\n", "\u00a0", "\ufeff", "\u3000", " \u2029 "}
)

func randomURL(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString(spaces[r.IntN(len(spaces))])
	b.WriteString(schemes[r.IntN(len(schemes))])
	if r.IntN(4) != 0 {
		b.WriteString(hosts[r.IntN(len(hosts))])
	}
	for n := r.IntN(12); n > 0; n-- {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	if r.IntN(2) == 0 {
		b.WriteByte('?')
		for n := r.IntN(8); n > 0; n-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
	}
	if r.IntN(3) == 0 {
		b.WriteByte('#')
		for n := r.IntN(6); n > 0; n-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
	}
	b.WriteString(spaces[r.IntN(len(spaces))])
	return b.String()
}

func TestNodeNormalize(t *testing.T) {
	r := rand.New(rand.NewPCG(2024, 501))
	in := append([]string(nil), probes...)
	for i := 0; i < 6000; i++ {
		in = append(in, randomURL(r))
	}
	// single characters: every ASCII byte and a sample of the BMP
	for c := 0; c < 0x80; c++ {
		in = append(in, "https://h/"+string(rune(c))+"?"+string(rune(c)), string(rune(c)))
	}
	for c := rune(0x80); c <= 0xffff; c += 1 + rune(r.IntN(97)) {
		if c < 0xd800 || c > 0xdfff {
			in = append(in, "https://h/x"+string(c)+"y")
		}
	}
	out := normalizeInNode(t, in)
	bad, idem := 0, 0
	for i, s := range in {
		got := validJS(Normalize(s))
		if got != out[i][0] {
			bad++
			if bad < 30 {
				t.Errorf("Normalize(%+q) = %+q, node %+q", s, got, out[i][0])
			}
		}
		if out[i][1] != out[i][0] {
			idem++
		}
		if got2 := validJS(Normalize(Normalize(s))); got2 != out[i][1] {
			bad++
			if bad < 30 {
				t.Errorf("Normalize(Normalize(%+q)) = %+q, node %+q", s, got2, out[i][1])
			}
		}
	}
	t.Logf("%d inputs, %d mismatches; node's normalization is not idempotent on %d of them", len(in), bad, idem)
}

// TestNodeDotSegmentsHugeSegment checks the RangeError that V8's regexp
// backtracking stack raises in the dot-segment step for a path segment
// longer than maxSegmentMatch. Only that step is run in node: the whole
// pipeline would take hours on such input, because the look-behind of step
// 11 makes it quadratic.
func TestNodeDotSegmentsHugeSegment(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not in PATH")
	}
	dir := connectorDir(t)
	script := `"use strict";
const S = require(process.argv[1] + "/dist/Normalization/defaultUrlNormalizationStep").DefaultUrlNormalizationStep;
const seg = "a".repeat(+process.argv[2] - 1);
const out = [];
for (const s of ["https://h/" + seg, "https://h/" + seg + "b", "https://h/x/" + seg + "b/../c", "a" + seg, "h.com/" + seg + "bb"]) {
  try { S.removeDotSegments.execute(s, (x) => x); out.push(true); } catch (e) { out.push(String(e)); }
}
process.stdout.write(JSON.stringify(out));`
	for _, n := range []int{maxSegmentMatch - 1, maxSegmentMatch} {
		ctx, cancel := nodeContext(t)
		res, err := exec.CommandContext(ctx, node, "-e", script, dir, strconv.Itoa(n)).Output()
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		var ok []any
		if err := json.Unmarshal(res, &ok); err != nil {
			t.Fatal(err)
		}
		seg := strings.Repeat("a", n-1)
		for i, s := range []string{"https://h/" + seg, "https://h/" + seg + "b", "https://h/x/" + seg + "b/../c", "a" + seg, "h.com/" + seg + "bb"} {
			_, got := removeDotSegments(nil, []byte(s))
			if want := ok[i] == true; got != want {
				t.Errorf("n=%d input %d: Go ok=%v, node %v", n, i, got, ok[i])
			}
			if n == maxSegmentMatch && i == 0 && ok[i] != true {
				t.Errorf("node fails below the limit: %v", ok[i])
			}
		}
	}
}

// nodeContext bounds a node run so that it is killed before the test binary
// times out (which would leave it running).
func nodeContext(t *testing.T) (context.Context, context.CancelFunc) {
	d := 5 * time.Minute
	if dl, ok := t.Deadline(); ok {
		d = time.Until(dl) - 10*time.Second
	}
	return context.WithTimeout(context.Background(), d)
}
