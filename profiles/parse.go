package profiles

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// ParseError is what Parse reports: the file, the line, the field (a path such as
// "journeys[0].steps[2].expect") and what is wrong with it. Line is 0 when the profile was not
// read from YAML (Validate on a Profile built in code).
type ParseError struct {
	File  string // the file name given to Parse
	Line  int    // 1-based; 0 when unknown
	Field string // the field's path in the document; "" for the document as a whole
	Msg   string // what is wrong
}

// Error formats the error as file:line: field: message, e.g.
// `flash-crowd.yaml:14: journeys[0].steps[2].expect: unknown outcome class "pas"`.
func (e *ParseError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:", e.Line)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Parse reads a profile from YAML, fills in the documented defaults of absent optional fields
// and validates it. name is the file name errors are reported against (and the profile's name
// when the document has no name: the base name without extension). Unknown fields, values of
// the wrong type and out-of-range values are errors (*ParseError); nothing is clamped.
func Parse(name string, data []byte) (*Profile, error) {
	p, body, err := decode(name, data)
	if err != nil {
		return nil, err
	}
	doc := newDocument(body)
	if p.Name == "" && !doc.has("name") {
		p.Name = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	setDefaults(p, doc)
	if err := validate(p, name, doc); err != nil {
		return nil, err
	}
	return p, nil
}

// decode parses the YAML into a Profile strictly (unknown fields are errors) and returns the
// document's root node.
func decode(name string, data []byte) (p *Profile, body ast.Node, err error) {
	defer func() {
		// goccy/go-yaml v1.19.2 panics on some malformed input, such as a tag on a scalar
		// where a sequence is expected (goccy/go-yaml#735, fixed upstream after that release).
		if r := recover(); r != nil {
			p, body, err = nil, nil, &ParseError{File: name, Msg: fmt.Sprintf("malformed YAML (the decoder failed: %v)", r)}
		}
	}()
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, nil, yamlError(name, nil, err)
	}
	for i, doc := range file.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		if body != nil {
			return nil, nil, &ParseError{File: name, Line: line(doc.Body), Msg: fmt.Sprintf("one YAML document expected, found a second one (document %d)", i+1)}
		}
		body = doc.Body
	}
	if body == nil {
		return nil, nil, &ParseError{File: name, Msg: "empty profile"}
	}
	if t := body.Type(); t != ast.MappingType && t != ast.MappingValueType {
		return nil, nil, &ParseError{File: name, Line: line(body), Msg: fmt.Sprintf("a profile is a mapping (name, limits, waitingRoom, arrivals, journeys, ...), not a %s", nodeKind(body))}
	}
	p = &Profile{}
	if err := yaml.NodeToValue(body, p, yaml.Strict()); err != nil {
		return nil, nil, yamlError(name, file, err)
	}
	return p, body, nil
}

// Load reads a built-in profile by name (see Builtin) or a profile file. A bare name that is a
// built-in's is the built-in, even when a file of that name exists; "./steady" is the file.
func Load(nameOrFile string) (*Profile, error) {
	if data, ok := builtinData(nameOrFile); ok {
		return Parse(nameOrFile+".yaml", data)
	}
	data, err := os.ReadFile(nameOrFile)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && !strings.ContainsAny(nameOrFile, `/\.`) {
			return nil, fmt.Errorf("profile %q: neither a built-in profile (%s) nor a file", nameOrFile, strings.Join(Builtin(), ", "))
		}
		return nil, fmt.Errorf("reading profile: %w", err)
	}
	return Parse(nameOrFile, data)
}

// Marshal writes the profile as YAML, defaults filled in, the way Parse reads it back: Parse of
// Marshal's output gives an equal profile. It does not validate.
func Marshal(p *Profile) ([]byte, error) {
	out, err := yaml.MarshalWithOptions(p, yaml.Indent(2), yaml.IndentSequence(true))
	if err != nil {
		return nil, fmt.Errorf("marshaling profile %q: %w", p.Name, err)
	}
	return out, nil
}

// yamlError turns a go-yaml error into a ParseError with the line and, where the AST knows it,
// the field path.
func yamlError(name string, file *ast.File, err error) error {
	var ye yaml.Error
	if !errors.As(err, &ye) {
		pe := &ParseError{File: name, Msg: err.Error()}
		// A duration the time package rejects comes without a position: find its scalar.
		if m := badDuration.FindStringSubmatch(err.Error()); m != nil && file != nil {
			if v, uerr := strconv.Unquote(m[1]); uerr == nil {
				pe.Line, pe.Field = scalarAt(file, v)
				pe.Msg = fmt.Sprintf("%q is not a duration (write e.g. 10s, 1m30s or 500ms)", v)
			}
		}
		return pe
	}
	pe := &ParseError{File: name, Msg: ye.GetMessage()}
	var te *yaml.TypeError
	if errors.As(err, &te) && te.Token != nil && te.DstType == reflect.TypeFor[time.Duration]() {
		pe.Msg = fmt.Sprintf("%s is not a duration (write e.g. 10s, 1m30s or 500ms)", te.Token.Value)
	}
	if tk := ye.GetToken(); tk != nil && tk.Position != nil {
		pe.Line = tk.Position.Line
		if file != nil {
			pe.Field = fieldAt(file, tk.Position.Line, tk.Position.Column)
		}
	}
	return pe
}

// badDuration matches time.ParseDuration's error.
var badDuration = regexp.MustCompile(`^time: (?:invalid|unknown unit .* in) duration ("(?:[^"\\]|\\.)*")$`)

// scalarAt finds the first scalar of the given value: its line and field path.
func scalarAt(file *ast.File, value string) (ln int, field string) {
	for _, doc := range file.Docs {
		ast.Walk(visitorFunc(func(n ast.Node) bool {
			if s, ok := n.(*ast.StringNode); ok && ln == 0 && s.Value == value {
				ln, field = line(n), strings.TrimPrefix(strings.TrimPrefix(n.GetPath(), "$"), ".")
			}
			return ln == 0
		}), doc)
	}
	return ln, field
}

// fieldAt is the field path of the innermost node at the given position.
func fieldAt(file *ast.File, ln, col int) string {
	var found string
	for _, doc := range file.Docs {
		ast.Walk(visitorFunc(func(n ast.Node) bool {
			tk := n.GetToken()
			if tk != nil && tk.Position != nil && tk.Position.Line == ln && tk.Position.Column == col {
				found = n.GetPath()
			}
			return true
		}), doc)
	}
	return strings.TrimPrefix(strings.TrimPrefix(found, "$"), ".")
}
