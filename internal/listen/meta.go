package listen

import "github.com/smarthook/smarthook/internal/hookmeta"

// The stored hook's description lives in hookmeta, which verify and replay read
// without the server; listen's own names for it follow.

// MetaSuffix ends the name of the sidecar that describes a stored NAME.json.
const MetaSuffix = hookmeta.MetaSuffix

// SignatureHeader is the header Smartsupp signs a webhook's body in.
const SignatureHeader = hookmeta.SignatureHeader

// Meta is what listen keeps beside each stored body (see hookmeta.Meta).
type Meta = hookmeta.Meta

// newMeta describes one received body.
var newMeta = hookmeta.New
