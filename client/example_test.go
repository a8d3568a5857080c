package ikzclient_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"

	ikzclient "github.com/ikz-verzeichnis/ikz-verzeichnis/client"
)

// A portal lists the operational projects of a partner; the token (optional for
// public reads) goes into every request.
func ExampleNewClientWithResponses() {
	c, err := ikzclient.NewClientWithResponses("https://ikz-verzeichnis.example.org",
		ikzclient.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			if tok := os.Getenv("IKZ_TOKEN"); tok != "" {
				r.Header.Set("Authorization", "Bearer "+tok)
			}
			return nil
		}))
	if err != nil {
		log.Fatal(err)
	}
	status := []ikzclient.ListPartnerProjectsParamsStatus{ikzclient.ListPartnerProjectsParamsStatusOperational}
	res, err := c.ListPartnerProjectsWithResponse(context.Background(), "citeq", &ikzclient.ListPartnerProjectsParams{Status: &status})
	if err != nil {
		log.Fatal(err)
	}
	if res.JSON200 == nil { // an error answer: res.ApplicationproblemJSON4xx holds the problem
		log.Fatalf("%d: %s", res.StatusCode(), res.Body)
	}
	for _, p := range res.JSON200.Items {
		fmt.Println(p.Slug, p.Status)
	}
}
