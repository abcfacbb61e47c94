package modelcard

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Card is a parsed model card.
type Card struct {
	File string
	// Front is the front matter mapping, nil when the card has none.
	Front *yaml.Node
	// Title is the first level-1 heading, "" when there is none.
	Title string
	// Sections are the parts of the body, in order: the text before the
	// first heading below the title (Heading ""), then one per heading.
	Sections []Section
}

// Section is a heading and the text under it up to the next heading.
type Section struct {
	Heading string
	Level   int // 2 for ##
	Line    int // line of the heading (of the text for the intro)
	Text    string
}

var (
	headingRE   = regexp.MustCompile(`^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$`)
	yamlLineRE  = regexp.MustCompile(`^yaml: line (\d+): `)
	fenceMarker = []string{"```", "~~~"}
)

// Parse reads a model card. A broken front matter is an error naming
// file:line.
func Parse(file string, data []byte) (*Card, error) {
	text := strings.ReplaceAll(string(bytes.TrimPrefix(data, []byte("\ufeff"))), "\r\n", "\n")
	c := &Card{File: file}
	bodyLine := 1
	if rest, ok := strings.CutPrefix(text, "---\n"); ok {
		end := -1
		for _, marker := range []string{"\n---\n", "\n...\n"} {
			if i := strings.Index("\n"+rest, marker); i >= 0 && (end < 0 || i < end) {
				end = i
			}
		}
		if end < 0 {
			if after, ok := strings.CutSuffix(rest, "---"); ok {
				rest, end = after+"\n", len(after)
			} else {
				return nil, fmt.Errorf("%s:1:1: front matter is not closed by a line ---", file)
			}
		}
		front := rest[:end]
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(front), &doc); err != nil {
			return nil, yamlError(file, err)
		}
		if len(doc.Content) == 1 {
			n := doc.Content[0]
			if n.Kind != yaml.MappingNode {
				return nil, fmt.Errorf("%s:%d:%d: front matter must be a mapping of fields, not a %s", file, n.Line+1, n.Column, n.Tag)
			}
			shiftLines(n, 1)
			c.Front = n
		}
		bodyLine = 2 + strings.Count(front, "\n") + 1
		text = strings.TrimPrefix(rest[end:], "\n")
		text = text[strings.IndexByte(text, '\n')+1:]
	}
	c.parseBody(text, bodyLine)
	return c, nil
}

func yamlError(file string, err error) error {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return fmt.Errorf("%s:%d:1: front matter: %s", file, n+1, msg[len(m[0]):])
	}
	return fmt.Errorf("%s:2:1: front matter: %s", file, strings.TrimPrefix(msg, "yaml: "))
}

// shiftLines makes node lines count from the top of the file.
func shiftLines(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shiftLines(c, by)
	}
}

func (c *Card) parseBody(text string, firstLine int) {
	cur := Section{Line: firstLine}
	var lines []string
	flush := func() {
		cur.Text = strings.Trim(strings.Join(lines, "\n"), "\n \t")
		if cur.Heading != "" || cur.Text != "" {
			c.Sections = append(c.Sections, cur)
		}
		lines = nil
	}
	fence := ""
	for i, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
			lines = append(lines, line)
			continue
		}
		for _, f := range fenceMarker {
			if strings.HasPrefix(trimmed, f) {
				fence = f
			}
		}
		m := headingRE.FindStringSubmatch(line)
		if fence != "" || m == nil {
			lines = append(lines, line)
			continue
		}
		if len(m[1]) == 1 && c.Title == "" {
			c.Title = m[2]
			continue
		}
		flush()
		cur = Section{Heading: m[2], Level: len(m[1]), Line: firstLine + i}
	}
	flush()
}

// placeholder reports text that says nothing: generated cards are full of
// "More information needed".
func placeholder(text string) bool {
	t := strings.ToLower(strings.Trim(text, " \t\n[]*_.()"))
	return t == "" || strings.HasPrefix(t, "more information needed") || t == "needs more information" || t == "todo" || t == "n/a"
}
