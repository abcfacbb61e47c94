package aims

import "github.com/aims-dev/aims/pkg/load"

// Result is a bias, drift or performance result written by CI in the
// aims-result/v1 format and linked as evidence.
type Result struct {
	Format   string        `json:"format"`
	Type     string        `json:"type"`
	System   string        `json:"system,omitempty"`
	Measured string        `json:"measured"`
	Tool     string        `json:"tool,omitempty"`
	Dataset  string        `json:"dataset,omitempty"`
	Results  []MetricValue `json:"results"`

	Doc *load.Document `json:"-"` // positions inside the result file
}

// MetricValue is one measured value.
type MetricValue struct {
	Metric    string   `json:"metric"`
	Attribute string   `json:"attribute,omitempty"`
	Group     string   `json:"group,omitempty"`
	Value     float64  `json:"value"`
	Threshold *float64 `json:"threshold,omitempty"`
	Direction string   `json:"direction,omitempty"`
}

// DecodeResult decodes a result file that passed result.schema.json.
func DecodeResult(d *load.Document) (*Result, error) {
	r := &Result{Doc: d}
	if err := decodeValue(d.Value, r); err != nil {
		return nil, err
	}
	return r, nil
}
