package news2

// The RCP 2017 NEWS2 Chart 1, applied to quantised integers only
// (shared/reference/scoring-research.md §1.1). Each function lists its band
// edges exactly as the chart prints them.

// scoreRR: ≤8 → 3; 9–11 → 1; 12–20 → 0; 21–24 → 2; ≥25 → 3.
func scoreRR(rr int) int {
	switch {
	case rr <= 8:
		return 3
	case rr <= 11:
		return 1
	case rr <= 20:
		return 0
	case rr <= 24:
		return 2
	default:
		return 3
	}
}

// scoreSpO2Scale1: ≤91 → 3; 92–93 → 2; 94–95 → 1; ≥96 → 0.
func scoreSpO2Scale1(s int) int {
	switch {
	case s <= 91:
		return 3
	case s <= 93:
		return 2
	case s <= 95:
		return 1
	default:
		return 0
	}
}

// scoreSpO2Scale2: ≤83 → 3; 84–85 → 2; 86–87 → 1; 88–92 → 0; ≥93 on air → 0;
// on oxygen 93–94 → 1, 95–96 → 2, ≥97 → 3 (over-oxygenation).
func scoreSpO2Scale2(s int, onOxygen bool) int {
	switch {
	case s <= 83:
		return 3
	case s <= 85:
		return 2
	case s <= 87:
		return 1
	case s <= 92:
		return 0
	case !onOxygen:
		return 0
	case s <= 94:
		return 1
	case s <= 96:
		return 2
	default:
		return 3
	}
}

// scoreSBP: ≤90 → 3; 91–100 → 2; 101–110 → 1; 111–219 → 0; ≥220 → 3.
func scoreSBP(sbp int) int {
	switch {
	case sbp <= 90:
		return 3
	case sbp <= 100:
		return 2
	case sbp <= 110:
		return 1
	case sbp <= 219:
		return 0
	default:
		return 3
	}
}

// scoreHR: ≤40 → 3; 41–50 → 1; 51–90 → 0; 91–110 → 1; 111–130 → 2; ≥131 → 3.
func scoreHR(hr int) int {
	switch {
	case hr <= 40:
		return 3
	case hr <= 50:
		return 1
	case hr <= 90:
		return 0
	case hr <= 110:
		return 1
	case hr <= 130:
		return 2
	default:
		return 3
	}
}

// scoreTemp on tenths of °C: ≤35.0 → 3; 35.1–36.0 → 1; 36.1–38.0 → 0;
// 38.1–39.0 → 1; ≥39.1 → 2.
func scoreTemp(tenths int) int {
	switch {
	case tenths <= 350:
		return 3
	case tenths <= 360:
		return 1
	case tenths <= 380:
		return 0
	case tenths <= 390:
		return 1
	default:
		return 2
	}
}
