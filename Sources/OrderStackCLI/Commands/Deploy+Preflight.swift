import ArgumentParser
import DeployClients
import Deployment

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension OrderStack.Deploy {
    /// Runs the preflight: each problem one line with its fix, exit 2 when there is one; what could not be checked
    /// is said, and with `--preflight-only` what passed too.
    func runPreflight(_ request: DeployRequest, deployer: Deployer, console: Console) throws {
        let started = Date()
        let report: Preflight.Report
        do {
            report = try blocking { try await deployer.preflight(request) }
        } catch {
            console.err("error: \(AWSSession.explain(error, what: "checking the account before deploying"))")
            throw ExitCode(2)
        }
        for note in report.notes { console.err("preflight: note: \(note)") }
        if preflightOnly { for passed in report.passed { console.err("preflight: ok: \(passed)") } }
        for problem in report.problems { console.err("preflight: error: \(problem)") }
        let milliseconds = Int(Date().timeIntervalSince(started) * 1000)
        guard report.problems.isEmpty else {
            console.err("error: preflight found \(report.problems.count) problem(s); nothing was uploaded or changed")
            throw ExitCode(2)
        }
        console.err(
            report.notes.isEmpty
                ? "preflight: passed in \(milliseconds) ms"
                : "preflight: no problem found in \(milliseconds) ms, but \(report.notes.count) check(s) could not run (notes above)"
        )
    }

    /// The artifact bucket of the Region's bootstrap stack; without one, says how to make it (exit 2).
    func bootstrapBucket(deployer: Deployer, console: Console) throws -> String {
        let found: String?
        do {
            found = try blocking {
                let name = Deployment.Bootstrap.stackName
                guard let stack = try await deployer.cloudFormation.describeStack(name) else { return nil }
                let physicalIds = try await deployer.cloudFormation.physicalIds(stackName: name)
                return Deployment.Bootstrap.bucket(in: stack, physicalIds: physicalIds)
            }
        } catch {
            console.err("error: \(AWSSession.explain(error, what: "looking for the bootstrap stack"))")
            throw BadInput()
        }
        guard let bucket = found else {
            console.err(
                "error: no --bucket, and no \(Deployment.Bootstrap.stackName) stack in \(deployer.region): run `\(Stacks.executable) bootstrap` once for this account and Region, or pass --bucket"
            )
            throw ExitCode(2)
        }
        console.err("artifact bucket: \(bucket) (from \(Deployment.Bootstrap.stackName))")
        return bucket
    }
}
