package redact

// field is one redactable field: its name on the command line, what it covers, and
// whether DefaultFields holds it.
type field struct {
	name    string
	bit     fieldSet
	deflt   bool
	summary string
}

// fieldSet is a set of fields as bits.
type fieldSet uint32

func (s fieldSet) has(f fieldSet) bool { return s&f != 0 }

// The fields. Their names are part of the command-line interface: do not rename them.
const (
	fName fieldSet = 1 << iota
	fEmail
	fIP
	fNote
	fUserAgent
	fVariables
	fMsgVisitor
	fContactName
	fContactEmail
	fMsgContact
	fCity
	fCountry
	fReferer
	fPaths
	fMsgAgent
	fMsgFrom
	fRatingDesc
	fRatingText
	fContactPhone
	fContactProps
	fContactPlace
)

// catalog lists the fields in the order help prints them: the defaults first.
var catalog = []field{
	{"visitor.name", fName, true, "visitor.name and messages[].name of the visitor's messages; the name and its words, in any of their forms, wherever else they stand"},
	{"visitor.email", fEmail, true, "visitor.email, and the address wherever else it stands"},
	{"visitor.ipAddress", fIP, true, "visitor.ipAddress (into 192.0.2.0/24 or 2001:db8::/32), and the address wherever else it stands"},
	{"visitor.note", fNote, true, "visitor.note, the agents' note about the visitor"},
	{"visitor.userAgent", fUserAgent, true, "visitor.userAgent"},
	{"visitor.variables", fVariables, true, "the values of visitor.variables (labels kept, JSON types kept)"},
	{"visitor.city", fCity, true, "visitor.city, and the city in any of its forms in other text"},
	{"messages.visitor", fMsgVisitor, true, "messages[].content of messages of type visitor"},
	{"messages.from", fMsgFrom, true, "the visitor key in messages[].from (visitor:<key>)"},
	{"channel.ratingDesc", fRatingDesc, true, "channel.ratingDesc, the visitor's rating comment"},
	{"contact.name", fContactName, true, "webhooks: the contact's or visitor's name (data.contact, data.visitor, contact_name), and its words in any of their forms wherever else they stand"},
	{"contact.email", fContactEmail, true, "webhooks: the contact's e-mail (data.contact, data.conversation.contact, contact_email)"},
	{"contact.phone", fContactPhone, true, "webhooks: the contact's phone"},
	{"contact.properties", fContactProps, true, "webhooks: the values of the contact's properties"},
	{"contact.location", fContactPlace, true, "webhooks: location_city, location_ip, location_country and location_code of the conversation and the contact"},
	{"messages.contact", fMsgContact, true, "webhooks: the content of messages of sub_type contact, and last_message_text"},
	{"rating.text", fRatingText, true, "webhooks: the contact's rating comment (rating_text, data.rating.text)"},
	{"visitor.country", fCountry, false, "visitor.country"},
	{"visitor.referer", fReferer, false, "visitor.referer (scheme and host kept)"},
	{"paths", fPaths, false, "paths[].url (scheme and host kept) and paths[].title"},
	{"messages.agent", fMsgAgent, false, "messages[].content of messages of type agent (triggers included); without it, names, e-mail addresses, phone numbers and IP addresses in them are still replaced"},
}

// DefaultFields returns the fields redacted when Options.Fields is empty: who the
// visitor is and what they wrote, in POST hooks and in REST webhooks.
func DefaultFields() []string {
	var names []string
	for _, f := range catalog {
		if f.deflt {
			names = append(names, f.name)
		}
	}
	return names
}

// AllFields returns every field name New accepts, the defaults first.
func AllFields() []string {
	names := make([]string, len(catalog))
	for i, f := range catalog {
		names[i] = f.name
	}
	return names
}

// Describe says which members a field covers, for help texts; "" for an unknown name.
func Describe(name string) string {
	if f, ok := lookup(name); ok {
		return f.summary
	}
	return ""
}

// IsDefault reports whether DefaultFields holds the field.
func IsDefault(name string) bool {
	f, ok := lookup(name)
	return ok && f.deflt
}

func lookup(name string) (field, bool) {
	for _, f := range catalog {
		if f.name == name {
			return f, true
		}
	}
	return field{}, false
}
