package stats

import (
	"bytes"
	"math"

	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// addWebhook counts a REST webhook by event and, for conversation.closed, by close type
// (data.close_type, else data.conversation.close_type), and notes its conversation and
// the rating it carries.
func (a *acc) addWebhook(s *webhookSummary) {
	a.webhooks++
	a.ratings.add(s)
	count(a.events, s.event)
	if s.closeType != nil {
		count(a.closeTypes, s.closeType)
	}
}

// ratingOf is the rating a webhook carries: the event's rating_value and rating_text
// (or rating.value and rating.text), else its conversation's; 0 when none in 1..5.
func ratingOf(w *payload.Webhook) (value int8, comment bool) {
	v, text := w.RatingValue, w.RatingText
	if v.Kind != jsontext.Number {
		v, text = w.Conversation.RatingValue, w.Conversation.RatingText
	}
	r, ok := v.Int()
	if !ok || r < 1 || r > 5 {
		return 0, false
	}
	return int8(r), text.Kind == jsontext.String && len(bytes.TrimSpace(text.Raw)) > 0
}

// convRating is what stats keeps of a conversation seen in REST webhooks: the rating
// of the latest event that carried one (value 0: none yet) and that event's time.
type convRating struct {
	at      int64 // ms; math.MinInt64 when the event had no time
	value   int8
	comment bool
}

// webhookRatings are the ratings REST webhooks carry, one per conversation.
type webhookRatings struct {
	convs map[uint64]convRating // by conversation fingerprint
	loose Core                  // ratings of webhooks that name no conversation (Chats: their count)
}

// add notes the conversation of a webhook and the rating it carries, if any. A
// conversation keeps the rating of its latest event by timestamp (on a tie, the one
// read last), so a rating repeated by conversation.rated and conversation.closed
// counts once and a changed rating replaces the old one.
func (wr *webhookRatings) add(s *webhookSummary) {
	if s.conv == 0 {
		if s.rating > 0 {
			wr.loose.Chats++
			wr.loose.Ratings[s.rating-1]++
			if s.comment {
				wr.loose.Commented++
			}
		}
		return
	}
	if wr.convs == nil {
		wr.convs = map[uint64]convRating{}
	}
	old, seen := wr.convs[s.conv]
	switch {
	case !seen:
		old = convRating{at: math.MinInt64}
	case s.rating == 0 || s.at < old.at:
		return
	}
	if s.rating > 0 {
		old = convRating{at: s.at, value: s.rating, comment: s.comment}
	}
	wr.convs[s.conv] = old
}

// core is the webhooks' ratings as a Core: Chats is the number of conversations (and
// of rated webhooks that name none), Ratings and Commented one per conversation.
func (wr *webhookRatings) core() Core {
	c := wr.loose
	c.Chats += int64(len(wr.convs))
	for _, cr := range wr.convs {
		if cr.value > 0 {
			c.Ratings[cr.value-1]++
			if cr.comment {
				c.Commented++
			}
		}
	}
	return c
}
