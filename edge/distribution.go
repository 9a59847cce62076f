package edge

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
)

// Distribution is the edge's equivalent of a CloudFront distribution: origins, functions, and
// an ordered list of cache behaviors mapping path patterns to an origin and function
// associations. The last behavior should be the default "*".
type Distribution struct {
	Origins   map[string]OriginSpec   `yaml:"origins"`
	Functions map[string]FunctionSpec `yaml:"functions"`
	Behaviors []Behavior              `yaml:"behaviors"`
}

// OriginSpec is an origin: "builtin" (the edge's own origin, or Config.OriginURL when set) or
// an http:// URL on loopback.
type OriginSpec struct {
	URL string `yaml:"url"`
}

// FunctionSpec describes a Lambda function in a distribution file.
type FunctionSpec struct {
	// Command runs the function; "@connector" stands for qload's own Go connector.
	Command        []string          `yaml:"command"`
	Env            map[string]string `yaml:"env"`
	MaxConcurrency int               `yaml:"maxConcurrency"`
	MaxRate        float64           `yaml:"maxRate"`
	Timeout        time.Duration     `yaml:"timeout"`
	IdleTimeout    time.Duration     `yaml:"idleTimeout"`
	Prewarm        int               `yaml:"prewarm"`
}

// Behavior maps a CloudFront path pattern to an origin and function associations.
type Behavior struct {
	PathPattern    string `yaml:"pathPattern"`
	Origin         string `yaml:"origin"`
	ViewerRequest  string `yaml:"viewerRequest"`
	ViewerResponse string `yaml:"viewerResponse"`
	IncludeBody    bool   `yaml:"includeBody"`
}

// DefaultDistribution is the built-in distribution: static assets straight to the origin,
// everything else through the connector's viewer-request and viewer-response functions.
const DefaultDistribution = `# qload's default distribution
origins:
  shop:
    url: builtin
functions:
  connector:
    command: ["@connector"]
behaviors:
  - pathPattern: "/static/*"
    origin: shop
  - pathPattern: "*.css"
    origin: shop
  - pathPattern: "*.js"
    origin: shop
  - pathPattern: "/favicon.ico"
    origin: shop
  - pathPattern: "*"
    origin: shop
    viewerRequest: connector
    viewerResponse: connector
`

// ParseDistribution reads a distribution file; errors name the line and the field.
func ParseDistribution(data []byte) (d *Distribution, err error) {
	d = &Distribution{}
	defer func() {
		// goccy/go-yaml v1.19.2 panics on some malformed input, such as a tag on a scalar
		// where a sequence is expected (goccy/go-yaml#735, fixed upstream after that release).
		if r := recover(); r != nil {
			d, err = nil, fmt.Errorf("distribution: malformed YAML (the decoder failed: %v)", r)
		}
	}()
	if err := yaml.NewDecoder(bytes.NewReader(data), yaml.Strict()).Decode(d); err != nil {
		return nil, fmt.Errorf("distribution: %s", yaml.FormatError(err, false, true))
	}
	if err := d.validate(); err != nil {
		return nil, fmt.Errorf("distribution: %w", err)
	}
	return d, nil
}

// LoadDistribution reads a distribution file, or the default when path is "".
func LoadDistribution(p string) (*Distribution, error) {
	if p == "" {
		return ParseDistribution([]byte(DefaultDistribution))
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	d, err := ParseDistribution(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return d, nil
}

func (d *Distribution) validate() error {
	if len(d.Behaviors) == 0 {
		return fmt.Errorf("behaviors: at least one behavior is needed (the default \"*\")")
	}
	for name, o := range d.Origins {
		if o.URL == "builtin" {
			continue
		}
		if err := RequireLoopbackURL(o.URL); err != nil {
			return fmt.Errorf("origins.%s.url: %w (or builtin)", name, err)
		}
	}
	for name, f := range d.Functions {
		if len(f.Command) == 0 || f.Command[0] == "" {
			return fmt.Errorf("functions.%s.command: missing", name)
		}
		for field, bad := range map[string]bool{"maxConcurrency": f.MaxConcurrency < 0, "timeout": f.Timeout < 0,
			"idleTimeout": f.IdleTimeout < 0, "prewarm": f.Prewarm < 0} {
			if bad {
				return fmt.Errorf("functions.%s.%s: negative", name, field)
			}
		}
	}
	for i, b := range d.Behaviors {
		at := fmt.Sprintf("behaviors[%d]", i)
		if b.PathPattern == "" {
			return fmt.Errorf("%s.pathPattern: missing", at)
		}
		if _, ok := d.Origins[b.Origin]; !ok {
			return fmt.Errorf("%s.origin: unknown origin %q", at, b.Origin)
		}
		for field, fn := range map[string]string{"viewerRequest": b.ViewerRequest, "viewerResponse": b.ViewerResponse} {
			if _, ok := d.Functions[fn]; fn != "" && !ok {
				return fmt.Errorf("%s.%s: unknown function %q", at, field, fn)
			}
		}
	}
	if last := d.Behaviors[len(d.Behaviors)-1].PathPattern; last != "*" {
		return fmt.Errorf("behaviors[%d].pathPattern: the last behavior must be the default \"*\", not %q", len(d.Behaviors)-1, last)
	}
	return nil
}

// RequireLoopbackURL accepts an http:// URL whose host is on loopback (127.0.0.0/8, ::1 or
// localhost): the edge sends traffic nowhere else.
func RequireLoopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q: %w", raw, err)
	}
	if u.Scheme != "http" || u.Host == "" {
		return fmt.Errorf("%q: want an http:// URL", raw)
	}
	if !isLoopbackHost(u.Hostname()) {
		return fmt.Errorf("%q: the edge sends traffic to loopback only (127.0.0.0/8, ::1, localhost)", raw)
	}
	return nil
}

// Route is the behavior of a viewer request whose path (escaped, as sent) is rawPath: the
// first behavior whose pattern matches its normalized form (NormalizePath), as CloudFront
// matches behaviors.
func (d *Distribution) Route(rawPath string) *Behavior { return d.Match(NormalizePath(rawPath)) }

// Match returns the first behavior whose path pattern matches the request path.
func (d *Distribution) Match(p string) *Behavior {
	for i := range d.Behaviors {
		if MatchPathPattern(d.Behaviors[i].PathPattern, p) {
			return &d.Behaviors[i]
		}
	}
	return nil
}

// MatchPathPattern matches a CloudFront path pattern: '*' matches any run of characters
// (including '/'), '?' exactly one, matching is case-sensitive, and a pattern without a leading
// '/' is taken as starting with one.
func MatchPathPattern(pattern, p string) bool {
	if pattern == "*" {
		return true
	}
	if !strings.HasPrefix(pattern, "/") && !strings.HasPrefix(pattern, "*") {
		pattern = "/" + pattern
	}
	return globMatch(pattern, p)
}

// globMatch is '*' (any run, '/' included) and '?' matching without character classes.
func globMatch(pattern, s string) bool {
	px, sx := 0, 0
	nextPx, nextSx := -1, -1
	for px < len(pattern) || sx < len(s) {
		if px < len(pattern) {
			switch c := pattern[px]; c {
			case '*':
				nextPx, nextSx = px, sx+1
				px++
				continue
			case '?':
				if sx < len(s) {
					px++
					sx++
					continue
				}
			default:
				if sx < len(s) && s[sx] == c {
					px++
					sx++
					continue
				}
			}
		}
		if nextSx > 0 && nextSx <= len(s) {
			px, sx = nextPx, nextSx
			continue
		}
		return false
	}
	return true
}
