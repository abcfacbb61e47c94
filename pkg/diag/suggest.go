package diag

// Suggest returns the candidate closest to s by edit distance when it is close
// enough to be a likely typo (about one edit per three characters, at most
// three), or "" when nothing is. Used for "did you mean".
func Suggest(s string, candidates []string) string {
	return SuggestWithin(s, candidates, min(max(len(s)/3, 1), 3))
}

// SuggestWithin is Suggest with an explicit edit limit, for ids where two
// changed digits mean another thing altogether (AIMS-G999 is not AIMS-G049).
func SuggestWithin(s string, candidates []string, limit int) string {
	best, bestD := "", 0
	for _, c := range candidates {
		d := distance(s, c)
		if best == "" || d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > limit {
		return ""
	}
	return best
}

// distance is the Damerau-Levenshtein (optimal string alignment) distance, so a
// swapped pair of letters ("onwer") counts as one edit.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
