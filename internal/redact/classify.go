package redact

import (
	"strings"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// shape is what a redacted value looks like.
type shape uint8

const (
	shNone        shape = iota
	shName              // Visitor 3f9a1c0b2d
	shEmail             // visitor-3f9a1c0b2d@example.invalid
	shIP                // 192.0.2.x, 2001:db8:…
	shText              // [redacted 42 chars 3f9a1c0b2d]
	shUserAgent         // Mozilla/5.0 (redacted 3f9a1c0b2d)
	shVariable          // digits stay digits, addresses addresses, else value-3f9a1c0b2d
	shPlace             // Place 3f9a1c0b2d
	shURL               // scheme://host/p-3f9a1c0b2d
	shTitle             // Page 3f9a1c0b2d
	shVisitorKey        // visitor:3f9a1c0b2d, or 3f9a1c0b2d for a bare key
	shFromVisitor       // like shVisitorKey, only for a value starting with "visitor:"
	shPhone             // phone-3f9a1c0b2d
)

// shapeAt says how the scalar at p is redacted, shNone to keep it. A field covers
// everything below its member, so a value of an unexpected type (an object where a
// string belongs) is redacted too.
func (st *state) shapeAt(p jsontext.Path) shape {
	on := st.r.fields
	switch p[0].Key {
	case "visitor":
		return visitorShape(on, p)
	case "messages":
		return st.messageShape(on, p)
	case "channel":
		if on.has(fRatingDesc) && key(p, 1, "ratingDesc") {
			return shText
		}
	case "paths":
		if on.has(fPaths) && len(p) >= 2 && p[1].IsIndex {
			if key(p, 2, "title") {
				return shTitle
			}
			if len(p) == 2 || key(p, 2, "url") {
				return shURL
			}
		}
	case "data":
		return st.webhookShape(on, p)
	}
	return shNone
}

func visitorShape(on fieldSet, p jsontext.Path) shape {
	if len(p) < 2 || p[1].IsIndex {
		return shNone
	}
	// visitor.variables.<key>.label is the site's own wording: it stays.
	if key(p, 1, "variables") && len(p) == 4 && key(p, 3, "label") {
		return shNone
	}
	f, sh := memberShape(p[1].Key, false)
	if !on.has(f) {
		return shNone
	}
	return sh
}

// memberShape is the field and shape of a member of a POST hook's visitor, or (person
// true) of a webhook's contact or visitor, in camelCase or snake_case; 0 and shNone
// for another member.
func memberShape(k string, person bool) (fieldSet, shape) {
	switch k {
	case "name", "first_name", "last_name", "full_name", "nickname":
		if person {
			return fContactName, shName
		}
		return fName, shName
	case "email":
		if person {
			return fContactEmail, shEmail
		}
		return fEmail, shEmail
	case "phone":
		return fContactPhone, shPhone
	case "properties":
		return fContactProps, shVariable
	case "ipAddress", "ip", "ip_address":
		return fIP, shIP
	case "note", "notes":
		return fNote, shText
	case "userAgent", "user_agent":
		return fUserAgent, shUserAgent
	case "city":
		return fCity, shPlace
	case "country":
		return fCountry, shPlace
	case "referer":
		return fReferer, shURL
	case "variables":
		return fVariables, shVariable
	}
	return 0, shNone
}

// messageShape handles messages[i].content, .name and .from of POST hooks.
func (st *state) messageShape(on fieldSet, p jsontext.Path) shape {
	if len(p) < 3 || !p[1].IsIndex || p[2].IsIndex {
		return shNone
	}
	kind := st.hook.get(p[1].Index)
	switch p[2].Key {
	case "content":
		if (on.has(fMsgVisitor) && kind&mVisitor != 0) || (on.has(fMsgAgent) && kind&mAgent != 0) {
			return shText
		}
	case "name":
		if on.has(fName) && kind&(mVisitor|mClose) != 0 {
			return shName
		}
	case "from":
		// "visitor:<key>"; before Nov 2018 the bare key, known only by the message type.
		switch {
		case !on.has(fMsgFrom):
		case kind&mVisitor != 0:
			return shVisitorKey
		default:
			return shFromVisitor
		}
	}
	return shNone
}

// webhookShape handles the contact, its messages and its rating in a webhook's data.
func (st *state) webhookShape(on fieldSet, p jsontext.Path) shape {
	switch {
	case key(p, 1, "conversation") && (key(p, 2, "contact") || key(p, 2, "visitor")):
		return personShape(on, p[3:])
	case key(p, 1, "contact"), key(p, 1, "visitor"):
		// visitor.* events carry data.visitor: the visitor on the site.
		return personShape(on, p[2:])
	case key(p, 1, "conversation") && key(p, 2, "messages") && len(p) >= 5 && p[3].IsIndex:
		if on.has(fMsgContact) && st.conv.get(p[3].Index)&mContact != 0 && contentText(p[4:]) {
			return shText
		}
	case key(p, 1, "conversation"):
		return conversationShape(on, p[2:])
	case key(p, 1, "message"):
		if on.has(fMsgContact) && st.single.get(0)&mContact != 0 && contentText(p[2:]) {
			return shText
		}
	case key(p, 1, "rating") && key(p, 2, "text"), key(p, 1, "rating_text"):
		if on.has(fRatingText) {
			return shText
		}
	}
	return shNone
}

// conversationShape handles the members of data.conversation that copy the contact.
func conversationShape(on fieldSet, p jsontext.Path) shape {
	if len(p) == 0 || p[0].IsIndex {
		return shNone
	}
	switch name := p[0].Key; {
	case name == "contact_name" && on.has(fContactName):
		return shName
	case name == "contact_email" && on.has(fContactEmail):
		return shEmail
	case name == "rating_text" && on.has(fRatingText):
		return shText
	case name == "last_message_text" && on.has(fMsgContact):
		return shText
	}
	return locationShape(on, p)
}

// locationShape handles location_city, location_ip, location_country and location_code.
func locationShape(on fieldSet, p jsontext.Path) shape {
	if len(p) == 0 || p[0].IsIndex {
		return shNone
	}
	k, ok := strings.CutPrefix(p[0].Key, "location_")
	if !ok {
		return shNone
	}
	return placeShape(on, k)
}

// placeShape handles a member of a location: city, country, code, ip (as members of a
// location object, or after location_).
func placeShape(on fieldSet, k string) shape {
	if !on.has(fContactPlace) {
		return shNone
	}
	switch k {
	case "ip":
		return shIP
	case "city", "country", "code", "country_code", "region":
		return shPlace
	}
	return shNone
}

// contentText reports whether p (from a message) is inside its content, other than
// the content's type ("text").
func contentText(p jsontext.Path) bool {
	return key(p, 0, "content") && !(len(p) == 2 && key(p, 1, "type"))
}

// personShape handles a webhook's contact or visitor object (data.contact,
// data.visitor, and either inside data.conversation): the contact's members, and the
// visitor's as a POST hook's visitor holds them, in snake_case or camelCase.
func personShape(on fieldSet, p jsontext.Path) shape {
	if len(p) == 0 || p[0].IsIndex {
		return shNone
	}
	switch {
	case key(p, 0, "location"):
		if len(p) == 2 && !p[1].IsIndex {
			return placeShape(on, p[1].Key)
		}
		return shNone
	case key(p, 0, "variables") && len(p) == 3 && key(p, 2, "label"):
		return shNone // the site's own wording
	}
	f, sh := memberShape(p[0].Key, true)
	if sh == shNone {
		return locationShape(on, p)
	}
	if !on.has(f) || (sh == shVariable && len(p) < 2) {
		return shNone
	}
	return sh
}
