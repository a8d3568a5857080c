package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Health is the body of /healthz and /readyz.
type Health struct {
	// ok, or unavailable
	Status string `json:"status" example:"ok" enums:"ok,unavailable"`
} // @name Health

// handleHealthz answers while the process lives.
//
//	@ID				healthz
//	@Summary		Lebt der Prozess? / liveness
//	@Description	200, solange der Prozess lebt; fragt die Datenbank nicht. Nie ratenbegrenzt. 401 nur bei einem mitgesendeten ungültigen Token. 200 while the process lives; does not ask the database; never rate-limited; 401 only for a bad token sent along.
//	@Tags			operations
//	@Produce		json
//	@Success		200	{object}	Health
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Router			/healthz [get]
func (s *Server) handleHealthz(c echo.Context) error {
	return c.JSON(http.StatusOK, Health{Status: "ok"})
}

// handleReadyz answers 200 once migrations and seed are done and the database answers.
//
//	@ID				readyz
//	@Summary		Bereit? / readiness
//	@Description	200 erst nach Migration und Erst-Seed und solange die Datenbank erreichbar ist. 200 once migrated and seeded and while the database answers.
//	@Tags			operations
//	@Produce		json
//	@Success		200	{object}	Health
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Router			/readyz [get]
func (s *Server) handleReadyz(c echo.Context) error {
	if err := s.opt.Ready(c.Request().Context()); err != nil {
		return coop.Errorf(coop.EUnavailable, "nicht bereit / not ready")
	}
	return c.JSON(http.StatusOK, Health{Status: "ok"})
}

// EnumValue is one code of an enumeration with its labels.
type EnumValue struct {
	Code    string `json:"code" example:"operational"`
	LabelDE string `json:"label_de" example:"In Betrieb"`
	LabelEN string `json:"label_en" example:"Operational"`
} // @name EnumValue

// Enums lists every enumeration and the status machines.
type Enums struct {
	// enumerations by name (partner_type, project_status, …)
	Enums map[string][]EnumValue `json:"enums" extensions:"x-example-json={\"project_status\": [{\"code\": \"operational\", \"label_de\": \"In Betrieb\", \"label_en\": \"Operational\"}]}"`
	// allowed targets per status, by machine (project_status, cooperation_status)
	Transitions map[string]map[string][]string `json:"transitions" extensions:"x-example-json={\"project_status\": {\"in_progress\": [\"operational\", \"suspended\", \"cancelled\"]}}"`
} // @name Enums

var enumsByName = map[string]coop.Enum{
	"partner_type":           coop.PartnerTypes,
	"cooperation_legal_form": coop.CooperationLegalForms,
	"cooperation_status":     coop.CooperationStatuses,
	"member_role":            coop.MemberRoles,
	"vat_treatment":          coop.VATTreatments,
	"project_category":       coop.ProjectCategories,
	"project_status":         coop.ProjectStatuses,
	"participant_role":       coop.ParticipantRoles,
	"state":                  coop.States,
	"region_level":           coop.RegionLevels,
	"region_kind":            coop.RegionKinds,
}

// handleEnums lists every enumeration with German and English labels.
//
//	@ID				listEnums
//	@Summary		Aufzählungen und Statusübergänge / enums and status transitions
//	@Description	Alle Codes mit deutschen und englischen Bezeichnungen und die erlaubten Statusübergänge. Every enum code with its labels, and the allowed transitions.
//	@Tags			meta
//	@Produce		json
//	@Success		200	{object}	Enums
//	@Success		304	"not modified"
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/meta/enums [get]
func (s *Server) handleEnums(c echo.Context) error {
	out := Enums{Enums: map[string][]EnumValue{}, Transitions: map[string]map[string][]string{
		"project_status":     coop.ProjectMachine.Transitions,
		"cooperation_status": coop.CooperationMachine.Transitions,
	}}
	for name, e := range enumsByName {
		vals := make([]EnumValue, len(e))
		for i, l := range e {
			vals[i] = EnumValue{Code: l.Code, LabelDE: l.LabelDE, LabelEN: l.LabelEN}
		}
		out.Enums[name] = vals
	}
	return s.writeCached(c, http.StatusOK, out, "")
}
