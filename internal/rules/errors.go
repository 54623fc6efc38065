package rules

// Errors copies the error-severity findings of fs (decoders reuse their slices, so a
// caller that keeps them needs a copy); nil when there is none.
func Errors(fs []Finding) []Finding {
	var errs []Finding
	for _, f := range fs {
		if f.Severity == Error {
			errs = append(errs, f)
		}
	}
	return errs
}
