// Package rules is the catalog of validation rules: their stable ids, severities and
// meanings, the Finding that names a rule broken at a place in a document, and the JSON
// members every command prints a finding with (AppendJSON).
//
// The rules are checked where the data they need is, and only there:
//
//	rule            checked in                                  by
//	read            input (ReadError on a Record)               every command's reporter
//	syntax          jsontext scanner, via payload.Decoder.Decode payload.SyntaxFinding
//	type            payload/check.go, payload/check_hook.go     Decoder.check*
//	required        payload/check.go                            Decoder.required
//	kind            payload/check.go                            Decoder.check
//	bom             payload/decode.go                           Decoder.Decode
//	field-type      payload/check.go, payload/check_hook.go     Decoder.want*
//	timestamp-unit  payload/check_hook.go                       Decoder.timestamp
//	time-order      payload/check_hook.go                       Decoder.checkHook, checkMessages
//	rating-range    payload/check_hook.go                       Decoder.checkChannel
//	message-type    payload/check_hook.go                       Decoder.checkMessageType
//	system-code     payload/check_hook.go                       Decoder.checkMessageType
//	time-format     payload/check_webhook.go                    Decoder.wantTime
//	duplicate-chat  payload/duplicate.go (spans documents)      payload.Chats.Check
//	webhook-event   payload/check_webhook.go                    Decoder.checkWebhook
//	several-documents input (Record.Several on a .json file)     findings.Reading (validate)
//
// Rules about one document run in payload's decoder on the workers; a rule that spans
// documents keeps its state in payload and is fed in input order by the command
// (validate). Adding a rule: its ID and Catalog line here, its check in payload next to
// the fields it reads, a case in payload's rules tests, and a line in this table.
package rules
