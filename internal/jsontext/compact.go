package jsontext

// AppendCompact appends data, which must be valid JSON, without the white space
// between tokens. Strings, number literals and key order stay exactly as written.
func AppendCompact(dst, data []byte) []byte {
	start := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			dst = append(dst, data[start:i]...)
			start = i + 1
		case '"':
			// Jump over the string so that its spaces stay.
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
		}
	}
	return append(dst, data[start:]...)
}
