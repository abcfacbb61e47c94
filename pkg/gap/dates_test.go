package gap

import (
	"math/rand/v2"
	"testing"
	"time"
)

// parseDate reads every string as time.Parse(time.DateOnly, s) does: the
// same instant, and the same refusals (a day past its month's end, a
// thirteenth month, signs, spaces, other lengths).
func TestParseDateIsTimeParse(t *testing.T) {
	cases := []string{
		"2026-11-30", "2024-02-29", "2025-02-29", "2026-02-28", "2026-04-31", "2026-12-31",
		"2026-13-01", "2026-00-10", "2026-01-00", "0000-01-01", "9999-12-31", "2026-1-01",
		"2026-01-1", "2026/01/01", "+026-01-01", "2026-+1-01", "2026-01-+1", " 2026-01-01",
		"2026-01-01 ", "2026-01-01T00:00:00Z", "", "TODO", "2026-0a-01", "２026-01-01",
		"2026-01-32", "1900-02-29", "2000-02-29",
	}
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "0123456789-+ /a"
	for range 200000 {
		b := []byte("2026-01-01")
		for range r.IntN(4) {
			b[r.IntN(len(b))] = alphabet[r.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		want, err := time.Parse(time.DateOnly, s)
		got, ok := parseDate(s)
		if ok != (err == nil) || !got.Equal(want) || got.Location() != want.Location() {
			t.Errorf("parseDate(%q) = %v, %v; time.Parse gives %v, %v", s, got, ok, want, err)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-30", "2025-02-29", "2026-13-01", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := time.Parse(time.DateOnly, s)
		got, ok := parseDate(s)
		if ok != (err == nil) || !got.Equal(want) || got.Location() != want.Location() {
			t.Errorf("parseDate(%q) = %v, %v; time.Parse gives %v, %v", s, got, ok, want, err)
		}
	})
}
