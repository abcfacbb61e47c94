package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Charts are laid out here, as numbers; the HTML template only draws the
// shapes, so html/template escapes every label like any other text.

// ---- horizontal bar chart ----

type bar struct {
	Key   string
	Label string // as a row label
	Word  string // within a sentence
	Value int
	RectY int     // top of the bar
	TextY int     // baseline of the row's labels
	W     float64 // bar length
	TextX float64 // where the count is written
}

type barChart struct {
	ID, Title, Desc string
	W, H            int
	LabelX          int // right edge of the labels
	BarX            int // left edge of the bars
	BarH            int
	Bars            []bar
}

const (
	barChartW   = 640
	barLabelW   = 180
	barRowH     = 26
	barH        = 16
	barCountPad = 48
)

func newBarChart(id, title, desc string, bars []bar) barChart {
	c := barChart{ID: id, Title: title, W: barChartW, LabelX: barLabelW - 8, BarX: barLabelW, BarH: barH}
	peak := 0
	var words []string
	for _, b := range bars {
		peak = max(peak, b.Value)
		words = append(words, fmt.Sprintf("%s %d", b.Word, b.Value))
	}
	span := float64(barChartW - barLabelW - barCountPad)
	for i, b := range bars {
		b.RectY = i*barRowH + (barRowH-barH)/2
		b.TextY = i*barRowH + barRowH/2 + 5
		if peak > 0 {
			b.W = round2(float64(b.Value) / float64(peak) * span)
		}
		b.TextX = round2(float64(barLabelW) + b.W + 6)
		c.Bars = append(c.Bars, b)
	}
	c.H = len(bars)*barRowH + 4
	c.Desc = desc + ": " + strings.Join(words, ", ") + "."
	return c
}

// ---- line chart of an objective's measurements ----

type lineChart struct {
	ID, Title, Desc       string
	W, H                  int
	Left, Right, Top, Bot float64 // plot area
	YLabelX, XLabelY      float64 // where tick labels go
	TargetX               float64 // where the target label starts
	Points                string  // polyline points
	Dots                  []dot
	TargetY               float64
	TargetLabel           string
	YTicks                []tick
	XTicks                []tick
}

type dot struct {
	X, Y  float64
	Label string
}

type tick struct {
	Pos   float64
	Label string
}

const (
	lineW = 600
	lineH = 220
	// minGap is the least room between two date labels, in SVG units.
	minGap = 74.0
)

type point struct {
	date  time.Time
	label string
	value float64
}

// newLineChart plots measurements (in date order) against a target; nil
// with fewer than two measurements, where a line says nothing.
func newLineChart(id, title string, pts []point, target float64, targetLabel, unit string) *lineChart {
	if len(pts) < 2 {
		return nil
	}
	c := &lineChart{ID: id, Title: title, W: lineW, H: lineH, Left: 64, Right: lineW - 140, Top: 14, Bot: lineH - 34,
		TargetLabel: targetLabel}
	c.YLabelX, c.XLabelY, c.TargetX = c.Left-6, c.Bot+18, c.Right+6
	lo, hi := target, target
	for _, p := range pts {
		lo, hi = math.Min(lo, p.value), math.Max(hi, p.value)
	}
	step := niceStep((hi - lo) / 4)
	if step == 0 {
		step = niceStep(math.Max(math.Abs(hi), 1) / 4)
	}
	lo = math.Floor(lo/step) * step
	hi = math.Ceil(hi/step) * step
	if hi == lo {
		hi = lo + step
	}
	// Half a step of air above and below, so no point or the target sits
	// on the frame.
	bottom, top := lo-step/2, hi+step/2
	y := func(v float64) float64 { return round2(c.Bot - (v-bottom)/(top-bottom)*(c.Bot-c.Top)) }
	first, last := pts[0].date, pts[len(pts)-1].date
	x := func(i int, t time.Time) float64 {
		if !last.After(first) {
			return round2(c.Left + float64(i)/float64(len(pts)-1)*(c.Right-c.Left))
		}
		return round2(c.Left + float64(t.Sub(first))/float64(last.Sub(first))*(c.Right-c.Left))
	}
	var ps, words []string
	for i, p := range pts {
		d := dot{X: x(i, p.date), Y: y(p.value), Label: p.label + ": " + num(p.value) + unit}
		c.Dots = append(c.Dots, d)
		ps = append(ps, num(d.X)+","+num(d.Y))
		words = append(words, d.Label)
	}
	c.Points = strings.Join(ps, " ")
	c.TargetY = y(target)
	dec := decimals(step)
	for i := 0; ; i++ {
		v := lo + float64(i)*step
		if v > hi+step/2 {
			break
		}
		c.YTicks = append(c.YTicks, tick{Pos: y(v), Label: strconv.FormatFloat(v, 'f', dec, 64)})
	}
	// Label dates left to right where they fit; the last always shows, in
	// place of a crowded neighbour (never the first).
	for i, p := range pts {
		t := tick{Pos: x(i, p.date), Label: p.label}
		switch n := len(c.XTicks); {
		case n == 0 || t.Pos-c.XTicks[n-1].Pos >= minGap:
			c.XTicks = append(c.XTicks, t)
		case i == len(pts)-1 && n > 1:
			c.XTicks[n-1] = t
		}
	}
	c.Desc = fmt.Sprintf("%d measurements: %s; %s.", len(pts), strings.Join(words, "; "), targetLabel)
	return c
}

// niceStep rounds a raw tick step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5} {
		if raw <= m*p*(1+1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// decimals is how many decimals a tick step needs.
func decimals(step float64) int {
	if step >= 1 {
		return 0
	}
	return int(math.Ceil(-math.Log10(step) - 1e-9))
}

// sparkline draws values as block characters, for Markdown.
func sparkline(vals []float64) string {
	if len(vals) < 2 {
		return ""
	}
	runes := []rune("▁▂▃▄▅▆▇█")
	lo, hi := vals[0], vals[0]
	for _, v := range vals {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	var sb strings.Builder
	for _, v := range vals {
		i := 0
		if hi > lo {
			i = int(math.Round((v - lo) / (hi - lo) * float64(len(runes)-1)))
		}
		sb.WriteRune(runes[i])
	}
	return sb.String()
}
