import Testing

@testable import LoadRun

@Suite struct AnswerCheckTests {
    @Test func aWorkingStacksAnswersPassThrottlingAndInvalidOrdersIncluded() {
        let findings = AnswerCheck.findings([
            .new: [202: 950, 429: 40, 503: 10], .duplicate: [202: 30], .invalid: [400: 50], .query: [404: 3],
        ])
        #expect(findings.isEmpty, "\(findings)")
    }

    @Test func nothingAcceptedFailsWhateverTheAnswer() {
        for statuses in [[0: 40], [403: 40], [500: 40], [429: 40]] {
            let findings = AnswerCheck.findings([.new: statuses])
            #expect(findings.contains { $0.hasPrefix("NOTHING ACCEPTED: none of 40 valid requests") }, "\(statuses)")
        }
    }

    @Test func aValidOrderRefusedFailsTheRunEvenWhenOthersPassed() {
        let findings = AnswerCheck.findings([.new: [202: 90, 403: 4], .duplicate: [413: 1]])
        #expect(
            findings == [
                "REFUSED: 5 of 95 valid requests answered 403: 4, 413: 1: a valid request is accepted (2xx) or throttled (429), never refused"
            ])
    }

    @Test func failuresAboveTheToleranceFailAndBelowItPass() {
        #expect(AnswerCheck.findings([.new: [202: 95, 502: 3, 0: 2]]).isEmpty)
        #expect(
            AnswerCheck.findings([.new: [202: 94, 502: 4, 0: 2]]) == [
                "FAILING: 6 of 100 valid requests got a 5xx or no answer, more than 5 %"
            ])
    }

    @Test func noValidOrderSentSaysNothing() {
        #expect(AnswerCheck.findings([.invalid: [400: 10]]).isEmpty)
    }
}
