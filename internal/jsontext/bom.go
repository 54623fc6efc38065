package jsontext

import "bytes"

// BOM is the UTF-8 byte-order mark, which some writers put before a document. JSON
// forbids it (RFC 8259 §8.1) but readers may ignore it: smarthook reads past it,
// validate warns about it, and outputs leave it out unless asked.
var BOM = []byte{0xEF, 0xBB, 0xBF}

// TrimBOM returns b without a leading byte-order mark.
func TrimBOM(b []byte) []byte { return bytes.TrimPrefix(b, BOM) }
