package inspect

// Change is one difference between two documents, at a JSON pointer.
type Change struct {
	Op      string `json:"op"` // added, removed, changed
	Pointer string `json:"pointer"`
	A       string `json:"a,omitempty"` // the value in the first, compact JSON
	B       string `json:"b,omitempty"` // the value in the second
}

// maxChanges bounds a diff's length; past it the diff says it was cut.
const maxChanges = 2000

// diffTrees lists what differs from a to b: object members by key (in a's order,
// then b's new ones), array items by index, scalars by type and literal.
func diffTrees(a, b *node) (changes []Change, cut bool) {
	var walk func(a, b *node)
	add := func(c Change) {
		if len(changes) == maxChanges {
			cut = true
			return
		}
		changes = append(changes, c)
	}
	walk = func(a, b *node) {
		switch {
		case a.Type != b.Type:
			add(Change{Op: "changed", Pointer: a.Pointer, A: compact(a), B: compact(b)})
		case a.Type == "object":
			inB := map[string]*node{}
			for _, c := range b.Items {
				inB[*c.Key] = c
			}
			inA := map[string]bool{}
			for _, c := range a.Items {
				inA[*c.Key] = true
				if o, ok := inB[*c.Key]; ok {
					walk(c, o)
				} else {
					add(Change{Op: "removed", Pointer: c.Pointer, A: compact(c)})
				}
			}
			for _, c := range b.Items {
				if !inA[*c.Key] {
					add(Change{Op: "added", Pointer: c.Pointer, B: compact(c)})
				}
			}
		case a.Type == "array":
			for i, c := range a.Items {
				if i < len(b.Items) {
					walk(c, b.Items[i])
				} else {
					add(Change{Op: "removed", Pointer: c.Pointer, A: compact(c)})
				}
			}
			for _, c := range b.Items[min(len(a.Items), len(b.Items)):] {
				add(Change{Op: "added", Pointer: c.Pointer, B: compact(c)})
			}
		case a.Value != b.Value:
			add(Change{Op: "changed", Pointer: a.Pointer, A: compact(a), B: compact(b)})
		}
	}
	walk(a, b)
	return changes, cut
}

// compact is n as compact JSON, cut to 500 bytes.
func compact(n *node) string {
	b := n.appendCompact(nil)
	if len(b) > 500 {
		return string(b[:500]) + "…"
	}
	return string(b)
}
