package connector

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ConnectorError is an exception of the official connector's own (a ConnectorException):
// a config or setup the connector refuses. Other errors returned by Validate stand for
// JavaScript runtime errors (TypeError, SyntaxError, URIError) of the official code.
type ConnectorError struct{ Msg string }

func (e *ConnectorError) Error() string { return e.Msg }

func connErr(msg string) error { return &ConnectorError{msg} }

// IsRuntimeError reports whether err stands for a JavaScript runtime error of the official
// connector (whose exact message is V8's and is not reproduced) rather than a ConnectorError.
func IsRuntimeError(err error) bool {
	var je *jsError
	var se *SyntaxError
	return errors.As(err, &je) || errors.As(err, &se)
}

// SyntaxError is a config that is not valid JSON, located by line and column (1-based).
type SyntaxError struct {
	Line, Column int
	Msg          string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("integration config: line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// ErrConfigEmpty is the official connector's answer to a config whose Version is missing or
// falsy (or that is not a JSON object).
var ErrConfigEmpty = errors.New("integrationsConfigString can not be null or empty.")

// jsError is an exception the official connector raises from the JavaScript runtime
// (TypeError and the like), as opposed to its own ConnectorException messages.
type jsError struct{ msg string }

func (e *jsError) Error() string { return e.msg }

func readProp(of, prop string) error {
	return &jsError{fmt.Sprintf("Cannot read properties of %s (reading '%s')", of, prop)}
}

// notIterable is the TypeError of iterating (TypeScript's __values) a value that is not an array.
func notIterable(v jsVal) error {
	switch v.kind {
	case jsUndefined:
		return &jsError{"undefined is not iterable (cannot read property Symbol(Symbol.iterator))"}
	case jsNull:
		return &jsError{"object null is not iterable (cannot read property Symbol(Symbol.iterator))"}
	}
	return &jsError{"Object is not iterable."}
}

// syntaxError converts a JSON decoding error into a SyntaxError with line and column.
func syntaxError(data []byte, err error) error {
	var off int64 = -1
	msg := err.Error()
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
		if msg == "" {
			msg = "unexpected data after the top-level value"
		}
	case errors.As(err, &te):
		off = te.Offset
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		off = int64(len(data))
		msg = "unexpected end of JSON input"
	}
	if off < 0 {
		off = int64(len(data))
	}
	if msg == "" {
		msg = "invalid JSON"
	}
	line, col := 1, 1
	for i := int64(0); i < off && i < int64(len(data)); i++ {
		if data[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	if off > 0 && se != nil {
		col-- // the offset is just past the offending byte
		if col < 1 {
			col = 1
		}
	}
	return &SyntaxError{Line: line, Column: col, Msg: msg}
}

// errURIMalformed is the URIError decodeURIComponent throws on a malformed escape.
var errURIMalformed = &jsError{"URI malformed"}
