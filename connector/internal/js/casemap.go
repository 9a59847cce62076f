package js

import "unicode"

var specialUpper = map[rune]string{'ß': "SS", 'ﬀ': "FF", 'ﬁ': "FI", 'ﬂ': "FL", 'ﬃ': "FFI", 'ﬄ': "FFL", 'ﬅ': "ST", 'ﬆ': "ST", 'ŉ': "ʼN"}

func toUpperRune(r rune) rune { return unicode.ToUpper(r) }
func toLowerRune(r rune) rune { return unicode.ToLower(r) }
