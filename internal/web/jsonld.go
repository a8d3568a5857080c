package web

// jsonLD returns a resource as JSON-LD (schema.org) for the page's
// <script type="application/ld+json">, or "" while no JSON-LD encoder exists.
//
// Hook for the open-data work (api.md "Open data": Accept: application/ld+json on the
// resources): once it provides an encoder, call it here, so pages and API show the
// same document. The CSP allows no inline script; a JSON-LD block is data, not script,
// and browsers do not execute it, but the CSP must then name its hash for strict
// validators: render it with the hash added to the page's script-src.
func jsonLD(resource any) string { return "" }
