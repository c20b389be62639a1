import Foundation
import NIOPosix
import Testing

@testable import LocalRun

/// Real bootstrap processes under the local Runtime API: a small Python bootstrap speaks the Runtime API the way
/// every custom runtime does, and does what the event asks (answer, fail, sleep past the timeout, die).
@Suite struct FunctionHostTests {
    static let bootstrap = """
        #!/usr/bin/env python3
        import json, os, sys, time, urllib.request
        api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
        if os.environ.get("FAIL_INIT"):
            urllib.request.urlopen(urllib.request.Request(api + "/init/error", method="POST",
                data=json.dumps({"errorType": "Init.Broken", "errorMessage": "no table"}).encode()))
            sys.exit(1)
        while True:
            with urllib.request.urlopen(api + "/invocation/next") as answer:
                request_id = answer.headers["Lambda-Runtime-Aws-Request-Id"]
                event = json.loads(answer.read())
            print("handling", event["do"], flush=True)
            if event["do"] == "sleep":
                time.sleep(30)
            if event["do"] == "die":
                os._exit(3)
            if event["do"] == "fail":
                urllib.request.urlopen(urllib.request.Request(api + f"/invocation/{request_id}/error", method="POST",
                    data=json.dumps({"errorType": "Bad", "errorMessage": "asked to"}).encode()))
                continue
            if event["do"] == "wait":
                time.sleep(0.3)
            body = json.dumps({"pid": os.getpid(), "name": os.environ["AWS_LAMBDA_FUNCTION_NAME"]}).encode()
            urllib.request.urlopen(urllib.request.Request(api + f"/invocation/{request_id}/response", method="POST",
                data=body))
        """

    static func host(environment: [String: String] = [:], maxEnvironments: Int = 2, timeout: Int = 2) throws -> (
        FunctionHost, ProcessRegistry, String
    ) {
        let directory = NSTemporaryDirectory() + "orderstack-host-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/bootstrap"
        try bootstrap.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        var inherited = ProcessInfo.processInfo.environment
        inherited.merge(environment) { _, new in new }
        let spec = FunctionSpec(
            logicalId: "Fn", name: "s-Fn", arn: "arn:aws:lambda:us-east-1:1:function:s-Fn", executable: path,
            environment: inherited, timeoutSeconds: timeout, memoryMB: 128, maxEnvironments: maxEnvironments)
        let processes = ProcessRegistry()
        let log = LogSink(path: directory + "/fn.log", source: "Fn", tail: nil)
        return (
            FunctionHost(spec: spec, group: MultiThreadedEventLoopGroup.singleton, log: log, processes: processes),
            processes, directory + "/fn.log"
        )
    }

    static func event(_ what: String) -> [UInt8] { Array("{\"do\":\"\(what)\"}".utf8) }

    static func pid(_ result: InvocationResult) -> Int? {
        guard case .response(let body) = result else { return nil }
        let text = String(decoding: body, as: UTF8.self)
        return text.split(separator: ":").dropFirst().first.flatMap {
            Int($0.split(separator: ",")[0].trimmingCharacters(in: .whitespaces))
        }
    }

    @Test func answersFailuresAndOneEnvironmentReused() async throws {
        let (host, processes, log) = try Self.host()
        let first = await host.invoke(Self.event("answer"))
        let second = await host.invoke(Self.event("answer"))
        #expect(Self.pid(first) != nil && Self.pid(first) == Self.pid(second), "\(first) \(second)")
        #expect(await host.invoke(Self.event("fail")) == .failed(type: "Bad", message: "asked to"))
        #expect(Self.pid(await host.invoke(Self.event("answer"))) == Self.pid(first))
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("handling answer") && text.contains("REPORT RequestId: s-Fn-"))
        await host.stop()
        #expect(processes.all.isEmpty)
    }

    @Test func aTimeoutKillsTheEnvironmentAndTheNextInvocationGetsAFreshOne() async throws {
        let (host, processes, _) = try Self.host(timeout: 1)
        let before = Self.pid(await host.invoke(Self.event("answer")))
        // The answer is the timeout's (the handler sleeps far longer); how long it took is not asserted, as a
        // loaded machine can be late by seconds.
        #expect(
            await host.invoke(Self.event("sleep"))
                == .failed(type: "Sandbox.Timedout", message: "Task timed out after 1.00 seconds"))
        let after = Self.pid(await host.invoke(Self.event("answer")))
        #expect(before != nil && after != nil && before != after)
        #expect(
            await host.invoke(Self.event("die"))
                == .failed(type: "Runtime.ExitError", message: "Runtime exited with error: exit status 3"))
        #expect(Self.pid(await host.invoke(Self.event("answer"))) != nil)
        await host.stop()
        #expect(processes.all.isEmpty)
    }

    @Test func anInitErrorIsReported() async throws {
        let (host, _, _) = try Self.host(environment: ["FAIL_INIT": "1"])
        #expect(
            await host.invoke(Self.event("answer"))
                == .failed(type: "Runtime.InitError", message: "Init.Broken: no table"))
        await host.stop()
    }

    @Test func concurrencyNeverExceedsTheReservedEnvironments() async throws {
        let (host, _, _) = try Self.host(maxEnvironments: 2)
        let pids = await withTaskGroup(of: Int?.self) { group in
            for _ in 0..<6 { group.addTask { Self.pid(await host.invoke(Self.event("wait"))) } }
            var found: [Int?] = []
            for await pid in group { found.append(pid) }
            return found
        }
        #expect(pids.allSatisfy { $0 != nil })
        #expect(Set(pids.compactMap { $0 }).count == 2)
        await host.stop()
    }
}
