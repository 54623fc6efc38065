package fake

import "strings"

// person is a visitor identity; slug is an ASCII form for e-mail addresses.
type person struct {
	name text
	slug string
}

// lang is the vocabulary of one language. Phrases deliberately contain
// commas, double quotes, tabs, newlines, diacritics, emoji and CJK so that
// consumers of the payloads meet every escaping case.
type lang struct {
	people   []person
	opener   []text // first visitor message
	question []text // later visitor messages
	greet    []text // first agent reply
	answer   []text // later agent replies
	thanks   []text // visitor's last words
	offline  []text // offline-form messages
	comment  []text // rating comments
	note     []text // visitor notes left by agents
}

// mkPeople parses "Name|slug" entries.
func mkPeople(entries ...string) []person {
	out := make([]person, len(entries))
	for i, e := range entries {
		name, slug, _ := strings.Cut(e, "|")
		out[i] = person{name: mkText(name), slug: slug}
	}
	return out
}

// emoji are appended to some messages, as chat users do.
var emoji = mkTexts(" 🙂", " 👍", " 🙏", " 😅", " 🚲", " ❤️", " 😀😀")

var langCS = lang{
	people: mkPeople("Dušan Kmeť|dusan.kmet", "Jana Dvořáková|jana.dvorakova", "Petr Novák|petr.novak",
		"Kateřina Šťastná|katka.stastna", "Jiří Růžička|jiri.ruzicka", "Zuzana \"Zuzka\" Horná|zuzka.horna",
		"Ondřej Bárta|ondrej.barta", "Tereza Malá|tereza.mala"),
	opener: mkTexts("Dobrý den, mám dotaz k objednávce.",
		"Dobrý den,\nobjednal jsem kolo \"Author Trophy 29\" a ještě nepřišlo. Můžete to prosím ověřit?",
		"Ahoj, máte skladem velikost 42?", "Dobrý den, jak dlouho trvá doručení na Slovensko?",
		"Zdravím, nejde mi zaplatit kartou, píše to \"Platba zamítnuta\"."),
	question: mkTexts("Číslo objednávky:\t2026-1187\nDoručení:\tZásilkovna", "A kdy to bude?",
		"Jde to vrátit, když mi to nebude sedět?", "Můžu si to vyzvednout osobně v Brně?",
		"Aha, a je možné platit na fakturu, bez DPH?", "Díky, a ještě – máte i dětská kola?",
		"Ten odkaz mi nefunguje, zkoušel jsem to 2×."),
	greet: mkTexts("Dobrý den, jak vám mohu pomoci?", "Dobrý den, hned se na to podívám.",
		"Zdravím, ráda vám poradím 🙂"),
	answer: mkTexts("Objednávka byla odeslána včera, sledovací číslo vám přijde e-mailem.",
		"Ano, zboží můžete vrátit do 30 dnů bez udání důvodu.",
		"Osobní odběr je možný na prodejně Kounicova 12, Brno (Po–Pá 9–18 h).",
		"Zkuste prosím jinou kartu, nebo zvolte platbu převodem; \"Platba zamítnuta\" hlásí banka.",
		"Doručení na Slovensko trvá 2–3 pracovní dny.", "Momentálně skladem nemáme, naskladnění čekáme do 14 dnů."),
	thanks:  mkTexts("Děkuji, na shledanou.", "Super, díky!", "Ok, díky moc 👍", "tanks."),
	offline: mkTexts("Dobrý den, volal jsem, ale nikdo to nebral. Prosím o zpětné zavolání na 777 123 456.", "Prosím o fakturu k objednávce 2026-0042,\nIČO 12345678."),
	comment: mkTexts("Rychlá a ochotná odpověď, děkuji!", "Nic mi nevyřešili.", "Vše OK, jen to trvalo \"chvilku\"."),
	note:    mkTexts("VIP customer", "Reklamace, volat po 16:00", "Stálý zákazník, sleva 5 %"),
}

var langDE = lang{
	people: mkPeople("Jürgen Müller|juergen.mueller", "Anna Schröder|anna.schroeder", "Lukas Weiß|lukas.weiss",
		"Sophie Bäcker|sophie.baecker", "Maximilian Groß|max.gross", "Lea Köhler|lea.koehler"),
	opener: mkTexts("Guten Tag, ich habe eine Frage zu meiner Bestellung.",
		"Hallo, ist der Akku-Rasenmäher \"RM 40\" noch lieferbar?",
		"Hallo,\nwie lange dauert der Versand nach Österreich?", "Kann ich auch per Rechnung zahlen?"),
	question: mkTexts("Bestellnummer:\tGW-558812\nDatum:\t03.01.2026", "Und was kostet der Versand?",
		"Gibt es das Hochbeet auch in Lärche, 120×80 cm?", "Ok, und wenn es nicht passt?",
		"Der Link funktioniert leider nicht, ich bekomme „Fehler 404“."),
	greet: mkTexts("Guten Tag, wie kann ich Ihnen helfen?", "Hallo! Einen Moment bitte, ich schaue nach."),
	answer: mkTexts("Ihre Bestellung wurde heute versendet, die Sendungsnummer kommt per E-Mail.",
		"Ja, der Versand nach Österreich dauert 3–5 Werktage.", "Rechnungskauf ist ab der zweiten Bestellung möglich.",
		"Sie können die Ware innerhalb von 14 Tagen zurückschicken, kostenlos.",
		"Das Modell \"RM 40\" ist ab KW 6 wieder verfügbar."),
	thanks:  mkTexts("Danke, schönen Tag noch!", "Vielen Dank!", "Super, danke 👍"),
	offline: mkTexts("Bitte rufen Sie mich zurück: +49 170 1234567, ab 17 Uhr.", "Ich möchte meine Bestellung GW-558812 stornieren.\nDanke."),
	comment: mkTexts("Sehr freundlich und schnell!", "Leider keine Lösung.", "Gut, aber \"etwas\" langsam."),
	note:    mkTexts("Stammkunde", "Reklamation läuft, Ticket #4411"),
}

var langEN = lang{
	people: mkPeople("Oliver Brown|oliver.brown", "Emily Clarke|emily.clarke", "Zoë O'Brien|zoe.obrien",
		"James \"Jim\" Walker|jim.walker", "Aisha Khan|aisha.khan", "Chloé Martin|chloe.martin"),
	opener: mkTexts("Hello", "Hi, I have a question about my order.", "Hi there,\ndo you ship to Ireland?",
		"Is \"Pride and Prejudice\" (hardback) in stock?", "Hello, my discount code doesn't work, it says \"expired\"."),
	question: mkTexts("Order no.:\tBN-20931\nPlaced:\t2 Jan", "How much is delivery?", "Can I return it if it's damaged?",
		"OK, and can you gift-wrap it, please?", "Great, what about the second volume?", "Sorry, one more thing: do you take PayPal?"),
	greet: mkTexts("Hi, how can i help you ?", "Hello! Let me check that for you.", "Hi, thanks for waiting 🙂"),
	answer: mkTexts("Yes, we ship to Ireland, delivery takes 3–4 working days.", "Delivery is free on orders over £25, otherwise £3.95.",
		"Your order was dispatched yesterday; the tracking link is in your e-mail.",
		"Of course, returns are free within 30 days.", "The code \"WINTER25\" expired on 31 December, but I can apply 10% for you.",
		"We accept cards, PayPal and Apple Pay."),
	thanks:  mkTexts("Thanks, bye!", "Perfect, thank you.", "cheers 👍", "tanks."),
	offline: mkTexts("Please call me back on +44 7700 900123, after 5pm.", "Hi,\nI'd like to cancel order BN-20931, thanks."),
	comment: mkTexts("Very helpful, thanks!", "Slow answer.", "Good, but \"chat\" kept disconnecting."),
	note:    mkTexts("VIP customer", "Asked for a refund, see ticket #881", "Wholesale, 10% discount"),
}

var langJA = lang{
	people:   mkPeople("山田 太郎|taro.yamada", "佐藤 花子|hanako.sato", "鈴木 一郎|ichiro.suzuki"),
	opener:   mkTexts("こんにちは。注文について質問があります。", "日本への発送は可能ですか？", "サイズ「25.5cm」は在庫がありますか？"),
	question: mkTexts("注文番号：\tJP-7731\n日付：\t1月4日", "送料はいくらですか？", "返品はできますか、サイズが合わない場合？"),
	greet:    mkTexts("こんにちは、ご用件をお伺いします。", "少々お待ちください 🙂"),
	answer:   mkTexts("はい、日本へ発送できます。通常7〜10日かかります。", "送料は1,500円です。", "30日以内なら返品可能です。"),
	thanks:   mkTexts("ありがとうございました！", "了解です 🙏"),
	offline:  mkTexts("折り返しご連絡ください。\nメール：taro@example.jp"),
	comment:  mkTexts("とても親切でした。", "返事が遅かったです。"),
	note:     mkTexts("日本語対応"),
}

var langZH = lang{
	people:   mkPeople("王伟|wang.wei", "李娜|li.na", "张敏|zhang.min"),
	opener:   mkTexts("你好，我想问一下订单的情况。", "你们可以寄到上海吗？", "这个\"限量版\"还有货吗？"),
	question: mkTexts("订单号：\tCN-2210\n日期：\t1月3日", "运费多少钱？", "如果不合适，可以退货吗？"),
	greet:    mkTexts("您好，有什么可以帮您？", "请稍等，我帮您查一下。"),
	answer:   mkTexts("可以寄到上海，大约需要10天。", "运费是15欧元。", "30天内可以免费退货。"),
	thanks:   mkTexts("谢谢！", "好的，再见 👋"),
	offline:  mkTexts("请给我回电话，谢谢。\n电话：138 0013 8000"),
	comment:  mkTexts("服务很好！", "太慢了。"),
	note:     mkTexts("需要中文客服"),
}
