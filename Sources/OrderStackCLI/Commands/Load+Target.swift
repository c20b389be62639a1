import AWSClients
import AWSSigV4
import AsyncHTTPClient
import Foundation
import LoadRun
import LocalRun
import StackGraph

#if canImport(Glibc)
    import Glibc
#endif

extension OrderStack.Load {
    /// The plan for `--target`: the local stage started here, or a URL checked and signed for.
    func prepare(
        item: StackStage, project: Project, path: TrafficPath, routes: LoadRoutes, shape: LoadShape, mix: RequestMix,
        stop: StopFlag, client: HTTPClient, console: Console
    ) throws -> (LoadPlan, LocalLaunch?) {
        let transport = HTTPClientTransport(client: client)
        let postSigned = path.entry?.authorization == "AWS_IAM"
        let getSigned = routes.get != nil && path.queryRoute?.authorization == "AWS_IAM"
        let sender: Sender
        let loadTarget: any LoadTarget
        var launch: LocalLaunch?
        if target == "local" {
            // `local` serves the template's first REST API: a route of another API cannot be sent to here.
            let served = path.graph.apis.first { $0.kind == .rest }?.logicalId
            if let entry = path.entry, entry.api != served {
                console.err(
                    "error: stage \(item.settings.name): the entry route \(entry.name) is on \(entry.api), and `local` serves \(served ?? "no REST API") only; name a route of it with entry_route, or send to a deployed API with --target URL"
                )
                throw BadInput()
            }
            let started = try LocalLaunch.start(
                item, project: project,
                options: LocalLaunch.Options(
                    endpoint: endpoint, port: port, release: release, visibilityTimeout: visibilityTimeout),
                console: console)
            launch = started
            guard let port = started.session.gatewayPort, let stageName = started.session.api?.stage,
                let address = TargetAddress(url: "http://127.0.0.1:\(port)/\(stageName)")
            else {
                started.stop()
                console.err("error: stage \(item.settings.name) has no REST API to send requests to")
                throw BadInput()
            }
            console.err("services: \(started.endpoint)")
            console.err("API: http://127.0.0.1:\(port)/\(stageName)")
            sender = Sender(
                transport: transport, target: address,
                signing: (LocalConfiguration.defaultCredentials, item.settings.region), clock: SystemLoadClock())
            switch LocalTarget.make(
                session: started.session, path: path, key: routes.key,
                label: "orderstack local, stage \(item.settings.name)")
            {
            case .success(let found): loadTarget = found
            case .failure(let problem):
                started.stop()
                console.err("error: stage \(item.settings.name): \(problem.description)")
                throw BadInput()
            }
        } else {
            let address = try checkedAddress(console: console)
            sender = Sender(
                transport: transport, target: address,
                signing: postSigned || getSigned
                    ? try credentials(address, region: item.settings.region, console: console) : nil,
                clock: SystemLoadClock())
            loadTarget = APITarget(
                sender: sender, getRoute: routes.get, key: routes.key, signed: getSigned, label: target)
        }
        // Against a URL, accepted requests are read back through the GET route below the POST; without one there
        // is nothing to read them through, so the run measures only (every request would otherwise count lost).
        let unreadable = target != "local" && routes.get == nil
        if unreadable && !noVerify {
            console.err(
                "note: no GET route below POST \(routes.post) to read accepted requests back through at \(target): "
                    + "not verified (against --target local, the table is read instead)")
        }
        var plan = LoadPlan(shape: shape, seed: seed, mix: mix, sender: sender, target: loadTarget, stop: stop)
        plan.settleSeconds = settle
        plan.verify = !noVerify && !unreadable
        plan.progress = { console.err($0) }
        plan.signs = { $0.method == "POST" ? postSigned : getSigned }
        return (plan, launch)
    }

    /// The run's HTTP client, its connections bounded; shut down by the caller.
    static func client(connections: Int) -> HTTPClient {
        HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(
                connectionPool: .init(
                    idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
            ))
    }

    /// The URL, refused off loopback unless `--confirm-endpoint` repeats its host.
    func checkedAddress(console: Console) throws -> TargetAddress {
        guard let address = TargetAddress(url: target) else { throw BadInput() }
        if !address.isLoopback && confirmEndpoint != address.endpoint.host {
            console.err(
                "error: \(target) is not on this machine; a load test sends real requests to it. If you own it, repeat its host: --confirm-endpoint \(address.endpoint.host)"
            )
            throw BadInput()
        }
        return address
    }

    /// Credentials for SigV4: the usual sources; on loopback without any, what `orderstack local` checks.
    func credentials(_ address: TargetAddress, region: String, console: Console) throws -> (Credentials, String) {
        let environment = ProcessInfo.processInfo.environment
        let host = address.endpoint.host.split(separator: ".")
        let apiRegion = host.count > 3 && host[1] == "execute-api" ? String(host[2]) : region
        if address.isLoopback && environment["AWS_ACCESS_KEY_ID"] == nil && environment["AWS_PROFILE"] == nil {
            return (LocalConfiguration.defaultCredentials, apiRegion)
        }
        let session = try AWSSession.resolve(console: console)
        return (session.resolved.credentials, apiRegion)
    }

    /// The first SIGINT or SIGTERM stops sending (what was sent is still verified); the second stops everything.
    func installSignals(stop: StopFlag, launch: LocalLaunch?, console: Console) {
        let once = Once()
        LocalLaunch.onSignals { number in
            if once.first() {
                stop.stop()
                console.err("\nstopping: no more requests; verifying what was sent (again to stop at once)")
                return
            }
            console.err("\nstopping at once")
            launch?.stop()
            Glibc.exit(number == SIGINT ? 130 : 143)
        }
    }
}
