package modelcard

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/aims-dev/aims/pkg/aims"
	"github.com/aims-dev/aims/pkg/draft"
)

// Options say where the drafts go.
type Options struct {
	// Model is the AIMS the card is imported into (owners, folders, ids in use).
	Model *aims.Model
	// SystemID is the id of the new AISystem; "" derives it from the title.
	SystemID string
	// Card is how the card is referred to in model.card (a path or URL).
	Card string
	// Today dates the results: a card does not say when it was evaluated.
	Today time.Time
	// Tiers are the risk tier names in force.
	Tiers []string
	// SchemaDir is where the JSON Schemas are exported, for the modeline.
	SchemaDir string
	// Exists reports whether a slash path relative to the AIMS root is taken.
	Exists func(string) bool
}

// File is a file to write, relative to the AIMS root.
type File struct {
	Path string
	Data []byte
}

// Result is what an import produces.
type Result struct {
	SystemID string
	Files    []File
	// Unmapped lists what was kept under the system's unmapped field:
	// front matter paths, and sections as `section "Heading" (line N)`.
	Unmapped []string
	// Empty lists sections with no information (placeholders).
	Empty []string
	// TODO lists the fields left for a person to fill.
	TODO []string
}

// sectionTargets maps normalised headings to the AIMS field they fill.
var sectionTargets = map[string]string{
	"model description":            "description",
	"model details":                "description",
	"model summary":                "description",
	"description":                  "description",
	"intended uses limitations":    "intended_uses",
	"intended uses":                "intended_uses",
	"intended use":                 "intended_uses",
	"uses":                         "intended_uses",
	"direct use":                   "intended_uses",
	"downstream use":               "intended_uses",
	"downstream use optional":      "intended_uses",
	"use cases":                    "intended_uses",
	"out of scope use":             "out_of_scope_uses",
	"out of scope uses":            "out_of_scope_uses",
	"misuse and out of scope use":  "out_of_scope_uses",
	"bias risks and limitations":   "limitations",
	"risks and limitations":        "limitations",
	"limitations and bias":         "limitations",
	"limitations":                  "limitations",
	"bias":                         "limitations",
	"recommendations":              "limitations",
	"training data":                "training_data",
	"training and evaluation data": "training_data",
	"training dataset":             "training_data",
}

var nonWord = regexp.MustCompile(`[^\p{L}\p{N}]+`)

func normHeading(h string) string {
	return strings.TrimSpace(nonWord.ReplaceAllString(strings.ToLower(h), " "))
}

// biasMetric tells fairness metrics from performance metrics by name.
var biasMetric = regexp.MustCompile(`parity|disparate|equal(ized)?[ _-]?(opportunity|odds)|fairness|bias`)

type importer struct {
	c    *Card
	opts Options
	used map[*yaml.Node]bool
	res  *Result
}

// Import turns a card into draft documents.
func Import(c *Card, opts Options) (*Result, error) {
	if opts.Model == nil {
		opts.Model = aims.Build(nil)
	}
	if opts.Exists == nil {
		opts.Exists = func(string) bool { return false }
	}
	im := &importer{c: c, opts: opts, used: map[*yaml.Node]bool{}, res: &Result{}}
	return im.run()
}

func (im *importer) get(key string) *yaml.Node { return field(im.c.Front, key) }

func field(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// strs reads a scalar or a list of scalars, marking what it reads as used.
func (im *importer) strs(n *yaml.Node) []string {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil
		}
		im.used[n] = true
		return []string{n.Value}
	case yaml.SequenceNode:
		var out []string
		for _, c := range n.Content {
			if c.Kind == yaml.ScalarNode && c.Tag != "!!null" {
				im.used[c] = true
				out = append(out, c.Value)
			}
		}
		return out
	}
	return nil
}

func (im *importer) str(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return ""
	}
	im.used[n] = true
	return n.Value
}

func (im *importer) run() (*Result, error) {
	m := im.opts.Model
	// Sections first: the title may come from model-index.
	fields := map[string][]Section{}
	var unmappedSections []Section
	for _, s := range im.c.Sections {
		target := sectionTargets[normHeading(s.Heading)]
		if s.Heading == "" {
			target = "intro"
		}
		switch {
		case placeholder(s.Text):
			if s.Text != "" { // a heading over subsections is not empty
				im.res.Empty = append(im.res.Empty, fmt.Sprintf("section %q (line %d)", s.Heading, s.Line))
			}
			if s.Text != "" && target == "" {
				unmappedSections = append(unmappedSections, s)
			}
		case target == "":
			unmappedSections = append(unmappedSections, s)
		default:
			fields[target] = append(fields[target], s)
		}
	}

	title := im.c.Title
	modelName := ""
	if mi := im.get("model-index"); mi != nil && mi.Kind == yaml.SequenceNode && len(mi.Content) > 0 {
		if n := field(mi.Content[0], "name"); n != nil && n.Kind == yaml.ScalarNode {
			modelName = n.Value
			if title == "" || title == modelName {
				im.used[n] = true
				title = modelName
			}
		}
	}
	id := im.opts.SystemID
	if id == "" {
		id = draft.Slug(title)
	}
	if id == "" {
		return nil, fmt.Errorf("%s: the card has no title or model-index name to make an id from; give one with --system", im.c.File)
	}
	if err := draft.CheckFree(m, id); err != nil {
		return nil, err
	}
	if title == "" {
		title = id
	}
	im.res.SystemID = id
	owner := draft.Owner(m, "AISystem")
	if owner == "" {
		owner = "TODO-owner"
		im.res.TODO = append(im.res.TODO, "owner")
	}

	sys := newMap()
	sys.add("apiVersion", scalar("aims/v1"))
	sys.add("kind", scalar("AISystem"))
	sys.add("id", scalar(id))
	sys.add("title", scalar(title))
	sys.add("owner", scalar(owner))
	sys.add("status", scalar("draft"))
	var desc []string
	for _, s := range append(fields["intro"], fields["description"]...) {
		desc = append(desc, s.Text)
	}
	if len(desc) > 0 {
		sys.add("description", scalar(strings.Join(desc, "\n\n")))
	}
	var tags []string
	tags = append(tags, im.strs(im.get("tags"))...)
	for _, l := range im.strs(im.get("language")) {
		tags = append(tags, "language:"+l)
	}
	if len(tags) > 0 {
		sys.add("tags", flowSeq(tags))
	}
	sys.add("purpose", scalar("TODO: what the system is for here (the card describes the model, not your use of it)"))
	im.res.TODO = append(im.res.TODO, "purpose")
	list := func(key, todo string) {
		var items []string
		for _, s := range fields[key] {
			items = append(items, Items(s.Text)...)
		}
		if len(items) == 0 {
			items = []string{"TODO: " + todo}
			im.res.TODO = append(im.res.TODO, key)
		}
		sys.add(key, blockSeq(items))
	}
	list("intended_uses", "a use the system is designed and approved for")
	list("out_of_scope_uses", "a use that is not supported or allowed")
	list("limitations", "known limitations, biases and risks of the model")
	sys.add("stage", scalar("development"))
	sys.add("risk_tier", scalar(draft.Tier(im.opts.Tiers)))

	mod := newMap()
	if t := im.str(im.get("pipeline_tag")); t != "" {
		mod.add("type", scalar(t))
	}
	if l := im.str(im.get("license")); l != "" {
		mod.add("license", scalar(l))
	}
	if b := im.get("base_model"); b != nil {
		if bs := im.strs(b); len(bs) == 1 {
			mod.add("base_model", scalar(bs[0]))
		} else {
			for _, c := range b.Content {
				delete(im.used, c) // several bases: no single field, keep them
			}
		}
	}
	if im.opts.Card != "" {
		mod.add("card", scalar(im.opts.Card))
	}
	if len(mod.Content) > 0 {
		sys.add("model", mod.Node)
	}

	datasets, dsFiles := im.datasets(id, title, owner, fields["training_data"])
	if len(datasets) > 0 {
		sys.add("datasets", flowSeq(datasets))
	}
	resultFiles, evidence := im.results(id, title, owner, datasets)

	// Whatever the card says that no field took, kept verbatim.
	leftovers := newMap()
	if im.c.Front != nil {
		im.leftovers(im.c.Front, "", leftovers)
	}
	unm := newMap()
	if len(leftovers.Content) > 0 || len(unmappedSections) > 0 {
		unm.add("card", scalar(cmp.Or(im.opts.Card, im.c.File)))
	}
	if len(leftovers.Content) > 0 {
		unm.add("fields", leftovers.Node)
	}
	if len(unmappedSections) > 0 {
		secs := &yaml.Node{Kind: yaml.SequenceNode}
		for _, s := range unmappedSections {
			e := newMap()
			e.add("heading", scalar(s.Heading))
			e.add("text", scalar(s.Text))
			secs.Content = append(secs.Content, e.Node)
			im.res.Unmapped = append(im.res.Unmapped, fmt.Sprintf("section %q (line %d)", s.Heading, s.Line))
		}
		unm.add("sections", secs)
	}
	if len(unm.Content) > 0 {
		unm.HeadComment = "Kept from the model card with no AIMS field for it: move what matters where it belongs, then delete."
		sys.add("unmapped", unm.Node)
	}

	sysDir := draft.Folder(m, kind("AISystem"))
	sysPath := path.Join(sysDir, id+".yaml")
	data, err := im.render(sysPath, "aisystem", "A.4, A.6.2, A.9.4: imported from the model card "+cmp.Or(im.opts.Card, im.c.File)+"; fill the TODOs.", sys.Node)
	if err != nil {
		return nil, err
	}
	im.res.Files = append(im.res.Files, File{sysPath, data})
	im.res.Files = append(im.res.Files, dsFiles...)
	im.res.Files = append(im.res.Files, resultFiles...)
	if len(evidence) > 0 {
		p := path.Join(draft.Folder(m, kind("Evidence")), id+"-model-card.yaml")
		data, err := im.render(p, "evidence", "Evaluation results imported from the model card "+cmp.Or(im.opts.Card, im.c.File)+".", evidence...)
		if err != nil {
			return nil, err
		}
		im.res.Files = append(im.res.Files, File{p, data})
	}
	return im.res, nil
}

func kind(name string) draft.Kind {
	k, _ := draft.Lookup(name)
	return k
}

// datasets writes a Dataset stub for each dataset the card names that the
// AIMS does not hold yet, and returns the ids of all of them.
func (im *importer) datasets(system, title, owner string, training []Section) ([]string, []File) {
	m := im.opts.Model
	var text []string
	for _, s := range training {
		text = append(text, s.Text)
	}
	names := im.strs(im.get("datasets"))
	synthetic := false
	if len(names) == 0 && len(text) > 0 {
		names, synthetic = []string{title + " training data"}, true
	}
	var ids []string
	var files []File
	for _, name := range names {
		id := "ds-" + draft.Slug(name)
		if synthetic {
			id = "ds-" + system + "-training"
		}
		if d, ok := m.ByID[id]; ok {
			if _, isDataset := d.(*aims.Dataset); isDataset {
				ids = append(ids, id) // already described in this AIMS
				continue
			}
			id = draft.FreeID(m, id, func(string) bool { return false })
		}
		if slices.Contains(ids, id) {
			continue
		}
		ids = append(ids, id)
		d := newMap()
		d.add("apiVersion", scalar("aims/v1"))
		d.add("kind", scalar("Dataset"))
		d.add("id", scalar(id))
		d.add("title", scalar(name))
		d.add("owner", scalar(owner))
		d.add("status", scalar("draft"))
		if len(text) > 0 {
			d.add("description", scalar(strings.Join(text, "\n\n")))
		}
		src := newMap()
		switch {
		case synthetic || name == "custom" || !hubName.MatchString(name):
			src.add("type", scalar("internal"))
			src.add("origin", scalar("TODO: where "+name+" comes from (the model card does not say)"))
		default:
			src.add("type", scalar("public"))
			src.add("origin", scalar("https://huggingface.co/datasets/"+name))
			src.add("license", scalar("TODO: licence or terms of use of "+name))
		}
		d.add("source", src.Node)
		prov := newMap()
		prov.add("lineage", blockSeq([]string{"TODO: the steps from origin to the data the model was trained on"}))
		d.add("provenance", prov.Node)
		p := path.Join(draft.Folder(m, kind("Dataset")), id+".yaml")
		data, err := im.render(p, "dataset", "A.7: named by the model card "+cmp.Or(im.opts.Card, im.c.File)+"; fill the TODOs.", d.Node)
		if err == nil {
			files = append(files, File{p, data})
		}
	}
	if len(files) > 0 {
		im.res.TODO = append(im.res.TODO, "dataset sources and provenance")
	}
	return ids, files
}

var hubName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$`)

// results turns model-index results into aims-result/v1 files, one per
// evaluated dataset and kind of metric, each with an Evidence record.
func (im *importer) results(system, title, owner string, datasets []string) ([]File, []*yaml.Node) {
	mi := im.get("model-index")
	if mi == nil || mi.Kind != yaml.SequenceNode {
		return nil, nil
	}
	var files []File
	var evidence []*yaml.Node
	taken := map[string]bool{}
	for _, entry := range mi.Content {
		rs := field(entry, "results")
		if rs == nil || rs.Kind != yaml.SequenceNode {
			continue
		}
		for _, r := range rs.Content {
			task := field(r, "task")
			taskType := im.str(field(task, "type"))
			if n := field(task, "name"); n != nil && draft.Slug(n.Value) == draft.Slug(taskType) {
				im.used[n] = true
			}
			dsNode := field(r, "dataset")
			dsName := cmp.Or(im.str(field(dsNode, "name")), "")
			var details []string
			for _, k := range []string{"type", "config", "split", "revision", "args"} {
				n := field(dsNode, k)
				if n == nil || n.Kind != yaml.ScalarNode {
					continue
				}
				if k == "type" && n.Value == dsName {
					im.used[n] = true
					continue
				}
				details = append(details, k+" "+im.str(n))
			}
			if dsName == "" && len(details) > 0 {
				dsName = strings.TrimPrefix(details[0], "type ")
			}
			dsText := dsName
			if len(details) > 0 {
				dsText += " (" + strings.Join(details, ", ") + ")"
			}
			byType := map[string][]aims.MetricValue{}
			ms := field(r, "metrics")
			if ms == nil || ms.Kind != yaml.SequenceNode {
				im.unmark(r) // no result written: task and dataset stay in unmapped
				continue
			}
			for _, mv := range ms.Content {
				typ, val := field(mv, "type"), field(mv, "value")
				if typ == nil || val == nil || val.Kind != yaml.ScalarNode {
					continue
				}
				v, err := strconv.ParseFloat(val.Value, 64)
				if err != nil {
					continue // "n/a", a list: kept under unmapped
				}
				im.used[typ], im.used[val] = true, true
				if n := field(mv, "name"); n != nil && draft.Slug(n.Value) == draft.Slug(typ.Value) {
					im.used[n] = true
				}
				kind := "performance"
				if biasMetric.MatchString(strings.ToLower(typ.Value)) {
					kind = "bias"
				}
				byType[kind] = append(byType[kind], aims.MetricValue{Metric: typ.Value, Value: v})
			}
			if len(byType) == 0 {
				im.unmark(r)
				continue
			}
			for _, kind := range []string{"performance", "bias"} {
				values := byType[kind]
				if len(values) == 0 {
					continue
				}
				base := "model-card-" + kind
				if s := draft.Slug(dsName); s != "" {
					base += "-" + s
				}
				name := base
				for n := 2; taken[name]; n++ {
					name = fmt.Sprintf("%s-%d", base, n)
				}
				taken[name] = true
				res := aims.Result{
					Format: "aims-result/v1", Type: kind, System: system,
					Measured: im.opts.Today.Format(time.DateOnly),
					Tool:     "model card " + path.Base(im.c.File) + cmp.Or(wrap(taskType), "") + "; measured date unknown, set to the import date",
					Dataset:  dsText,
					Results:  values,
				}
				b, err := json.MarshalIndent(res, "", "  ")
				if err != nil {
					continue
				}
				p := path.Join("evidence/systems", system, name+".json")
				files = append(files, File{p, append(b, '\n')})

				base = "ev-" + system + "-" + strings.TrimPrefix(name, "model-card-")
				if len(base) > 90 { // ids are at most 100 characters
					base = strings.TrimRight(base[:90], "-.")
				}
				evID := draft.FreeID(im.opts.Model, base, func(string) bool { return false })
				e := newMap()
				e.add("apiVersion", scalar("aims/v1"))
				e.add("kind", scalar("Evidence"))
				e.add("id", scalar(evID))
				e.add("title", scalar(fmt.Sprintf("%s: %s results on %s (from the model card)", title, kind, cmp.Or(dsName, "the evaluation data"))))
				e.add("owner", scalar(owner))
				e.add("status", scalar("draft"))
				if kind == "bias" {
					e.add("type", scalar("bias_test"))
					e.add("satisfies", flowSeq([]string{"A.5.4", "A.6.2.4"}))
				} else {
					e.add("type", scalar("validation_report"))
					e.add("satisfies", flowSeq([]string{"A.6.2.4"}))
				}
				e.add("path", scalar(p))
				e.add("systems", flowSeq([]string{system}))
				c := scalar(im.opts.Today.Format(time.DateOnly))
				c.LineComment = "TODO: the card does not say when it was evaluated"
				e.add("collected", c)
				evidence = append(evidence, e.Node)
			}
		}
	}
	// The metrics list names what model-index measures; it is mapped when
	// every name went into a result.
	if ms := im.get("metrics"); ms != nil && ms.Kind == yaml.SequenceNode {
		measured := map[string]bool{}
		for n := range im.used {
			measured[strings.ToLower(n.Value)] = true
		}
		all := true
		for _, c := range ms.Content {
			all = all && measured[strings.ToLower(c.Value)]
		}
		if all {
			im.strs(ms)
		}
	}
	if len(files) > 0 {
		im.res.TODO = append(im.res.TODO, "result dates")
	}
	return files, evidence
}

func wrap(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// leftovers copies every front matter subtree no field used, under its
// path in the card.
func (im *importer) leftovers(n *yaml.Node, p string, out mapNode) {
	if p != "" && !im.anyUsed(n) { // the root is always walked, used or not
		out.add(p, n)
		im.res.Unmapped = append(im.res.Unmapped, p)
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if p != "" {
				k = p + "." + k
			}
			im.leftovers(n.Content[i+1], k, out)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			im.leftovers(c, fmt.Sprintf("%s[%d]", p, i), out)
		}
	}
}

// unmark forgets that anything under n was used, when what used it was
// not written after all.
func (im *importer) unmark(n *yaml.Node) {
	delete(im.used, n)
	for _, c := range n.Content {
		im.unmark(c)
	}
}

func (im *importer) anyUsed(n *yaml.Node) bool {
	if im.used[n] {
		return true
	}
	return slices.ContainsFunc(n.Content, im.anyUsed)
}

// render writes documents as YAML behind the schema modeline and a comment.
func (im *importer) render(p, schemaKind, comment string, docs ...*yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# yaml-language-server: $schema=%s/%s.schema.json\n", draft.Relative(path.Dir(p), cmp.Or(im.opts.SchemaDir, ".aims/schemas")), schemaKind)
	fmt.Fprintf(&b, "# %s\n", comment)
	for i, d := range docs {
		if i > 0 {
			b.WriteString("---\n")
		}
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(2)
		if err := enc.Encode(d); err != nil {
			return nil, err
		}
		if err := enc.Close(); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}

// Items splits a section into list items: one per bullet when it is a
// list, else one per paragraph, lines joined.
func Items(text string) []string {
	var items []string
	var cur []string
	flush := func() {
		if s := strings.TrimSpace(strings.Join(cur, " ")); s != "" {
			items = append(items, s)
		}
		cur = nil
	}
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			flush()
		case strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "+ "):
			flush()
			cur = append(cur, strings.TrimSpace(t[2:]))
		default:
			cur = append(cur, t)
		}
	}
	flush()
	return items
}

// mapNode builds a YAML mapping in order.
type mapNode struct{ *yaml.Node }

func newMap() mapNode { return mapNode{&yaml.Node{Kind: yaml.MappingNode}} }

func (m mapNode) add(key string, v *yaml.Node) {
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

func scalar(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.Contains(s, "\n") {
		n.Style = yaml.LiteralStyle
	}
	return n
}

func flowSeq(items []string) *yaml.Node {
	n := blockSeq(items)
	n.Style = yaml.FlowStyle
	return n
}

func blockSeq(items []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode}
	for _, s := range items {
		n.Content = append(n.Content, scalar(s))
	}
	return n
}
