package coop

// Machine is a status machine: for each status, the statuses it may move to.
type Machine struct {
	Initial     string
	Transitions map[string][]string
}

// ProjectMachine is the project status machine: from each status, the statuses a
// project may move to (a final status has none).
var ProjectMachine = Machine{
	Initial: "planned",
	Transitions: map[string][]string{
		"idea":        {"planned", "cancelled"},
		"planned":     {"in_progress", "cancelled"},
		"in_progress": {"operational", "completed", "suspended", "cancelled"},
		"operational": {"suspended", "terminated"},
		"suspended":   {"in_progress", "operational", "cancelled", "terminated"},
		"completed":   {},
		"terminated":  {},
		"cancelled":   {},
	},
}

// CooperationMachine is the cooperation status machine, in the same form.
var CooperationMachine = Machine{
	Initial: "planned",
	Transitions: map[string][]string{
		"planned":   {"active", "ended"},
		"active":    {"suspended", "ended"},
		"suspended": {"active", "ended"},
		"ended":     {},
	},
}

// Allowed returns the statuses reachable from status in one step (empty for final ones).
func (m Machine) Allowed(from string) []string {
	return append([]string{}, m.Transitions[from]...)
}

// Known reports whether status belongs to the machine.
func (m Machine) Known(status string) bool {
	_, ok := m.Transitions[status]
	return ok
}

// Final reports whether no transition leaves status.
func (m Machine) Final(status string) bool {
	return m.Known(status) && len(m.Transitions[status]) == 0
}

// CanMove reports whether the machine allows from → to.
func (m Machine) CanMove(from, to string) bool {
	for _, t := range m.Transitions[from] {
		if t == to {
			return true
		}
	}
	return false
}

// CheckTransition returns nil if from → to is allowed; an EValidation error for an
// unknown target; an EConflict error naming the allowed targets otherwise.
func (m Machine) CheckTransition(from, to string) error {
	if !m.Known(to) {
		var v Violations
		v.Add("to", "enum", "Unbekannter Status %q / unknown status", to)
		return v.Err()
	}
	if m.CanMove(from, to) {
		return nil
	}
	return &Error{
		Code:    EConflict,
		Message: "Übergang von " + from + " nach " + to + " ist nicht erlaubt / transition not allowed",
		Allowed: append([]string{}, m.Allowed(from)...),
	}
}
