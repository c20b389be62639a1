import AWSClients

/// One output of a stack.
public struct StackOutput: Sendable, Equatable {
    public var key: String
    public var value: String
    public var description: String?

    public init(key: String, value: String, description: String?) {
        self.key = key
        self.value = value
        self.description = description
    }
}

/// A stack as `DescribeStacks` reports it.
public struct StackDescription: Sendable, Equatable {
    public var stackId: String
    public var name: String
    public var status: String
    public var statusReason: String?
    /// Outputs in the order the service lists them.
    public var outputs: [StackOutput]
    /// The parameter values the stack was last deployed with.
    public var parameters: [String: String] = [:]

    /// A stack as described.
    public init(
        stackId: String, name: String, status: String, statusReason: String? = nil,
        outputs: [StackOutput], parameters: [String: String] = [:]
    ) {
        self.stackId = stackId
        self.name = name
        self.status = status
        self.statusReason = statusReason
        self.outputs = outputs
        self.parameters = parameters
    }
}

/// One change of a change set.
public struct ChangeSetChange: Sendable, Equatable {
    public var action: String
    public var logicalId: String
    public var resourceType: String
    /// `True`, `False` or `Conditional` where the service says (moto does not).
    public var replacement: String?
    public var scope: [String]
}

/// A change set as `DescribeChangeSet` reports it (all pages).
public struct ChangeSetDescription: Sendable, Equatable {
    public var id: String
    public var status: String
    public var statusReason: String?
    public var executionStatus: String?
    public var changes: [ChangeSetChange]
}

/// One stack event.
public struct StackEvent: Sendable, Equatable {
    public var eventId: String
    public var logicalId: String
    public var resourceType: String
    public var status: String
    public var reason: String?
    public var timestamp: String
}

/// The CloudFormation operations `deploy` uses.
public struct CloudFormationClient: Sendable {
    public var query: QueryClient

    public init(caller: AWSCaller) { query = QueryClient(caller: caller, version: "2010-05-15") }

    /// The stack, or `nil` when none of that name exists.
    public func describeStack(_ name: String) async throws -> StackDescription? {
        let root: XMLNode
        do {
            root = try await query.call("DescribeStacks", [("StackName", name)])
        } catch let error as AWSServiceError
            where error.code == "ValidationError" && error.message.contains("does not exist")
        {
            return nil
        }
        guard let member = root.first("Stacks")?.child("member") else { return nil }
        let outputs = (member.child("Outputs")?.children ?? []).map {
            StackOutput(
                key: $0.string("OutputKey") ?? "", value: $0.string("OutputValue") ?? "",
                description: $0.string("Description"))
        }
        var parameters: [String: String] = [:]
        for parameter in member.child("Parameters")?.children ?? [] {
            if let key = parameter.string("ParameterKey") { parameters[key] = parameter.string("ParameterValue") ?? "" }
        }
        return StackDescription(
            stackId: member.string("StackId") ?? "", name: member.string("StackName") ?? name,
            status: member.string("StackStatus") ?? "", statusReason: member.string("StackStatusReason"),
            outputs: outputs, parameters: parameters)
    }

    /// Where a change set's template comes from: inline (up to 51,200 bytes) or an S3 object's URL.
    public enum TemplateSource: Sendable, Equatable {
        case body(String)
        case url(String)
    }

    /// The template the stack was last deployed with, as written.
    public func template(_ stackName: String) async throws -> String {
        let root = try await query.call("GetTemplate", [("StackName", stackName), ("TemplateStage", "Original")])
        return root.first("TemplateBody")?.text ?? ""
    }

    /// Creates a change set from the template inline or at an S3 URL; its ARN and the stack's.
    public func createChangeSet(
        stackName: String, changeSetName: String, template: TemplateSource, parameters: [(String, String)],
        tags: [(String, String)], create: Bool, rollbackTriggers: [String]? = nil
    ) async throws -> (changeSet: String, stack: String) {
        let source =
            switch template {
            case .body(let text): ("TemplateBody", text)
            case .url(let url): ("TemplateURL", url)
            }
        var fields = [
            ("StackName", stackName), ("ChangeSetName", changeSetName), source,
            ("ChangeSetType", create ? "CREATE" : "UPDATE"), ("Capabilities.member.1", "CAPABILITY_IAM"),
            ("Capabilities.member.2", "CAPABILITY_NAMED_IAM"),
        ]
        for (index, parameter) in parameters.enumerated() {
            fields += [
                ("Parameters.member.\(index + 1).ParameterKey", parameter.0),
                ("Parameters.member.\(index + 1).ParameterValue", parameter.1),
            ]
        }
        for (index, tag) in tags.enumerated() {
            fields += [("Tags.member.\(index + 1).Key", tag.0), ("Tags.member.\(index + 1).Value", tag.1)]
        }
        // Alarms CloudFormation watches while it applies the change set; one going to ALARM rolls the operation
        // back (RollbackConfiguration, at most 5 triggers: CloudFormation API Reference, RollbackTrigger). A list
        // given replaces the stack's saved one, and a saved trigger whose alarm is gone fails the update, so an
        // empty list is sent as such (`RollbackTriggers=`, the Query protocol's empty list) to clear it; `nil`
        // leaves the saved triggers.
        if let rollbackTriggers {
            if rollbackTriggers.isEmpty { fields.append(("RollbackConfiguration.RollbackTriggers", "")) }
            for (index, arn) in rollbackTriggers.prefix(5).enumerated() {
                fields += [
                    ("RollbackConfiguration.RollbackTriggers.member.\(index + 1).Arn", arn),
                    ("RollbackConfiguration.RollbackTriggers.member.\(index + 1).Type", "AWS::CloudWatch::Alarm"),
                ]
            }
        }
        let root = try await query.call("CreateChangeSet", fields)
        return (root.first("Id")?.text ?? changeSetName, root.first("StackId")?.text ?? stackName)
    }

    /// The physical IDs (a function's name, a queue's URL) of the stack's resources, by logical ID.
    public func physicalIds(stackName: String) async throws -> [String: String] {
        Dictionary(
            try await resources(stackName: stackName).map { ($0.logicalId, $0.physicalId) },
            uniquingKeysWith: { first, _ in first })
    }

    /// The stack's resources (ListStackResources, every page): logical ID, type and physical ID.
    public func resources(stackName: String) async throws -> [(logicalId: String, type: String, physicalId: String)] {
        var token: String?
        var found: [(logicalId: String, type: String, physicalId: String)] = []
        repeat {
            var fields = [("StackName", stackName)]
            if let token { fields.append(("NextToken", token)) }
            let root = try await query.call("ListStackResources", fields)
            for member in root.first("StackResourceSummaries")?.children ?? [] {
                if let logical = member.string("LogicalResourceId"), let physical = member.string("PhysicalResourceId")
                {
                    found.append((logical, member.string("ResourceType") ?? "", physical))
                }
            }
            token = root.first("NextToken").map(\.text).flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return found
    }

    /// Deletes the stack (used for a stack whose CREATE change set was never executed).
    public func deleteStack(_ stackName: String) async throws {
        _ = try await query.call("DeleteStack", [("StackName", stackName)])
    }

    /// The change set with every page of its changes.
    public func describeChangeSet(_ changeSet: String, stackName: String) async throws -> ChangeSetDescription {
        var token: String?
        var description = ChangeSetDescription(id: changeSet, status: "", changes: [])
        repeat {
            var fields = [("ChangeSetName", changeSet), ("StackName", stackName)]
            if let token { fields.append(("NextToken", token)) }
            let root = try await query.call("DescribeChangeSet", fields)
            guard let result = root.first("DescribeChangeSetResult") else { break }
            description.id = result.string("ChangeSetId") ?? changeSet
            description.status = result.string("Status") ?? ""
            description.statusReason = result.string("StatusReason")
            description.executionStatus = result.string("ExecutionStatus")
            for member in result.child("Changes")?.children ?? [] {
                guard let change = member.child("ResourceChange") else { continue }
                description.changes.append(
                    ChangeSetChange(
                        action: change.string("Action") ?? "", logicalId: change.string("LogicalResourceId") ?? "",
                        resourceType: change.string("ResourceType") ?? "", replacement: change.string("Replacement"),
                        scope: (change.child("Scope")?.children ?? []).map(\.text)))
            }
            token = result.string("NextToken").flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return description
    }

    public func executeChangeSet(_ changeSet: String, stackName: String) async throws {
        _ = try await query.call("ExecuteChangeSet", [("ChangeSetName", changeSet), ("StackName", stackName)])
    }

    public func deleteChangeSet(_ changeSet: String, stackName: String) async throws {
        _ = try await query.call("DeleteChangeSet", [("ChangeSetName", changeSet), ("StackName", stackName)])
    }

    /// The stack's events, newest first, down to (not including) `after`; at most `pages` pages.
    public func events(_ stackName: String, after: String? = nil, pages: Int = 100) async throws -> [StackEvent] {
        var token: String?
        var events: [StackEvent] = []
        var page = 0
        repeat {
            page += 1
            var fields = [("StackName", stackName)]
            if let token { fields.append(("NextToken", token)) }
            let root = try await query.call("DescribeStackEvents", fields)
            for member in root.first("StackEvents")?.children ?? [] {
                let id = member.string("EventId") ?? ""
                if id == after { return events }
                events.append(
                    StackEvent(
                        eventId: id, logicalId: member.string("LogicalResourceId") ?? "",
                        resourceType: member.string("ResourceType") ?? "",
                        status: member.string("ResourceStatus") ?? "",
                        reason: member.string("ResourceStatusReason"), timestamp: member.string("Timestamp") ?? ""))
            }
            token = root.first("NextToken").map(\.text).flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil && page < pages
        return events
    }
}
