package fake

import (
	"math"
	"sort"
	"time"
)

// Chats do not come evenly: a shop's chat is busy on weekday mornings and early
// afternoons, quiet at night, and calmer at weekends. The generator spreads documents
// by this weekly profile (in UTC), so daily counts and the hour of day vary as in real
// traffic while every document's time still depends only on its number: document i
// sits at traffic "mass" M(start) + (i + jitter)·step, and its time is the inverse of
// the cumulative mass M, which grows by the same amount every week.

// hourWeight is the relative chat rate of each hour of a weekday; weekendShare scales
// Saturday and Sunday.
var (
	hourWeight   = [24]float64{1, 0.6, 0.4, 0.4, 0.5, 0.8, 1.5, 3, 7, 11, 12, 11.5, 9, 10, 11, 10.5, 9, 7.5, 6, 5.5, 5, 4, 3, 1.8}
	weekendShare = [7]float64{1, 1, 1, 1, 1, 0.55, 0.45} // Monday first
)

// weekProfile is the cumulative mass at the start of each hour of a week (Monday
// 00:00 UTC first) and the mass of a whole week.
type weekProfile struct {
	cum  [7*24 + 1]float64
	week float64
}

var profile = func() *weekProfile {
	p := &weekProfile{}
	for h := 0; h < 7*24; h++ {
		p.cum[h+1] = p.cum[h] + hourWeight[h%24]*weekendShare[h/24]
	}
	p.week = p.cum[7*24]
	return p
}()

// monday0 is a Monday 00:00 UTC: the origin of the weekly profile.
var monday0 = time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC).UnixMilli()

const (
	hourMs = int64(time.Hour / time.Millisecond)
	weekMs = 7 * 24 * hourMs
)

// massAt is the cumulative traffic mass from monday0 to ms.
func (p *weekProfile) massAt(ms int64) float64 {
	d := ms - monday0
	weeks := math.Floor(float64(d) / float64(weekMs))
	rest := d - int64(weeks)*weekMs
	h := rest / hourMs
	frac := float64(rest-h*hourMs) / float64(hourMs)
	return weeks*p.week + p.cum[h] + frac*(p.cum[h+1]-p.cum[h])
}

// timeAt is massAt's inverse.
func (p *weekProfile) timeAt(m float64) int64 {
	weeks := math.Floor(m / p.week)
	rest := m - weeks*p.week
	h := sort.SearchFloat64s(p.cum[1:], rest) // the hour whose end passes rest
	h = min(h, 7*24-1)
	frac := (rest - p.cum[h]) / (p.cum[h+1] - p.cum[h])
	return monday0 + int64(weeks)*weekMs + int64(h)*hourMs + int64(frac*float64(hourMs))
}

// averageMass is the mass of the average chatStepMs: with no --days, documents
// come once per chatStepMs on average.
var averageMass = profile.week * float64(chatStepMs) / float64(weekMs)
