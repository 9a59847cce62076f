// Package js reproduces, on Go strings, the exact semantics of the few
// JavaScript (V8, as shipped in Node.js 20) string operations that the
// Queue-it KnownUser connector core relies on: parseInt, toUpperCase,
// toLowerCase, trim, encodeURIComponent, decodeURIComponent and Node's
// querystring.parse.
//
// # Strings
//
// JavaScript strings are sequences of UTF-16 code units; Go strings are
// sequences of bytes that are normally UTF-8. Every function in this package
// treats its input as the JavaScript string that a UTF-8 decoder would have
// produced from it:
//
//   - valid UTF-8 maps one-to-one to a well-formed UTF-16 string (code points
//     above U+FFFF are a surrogate pair in JavaScript, one rune in Go);
//   - every byte that is not part of a valid UTF-8 sequence (including the
//     CESU-style encodings of surrogates, ED A0 80..ED BF BF) stands for one
//     U+FFFD REPLACEMENT CHARACTER, exactly as Go's range loop decodes it.
//
// Functions that produce new text (ToUpper, ToLower, DecodeURIComponent,
// QueryStringGet) therefore emit U+FFFD for each invalid byte, and the
// encoders emit its escape %EF%BF%BD. Trim, which returns a substring, keeps
// such bytes; any later function of this package reads them as U+FFFD again.
//
// A JavaScript string can also contain an unpaired surrogate, which has no
// UTF-8 representation; such strings cannot be passed to this package.
//
// Every function is checked against node by the tests of this package (they
// are skipped when node is not installed).
package js
