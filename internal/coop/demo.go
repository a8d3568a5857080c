package coop

import "context"

// DemoService tells whether the directory holds invented demo data
// (`ikz-verzeichnis seed --demo`): the pages, the API's answers and the exports then
// say so. Errors: EUnavailable.
type DemoService interface {
	Demo(ctx context.Context) (bool, error)
}
