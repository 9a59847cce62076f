package edge

import "strings"

// NormalizePath is the path CloudFront matches cache behaviors against: "CloudFront normalizes
// URI paths consistent with RFC 3986 and then matches the path with the correct cache behavior
// ... Some characters are normalized and removed from the path, such as multiple slashes (//)
// or periods (..)" (Path pattern,
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesCacheBehavior.html#DownloadDistValuesPathPattern).
// The normalized path only selects the behavior: the function and the origin get the raw path.
// In order:
//
//  1. percent-encoded unreserved characters (ALPHA, DIGIT, '-', '.', '_', '~') are decoded and
//     the hex digits of the other percent-encodings upper-cased (RFC 3986 §6.2.2.1–2); an
//     encoded '/' (%2F) stays encoded: it is not a segment separator; a '%' that starts no
//     escape becomes %25;
//  2. runs of '/' become one (as most origins, nginx's merge_slashes among them, read them);
//  3. dot segments are removed (RFC 3986 §5.2.4), so that /static/../sale/x is /sale/x.
//
// raw is the escaped path as the viewer sent it (no query string); a path not starting with
// '/' is taken as starting with one.
func NormalizePath(raw string) string {
	var b strings.Builder
	b.Grow(len(raw) + 1)
	if !strings.HasPrefix(raw, "/") {
		b.WriteByte('/')
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '%' && i+2 < len(raw) && isHex(raw[i+1]) && isHex(raw[i+2]) {
			d := unhex(raw[i+1])<<4 | unhex(raw[i+2])
			if isUnreserved(d) {
				c = d
			} else {
				b.WriteByte('%')
				b.WriteByte(upperHex(raw[i+1]))
				b.WriteByte(upperHex(raw[i+2]))
				i += 2
				continue
			}
			i += 2
		} else if c == '%' {
			// A stray '%' (Go's server refuses such paths; a raw path from elsewhere may have
			// one) is encoded, so that a decoded character after it cannot make a new escape.
			b.WriteString("%25")
			continue
		}
		if c == '/' && b.Len() > 0 && strings.HasSuffix(b.String(), "/") {
			continue
		}
		b.WriteByte(c)
	}
	return removeDotSegments(b.String())
}

// removeDotSegments is RFC 3986 §5.2.4 on a path that starts with '/' and has no empty
// segment except perhaps the last.
func removeDotSegments(p string) string {
	if !strings.Contains(p, "/.") {
		return p
	}
	segs := strings.Split(p[1:], "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
			continue
		}
		if last { // "/a/." and "/a/b/.." end in a slash
			out = append(out, "")
		}
	}
	return "/" + strings.Join(out, "/")
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func upperHex(c byte) byte {
	if 'a' <= c && c <= 'f' {
		return c - 'a' + 'A'
	}
	return c
}
