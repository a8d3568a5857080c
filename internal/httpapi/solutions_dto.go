package httpapi

import (
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Solution is a reusable product or service that projects use.
type Solution struct {
	// server-assigned id
	ID string `json:"id" format:"uuid" example:"3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a9f"`
	// unique slug
	Slug string `json:"slug" example:"dips-kommunal"`
	// name
	Name string `json:"name" example:"DiPS.kommunal"`
	// German description
	Description string `json:"description,omitempty" example:"Elektronische Langzeitarchivierung für kommunale Archive"`
	// subject area (the project categories)
	Category string `json:"category,omitempty" enums:"service_desk,archiving,network,data_center,software,information_security,organisation,online_services,other" example:"archiving"`
	// web site
	Website string `json:"website,omitempty" format:"uri" example:"https://www.lwl.org/"`
	// partners that develop it
	Developers []Ref `json:"developers"`
	// creation time (UTC)
	CreatedAt time.Time `json:"created_at" example:"2026-01-31T12:00:00Z" format:"date-time"`
	// last change (UTC)
	UpdatedAt time.Time `json:"updated_at" example:"2026-01-31T12:00:00Z" format:"date-time"`
	// 1 on create, +1 on every change
	Version int `json:"version" example:"1"`
} // @name Solution

// SolutionInput creates a solution, or is the merged result of a PATCH.
type SolutionInput struct {
	// unique slug: lower-case ASCII, digits and single hyphens
	Slug string `json:"slug" example:"serviceportal-muensterland" maxLength:"100" extensions:"x-pattern=^[a-z0-9]+(-[a-z0-9]+)*$"`
	// name
	Name string `json:"name" example:"Serviceportal Münsterland" maxLength:"300"`
	// German description
	Description string `json:"description,omitempty" example:"Online-Anträge der Kommunen im Münsterland" maxLength:"20000"`
	// subject area (the project categories)
	Category string `json:"category,omitempty" enums:"service_desk,archiving,network,data_center,software,information_security,organisation,online_services,other" example:"online_services"`
	// web site (absolute http(s) URL)
	Website string `json:"website,omitempty" format:"uri" example:"https://www.citeq.de/"`
	// ids or slugs of the partners that develop it (no duplicates)
	Developers []string `json:"developers,omitempty" example:"citeq" maxLength:"100"`
} // @name SolutionInput

// SolutionList is a page of solutions.
type SolutionList struct {
	// the page's solutions
	Items []Solution `json:"items"`
	// number of all matching solutions
	Total int64 `json:"total" example:"1"`
	// pass as cursor for the next page; null on the last page
	NextCursor *string `json:"next_cursor" example:"eyJrIjpbImNpdGVxIl0sImlkIjoiMGI3YyJ9" extensions:"x-nullable"`
} // @name SolutionList

func solutionOut(s coop.Solution) Solution {
	out := Solution{
		ID: s.ID, Slug: s.Slug, Name: s.Name, Description: s.Description, Category: s.Category,
		Website: s.Website, Developers: make([]Ref, len(s.Developers)),
		CreatedAt: utc(s.CreatedAt), UpdatedAt: utc(s.UpdatedAt), Version: s.Version,
	}
	for i, d := range s.Developers {
		out.Developers[i] = refOut(partnersPath, d)
	}
	return out
}

func solutionsOut(list []coop.Solution) []Solution {
	out := make([]Solution, len(list))
	for i, s := range list {
		out[i] = solutionOut(s)
	}
	return out
}

// solutionInputOf is the request form of a stored solution: the base a PATCH merges
// into.
func solutionInputOf(s coop.Solution) SolutionInput {
	in := SolutionInput{Slug: s.Slug, Name: s.Name, Description: s.Description, Category: s.Category, Website: s.Website}
	for _, d := range s.Developers {
		in.Developers = append(in.Developers, d.Slug)
	}
	return in
}

func (in SolutionInput) draft() coop.SolutionDraft {
	return coop.SolutionDraft{Slug: in.Slug, Name: in.Name, Description: in.Description,
		Category: in.Category, Website: in.Website, Developers: in.Developers}
}
