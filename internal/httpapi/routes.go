package httpapi

// routes registers every route of the service, in one place.
func (s *Server) routes() {
	e := s.echo
	e.GET("/healthz", s.handleHealthz)
	e.GET("/readyz", s.handleReadyz)
	if s.opt.MetricsOnMain {
		e.GET("/metrics", handleMetrics)
	}
	e.GET("/openapi.json", s.handleOpenAPI)
	e.GET("/swagger/doc.json", handleSwagger2)
	e.GET("/swagger/doc.yaml", handleSwagger2)
	e.GET("/swagger/*", swaggerUI)
	e.GET("/swagger", handleSwaggerRedirect)
	e.GET("/", s.handleIndex)

	v1 := e.Group("/api/v1")
	v1.GET("/meta/enums", s.handleEnums)

	v1.GET("/partners", s.handlePartnerList)
	v1.POST("/partners", s.handlePartnerCreate)
	v1.GET("/partners/:id", s.handlePartnerGet)
	v1.PATCH("/partners/:id", s.handlePartnerPatch)
	v1.DELETE("/partners/:id", s.handlePartnerDelete)
	v1.POST("/partners/:id/restore", s.handlePartnerRestore)
	v1.GET("/partners/:id/children", s.handlePartnerChildren)
	v1.GET("/partners/:id/projects", s.handlePartnerProjects)

	v1.GET("/cooperations", s.handleCooperationList)
	v1.POST("/cooperations", s.handleCooperationCreate)
	v1.GET("/cooperations/:id", s.handleCooperationGet)
	v1.PATCH("/cooperations/:id", s.handleCooperationPatch)
	v1.DELETE("/cooperations/:id", s.handleCooperationDelete)
	v1.POST("/cooperations/:id/restore", s.handleCooperationRestore)
	v1.POST("/cooperations/:id/transitions", s.handleCooperationTransition)
	v1.GET("/cooperations/:id/history", s.handleCooperationHistory)
	v1.GET("/cooperations/:id/projects", s.handleCooperationProjects)

	v1.GET("/projects", s.handleProjectList)
	v1.POST("/projects", s.handleProjectCreate)
	v1.GET("/projects/:id", s.handleProjectGet)
	v1.PATCH("/projects/:id", s.handleProjectPatch)
	v1.DELETE("/projects/:id", s.handleProjectDelete)
	v1.POST("/projects/:id/restore", s.handleProjectRestore)
	v1.POST("/projects/:id/transitions", s.handleProjectTransition)
	v1.GET("/projects/:id/history", s.handleProjectHistory)

	v1.GET("/solutions", s.handleSolutionList)
	v1.POST("/solutions", s.handleSolutionCreate)
	v1.GET("/solutions/:id", s.handleSolutionGet)
	v1.PATCH("/solutions/:id", s.handleSolutionPatch)
	v1.DELETE("/solutions/:id", s.handleSolutionDelete)
	v1.POST("/solutions/:id/restore", s.handleSolutionRestore)
	v1.GET("/solutions/:id/projects", s.handleSolutionProjects)

	v1.GET("/regions", s.handleRegionList)
	v1.GET("/regions/:ars", s.handleRegionGet)
	v1.GET("/regions/:ars/children", s.handleRegionChildren)

	v1.GET("/changes", s.handleChangeList)
	v1.GET("/changes/stream", s.handleChangeStream)
	v1.GET("/search", s.handleSearch)

	v1.GET("/stats/projects", s.handleProjectStats)
	v1.GET("/stats/timeline", s.handleStatsTimeline)
	v1.GET("/stats/lead-times", s.handleLeadTimes)
	v1.GET("/exports/projects", s.handleExportProjects)
	v1.GET("/exports/partners", s.handleExportPartners)
	v1.GET("/exports/cooperations", s.handleExportCooperations)
	v1.GET("/catalog", s.handleCatalog)

	v1.POST("/imports", s.handleImportCreate)
	v1.GET("/imports/:id", s.handleImportGet)

	v1.GET("/tokens", s.handleTokenList)
	v1.POST("/tokens", s.handleTokenCreate)
	v1.DELETE("/tokens/:id", s.handleTokenRevoke)

	v1.GET("/webhooks", s.handleWebhookList)
	v1.POST("/webhooks", s.handleWebhookCreate)
	v1.GET("/webhooks/:id", s.handleWebhookGet)
	v1.PATCH("/webhooks/:id", s.handleWebhookPatch)
	v1.DELETE("/webhooks/:id", s.handleWebhookDelete)
	v1.POST("/webhooks/:id/rotate-secret", s.handleWebhookRotate)
	v1.POST("/webhooks/:id/replay", s.handleWebhookReplay)
	v1.GET("/webhooks/:id/deliveries", s.handleWebhookDeliveries)
	v1.POST("/webhooks/:id/ping", s.handleWebhookPing)
	v1.POST("/webhooks/:id/redeliver", s.handleWebhookRedeliver)

	if s.opt.Web != nil {
		s.opt.Web.Register(e)
	}
}
