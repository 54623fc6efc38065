package fake

import "strconv"

// Fixed vocabularies for the hook and webhook generators. They are built
// once at package initialisation, escaped up front, and only read afterwards,
// which is what makes a shared Generator safe for concurrent use.

// agent is an operator of an account.
type agent struct {
	id   int64
	name text
	from string // "agent:<id>", precomputed for messages[].from
}

// page is a URL of an account's site together with its title.
type page struct{ url, title text }

// trigger is an automatic message configured by an account.
type trigger struct{ name, content text }

// account is one Smartsupp customer: the site the chat box runs on.
type account struct {
	id       int64
	domain   string
	appID    string
	agents   []agent
	pages    []page
	triggers []trigger
}

// mkAgents builds agents from alternating ids and names.
func mkAgents(ids []int64, names ...string) []agent {
	out := make([]agent, len(ids))
	for i, id := range ids {
		out[i] = agent{id: id, name: mkText(names[i]), from: "agent:" + strconv.FormatInt(id, 10)}
	}
	return out
}

// mkPages builds pages of domain from alternating path and title strings.
func mkPages(domain string, pt ...string) []page {
	out := make([]page, 0, len(pt)/2)
	for i := 0; i+1 < len(pt); i += 2 {
		out = append(out, page{url: mkText("https://" + domain + pt[i]), title: mkText(pt[i+1])})
	}
	return out
}

// mkTriggers builds triggers from alternating name and content strings.
func mkTriggers(nc ...string) []trigger {
	out := make([]trigger, 0, len(nc)/2)
	for i := 0; i+1 < len(nc); i += 2 {
		out = append(out, trigger{name: mkText(nc[i]), content: mkText(nc[i+1])})
	}
	return out
}

// accounts is the small set of accounts hooks come from. A small set is what
// a real archive looks like: one customer or an agency with a few sites.
var accounts = []account{
	{
		id: 208, domain: "developers.smartsupp.com", appID: "app_8f3c2a91",
		agents: mkAgents([]int64{3, 17, 42}, "John Doe", "Jana Nováková", "Petr Svoboda"),
		pages: mkPages("developers.smartsupp.com",
			"/smartsupp/hook-post", "POST Hook · Smartsupp",
			"/", "API · Smartsupp",
			"/rest-api/conversations", "Conversations · REST API · Smartsupp",
			"/chat-code/javascript-api", "JavaScript API · Smartsupp",
			"/pricing?plan=pro&period=yearly", "Ceník – Smartsupp"),
		triggers: mkTriggers("Test Trigger", "This is triggered message",
			"Docs helper", "Need help with the API? Ask us, we're online."),
	},
	{
		id: 1342, domain: "www.kola-brno.cz", appID: "app_1b7e44d0",
		agents: mkAgents([]int64{5, 9, 11, 23}, "Tomáš Dvořák", "Lucie Černá", "Martin Procházka", "Eva Králová"),
		pages: mkPages("www.kola-brno.cz",
			"/", "Kola Brno – jízdní kola a servis",
			"/horska-kola/author-trophy-29", "Author Trophy 29\" | Kola Brno",
			"/kosik", "Košík | Kola Brno",
			"/servis/objednat", "Objednat servis | Kola Brno",
			"/kontakt", "Kontakt | Kola Brno",
			"/vyprodej?kategorie=elektrokola&sort=cena", "Výprodej elektrokol | Kola Brno"),
		triggers: mkTriggers("Uvítání", "Dobrý den 👋 Můžeme vám pomoci s výběrem kola?",
			"Košík – opuštěný", "Nedaří se dokončit objednávku? Napište nám, rádi poradíme."),
	},
	{
		id: 20571, domain: "shop.gartenwelt.de", appID: "app_9d02c7fe",
		agents: mkAgents([]int64{101, 102, 140}, "Jürgen Müller", "Sabine Weiß", "Lukas Schäfer"),
		pages: mkPages("shop.gartenwelt.de",
			"/", "GartenWelt – Alles für Ihren Garten",
			"/rasenmaeher/akku", "Akku-Rasenmäher | GartenWelt",
			"/warenkorb", "Warenkorb | GartenWelt",
			"/versand-und-lieferung", "Versand & Lieferung | GartenWelt",
			"/suche?q=hochbeet+l%C3%A4rche", "Suche: „Hochbeet Lärche“ | GartenWelt"),
		triggers: mkTriggers("Willkommen", "Hallo! Haben Sie Fragen zu unseren Produkten?",
			"Warenkorb-Hilfe", "Brauchen Sie Hilfe beim Bestellen? Wir sind für Sie da."),
	},
	{
		id: 88310, domain: "www.booknook.co.uk", appID: "app_4a61e3b5",
		agents: mkAgents([]int64{7, 8}, "Oliver Smith", "Amelia O'Connor"),
		pages: mkPages("www.booknook.co.uk",
			"/", "BookNook – independent bookshop",
			"/books/9780141439518", "Pride and Prejudice, Jane Austen | BookNook",
			"/basket", "Your basket | BookNook",
			"/gift-cards", "Gift cards 🎁 | BookNook",
			"/help/returns", "Returns & refunds | BookNook"),
		triggers: mkTriggers("Pricing page 30s", "Looking for something special? Our booksellers are online.",
			"Free delivery", "Free UK delivery on orders over £25 – ask us anything!"),
	},
	{
		id: 301455, domain: "www.obuv-sakura.cz", appID: "app_c05f19a2",
		agents: mkAgents([]int64{2001, 2002, 2015}, "Veronika Horáková", "Jakub Novotný", "佐藤 美咲"),
		pages: mkPages("www.obuv-sakura.cz",
			"/", "Obuv Sakura | 靴 | Shoes",
			"/damske/tenisky", "Dámské tenisky | Obuv Sakura",
			"/velikostni-tabulka", "Velikostní tabulka (EU / UK / JP) | Obuv Sakura",
			"/objednavka/doprava", "Doprava a platba | Obuv Sakura"),
		triggers: mkTriggers("Velikost?", "Nejste si jistí velikostí? Pošleme vám tabulku 📏",
			"サイズ相談", "サイズについてご質問はありますか？"),
	},
}

// location is a visitor's city with its correct ISO 3166-1 alpha-2 code; lang
// picks the vocabulary the visitor and agents write in.
type location struct {
	city, code, country text
	lang                *lang
}

// locations are weighted by repetition: mostly Czech, German and British
// visitors, as the accounts above would see.
var locations = func() []location {
	rows := []struct {
		city, code, country string
		l                   *lang
	}{
		{"Brno", "CZ", "Czech Republic", &langCS}, {"Praha", "CZ", "Czech Republic", &langCS},
		{"Ostrava", "CZ", "Czech Republic", &langCS}, {"České Budějovice", "CZ", "Czech Republic", &langCS},
		{"Bratislava", "SK", "Slovakia", &langCS}, {"Košice", "SK", "Slovakia", &langCS},
		{"Berlin", "DE", "Germany", &langDE}, {"München", "DE", "Germany", &langDE},
		{"Köln", "DE", "Germany", &langDE}, {"Wien", "AT", "Austria", &langDE},
		{"Zürich", "CH", "Switzerland", &langDE},
		{"London", "GB", "United Kingdom", &langEN}, {"Manchester", "GB", "United Kingdom", &langEN},
		{"New York", "US", "United States", &langEN}, {"Dublin", "IE", "Ireland", &langEN},
		{"Warszawa", "PL", "Poland", &langEN}, {"São Paulo", "BR", "Brazil", &langEN},
		{"Tokyo", "JP", "Japan", &langJA}, {"大阪市", "JP", "Japan", &langJA},
		{"Shanghai", "CN", "China", &langZH}, {"Budapest", "HU", "Hungary", &langEN},
	}
	out := make([]location, len(rows))
	for i, r := range rows {
		out[i] = location{city: mkText(r.city), code: mkText(r.code), country: mkText(r.country), lang: r.l}
	}
	return out
}()

// browser pairs a user agent with the platform string browsers report.
type browser struct{ ua, platform text }

var browsers = func() []browser {
	rows := [][2]string{
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "MacIntel"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Win32"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Win32"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "iPhone"},
		{"Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.104 Mobile Safari/537.36", "Linux armv81"},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36", "Linux x86_64"},
		{"Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1", "MacIntel"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15", "MacIntel"},
	}
	out := make([]browser, len(rows))
	for i, r := range rows {
		out[i] = browser{ua: mkText(r[0]), platform: mkText(r[1])}
	}
	return out
}()

// referers holds the visitor's entry referer; "" (direct visit) is weighted
// by appearing several times.
var referers = mkTexts("", "", "", "https://www.google.com/", "https://www.google.cz/",
	"https://www.seznam.cz/", "https://www.facebook.com/", "https://duckduckgo.com/",
	"https://www.bing.com/search?q=chat+support&form=QBLH", "https://t.co/x8Kp2Lq")

// groups are visitor groups set by the site; nil entries mean JSON null.
var groups = mkTexts("sales", "support", "billing", "vip", "b2b")

// emailDomains complete addresses built from a person's ASCII slug.
var emailDomains = []string{"gmail.com", "seznam.cz", "email.cz", "gmx.de", "outlook.com", "yahoo.co.uk", "icloud.com"}

// variable is a visitor variable definition; values are drawn per document.
type variable struct {
	key, label text
	numeric    bool   // number value rather than string
	choices    []text // string values to pick from; nil means digits
}

var variables = [...]variable{
	{key: mkText("chatId"), label: mkText("Chat ID"), numeric: true},
	{key: mkText("userId"), label: mkText("User ID")},
	{key: mkText("chatPackage"), label: mkText("Chat Package"), choices: mkTexts("pro", "free", "standard", "ultimate")},
	{key: mkText("cartValue"), label: mkText("Hodnota košíku"), numeric: true},
	{key: mkText("orderId"), label: mkText("Order ID")},
	{key: mkText("loggedIn"), label: mkText("Přihlášen"), choices: mkTexts("ano", "ne", "yes", "no")},
	{key: mkText("tier"), label: mkText("Kundenstufe"), choices: mkTexts("Gold", "Silber", "Bronze")},
	{key: mkText("lastOrder"), label: mkText("Last order"), choices: mkTexts("2025-12-18", "never", "\"pending\", not paid")},
}
