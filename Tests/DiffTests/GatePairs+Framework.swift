/// Pairs on the third example's template (`Tests/OrderStackCLITests/Fixtures/reports`): EventBridge rules that
/// deliver a bus's events, schedules, a bucket and a secret.
extension GatePair {
    static let reports = "Tests/OrderStackCLITests/Fixtures/reports/output/reports-prod.yaml"
    /// "Amazon EventBridge rules" and "Using dead-letter queues to process undelivered events", EventBridge User
    /// Guide: a rule delivers the events that arrive while it exists and is enabled and match its pattern; without a
    /// dead-letter queue an event it cannot deliver after its retries is dropped.
    static let rules = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rules.html"
    static let ruleDLQ = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html"

    static let archiveRule = """
          ArchiveRule:
            Type: AWS::Events::Rule
            Properties:
              Description: 'Archive: events of ReportEvents it subscribes to'
              EventBusName: !GetAtt ReportEventsEventBus.Name
              EventPattern:
                detail-type:
                - ReportRequested
              State: ENABLED
              Targets:
              - Id: Archive
                Arn: !GetAtt ArchiveQueue.Arn
                DeadLetterConfig:
                  Arn: !GetAtt ArchiveDeadLetterQueue.Arn
                RetryPolicy:
                  MaximumRetryAttempts: 185
                  MaximumEventAgeInSeconds: 86400

        """

    static let framework: [GatePair] = [
        GatePair(
            name: "archive rule deleted", stage: "prod", edits: [edit(archiveRule, "")], expect: .deliveryLoss,
            resource: "ArchiveRule", says: ["no longer receive"], source: rules, file: reports),
        GatePair(
            name: "archive rule disabled", stage: "prod",
            edits: [
                edit(
                    "      - ReportRequested\n      State: ENABLED\n",
                    "      - ReportRequested\n      State: DISABLED\n")
            ],
            expect: .deliveryLoss, resource: "ArchiveRule", says: ["disabled"], source: rules, file: reports),
        GatePair(
            name: "archive rule pattern changed", stage: "prod",
            edits: [edit("        - ReportRequested\n", "        - ReportBuilt\n")],
            expect: .deliveryLoss, resource: "ArchiveRule", says: ["EventPattern changed"], source: rules,
            file: reports),
        GatePair(
            name: "archive rule's dead-letter queue removed", stage: "prod",
            edits: [
                edit(
                    "        Arn: !GetAtt ArchiveQueue.Arn\n        DeadLetterConfig:\n          Arn: !GetAtt ArchiveDeadLetterQueue.Arn\n",
                    "        Arn: !GetAtt ArchiveQueue.Arn\n")
            ],
            expect: .dataLoss, resource: "ArchiveRule", says: ["dropped"], source: ruleDLQ, file: reports),
        GatePair(
            name: "nightly schedule's dead-letter queue removed", stage: "prod",
            edits: [
                edit(
                    "        DeadLetterConfig:\n          Arn: !GetAtt NightlyScheduleDeadLetterQueue.Arn\n", "")
            ],
            expect: .dataLoss, resource: "NightlyScheduleRule", says: ["dropped"], source: ruleDLQ, file: reports),
        GatePair(
            name: "archive rule moved to another bus", stage: "prod",
            edits: [
                edit(
                    "      EventBusName: !GetAtt ReportEventsEventBus.Name\n      EventPattern:\n        detail-type:\n        - ReportRequested\n",
                    "      EventBusName: default\n      EventPattern:\n        detail-type:\n        - ReportRequested\n"
                )
            ],
            expect: .deliveryLoss, resource: "ArchiveRule", says: ["EventBusName changed"], source: rules,
            file: reports),
        GatePair(
            name: "archive target given an input path", stage: "prod",
            edits: [
                edit(
                    "      - Id: Archive\n        Arn: !GetAtt ArchiveQueue.Arn\n",
                    "      - Id: Archive\n        Arn: !GetAtt ArchiveQueue.Arn\n        InputPath: $.detail\n")
            ],
            expect: .deliveryLoss, resource: "ArchiveRule", says: ["InputPath added"], source: rules, file: reports),
        // Widening the pattern (one more detail-type) delivers more, loses nothing: no false alarm.
        GatePair(
            name: "archive rule pattern widened", stage: "prod",
            edits: [edit("        - ReportRequested\n", "        - ReportRequested\n        - ReportBuilt\n")],
            expect: .pass, source: rules, file: reports),
        // A schedule delivers no one's data: running it less often loses nothing.
        GatePair(
            name: "nightly schedule moved to weekly", stage: "prod",
            edits: [
                edit("      ScheduleExpression: cron(0 3 * * ? *)\n", "      ScheduleExpression: cron(0 3 ? * MON *)\n")
            ],
            expect: .pass, source: rules, file: reports),
    ]
}
