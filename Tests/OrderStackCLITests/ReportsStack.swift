import StackDSL

/// The third example stack, built from the constructs of the framework's second part (HTTP API with a JWT
/// authorizer, event bus with a rule's subscriber, schedule, bucket, string parameter, secret) around the queue and
/// functions they serve: report requests queued by the HTTP API, built into S3 and announced on a bus; an archiver
/// taking them off its rule's queue; a report built on a schedule with a partner endpoint and token. Its project (stages, profiles, committed
/// output) is `Fixtures/reports`.
enum ReportsStack {
    static let stack = Stack("reports", description: "Reports: requested over HTTP, kept in S3, announced on a bus") {
        let reports = Bucket("Reports")
        let events = EventBus("ReportEvents")
        let token = Secret("PartnerToken")
        let endpoint = StringParameter("PartnerEndpoint", value: "https://partner.example.com/reports")

        let requests = Queue("ReportRequests")

        Function("ReportBuilder", handler: Handler(artifact: "report-builder"))
            .consumes(requests)
            .uses(reports.readWrite)
            .publishes(events)
        let query = Function("ReportQuery", handler: Handler(artifact: "report-query")).uses(reports.read)

        HTTPAPI("ReportsApi", authorizer: JWTAuthorizer(issuer: "https://auth.example.com/", audience: ["reports"])) {
            Route.post("/reports", validatedBy: Schema("report"), enqueueTo: requests)
            Route.get("/reports/{reportId}", invoke: query)
        }

        let archive = Subscriber("Archive", to: events, pattern: ["detail-type": ["ReportRequested"]])
        Function("Archiver", handler: Handler(artifact: "report-archiver")).consumes(archive).uses(reports.readWrite)

        Schedule(
            "Nightly", "cron(0 3 * * ? *)",
            run: Function("NightlyReport", handler: Handler(artifact: "report-nightly"))
                .uses(reports.readWrite).uses(token).uses(endpoint).publishes(events))

        Monitoring("Operations")
    }

    /// The fixture project's folder.
    static let project = CommandRunner.packageRoot.appendingPathComponent("Tests/OrderStackCLITests/Fixtures/reports")
        .path
}
