// Package mlbom builds a CycloneDX 1.6 machine-learning bill of materials
// from an AIMS: one machine-learning-model component with a modelCard per
// AI system, and one data component per dataset they use.
//
// The model card is derived, never invented: considerations come from the
// system's documented users, uses and limitations and from the risks that
// name it; the quantitative analysis and fairness assessments repeat the
// latest aims-result/v1 results linked as evidence. Verdicts on those
// results belong to package gap; the BOM states values and thresholds.
// The same AIMS and date give the same bytes (no random serial number).
package mlbom
