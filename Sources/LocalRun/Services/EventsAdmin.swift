import AWSClients
import CloudFormation
import JSONDocument

/// EventBridge over JSON 1.1 (`AWSEvents.<Operation>`): the buses, rules and targets `local` provisions.
public struct EventsAdmin: Sendable {
    public var json: JSONProtocol

    public init(caller: AWSCaller) {
        json = JSONProtocol(caller: caller, targetPrefix: "AWSEvents", contentType: "application/x-amz-json-1.1")
    }

    /// Creates the bus `name`; its ARN.
    public func createEventBus(_ name: String) async throws -> String {
        try await json.call("CreateEventBus", ["Name": .string(name)])["EventBusArn"]?.string ?? ""
    }

    /// Creates or replaces the rule `name` on `bus` matching `pattern` (JSON text); its ARN.
    public func putRule(_ name: String, bus: String, pattern: String, enabled: Bool) async throws -> String {
        try await json.call(
            "PutRule",
            [
                "Name": .string(name), "EventBusName": .string(bus), "EventPattern": .string(pattern),
                "State": .string(enabled ? "ENABLED" : "DISABLED"),
            ]
        )["RuleArn"]?.string ?? ""
    }

    /// Sets the rule's targets (`Id`, `Arn`, optional `DeadLetterConfig`).
    public func putTargets(rule: String, bus: String, targets: [JSONValue]) async throws {
        _ = try await json.call(
            "PutTargets", ["Rule": .string(rule), "EventBusName": .string(bus), "Targets": .array(targets)])
    }

    /// Puts one event on `bus`; its event ID.
    public func putEvent(bus: String, source: String, detailType: String, detail: String) async throws -> String {
        let entry = JSONValue.object([
            "EventBusName": .string(bus), "Source": .string(source), "DetailType": .string(detailType),
            "Detail": .string(detail),
        ])
        let answer = try await json.call("PutEvents", ["Entries": .array([entry])])
        guard case .array(let entries)? = answer["Entries"], let id = entries.first?["EventId"]?.string else {
            throw ProvisionError(description: "PutEvents on \(bus) answered without an event ID")
        }
        return id
    }
}

extension Provisioner {
    /// A bus, created under its `Name`.
    func eventBus(_ resource: Resource, names: LocalNames, report: inout ProvisionReport) async throws
        -> LocalIdentity
    {
        let name = names.string(resource.properties["Name"]) ?? "\(names.stackName)-\(resource.logicalId)"
        guard let events else { return identityOnly(resource, names: names, report: &report, served: false) }
        let arn = try await events.createEventBus(name)
        report.created.append("\(resource.logicalId): event bus \(name)")
        return LocalIdentity(ref: name, attributes: ["Arn": arn, "Name": name])
    }

    /// A rule on a bus of the template, with its SQS targets and their dead-letter queues: events put on the bus
    /// reach the queues its pattern matches. A schedule, and a target that is not a queue (a function runs under
    /// `local`'s own runtime, which EventBridge cannot invoke), are listed as not emulated.
    func eventRule(_ resource: Resource, names: LocalNames, report: inout ProvisionReport) async throws
        -> LocalIdentity
    {
        let id = resource.logicalId
        let name = names.string(resource.properties["Name"]) ?? "\(names.stackName)-\(id)"
        guard let events, resource.properties["ScheduleExpression"] == nil,
            let bus = names.string(resource.properties["EventBusName"]),
            let pattern = resource.properties["EventPattern"].flatMap(names.resolve)
        else {
            report.notEmulated.append(
                "\(id) (AWS::Events::Rule)\(resource.properties["ScheduleExpression"] != nil ? ": schedules are not run locally; invoke the function by hand" : "")"
            )
            return identityOnly(resource, names: names, report: &report, served: true)
        }
        let text = pattern.stringValue ?? LocalJSON.text(pattern)
        let arn = try await events.putRule(
            name, bus: bus, pattern: text, enabled: names.string(resource.properties["State"]) != "DISABLED")
        var targets: [JSONValue] = []
        for target in resource.properties["Targets"]?.items ?? [] {
            guard let targetArn = names.string(target["Arn"]), targetArn.contains(":sqs:") else {
                report.notEmulated.append(
                    "\(id) target \(names.string(target["Id"]) ?? "?"): only queues are targets locally")
                continue
            }
            var fields: [String: JSONValue] = [
                "Id": .string(names.string(target["Id"]) ?? "target"), "Arn": .string(targetArn),
            ]
            if let dlq = names.string(target["DeadLetterConfig"]?["Arn"]) {
                fields["DeadLetterConfig"] = .object(["Arn": .string(dlq)])
            }
            targets.append(.object(fields))
        }
        if !targets.isEmpty { try await events.putTargets(rule: name, bus: bus, targets: targets) }
        report.created.append("\(id): rule \(name) on \(bus), \(targets.count) queue target(s)")
        return LocalIdentity(ref: "\(bus)|\(name)", attributes: ["Arn": arn])
    }
}
