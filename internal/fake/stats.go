package fake

import "strconv"

// statsDomains are the sites a domain-stats-report may list; the first ones
// are the accounts' own sites.
var statsDomains = mkTexts("developers.smartsupp.com", "www.kola-brno.cz", "shop.gartenwelt.de",
	"www.booknook.co.uk", "www.obuv-sakura.cz", "eshop.example.cz", "blog.kola-brno.cz",
	"www.gartenwelt.at", "m.booknook.co.uk", "b2b.obuv-sakura.cz")

// hourlyTraffic is the relative traffic of each UTC hour, so nights are
// quiet and afternoons busy as in real reports.
var hourlyTraffic = [24]int{2, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 10, 11, 12, 12, 11, 10, 9, 9, 8, 6, 4, 3}

// appendStats appends hourly domain-stats-report i: 1–6 distinct domains,
// each with consistent counters (replies <= auto messages <= visits).
func (g *Generator) appendStats(dst []byte, i int) []byte {
	r := g.rng(i)
	hour := g.Time(i).Hour()
	var buf [16]uint8
	idx := buf[:len(statsDomains)]
	for k := range idx {
		idx[k] = uint8(k)
	}
	dst = append(dst, `{"domains":{`...)
	n := r.between(1, 6)
	for k := 0; k < n; k++ {
		// Partial Fisher–Yates: each domain appears at most once per report.
		j := k + r.intn(len(idx)-k)
		idx[k], idx[j] = idx[j], idx[k]
		if k > 0 {
			dst = append(dst, ',')
		}
		dst = appendText(dst, &statsDomains[idx[k]])
		size := 1 + int(idx[k])%4*3 // some sites are simply bigger
		visits := r.between(0, hourlyTraffic[hour]*size*12)
		conversations := r.between(0, visits/12)
		auto := r.between(0, visits/3)
		replies := r.between(0, auto/4)
		dst = append(dst, `:{"visits":`...)
		dst = strconv.AppendInt(dst, int64(visits), 10)
		dst = append(dst, `,"conversations":`...)
		dst = strconv.AppendInt(dst, int64(conversations), 10)
		dst = append(dst, `,"autoMessages":`...)
		dst = strconv.AppendInt(dst, int64(auto), 10)
		dst = append(dst, `,"autoMessagesReply":`...)
		dst = strconv.AppendInt(dst, int64(replies), 10)
		dst = append(dst, '}')
	}
	return append(dst, "}}"...)
}
